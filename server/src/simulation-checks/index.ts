// Every simulation-backed rule, in the order their findings are listed, and the pipeline that runs
// them (run.ts; the engine's part in engine-job.ts). `kdry check` runs them; the language server runs the engine's part on a worker thread (lsp/simulation-checks-runner.ts).
import type { SimulationRule } from './types';
import { unschedulableReplicas } from './unschedulable-replicas';
import { daemonsetPodsDoNotFit } from './daemonset-pods-do-not-fit';
import { rolloutCannotFinish } from './rollout-cannot-finish';
import { hostPortClash } from './host-port-clash';
import { resourceCrowding } from './resource-crowding';
import { jobDeadlineExceeded } from './job-deadline-exceeded';
import { cronjobRunsOverlap } from './cronjob-runs-overlap';

export const SIMULATION_RULES: readonly SimulationRule[] = [unschedulableReplicas, daemonsetPodsDoNotFit, rolloutCannotFinish, hostPortClash, resourceCrowding, jobDeadlineExceeded, cronjobRunsOverlap];

export * from './types';
export * from './run';
export * from './engine-job';
export * from './capacity-scope';
