// kdry's own LSP requests, each declared once as a typed request type and shared by the client and
// the server (vscode-eslint's customMessages.ts is the model): the method name, its params and its
// answer cannot drift apart between the two sides. The result contract is in wire.ts.
// Nothing here may pull the YAML parser or the engine into the client bundle (types only).
import { RequestType } from 'vscode-languageserver-protocol';
import type { CapacityReport, Faults, PodSnapshot, SimulationResult, SpecChange, StrategyChoice, StrategyParams } from './wire';

/** Sent by the client (Dry-run view, Simulate Rollout): simulate one workload of a file. */
export const SimulateRequest = new RequestType<SimulateParams, SimulateResponse, void>('kdry/simulate');
/** Sent by the client (the Dry-run view): a page of the pods at a step of a run answered with `paging`. */
export const SimulatePodsRequest = new RequestType<SimulatePodsParams, SimulatePodsResponse, void>('kdry/simulatePods');
/** Sent by the client: the workloads of a file, described for the change picker and the chart bounds. */
export const WorkloadsRequest = new RequestType<WorkloadsParams, WorkloadsResponse, void>('kdry/workloads');
/** Sent by the client: the file text with one picked change applied (the "after" of a rollout without a git baseline). */
export const ApplyChangeRequest = new RequestType<ApplyChangeParams, ApplyChangeResponse, void>('kdry/applyChange');
/** Sent by the client (status bar): the Kubernetes release a document is checked for, and why. */
export const KubernetesVersionRequest = new RequestType<KubernetesVersionParams, KubernetesVersionResponse, void>('kdry/kubernetesVersion');
/** Sent by the client (kdry: Upgrade report…): `kdry check --upgrade-to` over the workspace the server holds. */
export const UpgradeReportRequest = new RequestType<UpgradeReportParams, UpgradeReportResponse, void>('kdry/upgradeReport');

/** Sent by the client (the Dry-run view's Capacity part): the file's scope placed together on the cluster in force. */
export const CapacityRequest = new RequestType<CapacityParams, CapacityResponse, void>('kdry/capacity');

/** Client commands the server's CodeLenses invoke, with a `WorkloadTarget` as their one argument. */
export const DRY_RUN_COMMAND = 'kdry.dryRun';
export const SIMULATE_ROLLOUT_COMMAND = 'kdry.simulateRollout';

/**
 * The client command the link lenses invoke (selected by Service web, ...), with an `ObjectPlace`:
 * the client opens it as a `vscode.Uri`, which a remote window (code-server, SSH, containers)
 * maps to its side; a plain uri string given to `vscode.open` would not be.
 */
export const OPEN_OBJECT_COMMAND = 'kdry.openObject';

/** Where an object's name is written: a uri and an LSP position (0-based line and character). */
export interface ObjectPlace {
  uri: string;
  line: number;
  character: number;
}

export interface WorkloadRef {
  kind: string;
  name: string;
}

/** The argument of the CodeLens commands. */
export interface WorkloadTarget {
  uri: string;
  workload: WorkloadRef;
  /** File offset of the workload's first key (where the lens sits; inside its document). */
  offset: number;
  /** The uri of the kustomization whose build the Dry-run shows (an overlay of a base used by several); default the one that lists the file. */
  kustomization?: string;
}

export interface SimulateParams {
  /** Document to simulate (must be open or readable by the server). */
  uri: string;
  /** Text to use instead of the server's copy (e.g. the editor buffer). */
  text?: string;
  /** Which workload; default the one at `offset`, else the first. */
  workload?: WorkloadRef;
  offset?: number;
  /** Text of the file before the change (git HEAD), for a rollout from before to after. */
  beforeText?: string;
  strategy?: StrategyChoice;
  strategyParams?: StrategyParams;
  faults?: Faults;
  /** Edits while the run goes on (`kdry simulate --then`): a scale or a new image at a given second. */
  then?: SpecChange[];
  windowSeconds?: number;
  /**
   * The Dry-run view: every run is sent one way, its steps listing pods as changes (the first step
   * every pod) and only the first `podWindow` pods created, `paging` counting every pod per step;
   * kdry/simulatePods pages the rest of a run that creates more.
   */
  podWindow?: number;
  /** The uri of the kustomization whose build to run (WorkloadTarget.kustomization); default the one that lists the file. */
  kustomization?: string;
}

/** One revision's pods at a step, as the view's pod summary and rollout chart count them. */
export interface RevisionPodCounts {
  /** Every pod, terminating ones included, then by phase (terminating apart). */
  total: number;
  running: number;
  pending: number;
  terminating: number;
  ready: number;
  available: number;
  /** Not terminating: what the rollout chart draws. */
  live: number;
  liveReady: number;
  liveAvailable: number;
}

/** Counts over every pod at one step (a paged run's steps list only the window's pods). */
export interface StepPodCounts {
  total: number;
  byRevision: Record<string, RevisionPodCounts>;
  /** Pods bound per node: at step 0 every node with pods, later only the nodes whose count changed (0: none left). */
  nodes: Record<string, number>;
  /** Unbound, not terminating pods by the scheduler's reason: how many, and the first names. */
  pending: { reason: string; count: number; names: string[] }[];
}

