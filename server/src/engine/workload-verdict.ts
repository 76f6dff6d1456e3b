// What would go wrong with one workload on a cluster, read from the engine's own runs: pods the
// scheduler can never place, a Deployment's next rollout that cannot finish (or not within its
// progressDeadlineSeconds), a Job past its activeDeadlineSeconds, CronJob runs that overlap or are
// skipped. Plain data in the scheduler's and controllers' own words, so it can cross a worker
// thread; the simulation checks (server/src/simulation-checks/) turn it into findings on the lines
// that cause it. An entry point of its own: nothing in the engine depends on it.
import { parseCronSchedule } from '../k8s/cron';
import { DEFAULT_START_TIME, simulate } from './simulate';
import { podsAtStep } from './steps';
import { RUN_SECONDS_ANNOTATION, runSeconds } from './lifecycle';
import { isObj, type Obj } from './objects';
import { readRequiredNodeAffinity, requiredNodeAffinityMatchesParsed } from './scheduler/nodeaffinity';
import { findMatchingUntoleratedTaint, readTolerations } from './scheduler/tolerations';
import { podLevelRequests, podRequests } from './scheduler/requests';
import { releaseBehaviour, type ReleaseBehaviour } from './release-behaviour';
import { storedPodSpec } from './world/disabled-fields';
import { daemonPodPlacement, nodeShouldRunDaemonPod } from './controllers/daemonset/placement';
import { parseRolloutSpec } from './patterns/argo-rollouts';
import { resolveWorkloadRef } from './patterns/argo-workload-ref';
import type { PodSnapshot, Resources, SimNode, SimulationResult, Taint } from './types';
import { DEPLOYMENT_DEFAULT_PROGRESS_DEADLINE_SECONDS } from '../k8s/deployment-defaults';

/** Pods that stay Pending once everything has settled, with the scheduler's message. */
export interface PendingVerdict {
  pending: number;
  /** The pods the workload wants (replicas, daemon pods, a Job's parallel pods). */
  total: number;
  /** The FailedScheduling message of the first pod left Pending. */
  message: string;
  /** DaemonSet: the nodes whose daemon pod stays Pending. */
  nodes?: string[];
  /** What one pod requests (podRequests: the init-container rule, pod-level requests and overhead applied). */
  podRequests: Resources;
  /** The pod-level `spec.resources` requests the scheduler counted (PodLevelResources on); undefined: none. */
  podLevelRequests?: Resources;
  /** The most each resource offers on one node the pod may run on (taints, nodeSelector and affinity allow it). */
  largestNode: Resources;
  /** The NoSchedule/NoExecute taints the pod does not tolerate, one per key, from the cluster's nodes. */
  untoleratedTaints: Taint[];
}

/** A Deployment's, StatefulSet's or DaemonSet's next rollout (any template change) that does not finish. */
export interface RolloutVerdict {
  /**
   * `stuck`: a new pod can never be placed; `slow`: the pods come up, but past
   * progressDeadlineSeconds; `partition` (StatefulSet): the partition keeps every pod on the old revision.
   */
  cause: 'stuck' | 'slow' | 'partition';
  /** The controller's condition, e.g. `ReplicaSet "web-5d4f" has timed out progressing.`; '' for a StatefulSet (it has none). */
  condition: string;
  /** StatefulSet: the pods updated when the run stopped, of how many, and the partition. */
  updated?: number;
  replicas?: number;
  partition?: number;
  /** Seconds into the rollout at which the controller reports ProgressDeadlineExceeded; undefined when it just stops. */
  deadlineSeconds?: number;
  /** The scheduler's message for the new pod that stays Pending (stuck). */
  pendingMessage?: string;
  /** A slow rollout that does finish, this many seconds after it started. */
  finishedAfter?: number;
}

/** A run time the engine assumed, and where it read it. */
export interface RunTimeHint {
  seconds: number;
  from: 'annotation' | 'sleep';
}

export interface JobVerdict {
  /** The controller's Warning event, e.g. `Job was active longer than specified deadline`. */
  event: string;
  /** Virtual seconds from the Job's start until it failed. */
  failedAfter: number;
  completedPods: number;
  runTime: RunTimeHint;
}

