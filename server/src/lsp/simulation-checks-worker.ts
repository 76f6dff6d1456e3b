// The worker thread that runs the simulation checks' engine part (bundled as
// dist/simulation-checks-worker.js), so simulating a workspace never blocks the language server's
// main thread: diagnostics, hovers and the next keystroke keep being answered. Verdicts are cached
// here between jobs (per workload and cluster, by the key of what the engine reads of the workload,
// JobWorkload.source). A newer job makes the running one stop at
// the next workload: the main thread bumps the shared generation counter before posting it.
// Workload objects are kept from one message to the next (the main thread then sends their hashes
// only), and each answer holds only what changed since the last answer for the same cluster. A
// fresh thread is seeded with the verdicts its predecessor answered (the runner stops one to give
// way to the Dry-run view).
import { parentPort, workerData } from 'node:worker_threads';
import { jobKey, runSimulationJob, sourceKey, VerdictCache, type JobWorkload, type SimulationAnswer } from '../simulation-checks/engine-job';
import type { PlacedWorkload, SimNode, WorkloadVerdict } from '../engine';
import type { SimulationJobsAnswer, SimulationJobsMessage } from './simulation-checks-runner';

const generation = new Int32Array(workerData.generation as SharedArrayBuffer);
const cache = new VerdictCache();
/** Node lists by cluster key: sent once, not with every job. */
const clusters = new Map<string, SimNode[]>();
/** Workload keys and objects by hash, as of the last message. */
let sources = new Map<string, Omit<JobWorkload, 'key'>>();
/** Per jobKey (cluster and release), what the last answer held: verdicts by workload key, placements (as JSON too) by scope id. */
const answered = new Map<string, { verdicts: Map<string, WorkloadVerdict>; placements: Map<string, string> }>();

parentPort?.on('message', (message: SimulationJobsMessage) => {
  for (const [key, nodes] of Object.entries(message.clusters)) clusters.set(key, nodes);
  const next = new Map<string, Omit<JobWorkload, 'key'>>();
  for (const job of message.jobs) {
    for (const w of job.workloads) {
      const known = w.source !== undefined && w.object !== undefined ? { source: w.source, object: w.object, ...(w.referenced ? { referenced: w.referenced } : {}) } : sources.get(w.hash);
      if (known) next.set(w.hash, known);
    }
  }
  sources = next;
  const stillWanted = () => Atomics.load(generation, 0) === message.generation;
  const answers: SimulationAnswer[] = [];
  try {
    for (const job of message.jobs) {
      const workloads = job.workloads.map((w): JobWorkload => ({ key: w.key, ...sources.get(w.hash)! }));
      // A fresh thread (the one before was stopped) takes the verdicts already answered.
      const seeds = job.seeds ?? {};
      workloads.forEach((w, i) => {
        const seed = seeds[job.workloads[i].hash];
        if (seed) cache.seed(job, sourceKey(w), seed);
      });
      const answer = runSimulationJob({ clusterKey: job.clusterKey, release: job.release, scopes: job.scopes, workloads, nodes: clusters.get(job.clusterKey) ?? [] }, cache, stillWanted);
      if (!answer) break;
      answers.push(answer);
    }
  } catch (err) {
    parentPort?.postMessage({ generation: message.generation, answers: [], error: err instanceof Error ? err.message : String(err) } satisfies SimulationJobsAnswer);
    return;
  }
  if (!stillWanted()) {
    parentPort?.postMessage({ generation: message.generation, answers: [], cancelled: true } satisfies SimulationJobsAnswer);
    return;
  }
  parentPort?.postMessage({ generation: message.generation, answers: answers.map((answer, i) => changesSince(jobKey(message.jobs[i]), answer)) } satisfies SimulationJobsAnswer);
});

/** The verdicts that are other objects and the placements that read differently than in the last answer for the job's cluster and release. */
function changesSince(job: string, answer: SimulationAnswer): SimulationAnswer & { job: string } {
  const before = answered.get(job);
  const now = { verdicts: new Map(Object.entries(answer.verdicts)), placements: new Map<string, string>() };
  const changes: SimulationAnswer & { job: string } = { job, verdicts: {}, placements: {} };
  for (const [key, verdict] of now.verdicts) if (before?.verdicts.get(key) !== verdict) changes.verdicts[key] = verdict;
  for (const [id, placement] of Object.entries(answer.placements) as [string, PlacedWorkload[] | undefined][]) {
    const json = JSON.stringify(placement ?? null);
    now.placements.set(id, json);
    if (before?.placements.get(id) !== json) changes.placements[id] = placement;
  }
  answered.set(job, now);
  return changes;
}
