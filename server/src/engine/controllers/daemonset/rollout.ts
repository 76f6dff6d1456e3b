// The DaemonSet sync (daemon_controller.go manage/podsShouldBeOnNode, update.go rollingUpdate and
// updatedDesiredNodeCounts, updateDaemonSetStatus) as pure functions over nodes and daemon pods.
// Simplified: no failed-pod back-off timer (daemon pods restart in place here).
import { getScaledValueFromIntOrPercent, type IntOrString } from '../../../k8s/intstr';
import type { PodPhase, SimNode } from '../../types';
import { type DaemonPodPlacement, nodeShouldRunDaemonPod } from './placement';

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

/**
 * UnavailableCount: maxUnavailable of desiredNumberScheduled, percentages rounded UP. Unlike a
 * Deployment's (rounded down): 10% of 5 nodes is ceil(0.5) = 1 node updated at a time here, where
 * a 5-replica Deployment gets floor(0.5) = 0 (raised to 1 only because maxSurge is 0 too).
 */
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