export interface CronJobVerdict {
  policy: 'Allow' | 'Forbid';
  /** Allow: the most Jobs active at once; Forbid: the activations skipped. */
  count: number;
  /** Forbid: the controller's event for a skipped activation. */
  event?: string;
  windowSeconds: number;
  /** Seconds between the first two activations. */
  intervalSeconds: number;
  runTime: RunTimeHint;
}

/**
 * An Argo Rollout's next update as its controller progresses it (patterns/argo-rollouts.ts, after
 * argoproj/argo-rollouts rollout/canary.go, bluegreen.go and sync.go): where it waits for a
 * promotion, which steps kdry does not run, and where it stops for good.
 */
export interface ArgoRolloutVerdict {
  strategy: 'Canary' | 'BlueGreen';
  /** The canary steps. */
  steps: number;
  /**
   * Where it waits for `kubectl argo rollouts promote`: a canary `pause: {}` (0-based step, reason
   * CanaryPauseStep) or blueGreen's `autoPromotionEnabled: false` (BlueGreenPause). The engine
   * promotes after MANUAL_PROMOTION_SECONDS to see the rest.
   */
  manualPromotions: { step?: number; reason: 'CanaryPauseStep' | 'BlueGreenPause' }[];
  /** Canary steps kdry does not run (a step plugin, assumed to succeed; an unknown step, skipped). */
  notSimulated: { step: number; kind: string }[];
  /** Analysis and experiment steps: run, their metrics assumed to pass (`--fail analysis:step=N` fails them). */
  assumedSuccessful: { step: number; kind: 'analysis' | 'experiment' }[];
  /**
   * How the update ends when it does not complete cleanly. `timedOut`: ProgressDeadlineExceeded, the
   * phase Degraded, it stays there; `aborted`: progressDeadlineAbort rolled it back; `slow`: it
   * completes, but was Degraded (ProgressDeadlineExceeded) on the way; `stuck`: it stops without the
   * deadline passing (within the run).
   */
  stop?: {
    cause: 'timedOut' | 'aborted' | 'slow' | 'stuck';
    /** The canary step it stopped at (0-based, as the STEP column counts); undefined for blueGreen. */
    step?: number;
    /** `ReplicaSet "web-6d8f5" has timed out progressing.` */
    condition: string;
    /** The new ReplicaSet's revision (for `Rollout aborted update to revision 2`). */
    revision?: number;
    /** The scheduler's message for a pod of the new revision left Pending when it stopped. */
    pendingMessage?: string;
    /** Seconds into the update when the deadline passed (the status turned Degraded). */
    atSeconds: number;
    progressDeadlineSeconds: number;
    /** A slow update: when it completed after all. */
    completedAfter?: number;
  };
}

export interface WorkloadVerdict {
  kind: string;
  name: string;
  pending?: PendingVerdict;
  rollout?: RolloutVerdict;
  argoRollout?: ArgoRolloutVerdict;
  job?: JobVerdict;
  cronJob?: CronJobVerdict;
}

/** Where the checks' runs stop: a CronJob is watched for a day at most, and for ten activations. */
const CRONJOB_ACTIVATIONS_WATCHED = 10;
const ONE_DAY = 86_400;
/** The annotation that makes the template differ, so the run rolls it out as any edit would. */
const ROLLOUT_PROBE_ANNOTATION = 'kdry.dev/next-rollout';

/** Where and for which release a verdict is read: `kubernetesVersion` as simulate() takes it (default 1.35). */
export interface VerdictOptions {
  clusterSource?: string;
  kubernetesVersion?: string;
  /** The workload's scope: where a `workloadRef` Rollout's Deployment, ReplicaSet or PodTemplate is found. */
  objects?: readonly unknown[];
}

/**
 * A `workloadRef` Rollout as the controller runs it: the referenced workload's template (and
 * selector) in place of the reference (resolveWorkloadRef), so the verdict rolls out an edit of
 * that template as for any Rollout; undefined when the reference does not resolve in `scope`.
 */
function withReferencedTemplate(object: Obj, scope: readonly unknown[]): Obj | undefined {
  const resolved = resolveWorkloadRef(object, scope);
  if (!resolved) return object;
  if ('problem' in resolved) return undefined;
  const { workloadRef: _reference, ...spec } = isObj(resolved.rollout.spec) ? resolved.rollout.spec : {};
  return { ...resolved.rollout, spec };
}

