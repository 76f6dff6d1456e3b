// The DaemonSet controller (pkg/controller/daemon): default daemon tolerations, which nodes
// should run a daemon pod (NodeShouldRunDaemonPod), the manage diff (podsShouldBeOnNode), the
// rolling update (update.go: updatedDesiredNodeCounts, maxUnavailable and maxSurge paths), the
// status counters, and the simulation controller that binds one pod per eligible node.
// Simplified: no failed-pod back-off timer (daemon pods restart in place here), no
// ControllerRevision history beyond the current template hash.
import { getScaledValueFromIntOrPercent, type IntOrString } from '../intstr';
import {
  findMatchingUntoleratedTaint,
  formatTaint,
  readRequiredNodeAffinity,
  readTolerations,
  type RequiredNodeAffinity,
  requiredNodeAffinityMatchesParsed,
} from '../scheduler';
import type { Controller, PodPhase, PodTemplate, SimNode, SimPod, StatusRow, Toleration, World } from '../types';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/**
 * AddOrUpdateDaemonPodTolerations: daemon pods survive not-ready/unreachable nodes (NoExecute,
 * forever) and ignore the node-condition NoSchedule taints; network-unavailable only with hostNetwork.
 */
export function defaultDaemonPodTolerations(hostNetwork: boolean): Toleration[] {
  const exists = (key: string, effect: 'NoExecute' | 'NoSchedule'): Toleration => ({ key, operator: 'Exists', effect });
  const tolerations = [
    exists(TAINT_NODE_NOT_READY, 'NoExecute'),
    exists(TAINT_NODE_UNREACHABLE, 'NoExecute'),
    exists(TAINT_NODE_DISK_PRESSURE, 'NoSchedule'),
    exists(TAINT_NODE_MEMORY_PRESSURE, 'NoSchedule'),
    exists(TAINT_NODE_PID_PRESSURE, 'NoSchedule'),
    exists(TAINT_NODE_UNSCHEDULABLE, 'NoSchedule'),
  ];
  if (hostNetwork) tolerations.push(exists(TAINT_NODE_NETWORK_UNAVAILABLE, 'NoSchedule'));
  return tolerations;
}

/** AddOrUpdateTolerationInPodSpec for each default: an identical toleration is replaced, others appended. */
export function addOrUpdateDaemonPodTolerations(tolerations: readonly Toleration[], hostNetwork: boolean): Toleration[] {
  const out = tolerations.map((t) => ({ ...t }));
  for (const d of defaultDaemonPodTolerations(hostNetwork)) {
    const same = out.findIndex((t) => t.key === d.key && (t.operator ?? 'Equal') === d.operator && (t.value ?? '') === '' && t.effect === d.effect);
    if (same >= 0) out[same] = d;
    else out.push(d);
  }
  return out;
}

/** The parts of a daemon pod that decide where it runs, with the default tolerations added. */
export interface DaemonPodPlacement {
  nodeName?: string;
  affinity: RequiredNodeAffinity;
  tolerations: Toleration[];
  /** Answers per node, valid while nodes do not change (one controller sync); see withNodeMemo. */
  memo?: Map<SimNode, ShouldRun>;
}

/** The placement with a fresh per-node memo: one sync asks about every node several times. */
export function withNodeMemo(placement: DaemonPodPlacement): DaemonPodPlacement {
  return { ...placement, memo: new Map() };
}

export function daemonPodPlacement(podSpec: unknown): DaemonPodPlacement {
  const spec = typeof podSpec === 'object' && podSpec !== null ? (podSpec as Record<string, unknown>) : {};
  return {
    nodeName: typeof spec.nodeName === 'string' && spec.nodeName !== '' ? spec.nodeName : undefined,
    affinity: readRequiredNodeAffinity(spec),
    tolerations: addOrUpdateDaemonPodTolerations(readTolerations(spec.tolerations), spec.hostNetwork === true),
  };
}

export interface ShouldRun {
  /** A daemon pod should be created on the node. */
  shouldRun: boolean;
  /** An existing daemon pod may stay (it tolerates every NoExecute taint). */
  shouldContinueRunning: boolean;
  /** Why not, in kube-scheduler's words (for the skipped-node event). */
  reason?: string;
}

/**
 * NodeShouldRunDaemonPod: nodeName, nodeSelector + required node affinity, and NoSchedule /
 * NoExecute taints against the pod's tolerations. Resources and host ports are the scheduler's.
 */
