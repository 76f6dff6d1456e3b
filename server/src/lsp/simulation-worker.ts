// The worker thread that runs the engine for kdry/simulate and kdry/capacity (bundled as dist/simulation-worker.js),
// so a long simulation never blocks the language server's main thread: diagnostics, hovers and
// the next edit's request keep being answered. One job at a time; the runner terminates the
// thread to cancel one (a newer edit, a cancelled request, the time budget).
import { parentPort } from 'node:worker_threads';
import { capacityOf, simulate, type CapacityReport, type SimNode, type SimulateOptions, type SimulationResult } from '../engine';

/** A scope to place together (engine/capacity.ts). */
export interface CapacityInput {
  workloads: { key: string; object: Record<string, unknown> }[];
  nodes: SimNode[];
  /** The release in force (lsp/kubernetes-version.ts): the pods are placed as its API server stores them. */
  kubernetesVersion?: string;
}

export type WorkerJob = { simulate: SimulateOptions } | { capacity: CapacityInput };

/** `capacity: null`: the scope has more pods than capacityOf places. */
export type WorkerAnswer = { result: SimulationResult } | { capacity: CapacityReport | null } | { error: string };

/** One job, as the worker (or the runner, inline when running from source) does it. */
export function runWorkerJob(job: WorkerJob): WorkerAnswer {
  try {
    if ('capacity' in job) return { capacity: capacityOf(job.capacity.workloads, job.capacity.nodes, job.capacity.kubernetesVersion) ?? null };
    return { result: simulate(job.simulate) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (job: WorkerJob) => parentPort?.postMessage(runWorkerJob(job)));