/** Runs the engine on `object` (a workload document as plain data) and reads what goes wrong. */
export function workloadVerdict(written: Obj, nodes: SimNode[], { objects: scope = [], ...options }: VerdictOptions = {}): WorkloadVerdict {
  const kind = String(written.kind);
  const name = isObj(written.metadata) ? String(written.metadata.name ?? '') : '';
  const verdict: WorkloadVerdict = { kind, name };
  const object = kind === 'Rollout' ? withReferencedTemplate(written, scope) : written;
  if (!object) return verdict;
  const spec = isObj(object.spec) ? object.spec : {};
  if (kind === 'CronJob') {
    const cronJob = cronJobVerdict(object, nodes, options);
    if (cronJob) verdict.cronJob = cronJob;
    return verdict;
  }
  // A Deployment's run rolls out an edit from the settled workload: its first step is the
  // workload as written (settled), the rest is its next rollout.
  // A StatefulSet's RollingUpdate too (OnDelete updates no pod by itself).
  // An Argo Rollout's too, canary or blueGreen.
  // A DaemonSet's RollingUpdate too (with maxSurge the new pod starts beside the old one on its node).
  const onDelete = isObj(spec.updateStrategy) && spec.updateStrategy.type === 'OnDelete';
  const rollsOut = (kind === 'Deployment' && !(isObj(spec.strategy) && spec.strategy.type === 'Recreate')) || ((kind === 'StatefulSet' || kind === 'DaemonSet') && !onDelete) || kind === 'Rollout';
  const result = simulate({ objects: [rollsOut ? nextRevision(object) : object], workload: { kind, name }, nodes, ...options, ...(rollsOut ? { before: object } : {}), snapshotMode: 'full' });
  if (result.problems.length > 0 || result.steps.length === 0) return verdict;
  const settledPods = rollsOut ? podsAtStep(result, 0) : podsAtStep(result, result.steps.length - 1);
  const pending = pendingVerdict(settledPods, object, nodes, kind, releaseBehaviour(options.kubernetesVersion));
  if (pending) verdict.pending = pending;
  if (rollsOut && !pending && kind === 'Rollout') verdict.argoRollout = argoRolloutVerdict(result, object);
  else if (rollsOut && !pending) {
    const rollout = kind === 'StatefulSet' ? statefulSetRolloutVerdict(result, object) : kind === 'DaemonSet' ? daemonSetRolloutVerdict(result) : rolloutVerdict(result, object);
    if (rollout) verdict.rollout = rollout;
  }
  if (kind === 'Job') {
    const job = jobVerdict(result, object);
    if (job) verdict.job = job;
  }
  return verdict;
}

/** The same workload with its pod template changed, as an edit that starts a rollout would. */
function nextRevision(object: Obj): Obj {
  const spec = isObj(object.spec) ? object.spec : {};
  const template = isObj(spec.template) ? spec.template : {};
  const metadata = isObj(template.metadata) ? template.metadata : {};
  const annotations = isObj(metadata.annotations) ? metadata.annotations : {};
  return { ...object, spec: { ...spec, template: { ...template, metadata: { ...metadata, annotations: { ...annotations, [ROLLOUT_PROBE_ANNOTATION]: '1' } } } } };
}

function podTemplateSpec(object: Obj): Obj {
  const spec = isObj(object.spec) ? object.spec : {};
  if (object.kind === 'Pod') return spec;
  const template = isObj(spec.template) ? spec.template : {};
  return isObj(template.spec) ? template.spec : {};
}

/** A pod the scheduler cannot place: Pending, unbound, with its `0/N nodes are available` message, not going away. */
function unschedulable(p: PodSnapshot): p is PodSnapshot & { reason: string } {
  return p.phase === 'Pending' && p.node === undefined && p.reason?.startsWith('0/') === true && !p.terminating;
}

function pendingVerdict(pods: readonly PodSnapshot[], object: Obj, nodes: readonly SimNode[], kind: string, release: ReleaseBehaviour): PendingVerdict | undefined {
  const live = pods.filter((p) => !p.terminating && p.phase !== 'Succeeded' && p.phase !== 'Failed');
  const stuck = live.filter(unschedulable);
  if (stuck.length === 0) return undefined;
  // As the API server stores it for the release: what the scheduler counted.
  const spec = storedPodSpec(podTemplateSpec(object), release).spec;
  const podLevel = podLevelRequests(spec);
  const verdict: PendingVerdict = {
    pending: stuck.length,
    total: live.length,
    message: stuck[0].reason,
    podRequests: podRequests(spec),
    ...(podLevel ? { podLevelRequests: podLevel } : {}),
    largestNode: largestNode(spec, nodes),
    untoleratedTaints: untoleratedTaints(spec, nodes),
  };
  if (kind === 'DaemonSet') verdict.nodes = nodesTooSmall(spec, verdict.podRequests, nodes);
  return verdict;
}