export function nodeShouldRunDaemonPod(node: SimNode, placement: DaemonPodPlacement): ShouldRun {
  const known = placement.memo?.get(node);
  if (known) return known;
  const answer = decideShouldRun(node, placement);
  placement.memo?.set(node, answer);
  return answer;
}

function decideShouldRun(node: SimNode, placement: DaemonPodPlacement): ShouldRun {
  if (placement.nodeName !== undefined && placement.nodeName !== node.name) {
    return { shouldRun: false, shouldContinueRunning: false, reason: `node(s) didn't match the requested node name ${placement.nodeName}` };
  }
  if (!requiredNodeAffinityMatchesParsed(placement.affinity, node)) {
    return { shouldRun: false, shouldContinueRunning: false, reason: "node(s) didn't match Pod's node affinity/selector" };
  }
  const untolerated = findMatchingUntoleratedTaint(node.taints, placement.tolerations, (t) => t.effect === 'NoExecute' || t.effect === 'NoSchedule');
  if (untolerated) {
    const noExecute = findMatchingUntoleratedTaint(node.taints, placement.tolerations, (t) => t.effect === 'NoExecute');
    return { shouldRun: false, shouldContinueRunning: noExecute === undefined, reason: `node(s) had untolerated taint ${formatTaint(untolerated)}` };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/** A daemon pod as the controller looks at it. */
export interface DaemonPod<P = unknown> {
  ref: P;
  name: string;
  phase: PodPhase;
  ready: boolean;
  /** Ready for minReadySeconds. */
  available: boolean;
  terminating: boolean;
  /** Created from the current template (controller-revision-hash matches). */
  updated: boolean;
  createdAt: number;
}

export interface DaemonSetUpdateStrategy {
  type: 'RollingUpdate' | 'OnDelete';
  maxUnavailable: IntOrString | null;
  maxSurge: IntOrString | null;
}

// podByCreationTimestampAndPhase: oldest first; among equals a running-phase pod first.
function byCreation(a: DaemonPod, b: DaemonPod): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** AllowsSurge: a maxSurge that scales to anything but 0 (an invalid value allows none). */
export function allowsSurge(strategy: DaemonSetUpdateStrategy): boolean {
  try {
    return surgeCount(strategy, 1) !== 0;
  } catch {
    return false;
  }
}

/** SurgeCount: maxSurge of desiredNumberScheduled, percentages rounded UP; 0 unless RollingUpdate. */
export function surgeCount(strategy: DaemonSetUpdateStrategy, numberToSchedule: number): number {
  if (strategy.type !== 'RollingUpdate' || strategy.maxSurge === null) return 0;
  return getScaledValueFromIntOrPercent(strategy.maxSurge, numberToSchedule, true);
}

/** UnavailableCount: maxUnavailable of desiredNumberScheduled, percentages rounded UP. */
export function unavailableCount(strategy: DaemonSetUpdateStrategy, numberToSchedule: number): number {
  if (strategy.type !== 'RollingUpdate') return 0;
  return getScaledValueFromIntOrPercent(strategy.maxUnavailable ?? 1, numberToSchedule, true);
}

export interface ManageResult<P> {
  nodesNeedingDaemonPods: string[];
  podsToDelete: P[];
  /** FailedDaemonPod warnings, one per failed pod deleted. */
  warnings: string[];
}

/** podsShouldBeOnNode over every node (manage): create where missing, delete failed, surplus and misplaced pods. */
export function manageDaemonPods<P>(
  nodes: readonly SimNode[],
  placement: DaemonPodPlacement,
  podsByNode: ReadonlyMap<string, DaemonPod<P>[]>,
  strategy: DaemonSetUpdateStrategy,
  namespace = 'default',
): ManageResult<P> {
  const out: ManageResult<P> = { nodesNeedingDaemonPods: [], podsToDelete: [], warnings: [] };
  const surge = allowsSurge(strategy);
  for (const node of nodes) {
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, placement);
    const pods = podsByNode.get(node.name);
    const exists = pods !== undefined && pods.length > 0;
    if (shouldRun && !exists) {
      out.nodesNeedingDaemonPods.push(node.name);
    } else if (shouldContinueRunning) {
      const running: DaemonPod<P>[] = [];
      for (const pod of pods ?? []) {
        if (pod.terminating) continue;
        if (pod.phase === 'Failed') {
          out.warnings.push(`Found failed daemon pod ${namespace}/${pod.name} on node ${node.name}, will try to kill it`);
          out.podsToDelete.push(pod.ref);
        } else if (pod.phase === 'Succeeded') {
          out.podsToDelete.push(pod.ref);
        } else running.push(pod);
      }
      running.sort(byCreation);
      if (!surge) {
        for (const extra of running.slice(1)) out.podsToDelete.push(extra.ref);
        continue;
      }
      if (running.length <= 1) {
        if (running.length === 0 && shouldRun) out.nodesNeedingDaemonPods.push(node.name);
        continue;
      }
      // Surge: keep the oldest new pod and the oldest old pod; the old one goes once the new one is available.
      let oldestNew: DaemonPod<P> | undefined;
      let oldestOld: DaemonPod<P> | undefined;
      for (const pod of running) {
        if (pod.updated && !oldestNew) oldestNew = pod;
        else if (!pod.updated && !oldestOld) oldestOld = pod;
        else out.podsToDelete.push(pod.ref);
      }
      if (oldestNew && oldestOld && (!oldestOld.ready || oldestNew.available)) out.podsToDelete.push(oldestOld.ref);
    } else if (exists) {
      for (const pod of pods) if (!pod.terminating) out.podsToDelete.push(pod.ref);
    }
  }
  return out;
}

export interface DesiredNodeCounts {
  maxSurge: number;
  maxUnavailable: number;
  desiredNumberScheduled: number;
  /** Nodes that should run a daemon pod and have none listed (terminating ones count as listed). */
  nodesWithoutPods: string[];
}

/** updatedDesiredNodeCounts: the rollout budgets against desiredNumberScheduled; both 0 -> maxUnavailable 1. */
export function updatedDesiredNodeCounts(
  nodes: readonly SimNode[],
  placement: DaemonPodPlacement,
  podsByNode: ReadonlyMap<string, readonly unknown[]>,
  strategy: DaemonSetUpdateStrategy,
): DesiredNodeCounts {
  let desired = 0;
  const nodesWithoutPods: string[] = [];
  for (const node of nodes) {
    if (!nodeShouldRunDaemonPod(node, placement).shouldRun) continue;
    desired++;
    if ((podsByNode.get(node.name)?.length ?? 0) === 0) nodesWithoutPods.push(node.name);
  }
  const maxUnavailable = unavailableCount(strategy, desired);
  const maxSurge = surgeCount(strategy, desired);
  return { maxSurge, maxUnavailable: desired > 0 && maxUnavailable === 0 && maxSurge === 0 ? 1 : maxUnavailable, desiredNumberScheduled: desired, nodesWithoutPods };
}

// findUpdatedPodsOnNode: at most one old and one new live pod, else leave the node to manage.
function findUpdatedPodsOnNode<P>(pods: readonly DaemonPod<P>[]): { newPod?: DaemonPod<P>; oldPod?: DaemonPod<P>; ok: boolean } {
  let newPod: DaemonPod<P> | undefined;
  let oldPod: DaemonPod<P> | undefined;
  for (const pod of pods) {
    if (pod.terminating) continue;
    if (pod.updated) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * rollingUpdate: without surge, delete old pods while unavailable < maxUnavailable (nodes with no
 * pod count as unavailable; unavailable old pods are always replaced); with surge, create new pods
 * next to old ones up to maxSurge and delete an old pod once its replacement is available.
 */
export function daemonSetRollingUpdate<P>(
  nodes: readonly SimNode[],
  placement: DaemonPodPlacement,
  podsByNode: ReadonlyMap<string, DaemonPod<P>[]>,
  strategy: DaemonSetUpdateStrategy,
): { podsToDelete: P[]; nodesToCreate: string[] } {
  const counts = updatedDesiredNodeCounts(nodes, placement, podsByNode, strategy);
  const wanted = new Set<string>();
  const shouldRunOn = new Map<string, boolean>();
  for (const node of nodes) {
    const run = nodeShouldRunDaemonPod(node, placement).shouldRun;
    shouldRunOn.set(node.name, run);
    if (run) wanted.add(node.name);
  }
  // nodeToDaemonPods after updatedDesiredNodeCounts: nodes with pods, plus wanted nodes without.
  const nodeNames = [...new Set([...nodes.map((n) => n.name).filter((n) => wanted.has(n) || (podsByNode.get(n)?.length ?? 0) > 0), ...podsByNode.keys()])];
  if (counts.maxSurge === 0) {
    let numUnavailable = 0;
    const allowed: P[] = [];
    const candidates: P[] = [];
    for (const name of nodeNames) {
      const found = findUpdatedPodsOnNode(podsByNode.get(name) ?? []);
      if (!found.ok) {
        numUnavailable++;
        continue;
      }
      const { newPod, oldPod } = found;
      if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
      else if (newPod) {
        if (!newPod.available) numUnavailable++;
      } else if (oldPod) {
        if (!oldPod.available) {
          allowed.push(oldPod.ref);
          numUnavailable++;
        } else if (numUnavailable < counts.maxUnavailable) candidates.push(oldPod.ref);
      }
    }
    const remaining = Math.min(Math.max(0, counts.maxUnavailable - numUnavailable), candidates.length);
    return { podsToDelete: [...allowed, ...candidates.slice(0, remaining)], nodesToCreate: [] };
  }
  const oldPodsToDelete: P[] = [];
  const shouldNotRun: P[] = [];
  const candidateNewNodes: string[] = [];
  const allowedNewNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const name of nodeNames) {
    const found = findUpdatedPodsOnNode(podsByNode.get(name) ?? []);
    if (!found.ok) {
      numSurge++;
      continue;
    }
    const { newPod, oldPod } = found;
    if (oldPod ? oldPod.available : newPod?.available) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      const run = shouldRunOn.get(name) ?? false;
      if (!oldPod.available) {
        if (!run) oldPodsToDelete.push(oldPod.ref);
        else allowedNewNodes.push(name);
      } else if (!run) shouldNotRun.push(oldPod.ref);
      else if (numSurge < counts.maxSurge) candidateNewNodes.push(name);
      continue;
    }
    if (!newPod.available) numSurge++;
    else oldPodsToDelete.push(oldPod.ref);
  }
  const deletable = Math.min(numAvailable - counts.desiredNumberScheduled, shouldNotRun.length);
  if (deletable > 0) oldPodsToDelete.push(...shouldNotRun.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, counts.maxSurge - numSurge), candidateNewNodes.length);
  return { podsToDelete: oldPodsToDelete, nodesToCreate: [...allowedNewNodes, ...candidateNewNodes.slice(0, remainingSurge)] };
}

