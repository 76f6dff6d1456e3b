// The engine's shared vocabulary: the simulated cluster objects, the World a controller acts on,
// the controller contract. Pure data; no LSP or vscode here. The timeline the engine returns is its
// result contract, in result.ts (re-exported here for the engine's own modules).
// Times are virtual seconds since the simulation started (the clock never reads wall time).

import type { Faults, PodPhase, Resources, SimulationProblem, SpecChange, StatusRow, StrategyChoice, StrategyParams, Taint } from './result';

export type * from './result';

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface SimNode {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
  /** Ready condition; a NotReady node gets the node.kubernetes.io/not-ready taint from the core. */
  ready: boolean;
  allocatable: Resources;
  /** status.nodeInfo.kubeletVersion as the node reports it (`v1.31.4`); the editor offers it as the Kubernetes version. */
  kubeletVersion?: string;
}

export interface OwnerRef {
  kind: string; // ReplicaSet, StatefulSet, DaemonSet, Job, ...
  name: string;
  uid: string;
}

export interface SimPod {
  uid: string;
  /** The pod's creation number in its World (world/pod-store.ts; the uid is made from it); absent on pods made outside one. */
  readonly seq?: number;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Changed only through World.releaseOwnedPod and adoptOrphanPod (world/pod-store.ts): the owner lists are cached. */
  readonly owner?: OwnerRef;
  /** Revision the pod was created from (pod-template-hash, controller-revision-hash, or a short label). */
  revision: string;
  /** The pod spec as written in the template (plain JS from YAML). */
  spec: Record<string, unknown>;
  nodeName?: string;
  phase: PodPhase;
  ready: boolean;
  /** When Ready last became true; undefined while not ready. */
  readySince?: number;
  createdAt: number;
  /** Set once deletion started; the pod disappears at deletedAt + grace period. */
  deletionTimestamp?: number;
  restartCount: number;
  /** Why the scheduler could not place it (kube-scheduler's words). */
  unschedulableReason?: string;
  /** StatefulSet ordinal / Job completion index, where they apply. */
  ordinal?: number;
  completionIndex?: number;
  /** Persistent volume claims the pod mounts (StatefulSet). */
  claims?: string[];
  /** The exit code its containers last terminated with (non-zero: the pods:exit fault). */
  exitCode?: number;
  /** status.conditions beyond Ready, e.g. DisruptionTarget once an eviction started. */
  conditions?: PodCondition[];
  /** An init container it waits for that never exits (world/disabled-fields.ts), and kubectl's STATUS (`Init:0/1`). */
  heldAtInit?: { container: string; status: string };
}

/** A pod condition as the API shows it (`DisruptionTarget`, `True`, `EvictionByEvictionAPI`, ...). */
export interface PodCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** Template a controller creates pods from. */
export interface PodTemplate {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  spec: Record<string, unknown>;
}

export interface CreatePodOptions {
  name: string;
  owner: OwnerRef;
  template: PodTemplate;
  revision: string;
  /** Bind directly to this node, skipping the scheduler (DaemonSet uses affinity; nodeName in spec also binds). */
  nodeName?: string;
  ordinal?: number;
  completionIndex?: number;
  claims?: string[];
  /** Extra labels merged over the template's (pod-template-hash, statefulset pod name, ...). */
  extraLabels?: Record<string, string>;
}

/** What the engine offers a controller during a sync. */
export interface World {
  readonly now: number;
  readonly nodes: readonly SimNode[];
  /** Every pod in the namespace, including terminating ones, in creation order. */
  pods(): readonly SimPod[];
  /** Pods whose controller owner is `uid`. */
  podsOwnedBy(uid: string): readonly SimPod[];
  /** ClaimPods releasing a pod: its ownerReference goes and it leaves its owner's list (PodStore.releaseOwned). */
  releaseOwnedPod(pod: SimPod): void;
  createPod(options: CreatePodOptions): SimPod;
  /** The API server's refusal of a pod about to be created (admission.ts), or undefined: the controller records FailedCreate. */
  admit?(name: string, template: PodTemplate): string | undefined;
  /** Starts graceful deletion (terminationGracePeriodSeconds, modelled); the pod leaves later. */
  deletePod(pod: SimPod, reason?: string): void;
  /** A step message in kubectl's words, e.g. `Scaled up replica set web-6d8f5 from 0 to 3`. */
  event(object: string, message: string, type?: 'Normal' | 'Warning'): void;
  /** Ask for this controller to be synced again at a virtual time (requeue after). */
  requeueAt(controllerKey: string, time: number): void;
  /** Deterministic random-looking suffixes: same input, same names. */
  nameSuffix(seed: string, length?: number): string;
  /** Resolved fault options for this run. */
  readonly faults: Faults;
  /** Services of the file; patterns may switch a selector (Blue/Green) or set weights (Canary). */
  services(): SimService[];
  setServiceSelector(service: string, selector: Record<string, string>): void;
  /** Traffic rule for a Service: weights per revision (percent), mirroring, or a header rule; undefined = by endpoints. */
  setTrafficRule(service: string, rule: TrafficRule | undefined): void;
}