/**
 * The nodes a daemon pod should run on (DaemonSet placement: nodeSelector, affinity, taints) but
 * whose allocatable is smaller than its requests: its pod there stays Pending even on an empty node.
 */
function nodesTooSmall(spec: Obj, requests: Resources, nodes: readonly SimNode[]): string[] {
  const placement = daemonPodPlacement(spec);
  return nodes
    .filter((node) => nodeShouldRunDaemonPod(node, placement).shouldRun)
    .filter((node) => Object.entries(requests).some(([resource, amount]) => resource !== 'pods' && amount > (node.allocatable[resource] ?? 0)))
    .map((node) => node.name);
}

/**
 * The most each resource offers on one node that the pod's taints, nodeSelector and required
 * node affinity allow: what a request may be at most and still fit somewhere (on an empty node).
 */
function largestNode(spec: Obj, nodes: readonly SimNode[]): Resources {
  const tolerations = readTolerations(spec.tolerations);
  const affinity = readRequiredNodeAffinity(spec);
  const largest: Resources = {};
  for (const node of nodes) {
    if (node.unschedulable || !node.ready) continue;
    if (findMatchingUntoleratedTaint(node.taints, tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')) continue;
    if (!requiredNodeAffinityMatchesParsed(affinity, node)) continue;
    for (const [resource, amount] of Object.entries(node.allocatable)) largest[resource] = Math.max(largest[resource] ?? 0, amount);
  }
  return largest;
}

function untoleratedTaints(spec: Obj, nodes: readonly SimNode[]): Taint[] {
  const tolerations = readTolerations(spec.tolerations);
  const byKey = new Map<string, Taint>();
  for (const node of nodes) {
    const taint = findMatchingUntoleratedTaint(node.taints, tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
    if (taint && !byKey.has(taint.key)) byKey.set(taint.key, { ...taint });
  }
  return [...byKey.values()];
}

const TIMED_OUT = 'Progressing=False/ProgressDeadlineExceeded';

function rolloutVerdict(result: SimulationResult, object: Obj): RolloutVerdict | undefined {
  const newReplicaSet = newReplicaSetName(result);
  // DeploymentTimedOut's message (deployment/util: `%s has timed out progressing.`).
  const condition = `${newReplicaSet ? `ReplicaSet "${newReplicaSet}"` : 'Deployment'} has timed out progressing.`;
  if (result.summary.completed) {
    const stalled = longestStall(result, object);
    return stalled ? { cause: 'slow', condition, deadlineSeconds: stalled.deadlineAt, finishedAfter: result.summary.durationSeconds } : undefined;
  }
  const last = podsAtStep(result, result.steps.length - 1);
  const stuck = last.find(unschedulable);
  const timedOut = result.summary.conditions.includes(TIMED_OUT);
  if (stuck) return { cause: 'stuck', condition: timedOut ? condition : 'the rollout cannot make further progress', pendingMessage: stuck.reason, ...(timedOut ? { deadlineSeconds: result.summary.durationSeconds } : {}) };
  if (timedOut) return { cause: 'slow', condition, deadlineSeconds: result.summary.durationSeconds };
  return undefined;
}

/**
 * A StatefulSet's next rollout that stops (stateful_set_control.go updateStatefulSet): a pod of the
 * new revision the scheduler cannot place holds it, since the controller updates the next pod only
 * once the last one is Running and Ready; or the partition is not below the replicas, so no pod
 * (only ordinals >= partition are updated) gets the new revision.
 */
function statefulSetRolloutVerdict(result: SimulationResult, object: Obj): RolloutVerdict | undefined {
  const row = result.steps[result.steps.length - 1].status.find((r) => r.object.startsWith('statefulset.apps/'));
  const spec = isObj(object.spec) ? object.spec : {};
  const rolling = isObj(spec.updateStrategy) && isObj(spec.updateStrategy.rollingUpdate) ? spec.updateStrategy.rollingUpdate : {};
  const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const partition = typeof rolling.partition === 'number' ? rolling.partition : 0;
  const updated = Number(row?.columns.updatedReplicas ?? 0);
  // kubectl calls this complete ("partitioned roll out complete: 0 new pods have been updated"), yet the update changes no pod
  if (partition >= replicas && replicas > 0 && updated === 0) return { cause: 'partition', condition: '', updated, replicas, partition };
  if (result.summary.completed) return undefined;
  const stuck = podsAtStep(result, result.steps.length - 1).find(unschedulable);
  return stuck ? { cause: 'stuck', condition: '', pendingMessage: stuck.reason } : undefined;
}

/**
 * A DaemonSet's next rollout that stops (daemon/update.go rollingUpdate): a new daemon pod the
 * scheduler cannot place (with maxSurge, beside the old one on its node: a host port, or no room for
 * both) holds the old pod there, which the controller deletes only once the new one is available.
 */
function daemonSetRolloutVerdict(result: SimulationResult): RolloutVerdict | undefined {
  if (result.summary.completed) return undefined;
  const stuck = podsAtStep(result, result.steps.length - 1).find(unschedulable);
  return stuck ? { cause: 'stuck', condition: '', pendingMessage: stuck.reason } : undefined;
}

const ROLLOUT_OBJECT = 'rollout.argoproj.io/';
/** Argo's RolloutPaused event: RolloutPausedMessage + " (the pause condition's reason)" (rollout/sync.go sendStateChangeEvents). */
const PAUSED = /^Rollout is paused \((\w+)\)$/;

/**
 * Reads an Argo Rollout's update from the run: the STATUS and STEP columns the engine writes as
 * `kubectl argo rollouts list rollouts` shows them, the pause events, and the first time the status
 * turned Degraded (ProgressDeadlineExceeded, or RolloutAborted with progressDeadlineAbort).
 */
function argoRolloutVerdict(result: SimulationResult, object: Obj): ArgoRolloutVerdict {
  const spec = parseRolloutSpec(object);
  const assumedSuccessful = (spec.canary?.steps ?? []).flatMap((s, step): ArgoRolloutVerdict['assumedSuccessful'] => (s.analysis ? [{ step, kind: 'analysis' }] : s.experiment ? [{ step, kind: 'experiment' }] : []));
  const notSimulated = (spec.canary?.steps ?? []).flatMap((s, step): ArgoRolloutVerdict['notSimulated'] => (s.plugin ? [{ step, kind: `plugin: ${s.plugin.name}` }] : s.other ? [{ step, kind: s.other }] : []));
  const verdict: ArgoRolloutVerdict = { strategy: spec.blueGreen ? 'BlueGreen' : 'Canary', steps: spec.canary?.steps.length ?? 0, manualPromotions: [], notSimulated, assumedSuccessful };
  let newReplicaSet: { name: string; revision: number } | undefined;
  let degraded: number | undefined;
  const stepAt = (index: number) => {
    const row = result.steps[index].status.find((r) => r.object.startsWith(ROLLOUT_OBJECT));
    const m = /^(\d+)\//.exec(String(row?.columns.STEP ?? ''));
    return { status: String(row?.columns.STATUS ?? ''), step: m ? Number(m[1]) : undefined };
  };
  for (let i = 1; i < result.steps.length; i++) {
    const { status, step } = stepAt(i);
    for (const e of result.steps[i].events) {
      if (!e.object.startsWith(ROLLOUT_OBJECT)) continue;
      const scaled = /^Scaled up ReplicaSet (\S+) \(revision (\d+)\) from 0 to/.exec(e.message);
      if (scaled && !newReplicaSet) newReplicaSet = { name: scaled[1], revision: Number(scaled[2]) };
      // a pause waits for a promotion when the spec gives it no end: a canary `pause: {}` step, blueGreen `autoPromotionEnabled: false`
      const reason = PAUSED.exec(e.message)?.[1];
      if (reason === 'CanaryPauseStep' && step !== undefined && spec.canary?.steps[step]?.pause?.duration === null) verdict.manualPromotions.push({ step, reason });
      if (reason === 'BlueGreenPause' && spec.blueGreen?.autoPromotionEnabled === false) verdict.manualPromotions.push({ reason });
    }
    if (degraded === undefined && status === 'Degraded') degraded = i;
  }
  const completed = result.summary.completed;
  if (completed && degraded === undefined) return verdict;
  const aborted = result.summary.conditions.includes('Progressing=False/RolloutAborted');
  const at = degraded ?? result.steps.length - 1;
  const condition = newReplicaSet ? `ReplicaSet ${JSON.stringify(newReplicaSet.name)} has timed out progressing.` : `Rollout ${JSON.stringify(spec.name)} has timed out progressing.`;
  verdict.stop = {
    cause: completed ? 'slow' : aborted ? 'aborted' : degraded !== undefined ? 'timedOut' : 'stuck',
    // an abort puts the step index back to 0: the step it stopped at is the one shown just before
    ...(verdict.strategy === 'Canary' ? { step: stepAt(aborted && at > 1 ? at - 1 : at).step } : {}),
    condition,
    ...(newReplicaSet ? { revision: newReplicaSet.revision } : {}),
    ...(pendingBefore(result, at) ?? {}),
    atSeconds: result.steps[at].time,
    progressDeadlineSeconds: spec.progressDeadlineSeconds,
    ...(completed ? { completedAfter: result.summary.durationSeconds } : {}),
  };
  return verdict;
}

/** The scheduler's message for a pod left Pending at step `index` or just before (an abort removes the pods at once). */
function pendingBefore(result: SimulationResult, index: number): { pendingMessage: string } | undefined {
  for (let i = index; i >= Math.max(1, index - 1); i--) {
    const stuck = podsAtStep(result, i).find(unschedulable);
    if (stuck) return { pendingMessage: stuck.reason };
  }
  return undefined;
}

/**
 * A rollout that finishes, but went longer than progressDeadlineSeconds without progress on the
 * way: the Deployment reported ProgressDeadlineExceeded then (`kubectl rollout status` gives up),
 * and the condition turns back once a new pod is available. Progress as DeploymentProgressing
 * (deployment/util) counts it: a ReplicaSet scaled, more updated, ready or available replicas.
 */
function longestStall(result: SimulationResult, object: Obj): { deadlineAt: number } | undefined {
  const spec = isObj(object.spec) ? object.spec : {};
  const deadline = typeof spec.progressDeadlineSeconds === 'number' && spec.progressDeadlineSeconds > 0 ? spec.progressDeadlineSeconds : DEPLOYMENT_DEFAULT_PROGRESS_DEADLINE_SECONDS;
  let lastProgress: number | undefined;
  let previous = '';
  for (const step of result.steps.slice(1)) {
    const row = step.status.find((r) => r.object.startsWith('deployment.apps/'));
    const columns = row ? `${row.columns.READY} ${row.columns['UP-TO-DATE']} ${row.columns.AVAILABLE}` : '';
    const scaled = step.events.some((e) => e.object.startsWith('deployment.apps/') && /^Scaled (up|down) replica set /.test(e.message));
    if (scaled || columns !== previous || lastProgress === undefined) {
      if (lastProgress !== undefined && step.time - lastProgress > deadline) return { deadlineAt: lastProgress + deadline };
      lastProgress = step.time;
    }
    previous = columns;
  }
  return undefined;
}

/** The ReplicaSet the rollout scaled up first (`Scaled up replica set web-6d8f5 from 0 to 1`). */
function newReplicaSetName(result: SimulationResult): string | undefined {
  for (const step of result.steps.slice(1)) {
    for (const e of step.events) {
      const m = /^Scaled up replica set (\S+) from 0 to/.exec(e.message);
      if (m) return m[1];
    }
  }
  return undefined;
}

/**
 * The run time the engine assumes for the pods of a template, when the manifest gives one: the
 * `kdry.dev/run-seconds` annotation or a `sleep N` in a container's command or args. Without
 * either the engine assumes 5 s, which says nothing about the real Job: no hint, no claim.
 */
export function runTimeHint(template: Obj): RunTimeHint | undefined {
  const metadata = isObj(template.metadata) ? template.metadata : {};
  const annotations: Record<string, string> = {};
  if (isObj(metadata.annotations)) for (const [k, v] of Object.entries(metadata.annotations)) if (typeof v === 'string' || typeof v === 'number') annotations[k] = String(v);
  const spec = isObj(template.spec) ? template.spec : {};
  const annotated = annotations[RUN_SECONDS_ANNOTATION];
  if (annotated !== undefined && Number.isFinite(Number(annotated)) && Number(annotated) >= 0) return { seconds: Number(annotated), from: 'annotation' };
  const containers = [spec.containers, spec.initContainers].flatMap((list) => (Array.isArray(list) ? list.filter(isObj) : []));
  const sleeps = containers.some((c) => /\bsleep\s+\d/.test([c.command, c.args].flatMap((v) => (Array.isArray(v) ? v.map(String) : [])).join(' ')));
  return sleeps ? { seconds: runSeconds(spec, annotations), from: 'sleep' } : undefined;
}

function jobVerdict(result: SimulationResult, object: Obj): JobVerdict | undefined {
  if (!result.summary.conditions.includes('Failed=True/DeadlineExceeded')) return undefined;
  const spec = isObj(object.spec) ? object.spec : {};
  const runTime = runTimeHint(isObj(spec.template) ? spec.template : {});
  if (!runTime) return undefined;
  let event: string | undefined;
  let failedAfter = result.summary.durationSeconds;
  for (const step of result.steps) {
    for (const e of step.events) {
      if (e.type === 'Warning' && e.object.startsWith('job.batch/') && /deadline/i.test(e.message)) {
        event ??= e.message;
        failedAfter = step.time;
      }
    }
  }
  const last = podsAtStep(result, result.steps.length - 1);
  return { event: event ?? 'Job was active longer than specified deadline', failedAfter, completedPods: last.filter((p) => p.phase === 'Succeeded').length, runTime };
}

const JOB_ALREADY_ACTIVE = /^Not starting job because prior execution is running/;

function cronJobVerdict(object: Obj, nodes: SimNode[], options: Omit<VerdictOptions, 'objects'>): CronJobVerdict | undefined {
  const spec = isObj(object.spec) ? object.spec : {};
  const policy = spec.concurrencyPolicy === 'Forbid' ? 'Forbid' : spec.concurrencyPolicy === 'Replace' ? undefined : 'Allow';
  if (!policy) return undefined;
  const jobTemplate = isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {};
  const runTime = runTimeHint(isObj(jobTemplate.template) ? jobTemplate.template : {});
  if (!runTime) return undefined;
  const interval = scheduleInterval(spec.schedule, spec.timeZone);
  // A Job takes its run time plus start-up (a few seconds): one far shorter than the interval cannot overlap the next.
  if (interval === undefined || runTime.seconds + 60 < interval) return undefined;
  const windowSeconds = Math.min(ONE_DAY, Math.max(interval * CRONJOB_ACTIVATIONS_WATCHED, runTime.seconds * 2));
  const result = simulate({ objects: [object], workload: { kind: 'CronJob', name: String(isObj(object.metadata) ? object.metadata.name : '') }, nodes, ...options, windowSeconds, snapshotMode: 'delta' });
  if (result.problems.length > 0) return undefined;
  if (policy === 'Allow') {
    let most = 0;
    for (const step of result.steps) {
      for (const row of step.status) if (row.object.startsWith('cronjob.batch/')) most = Math.max(most, Number(row.columns.ACTIVE) || 0);
    }
    return most > 1 ? { policy, count: most, windowSeconds, intervalSeconds: interval, runTime } : undefined;
  }
  let skipped = 0;
  let event: string | undefined;
  for (const step of result.steps) {
    for (const e of step.events) {
      if (e.object.startsWith('cronjob.batch/') && JOB_ALREADY_ACTIVE.test(e.message)) {
        skipped++;
        event ??= e.message;
      }
    }
  }
  return skipped > 0 ? { policy, count: skipped, event, windowSeconds, intervalSeconds: interval, runTime } : undefined;
}

/** Seconds between the schedule's first two activations after the engine's start time. */
function scheduleInterval(schedule: unknown, timeZone: unknown): number | undefined {
  if (typeof schedule !== 'string') return undefined;
  const parsed = parseCronSchedule(schedule, typeof timeZone === 'string' ? timeZone : undefined);
  if (!parsed.ok) return undefined;
  const first = parsed.schedule.next(new Date(DEFAULT_START_TIME));
  const second = first && parsed.schedule.next(first);
  return first && second ? (second.getTime() - first.getTime()) / 1000 : undefined;
}
