// The engine's result contract: what simulate() returns, what `kdry simulate --format json` writes
// and what the Dry-run view receives (through server/src/protocol/wire.ts), with the options a
// caller picks a strategy and faults with. Types only: the client bundles none of the engine.
// Times are virtual seconds since the simulation started.

export type Resources = Record<string, number>; // 'cpu' in millicores, 'memory'/'ephemeral-storage' in bytes, 'pods', extended by name

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** A fault revision may be `new`: any revision no pod had when the rollout started (without `before`, every revision). */
export interface Faults {
  /** Pods of this revision never become ready (readiness probe keeps failing). */
  neverReadyRevision?: string;
  /** Pods of this revision crash-loop (restartCount grows, never ready). */
  crashLoopRevision?: string;
  /** Nodes that go NotReady, and when. */
  nodeNotReady?: { node: string; at: number }[];
  /** Containers that exit with a non-zero code (`--fail pods:exit=1`). */
  podExit?: PodExitFault;
  /**
   * `kubectl drain NODE --ignore-daemonsets` (`--fail drain:NODE[,at=30s]`): the node is cordoned
   * and its pods evicted through the eviction API, which PodDisruptionBudgets may refuse. At `at`
   * seconds, or, without `at`, a second after the workload first settled (its pods are up).
   */
  drain?: { node: string; at?: number }[];
  /**
   * Argo Rollouts AnalysisRuns fail (`--fail analysis`, `--fail analysis:step=N`): every run the
   * Rollout starts (step, background, blueGreen pre- and post-promotion, an experiment's), or with
   * `step` only those of canary step N (1-based, as `Rollout step N/M` counts). kdry cannot measure
   * a metric, so without this fault every run succeeds. `phase: 'Inconclusive'`: every measurement
   * is inconclusive instead, so the run ends Inconclusive and Argo pauses the Rollout.
   * `then`: what the person does at that pause, MANUAL_PROMOTION_SECONDS after it (once):
   * `kubectl argo rollouts promote` or `kubectl argo rollouts abort`; without it Argo waits.
   */
  analysis?: { step?: number; phase?: AnalysisFaultPhase; then?: InconclusiveAction };
}

/** What a person does about an Inconclusive pause: `kubectl argo rollouts promote` or `abort`. */
export type InconclusiveAction = 'promote' | 'abort';

/** How a faulted AnalysisRun ends: Failed (the default; the update is aborted) or Inconclusive (it pauses). */
export type AnalysisFaultPhase = 'Failed' | 'Inconclusive';

/**
 * Which pods' containers exit non-zero, and with what code. A run-to-completion pod (a Job's)
 * exits at the end of its run time, any other 1 s after it starts; every container of the pod
 * exits with `exitCode`. The kubelet then fails the pod (restartPolicy Never) or restarts the
 * container with its back-off (OnFailure, Always), and the restarted container exits again.
 */
export interface PodExitFault {
  /** 1-255. */
  exitCode: number;
  /** Only pods of these completion indexes (an Indexed Job); default every pod. */
  indexes?: number[];
  /**
   * Only this percentage of the pods the fault may hit, spread evenly in the order they start:
   * with 50 the 1st, 3rd, 5th ... pod fails (pod k fails when ceil(k x share) > ceil((k-1) x share)).
   */
  sharePercent?: number;
}

export interface StatusRow {
  /** `deployment.apps/web`, `replicaset.apps/web-6d8f5`, ... */
  object: string;
  columns: Record<string, string | number>;
  /**
   * Status fields `kubectl get -o yaml` shows beyond the columns, where the release has them:
   * `terminatingReplicas` of a Deployment and its ReplicaSets from 1.35 (release-behaviour.ts).
   */
  fields?: Record<string, number>;
}

export interface TimelineEvent {
  time: number;
  object: string;
  message: string;
  type: 'Normal' | 'Warning';
}

export interface PodSnapshot {
  name: string;
  node?: string;
  phase: PodPhase;
  ready: boolean;
  available: boolean;
  terminating: boolean;
  revision: string;
  owner?: string;
  reason?: string;
  ordinal?: number;
  completionIndex?: number;
  claims?: string[];
  /** Container restarts (crash loops). */
  restarts?: number;
}

export interface TrafficShare {
  service: string;
  /** revision -> share of ready endpoints in [0, 1]. */
  byRevision: Record<string, number>;
  endpoints: number;
  note?: string;
}