/** How a run is sent to the Dry-run view (SimulateParams.podWindow): the first pods created, and counts of all. */
export interface PodPaging {
  /** The run as the server keeps it for kdry/simulatePods (the last few runs are kept). */
  id: string;
  /** The steps list the first `window` pods created, of `pods` in the whole run (all of them when `pods` is at most `window`). */
  window: number;
  pods: number;
  /** Every revision in the order its first pod appears. */
  revisions: string[];
  /** One per step of the result. */
  counts: StepPodCounts[];
}

export interface SimulatePodsParams {
  id: string;
  step: number;
  /** Only the pods bound to this node. */
  node?: string;
  offset: number;
  limit: number;
}

/** `pods` from `offset` of `total` at the step (creation order), else `error` (the run is no longer kept). */
export interface SimulatePodsResponse {
  pods?: PodSnapshot[];
  total?: number;
  error?: string;
}

/** A RollingUpdate's bounds: desired + maxSurge live pods at most, desired - maxUnavailable available at least. */
export interface RolloutBounds {
  desired: number;
  maxSurge: number;
  maxUnavailable: number;
}

export interface SimulateResponse {
  result?: SimulationResult;
  /** The workloads in the file, for the picker. */
  workloads: { kind: string; name: string; offset: number }[];
  /** The simulated Deployment's RollingUpdate bounds under the requested strategy (absent otherwise). */
  bounds?: RolloutBounds;
  /** Present when the run was paged (SimulateParams.podWindow). */
  paging?: PodPaging;
  error?: string;
}

export interface CapacityParams {
  /** A file of the scope: its kustomization or chart, else its folder, is placed. */
  uri: string;
  /**
   * `scope` (the default): the workloads sharing the file's scope; `workspace`: every workload of
   * the workspace, as `kdry capacity` of the workspace folder places them (the cluster and release
   * in force for `uri`).
   */
  extent?: CapacityExtent;
}

export type CapacityExtent = 'scope' | 'workspace';

export interface CapacityResponse {
  report?: CapacityReport;
  cluster?: { source: string; nodes: number };
  /** Workload key -> the file it is written in (a name, for labels; a workspace-relative path for the whole workspace). */
  written: Record<string, string>;
  /** As messages name the scope: `the folder apps/`, `the kustomization in prod/`, `the whole workspace`. */
  scope?: string;
  /** What was placed (CapacityParams.extent). */
  extent?: CapacityExtent;
  /** Custom workloads (an Argo Rollout) the API server rejects by their schema: never stored, not placed. */
  refused?: { kind: string; name: string; file: string; errors: string[] }[];
  error?: string;
}

export interface WorkloadsParams {
  uri: string;
  /** Text to use instead of the server's copy. */
  text?: string;
}

/** A field a user can change to preview a rollout; `path` goes back in ApplyChangeParams. */
export interface ChangeCandidate {
  label: string;
  /** The current value, as text. */
  current: string;
  path: (string | number)[];
  numeric?: boolean;
  /** Set on container images (the picker pre-fills a bumped tag). */
  image?: boolean;
}

export interface WorkloadInfo extends WorkloadRef {
  /** File offsets of the whole document. */
  range: [number, number];
  /** File offset of the document's first key (after comments and `---`): where the CodeLens sits. */
  offset: number;
  /** spec.replicas (1 when unset) for kinds that have it. */
  replicas?: number;
  /** Deployment/StatefulSet/DaemonSet update strategy type, defaulted as the API server does. */
  strategy?: string;
  /** Deployment RollingUpdate bounds, resolved with the Deployment controller's arithmetic. */
  bounds?: RolloutBounds;
  /** Containers of the pod template with their image and literal env values. */
  containers: { name: string; image?: string; env: { name: string; value: string }[] }[];
  changes: ChangeCandidate[];
}

export interface WorkloadsResponse {
  workloads: WorkloadInfo[];
}

export interface ApplyChangeParams {
  uri: string;
  text?: string;
  workload: WorkloadRef;
  path: (string | number)[];
  value: string | number;
}

/** `text` on success, else `error`. */
export interface ApplyChangeResponse {
  text?: string;
  error?: string;
}

export interface KubernetesVersionParams {
  uri: string;
}

/** Where the release in force comes from: the setting (the CLI: its flag or config file), the cluster file's nodes, or kdry's default. */
export type KubernetesVersionSource = 'setting' | 'flag' | 'config' | 'cluster-file' | 'bundled';

export interface KubernetesVersionResponse {
  /** `1.31`. */
  version: string;
  source: KubernetesVersionSource;
  /** Why, in words: `from .kdry/cluster.yaml: nodes run kubelet v1.31.4`. */
  reason: string;
}

export interface UpgradeReportParams {
  /** The release the cluster moves to (`1.35`, `v1.36.0`). */
  to: string;
}

export interface UpgradeReportResponse {
  /** The target release as kdry reads it (`1.35`). */
  to: string;
  /** Files checked, and findings the target release adds. */
  checked: number;
  findings: number;
  markdown: string;
}