export interface DaemonSetStatusCounters {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberReady: number;
  numberAvailable: number;
  numberUnavailable: number;
  numberMisscheduled: number;
  updatedNumberScheduled: number;
}

/** updateDaemonSetStatus: counts from the oldest daemon pod on each node. */
export function daemonSetStatusCounters(nodes: readonly SimNode[], placement: DaemonPodPlacement, podsByNode: ReadonlyMap<string, readonly DaemonPod[]>): DaemonSetStatusCounters {
  const s: DaemonSetStatusCounters = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0, numberAvailable: 0, numberUnavailable: 0, numberMisscheduled: 0, updatedNumberScheduled: 0 };
  for (const node of nodes) {
    const pods = podsByNode.get(node.name) ?? [];
    const scheduled = pods.length > 0;
    if (nodeShouldRunDaemonPod(node, placement).shouldRun) {
      s.desiredNumberScheduled++;
      if (!scheduled) continue;
      s.currentNumberScheduled++;
      const pod = [...pods].sort(byCreation)[0];
      if (pod.ready) {
        s.numberReady++;
        if (pod.available) s.numberAvailable++;
      }
      if (pod.updated) s.updatedNumberScheduled++;
    } else if (scheduled) s.numberMisscheduled++;
  }
  s.numberUnavailable = s.desiredNumberScheduled - s.numberAvailable;
  return s;
}