/**
 * A pod in a step that lists changes (`podsDelta`): its name and the fields that differ from its
 * previous entry; a field that went away (the Pending reason once scheduled) is `null`. A pod's
 * first entry lists every field, as a PodSnapshot.
 */
export type PodChange = { name: string } & { [K in Exclude<keyof PodSnapshot, 'name'>]?: PodSnapshot[K] | null };

interface StepFields {
  index: number;
  time: number;
  events: TimelineEvent[];
  /**
   * Node usage: every node at the first step; after it only the nodes whose usage or state changed
   * since the previous step (absent when none did). `nodesAtStep(result, index)` (steps.ts)
   * rebuilds every node's usage for any step.
   */
  nodes?: NodeUsage[];
  status: StatusRow[];
  traffic: TrafficShare[];
}

/**
 * One step. Its `pods` are every pod at that moment, in creation order; or, when `podsDelta` is
 * true (large runs in the editor, every step after the first in `kdry simulate` JSON), the pods
 * that appeared or changed since the previous step as PodChanges, with `removedPods` naming those
 * that left. `podsAtStep(result, index)` (steps.ts) rebuilds the full list for any step.
 */
export type TimelineStep = StepFields & (
  | { pods: PodSnapshot[]; podsDelta?: undefined; removedPods?: undefined }
  | { pods: PodChange[]; podsDelta: true; removedPods: string[] }
);

export interface SimulationSummary {
  durationSeconds: number;
  peakPods: number;
  minAvailable: number;
  /** Seconds with zero available pods of the workload after the start. */
  downtimeSeconds: number;
  completed: boolean;
  /** Conditions such as Progressing=False/ProgressDeadlineExceeded. */
  conditions: string[];
}

export interface SimulationProblem {
  /** Field path such as `spec.template` or '' for the document. */
  path: string;
  message: string;
}

/** A node at one step: what its pods request and whether it takes new pods. */
export interface NodeUsage {
  name: string;
  /**
   * Sum of the requests (podRequests: the init-container max rule, overhead) of the pods bound
   * there and not finished, terminating pods included, in allocatable's units; `pods` counts them.
   */
  requested: Resources;
  ready: boolean;
  unschedulable: boolean;
}

/** A node at the end of the run: what it offers, what its pods request, and its state. */
export interface NodeDetail {
  name: string;
  allocatable: Resources;
  /** Sum of the requests of the pods bound there (not finished), in allocatable's units. */
  requested: Resources;
  ready: boolean;
  unschedulable: boolean;
  taints: Taint[];
  labels: Record<string, string>;
}

/** One activation of a CronJob: when it is due (RFC 3339, UTC), virtual seconds from the start, the Job it creates. */
export interface CronRun {
  time: string;
  seconds: number;
  job: string;
}

export interface SimulationResult {
  workload?: { kind: string; name: string };
  cluster: { source: string; nodes: string[]; nodeDetails?: NodeDetail[] };
  /** The release simulated (engine/release-behaviour.ts) and, when the caller said, why it is in force. */
  kubernetes?: { version: string; reason?: string };
  steps: TimelineStep[];
  summary: SimulationSummary;
  /** What could not be simulated, and why (bad input never throws). */
  problems: SimulationProblem[];
  /** CronJob: its first activations from the simulated start, and the Jobs they create. */
  cronRuns?: CronRun[];
  /** Stated simplifications that apply to this run. */
  notes: string[];
}

/**
 * An edit of the workload in the middle of the run (`--then 'at=30s,replicas=20'`), as
 * `kubectl scale` or `kubectl set image` would make it: the controllers adopt the edited object at
 * `at` virtual seconds after the timeline starts.
 */
export interface SpecChange {
  at: number;
  /** spec.replicas (Deployment, ReplicaSet, StatefulSet, Rollout). */
  replicas?: number;
  /** A new image for `container` (default the first container of the pod template). */
  image?: string;
  container?: string;
}

export type StrategyChoice = 'manifest' | 'rolling' | 'recreate' | 'canary' | 'bluegreen' | 'ab' | 'shadow';

export interface StrategyParams {
  /** Canary: traffic weights in percent, e.g. [10, 25, 50, 100]; pause seconds between steps. */
  canaryWeights?: number[];
  canaryPauseSeconds?: number;
  /** A/B: the routing rule as stated by the user (e.g. `header X-Group=beta`) and the share it catches. */
  abRule?: string;
  abShare?: number;
  /** Shadow: percent of traffic mirrored to the new revision. */
  shadowPercent?: number;
}
