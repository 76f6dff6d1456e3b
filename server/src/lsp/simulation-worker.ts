// The worker thread that runs the engine for kdry/simulate and kdry/capacity (bundled as dist/simulation-worker.js),
// so a long simulation never blocks the language server's main thread: diagnostics, hovers and
// the next edit's request keep being answered. One job at a time; the runner terminates the
// thread to cancel one (a newer edit, a cancelled request, the time budget).
import { parentPort } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { capacityOf, simulate, type CapacityReport, type SimNode, type SimulateOptions, type SimulationResult } from '../engine';
import type { PodPaging, SimulatePodsParams, SimulatePodsResponse } from '../protocol/requests';
import { pagedResult, podsPage } from './pod-paging';

/** A scope to place together (engine/capacity.ts). */
export interface CapacityInput {
  workloads: { key: string; object: Record<string, unknown> }[];
  nodes: SimNode[];
  /** The release in force (lsp/kubernetes-version.ts): the pods are placed as its API server stores them. */
  kubernetesVersion?: string;
}

/** `podWindow`: a run with more pods is paged (pod-paging.ts) and kept here for kdry/simulatePods. */
export type WorkerJob = { simulate: SimulateOptions; podWindow?: number } | { capacity: CapacityInput } | { pods: SimulatePodsParams };

/** `capacity: null`: the scope has more pods than capacityOf places. */
export type WorkerAnswer = { result: SimulationResult; paging?: PodPaging } | { capacity: CapacityReport | null } | { pods: SimulatePodsResponse } | { error: string };

/** Paged runs kept for their pages: the view's current run and the one before (a page asked for as a new run lands). */
const KEPT_RUNS = 2;
const kept = new Map<string, SimulationResult>();

function keep(result: SimulationResult): string {
  // A random id: a worker started after a cancellation must not answer for a run of the one before.
  const id = randomUUID();
  kept.set(id, result);
  for (const old of kept.keys()) if (kept.size > KEPT_RUNS) kept.delete(old);
  return id;
}

/** One job, as the worker (or the runner, inline when running from source) does it. */
export function runWorkerJob(job: WorkerJob): WorkerAnswer {
  try {
    if ('capacity' in job) return { capacity: capacityOf(job.capacity.workloads, job.capacity.nodes, job.capacity.kubernetesVersion) ?? null };
    if ('pods' in job) {
      const { id, ...page } = job.pods;
      const result = kept.get(id);
      return { pods: result ? podsPage(result, page) : { error: 'This run is no longer kept (a newer one replaced it, or it was stopped): simulate again.' } };
    }
    const result = simulate(job.simulate);
    const paged = job.podWindow === undefined ? undefined : pagedResult(result, job.podWindow);
    return paged ? { result: paged.result, paging: { id: keep(result), ...paged.paging } } : { result };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (job: WorkerJob) => parentPort?.postMessage(runWorkerJob(job)));