export interface DaemonSetSyncResult<P> {
  podsToDelete: P[];
  nodesToCreate: string[];
  warnings: string[];
}

/**
 * syncDaemonSet: manage, then (RollingUpdate only) the rolling update over what manage left: its
 * deletions count as terminating and its creations as new, not yet ready pods. That is the order
 * of one controller pass once the pod informer has seen manage's changes, as in upstream's tests.
 */
export function syncDaemonSet<P>(
  nodes: readonly SimNode[],
  placement: DaemonPodPlacement,
  podsByNode: ReadonlyMap<string, DaemonPod<P>[]>,
  strategy: DaemonSetUpdateStrategy,
  beingDeleted = false,
): DaemonSetSyncResult<P> {
  // A DaemonSet with a deletionTimestamp is left to the garbage collector.
  if (beingDeleted) return { podsToDelete: [], nodesToCreate: [], warnings: [] };
  const managed = manageDaemonPods(nodes, placement, podsByNode, strategy);
  const result: DaemonSetSyncResult<P> = { podsToDelete: managed.podsToDelete, nodesToCreate: managed.nodesNeedingDaemonPods, warnings: managed.warnings };
  if (strategy.type !== 'RollingUpdate') return result;
  const deleted = new Set<P>(managed.podsToDelete);
  const after = new Map<string, DaemonPod<P>[]>();
  for (const [node, pods] of podsByNode) after.set(node, pods.map((p) => (deleted.has(p.ref) ? { ...p, terminating: true } : p)));
  for (const node of managed.nodesNeedingDaemonPods) {
    const placeholder: DaemonPod<P | undefined> = { ref: undefined, name: '', phase: 'Pending', ready: false, available: false, terminating: false, updated: true, createdAt: Infinity };
    after.set(node, [...(after.get(node) ?? []), placeholder as DaemonPod<P>]);
  }
  try {
    const rolled = daemonSetRollingUpdate(nodes, placement, after, strategy);
    result.podsToDelete = [...result.podsToDelete, ...rolled.podsToDelete];
    result.nodesToCreate = [...result.nodesToCreate, ...rolled.nodesToCreate];
  } catch (err) {
    // An invalid maxUnavailable/maxSurge stops the rollout, as the controller's sync error does.
    result.warnings = [...result.warnings, err instanceof Error ? err.message : String(err)];
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Simulation controller

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) out[k] = String(val);
  return out;
}

