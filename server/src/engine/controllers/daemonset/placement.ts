// Where a daemon pod runs (pkg/controller/daemon: AddOrUpdateDaemonPodTolerations,
// NodeShouldRunDaemonPod): nodeName, nodeSelector and required node affinity, and NoSchedule /
// NoExecute taints against the pod's tolerations plus the default daemon tolerations.
import {
  findMatchingUntoleratedTaint,
  formatTaint,
  readRequiredNodeAffinity,
  readTolerations,
  type RequiredNodeAffinity,
  requiredNodeAffinityMatchesParsed,
} from '../../scheduler';
import type { SimNode, Toleration } from '../../types';

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