export interface SimService {
  name: string;
  selector: Record<string, string>;
  ports: { name?: string; port: number; targetPort?: number | string }[];
  headless: boolean;
}

export interface TrafficRule {
  /** revision -> percent of requests; must sum to 100. */
  weights?: Record<string, number>;
  /** revision that receives a mirrored copy of requests whose responses are discarded, and the percent mirrored. */
  mirrorTo?: { revision: string; percent: number };
  /**
   * The weights are an Argo Rollouts traffic router's (`nginx (stableIngress web)`): its backends are
   * the stable and canary Services, so every ready pod of a revision serves its share.
   */
  router?: string;
  /** A/B: the rule as stated (e.g. `header X-Group: beta`) and which revision it routes to. */
  match?: { rule: string; revision: string; share: number };
  /** Argo Rollouts setHeaderRoute: requests matching `rule` go to `revision` (their share is unknown: the weights stand). */
  headerRoutes?: { name: string; rule: string; revision: string }[];
  /** Argo Rollouts setMirrorRoute: `percent` of the requests matching `rule` are copied to `revision`, responses discarded. */
  mirrorRoutes?: { name: string; rule: string; revision: string; percent: number }[];
}

/** A controller instance simulating one object (one Deployment, one StatefulSet, ...). */
export interface Controller {
  /** Unique key, `Kind/name`. */
  readonly key: string;
  readonly kind: string;
  readonly name: string;
  /** Reconcile once; return true when it changed anything (created, deleted, scaled, status). */
  sync(world: World): boolean;
  /** The object was edited (a rollout from `before` to `after`): adopt the new spec. */
  update(object: Record<string, unknown>): void;
  /** Status as `kubectl get` prints it (column -> value), at the current moment. */
  status(world: World): StatusRow[];
  /** True when the object reached its goal (rollout complete, job finished, ...). */
  settled(world: World): boolean;
  /** Optional: conditions worth reporting in the summary, e.g. `Progressing=False/ProgressDeadlineExceeded`. */
  conditions?(world: World): string[];
  /** Optional: what the controller decided that no event of kubectl's shows, for the run's notes. */
  notes?(world: World): string[];
}

export interface SimulateOptions {
  /** Every document of the file as plain JS (Services and Rollouts are used too). */
  objects: unknown[];
  /** Which workload to simulate; default the first workload in `objects`. */
  workload?: { kind: string; name: string };
  /** The workload as it was before the change: the simulation starts from it settled, then rolls out to the new one. */
  before?: unknown;
  /** Cluster nodes; default the embedded default cluster. */
  nodes?: SimNode[];
  /** Where the nodes came from (file path or 'embedded default cluster'). */
  clusterSource?: string;
  strategy?: StrategyChoice;
  strategyParams?: StrategyParams;
  faults?: Faults;
  /**
   * The Kubernetes release to simulate (`1.31`, default 1.35): feature gate defaults and
   * controller code that differ between releases (engine/release-behaviour.ts).
   */
  kubernetesVersion?: string;
  /** Why that release is in force (`from nodes.yaml: nodes run kubelet v1.31.4`), repeated in the result. */
  kubernetesVersionReason?: string;
  /** Edits made while the run goes on (a scale or a new image in the middle of a rollout). */
  then?: SpecChange[];
  /**
   * What the API server refuses the workload with that the engine cannot judge itself (a custom
   * kind's CRD schema and rules, checked by the caller): the run ends with these problems, as it
   * does for a Deployment the API server rejects.
   */
  refusals?: SimulationProblem[];
  /**
   * Asked between instants; false stops the run by throwing (simulate() then reports it failed),
   * for a caller that no longer wants it and drops what comes back: the editor's Dry-run stops a
   * superseded run this way and keeps its warm thread (lsp/simulation-worker.ts).
   */
  stillWanted?: () => boolean;
  /** CronJob: how long to run the schedule for (virtual seconds); default one day. */
  windowSeconds?: number;
  /** CronJob: the virtual start time as RFC 3339 (default 2025-01-01T00:00:00Z). */
  startTime?: string;
  /** Bounds that keep the engine finite. */
  maxSteps?: number;
  maxSeconds?: number;
  /** Pod lists per step: `full` always, `delta` after the first step, `auto` (default) delta above 1,000 pods. */
  snapshotMode?: 'auto' | 'full' | 'delta';
}