/** spec.updateStrategy with the API defaults (RollingUpdate, maxUnavailable 1, maxSurge 0). */
export function daemonSetUpdateStrategy(spec: unknown): DaemonSetUpdateStrategy {
  const strategy = obj(obj(spec).updateStrategy);
  const rolling = obj(strategy.rollingUpdate);
  const intOrString = (v: unknown): IntOrString | null => (typeof v === 'number' || typeof v === 'string' ? v : null);
  return {
    type: strategy.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
    maxUnavailable: intOrString(rolling.maxUnavailable) ?? 1,
    maxSurge: intOrString(rolling.maxSurge) ?? 0,
  };
}

/**
 * A DaemonSet on the World: one pod per eligible node, bound directly to it (createPod with
 * nodeName, as the controller's node affinity does in effect); skipped nodes are reported once
 * with the reason; rolling updates follow maxUnavailable/maxSurge.
 */
export class DaemonSetController implements Controller {
  readonly kind = 'DaemonSet';
  readonly key: string;
  readonly name: string;
  readonly uid: string;
  private template!: PodTemplate;
  private placement!: DaemonPodPlacement;
  private strategy!: DaemonSetUpdateStrategy;
  private minReadySeconds = 0;
  private hash = '';
  private readonly skipped = new Map<string, string>();
  private counters: DaemonSetStatusCounters = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberReady: 0, numberAvailable: 0, numberUnavailable: 0, numberMisscheduled: 0, updatedNumberScheduled: 0 };
  private synced = false;

  constructor(object: unknown) {
    const meta = obj(obj(object).metadata);
    this.name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : 'daemonset';
    this.key = `DaemonSet/${this.name}`;
    this.uid = `daemonset-${this.name}`;
    this.adopt(object);
  }

  update(object: Record<string, unknown>): void {
    this.adopt(object);
  }

  sync(world: World): boolean {
    const placement = withNodeMemo(this.placement);
    const podsByNode = this.podsByNode(world);
    const result = syncDaemonSet(world.nodes, placement, podsByNode, this.strategy);
    const object = `daemonset.apps/${this.name}`;
    this.reportSkippedNodes(world, placement);
    for (const warning of result.warnings) world.event(object, warning, 'Warning');
    for (const pod of result.podsToDelete as SimPod[]) {
      world.deletePod(pod, pod.revision === this.hash ? 'daemon pod not needed on this node' : 'rolling update');
      world.event(object, `Deleted pod: ${pod.name}`);
    }
    for (const nodeName of result.nodesToCreate) {
      const pod = world.createPod({
        name: `${this.name}-${world.nameSuffix(`${this.uid}/${nodeName}/${this.hash}/${world.now}`)}`,
        owner: { kind: 'DaemonSet', name: this.name, uid: this.uid },
        template: this.template,
        revision: this.hash,
        nodeName,
        extraLabels: { 'controller-revision-hash': this.hash, 'pod-template-generation': this.hash },
      });
      world.event(object, `Created pod: ${pod.name}`);
    }
    if (this.minReadySeconds > 0) {
      for (const pods of podsByNode.values()) {
        for (const p of pods) {
          const pod = p.ref;
          if (pod.ready && pod.readySince !== undefined && pod.readySince + this.minReadySeconds > world.now) world.requeueAt(this.key, pod.readySince + this.minReadySeconds);
        }
      }
    }
    const counters = daemonSetStatusCounters(world.nodes, placement, this.podsByNode(world));
    const changed = !this.synced || result.podsToDelete.length > 0 || result.nodesToCreate.length > 0 || JSON.stringify(counters) !== JSON.stringify(this.counters);
    this.counters = counters;
    this.synced = true;
    return changed;
  }

  status(): StatusRow[] {
    const c = this.counters;
    return [
      {
        object: `daemonset.apps/${this.name}`,
        columns: {
          DESIRED: c.desiredNumberScheduled,
          CURRENT: c.currentNumberScheduled,
          READY: c.numberReady,
          'UP-TO-DATE': c.updatedNumberScheduled,
          AVAILABLE: c.numberAvailable,
          'NODE SELECTOR': Object.entries(this.placement.affinity.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>',
          desiredNumberScheduled: c.desiredNumberScheduled,
          currentNumberScheduled: c.currentNumberScheduled,
          numberReady: c.numberReady,
          numberAvailable: c.numberAvailable,
          numberUnavailable: c.numberUnavailable,
          numberMisscheduled: c.numberMisscheduled,
          updatedNumberScheduled: c.updatedNumberScheduled,
        },
      },
    ];
  }

  settled(world: World): boolean {
    const c = this.counters;
    const live = world.podsOwnedBy(this.uid).filter((p) => p.deletionTimestamp === undefined).length;
    const updatedOk = this.strategy.type === 'OnDelete' || c.updatedNumberScheduled === c.desiredNumberScheduled;
    return this.synced && c.numberMisscheduled === 0 && c.currentNumberScheduled === c.desiredNumberScheduled && c.numberAvailable === c.desiredNumberScheduled && updatedOk && live === c.desiredNumberScheduled;
  }

  private adopt(object: unknown): void {
    const spec = obj(obj(object).spec);
    const template = obj(spec.template);
    const podSpec = { ...obj(template.spec) };
    this.placement = daemonPodPlacement(podSpec);
    // Daemon pods carry the default tolerations, so taint-based eviction leaves them alone.
    podSpec.tolerations = this.placement.tolerations;
    this.template = { labels: stringMap(obj(template.metadata).labels), annotations: stringMap(obj(template.metadata).annotations), spec: podSpec };
    this.strategy = daemonSetUpdateStrategy(spec);
    this.minReadySeconds = typeof spec.minReadySeconds === 'number' && spec.minReadySeconds > 0 ? spec.minReadySeconds : 0;
    this.hash = templateHash(JSON.stringify(template));
  }

  private podsByNode(world: World): Map<string, DaemonPod<SimPod>[]> {
    const byNode = new Map<string, DaemonPod<SimPod>[]>();
    for (const pod of world.podsOwnedBy(this.uid)) {
      const node = pod.nodeName ?? '';
      const list = byNode.get(node);
      const view: DaemonPod<SimPod> = {
        ref: pod,
        name: pod.name,
        phase: pod.phase,
        ready: pod.ready,
        available: pod.ready && pod.deletionTimestamp === undefined && pod.readySince !== undefined && world.now - pod.readySince >= this.minReadySeconds,
        terminating: pod.deletionTimestamp !== undefined,
        updated: pod.revision === this.hash,
        createdAt: pod.createdAt,
      };
      if (list) list.push(view);
      else byNode.set(node, [view]);
    }
    return byNode;
  }

  // One event per node and reason: which nodes get no daemon pod, in the scheduler's words.
  private reportSkippedNodes(world: World, placement: DaemonPodPlacement): void {
    for (const node of world.nodes) {
      const { shouldRun, reason } = nodeShouldRunDaemonPod(node, placement);
      const previous = this.skipped.get(node.name);
      if (shouldRun) {
        this.skipped.delete(node.name);
        continue;
      }
      if (reason !== undefined && previous !== reason) {
        this.skipped.set(node.name, reason);
        world.event(`daemonset.apps/${this.name}`, `No daemon pod on node ${node.name}: ${reason}`);
      }
    }
  }
}

// controller-revision-hash of the template: FNV-1a, printed in the DNS-safe alphabet.
function templateHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 7; i++) {
    out += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length);
  }
  return out;
}

export function createDaemonSetController(object: unknown): DaemonSetController {
  return new DaemonSetController(object);
}
