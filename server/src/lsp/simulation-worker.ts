// The worker thread that runs the engine for kdry/simulate (bundled as dist/simulation-worker.js),
// so a long simulation never blocks the language server's main thread: diagnostics, hovers and
// the next edit's request keep being answered. One job at a time; the runner terminates the
// thread to cancel one (a newer edit, a cancelled request, the time budget).
import { parentPort } from 'node:worker_threads';
import { simulate, type SimulateOptions, type SimulationResult } from '../engine';

export type WorkerAnswer = { result: SimulationResult } | { error: string };

parentPort?.on('message', (options: SimulateOptions) => {
  let answer: WorkerAnswer;
  try {
    answer = { result: simulate(options) };
  } catch (err) {
    answer = { error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(answer);
});
