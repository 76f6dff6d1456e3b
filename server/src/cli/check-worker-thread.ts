// The `kdry check` worker thread (check-worker.ts, bundled beside the CLI as check-worker.js):
// where its bundle is and how a thread of it starts. The pool's slice workers (check-pool.ts) and
// the engine thread (check-engine-thread.ts) are both threads of it.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The bundled worker beside cli.js; from source (the tests), the TypeScript file through tsx. */
const FROM_SOURCE = __filename.endsWith('.ts');
export const WORKER_FILE = join(__dirname, FROM_SOURCE ? 'check-worker.ts' : 'check-worker.js');

/** A thread running `workerFile` (the tests give workers that misbehave). */
export function startCheckWorker(workerFile = WORKER_FILE): Worker {
  return workerFile.endsWith('.ts') ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(workerFile)});`, { eval: true }) : new Worker(workerFile);
}
