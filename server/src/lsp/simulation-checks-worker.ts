// The worker thread that runs the simulation checks' engine part (bundled as
// dist/simulation-checks-worker.js), so simulating a workspace never blocks the language server's
// main thread: diagnostics, hovers and the next keystroke keep being answered. Verdicts are cached
// here between jobs (per workload source and cluster). A newer job makes the running one stop at
// the next workload: the main thread bumps the shared generation counter before posting it.
import { parentPort, workerData } from 'node:worker_threads';
import { runSimulationJob, VerdictCache } from '../simulation-checks/engine-job';
import type { SimNode } from '../engine';
import type { SimulationJobsAnswer, SimulationJobsMessage } from './simulation-checks-runner';

const generation = new Int32Array(workerData.generation as SharedArrayBuffer);
const cache = new VerdictCache();
/** Node lists by cluster key: sent once, not with every job. */
const clusters = new Map<string, SimNode[]>();

parentPort?.on('message', (message: SimulationJobsMessage) => {
  for (const [key, nodes] of Object.entries(message.clusters)) clusters.set(key, nodes);
  const stillWanted = () => Atomics.load(generation, 0) === message.generation;
  const answers: SimulationJobsAnswer['answers'] = [];
  try {
    for (const job of message.jobs) {
      const answer = runSimulationJob({ ...job, nodes: clusters.get(job.clusterKey) ?? [] }, cache, stillWanted);
      if (!answer) break;
      answers.push(answer);
    }
  } catch (err) {
    parentPort?.postMessage({ generation: message.generation, answers: [], error: err instanceof Error ? err.message : String(err) } satisfies SimulationJobsAnswer);
    return;
  }
  parentPort?.postMessage({ generation: message.generation, answers, ...(stillWanted() ? {} : { cancelled: true }) } satisfies SimulationJobsAnswer);
});
