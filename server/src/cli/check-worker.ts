// A `kdry check --jobs` worker thread: takes slices of the files from the shared counter, parses
// them and runs their single-document checks, and the engine on their workloads (check-pool.ts).
// It sends back their local findings, the verdicts, and what the main thread needs to index the
// files without parsing them again.
import { parentPort } from 'node:worker_threads';
import { checkSlices, type WorkerRequest, type WorkerResponse } from './check-pool';

parentPort!.on('message', (request: WorkerRequest) => {
  let response: WorkerResponse;
  try {
    response = checkSlices({ ...request, next: new Int32Array(request.next) });
  } catch (err) {
    response = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
  parentPort!.postMessage(response);
});
