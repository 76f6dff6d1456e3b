// A `kdry check --jobs` worker thread: parses its share of the files and runs their single-document
// checks, and the engine on their workloads (check-pool.ts). It sends back their local findings,
// the verdicts, and what the main thread needs to index the files without parsing them again.
import { parentPort } from 'node:worker_threads';
import { summarizeManifest } from '../manifest';
import { parseAndCheckLocally, sendEntries, type WorkerRequest, type WorkerResponse } from './check-pool';

parentPort!.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    const { checked, verdicts } = parseAndCheckLocally(request.files, request.kustomizations, request.settings, request.cluster);
    response = { files: checked.map(({ manifest, entries }) => ({ summaries: summarizeManifest(manifest), entries: sendEntries(entries) })), verdicts };
  } catch (err) {
    response = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort!.postMessage(response);
});
