// The body of a `kdry check --jobs` worker thread. A slice worker takes slices of the files from the shared
// counter, parses them and runs their single-document checks (check-pool.ts), and sends back their
// local findings and what the main thread needs to index the files without parsing them again.
// The engine thread (its first message names the cluster: check-engine-thread.ts) runs the engine
// on the workloads the main thread sends and answers the simulation job. It lives in the check
// command's bundle (check-entry.ts exports it), so dist/check-worker.js is a few bytes that require
// dist/cli-check.js instead of a second copy of the check pipeline in the .vsix.
import { parentPort } from "node:worker_threads";
import {
  checkSlices,
  type WorkerRequest,
  type WorkerResponse,
} from "./check-pool";
import { engineService, type EngineMessage } from "./check-engine-thread";

/** Answers the messages of the thread it runs in. */
export function serveCheckWorker(): void {
  let engine: ((message: EngineMessage) => void) | undefined;
  parentPort!.on("message", (message: WorkerRequest | EngineMessage) => {
    if (engine || "engine" in message) {
      engine ??= engineService((response) => parentPort!.postMessage(response));
      engine(message as EngineMessage);
      return;
    }
    let response: WorkerResponse;
    try {
      response = checkSlices({
        ...(message as WorkerRequest),
        next: new Int32Array((message as WorkerRequest).next),
      });
    } catch (err) {
      response = {
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      };
    }
    parentPort!.postMessage(response);
  });
}
