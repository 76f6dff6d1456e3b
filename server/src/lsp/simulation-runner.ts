// Runs kdry/simulate's engine work off the main thread (simulation-worker.ts), bounded: one job at
// a time, a newer job cancels the running one (the user typed again), a cancelled request stops
// it, and a job past the time budget is stopped with a message. Stopping means terminating the
// worker thread (the engine is synchronous); the next job starts a fresh one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CancellationToken } from 'vscode-languageserver';
import { simulate, type SimulateOptions } from '../engine';
import type { WorkerAnswer } from './simulation-worker';

/** Wall time a simulation may take before it is stopped (100,000 replicas take about 3 s). */
export const SIMULATION_BUDGET_MS = 15_000;

export const CANCELLED_BY_NEWER = 'Cancelled: a newer edit started another simulation.';

export class SimulationRunner {
  private worker: Worker | undefined;
  private current: { finish(answer: WorkerAnswer): void } | undefined;

  /** `workerFile`: the bundled worker; when absent (running from source) the job runs inline. */
  constructor(private readonly workerFile = join(__dirname, 'simulation-worker.js'), private readonly budgetMs = SIMULATION_BUDGET_MS) {}

  run(options: SimulateOptions, token?: CancellationToken): Promise<WorkerAnswer> {
    this.stop(CANCELLED_BY_NEWER);
    if (!existsSync(this.workerFile)) return Promise.resolve(inline(options));
    return new Promise<WorkerAnswer>((resolve) => {
      const worker = (this.worker ??= this.spawn());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const cancelListener = token?.onCancellationRequested(() => this.stop('Cancelled.'));
      const job = {
        finish: (answer: WorkerAnswer) => {
          if (this.current !== job) return;
          this.current = undefined;
          clearTimeout(timer);
          cancelListener?.dispose();
          worker.off('message', job.finish);
          resolve(answer);
        },
      };
      this.current = job;
      timer = setTimeout(() => this.stop(`The simulation took longer than ${this.budgetMs / 1000} s and was stopped: lower the replicas or the window to preview it.`), this.budgetMs);
      worker.on('message', job.finish);
      worker.postMessage(options);
    });
  }

  /** Ends the running job (if any) with `error` and terminates its thread. */
  private stop(error: string): void {
    const job = this.current;
    if (!job) return;
    const worker = this.worker;
    this.worker = undefined;
    job.finish({ error });
    void worker?.terminate();
  }

  private spawn(): Worker {
    const worker = new Worker(this.workerFile);
    // A crashed thread (out of memory) answers its job with the reason; the next job starts anew.
    worker.on('error', (err) => {
      if (this.worker === worker) this.worker = undefined;
      this.current?.finish({ error: `The simulation stopped: ${err.message}` });
    });
    worker.unref();
    return worker;
  }

  dispose(): void {
    this.stop('The language server is shutting down.');
  }
}

function inline(options: SimulateOptions): WorkerAnswer {
  try {
    return { result: simulate(options) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
