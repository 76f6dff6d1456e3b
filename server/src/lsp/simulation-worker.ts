// The worker thread that runs the engine for kdry/simulate and kdry/capacity (bundled as dist/simulation-worker.js),
// so a long simulation never blocks the language server's main thread: diagnostics, hovers and
// the next edit's request keep being answered. One job at a time; a cancelled request's run stops
// itself (below), and the runner terminates the thread for the time budget or a run that does not stop.
//
// The same file runs as the runner's pages thread: a paged run is sent there serialized (one
// transferred buffer the main thread never reads), and kdry/simulatePods is answered there, so a
// page never waits for a simulation and stopping a simulation does not lose the pages of the run
// the view shows. The answer leaves before the run is serialized for the pages thread: the view
// draws it meanwhile (the runner holds the run's pages and the next job until the run follows).
//
// A run the runner no longer wants (a newer edit cancelled its request) is stopped between two of
// the engine's instants (SimulateOptions.stillWanted): the runner writes the number of the last
// unwanted run into a shared cell, so the thread and the code it compiled stay for the next run.
import { parentPort, workerData } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import { capacityOf, simulate, type CapacityReport, type SimNode, type SimulateOptions, type SimulationResult } from '../engine';
import type { PodPaging, SimulatePodsParams, SimulatePodsResponse } from '../protocol/requests';
import { foldLastStep, pagedResult, podsPage } from './pod-paging';
import { warmUpJob } from './simulation-warm-up';

/** A scope to place together (engine/capacity.ts). */
export interface CapacityInput {
  workloads: { key: string; object: Record<string, unknown> }[];
  nodes: SimNode[];
  /** The release in force (lsp/kubernetes-version.ts): the pods are placed as its API server stores them. */
  kubernetesVersion?: string;
}

/**
 * `podWindow`: the run is paged (pod-paging.ts) and kept for kdry/simulatePods; `keep`
 * hands such a run, serialized, to the pages thread; `packed`: a simulate job serialized.
 */
export type WorkerJob = SimulateJob | { packed: ArrayBuffer } | { capacity: CapacityInput } | { pods: SimulatePodsParams } | { keep: KeptRun } | { warmUp: true };

/** `packed`: a SimulateJob as v8.serialize wrote it (simulation-reuse.ts), transferred rather than copied. */
export type SimulateJob = { simulate: SimulateOptions; podWindow?: number };

/** A paged run on its way to the pages thread: its id and its result as v8.serialize wrote it. */
export interface KeptRun {
  id: string;
  bytes: ArrayBuffer;
}

/** `capacity: null`: the scope has more pods than capacityOf places; `handOver`: a paged run for the pages thread; `warmedUp`: the warm-up's sample ran. */
export type WorkerAnswer = { result: SimulationResult; paging?: PodPaging; handOver?: SimulationResult } | { capacity: CapacityReport | null } | { pods: SimulatePodsResponse } | { warmedUp: true } | { error: string };

/**
 * What the simulation thread posts: an answer (`follows`: its paged run comes next, as `kept`),
 * then, for a paged run, the run serialized for the pages thread.
 */
export type ThreadMessage = (Exclude<WorkerAnswer, { handOver?: SimulationResult }> | (Omit<Extract<WorkerAnswer, { result: SimulationResult }>, 'handOver'> & { follows?: true })) | { kept: KeptRun };

/** A job for the simulation thread: numbered, so that the runner can stop it (stopCell). */
export type NumberedJob = WorkerJob & { run: number };

/** The simulation thread's answer to a run it stopped (the runner has already answered the request). */
export const STOPPED = 'Stopped: no longer wanted.';

/** The simulation thread's shared cell: runs numbered up to it are no longer wanted (absent in the pages thread). */
const stopCell = workerData?.stop instanceof SharedArrayBuffer ? new Int32Array(workerData.stop) : undefined;

/** A job for the pages thread, numbered: several may be asked for at once. */
export interface PagesMessage {
  seq: number;
  job: WorkerJob;
}

/** Paged runs kept for their pages: the view's current run and the one before (a page asked for as a new run lands). */
const KEPT_RUNS = 2;
const kept = new Map<string, SimulationResult>();

function keep(id: string, result: SimulationResult): void {
  kept.set(id, result);
  for (const old of kept.keys()) if (kept.size > KEPT_RUNS) kept.delete(old);
}

/** The serialized run in a buffer of its own, so it can be transferred rather than copied. */
export function ownBuffer(bytes: Buffer): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) as ArrayBuffer;
}

/**
 * One job, as the worker (or the runner, inline when running from source) does it. `handOver`: a
 * paged run is given back with the answer (`handOver`, for the pages thread) instead of being kept here.
 */
export function runWorkerJob(job: WorkerJob, handOver = false, stillWanted?: () => boolean): WorkerAnswer {
  try {
    if (stillWanted?.() === false) return { error: STOPPED };
    if ('packed' in job) return runWorkerJob(deserialize(new Uint8Array(job.packed)) as SimulateJob, handOver, stillWanted);
    if ('capacity' in job) return { capacity: capacityOf(job.capacity.workloads, job.capacity.nodes, job.capacity.kubernetesVersion) ?? null };
    if ('keep' in job) {
      const result = deserialize(new Uint8Array(job.keep.bytes)) as SimulationResult;
      keep(job.keep.id, result);
      foldLastStep(result);
      return { error: '' };
    }
    if ('warmUp' in job) {
      // the sample's run and its paging, thrown away: only the compiled code is wanted (simulation-warm-up.ts)
      const sample = warmUpJob();
      const run = simulate({ ...sample.simulate, stillWanted });
      if (stillWanted?.() === false) return { error: STOPPED };
      pagedResult(run, sample.podWindow);
      return { warmedUp: true };
    }
    if ('pods' in job) {
      const { id, ...page } = job.pods;
      const result = kept.get(id);
      return { pods: result ? podsPage(result, page) : { error: 'This run is no longer kept (a newer one replaced it, or it was stopped): simulate again.' } };
    }
    const result = simulate(stillWanted ? { ...job.simulate, stillWanted } : job.simulate);
    if (stillWanted?.() === false) return { error: STOPPED };
    if (job.podWindow === undefined) return { result };
    const paged = pagedResult(result, job.podWindow);
    // A random id: a run of an earlier thread must never answer for a newer one's.
    const id = randomUUID();
    if (!handOver) keep(id, result);
    return { result: paged.result, paging: { id, ...paged.paging }, ...(handOver ? { handOver: result } : {}) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (message: NumberedJob | PagesMessage) => {
  if ('seq' in message) {
    // the pages thread: a `keep` needs no answer
    const answer = runWorkerJob(message.job);
    if (!('keep' in message.job)) parentPort?.postMessage({ seq: message.seq, answer });
    return;
  }
  const { run: number, ...job } = message;
  const answer = runWorkerJob(job as WorkerJob, true, stopCell && (() => Atomics.load(stopCell, 0) < number));
  if (!('handOver' in answer) || !answer.handOver || !answer.paging) {
    parentPort?.postMessage(answer satisfies ThreadMessage);
    return;
  }
  const { handOver: run, ...rest } = answer;
  parentPort?.postMessage({ ...rest, follows: true } satisfies ThreadMessage);
  const kept: KeptRun = { id: answer.paging.id, bytes: ownBuffer(serialize(run)) };
  parentPort?.postMessage({ kept } satisfies ThreadMessage, [kept.bytes]);
});
