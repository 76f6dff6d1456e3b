// `kdry check --jobs 2` and more with the simulation checks: the engine on a thread of its own.
// The engine's part is most of such a run (each workload's verdict runs the engine twice, a
// settled warm-up and the next rollout), and a thread pays its own JIT warm-up for the code it
// runs: split across the slice threads, every thread warmed up the engine as well as the parser
// and the rules, and `--jobs 2` cost more CPU than one job. Here the slice threads parse and check
// while this one runs the engine on the workloads the main thread sends as its slices are parsed
// (a verdict reads only the workload, the nodes and the release); once every file is indexed the
// main thread sends the simulation job (the scopes to place together, the workloadRef Rollouts)
// and runs the cross-document rules while this thread answers it.
import type { Worker } from 'node:worker_threads';
import { runSimulationJob, VerdictCache, type JobWorkload, type SimulationAnswer, type SimulationJob } from '../simulation-checks';
import { startCheckWorker } from './check-worker-thread';

/** The cluster and release the engine runs on (the job's). */
export type VerdictCluster = Pick<SimulationJob, 'clusterKey' | 'nodes' | 'release'>;

/** A workload as sent: its document's source (what the verdict is kept by, VerdictCache) and its value. */
export type SentWorkload = [source: string, object: Record<string, unknown>];

/** The job as sent: a workload already sent goes without its object (the thread has it by source). */
type SentJob = Omit<SimulationJob, 'workloads'> & { workloads: (Omit<JobWorkload, 'object'> & { object?: Record<string, unknown> })[] };

export type EngineMessage = { engine: VerdictCluster } | { workloads: SentWorkload[] } | { job: SentJob };
export type EngineResponse = { answer: SimulationAnswer } | { error: string };

/**
 * The thread's side: verdicts computed as the workloads arrive, then the job's answer (the
 * placements, and the verdicts of workloads not sent before). Any failure is answered at once.
 */
export function engineService(post: (response: EngineResponse) => void): (message: EngineMessage) => void {
  let cluster: VerdictCluster | undefined;
  const cache = new VerdictCache(Infinity);
  const objects = new Map<string, Record<string, unknown>>();
  let failed = false;
  return (message) => {
    if (failed) return;
    try {
      if ('engine' in message) cluster = message.engine;
      else if ('workloads' in message) {
        for (const [source, object] of message.workloads) {
          objects.set(source, object);
          cache.verdict(cluster!, { key: '', source, object });
        }
      } else {
        const workloads = message.job.workloads.map((w): JobWorkload => ({ ...w, object: w.object ?? objects.get(w.source)! }));
        post({ answer: runSimulationJob({ ...message.job, workloads }, cache)! });
      }
    } catch (err) {
      failed = true;
      post({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  };
}

/**
 * The main thread's side. Fail closed: a thread that throws, exits or answers with an error makes
 * answer() reject, and `kdry check` then ends in an internal error (exit 2), never a clean report.
 */
export class EngineThread {
  private readonly worker: Worker;
  private readonly answered: Promise<SimulationAnswer>;
  /** The sources sent: each workload is sent once, and the job goes without their objects. */
  private readonly sent = new Set<string>();

  constructor(cluster: VerdictCluster, workerFile?: string) {
    this.worker = startCheckWorker(workerFile);
    const worker = this.worker;
    this.answered = new Promise((resolve, reject) => {
      worker.once('message', (response: EngineResponse) => {
        void worker.terminate();
        if ('error' in response) reject(new Error(`kdry check engine thread: ${response.error}`));
        else resolve(response.answer);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`kdry check engine thread exited (${code}) before answering`)));
    });
    // Kept for answer(): a failure before it is asked must not be an unhandled rejection.
    this.answered.catch(() => undefined);
    this.post({ engine: cluster });
  }

  /** Workloads to simulate now (those sent before are left out). */
  send(workloads: readonly SentWorkload[]): void {
    const fresh = workloads.filter(([source]) => !this.sent.has(source) && this.sent.add(source));
    if (fresh.length > 0) this.post({ workloads: fresh });
  }

  /** The job's answer, as runSimulationJob gives it on this thread. */
  answer(job: SimulationJob): Promise<SimulationAnswer> {
    this.post({ job: { ...job, workloads: job.workloads.map((w) => (this.sent.has(w.source) && !w.referenced ? { ...w, object: undefined } : w)) } });
    return this.answered;
  }

  /** Ends the thread when the run stops before asking (an error elsewhere). */
  stop(): void {
    void this.worker.terminate();
  }

  private post(message: EngineMessage): void {
    this.worker.postMessage(message);
  }
}
