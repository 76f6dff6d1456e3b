// The StatefulSet control loop (stateful_set_control.go: updateStatefulSet, processReplica,
// processCondemned, the rolling update with partition and maxUnavailable, OnDelete) as a pure
// function over a pod model.
import type { IntOrString } from '../../../k8s/intstr';
import type { PodPhase } from '../../types';
import { getStatefulSetMaxUnavailable, isRunningAndReady } from './identity';

export type PodManagementPolicy = 'OrderedReady' | 'Parallel';

export interface StatefulSetControlSpec {
  replicas: number;
  ordinalsStart: number;
  podManagementPolicy: PodManagementPolicy;
  updateStrategy: 'RollingUpdate' | 'OnDelete';
  /** rollingUpdate.partition (the API defaults it to 0). */
  partition: number;
  maxUnavailable: IntOrString | null;
  /** MaxUnavailableStatefulSet feature gate: honour maxUnavailable in rolling updates. */
  maxUnavailableEnabled: boolean;
}

export interface StatefulPod<P = unknown> {
  ordinal: number;
  revision: string;
  phase: PodPhase;
  ready: boolean;
  terminating: boolean;
  /** Ready for minReadySeconds (defaults to ready). */
  available?: boolean;
  ref?: P;
}

export type StatefulSetAction<P = unknown> =
  | { kind: 'create'; ordinal: number; revision: string }
  | { kind: 'delete'; ordinal: number; reason: 'condemned' | 'update' | 'terminal'; pod: StatefulPod<P> };

export interface StatefulSetStatusView {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
  currentRevision: string;
  updateRevision: string;
}

function isHealthy(p: StatefulPod): boolean {
  return isRunningAndReady(p) && !p.terminating;
}

function isAvailable(p: StatefulPod): boolean {
  return isRunningAndReady(p) && (p.available ?? true);
}

function isTerminal(p: StatefulPod): boolean {
  return p.phase === 'Failed' || p.phase === 'Succeeded';
}

/**
 * newVersionedStatefulSetPod: ordinals below the partition are (re)created at the current
 * revision, the rest at the update revision.
 */
export function revisionForNewPod(spec: StatefulSetControlSpec, ordinal: number, currentRevision: string, updateRevision: string): string {
  if (spec.updateStrategy === 'RollingUpdate' && ordinal < spec.ordinalsStart + spec.partition) return currentRevision;
  return updateRevision;
}

/**
 * updateStatefulSetAfterInvariantEstablished (MaxUnavailableStatefulSet): delete up to
 * maxUnavailable - unavailable pods not on the update revision, highest ordinal first, never
 * below the partition. Unhealthy pods anywhere in the set use up the budget.
 */
export function rollingUpdateWithMaxUnavailable<P>(spec: StatefulSetControlSpec, replicas: StatefulPod<P>[], updateRevision: string): StatefulPod<P>[] {
  const maxUnavailable = getStatefulSetMaxUnavailable(spec.maxUnavailable, spec.replicas);
  const unavailable = replicas.filter((p) => !isHealthy(p)).length;
  if (unavailable >= maxUnavailable) return [];
  const budget = maxUnavailable - unavailable;
  const doomed: StatefulPod<P>[] = [];
  for (let target = replicas.length - 1; target >= spec.partition && doomed.length < budget; target--) {
    const p = replicas[target];
    if (p.revision !== updateRevision && !p.terminating) doomed.push(p);
  }
  return doomed;
}

/** Pod status counters as updateStatus computes them. */
export function statefulSetStatus(pods: readonly StatefulPod[], currentRevision: string, updateRevision: string): StatefulSetStatusView {
  const s: StatefulSetStatusView = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0, currentRevision, updateRevision };
  for (const p of pods) {
    s.replicas++;
    if (isRunningAndReady(p)) {
      s.readyReplicas++;
      if (isAvailable(p)) s.availableReplicas++;
    }
    if (!p.terminating) {
      if (p.revision === currentRevision) s.currentReplicas++;
      if (p.revision === updateRevision) s.updatedReplicas++;
    }
  }
  return s;
}

/**
 * One updateStatefulSet pass: the creates and deletes it issues, in order. OrderedReady stops at
 * the first pod that is missing, terminating or not Running+Ready (creating at most one pod);
 * Parallel creates and condemns all at once. Scaling wins over updating; OnDelete never deletes
 * for an update. Pods with an ordinal outside the set's range are condemned, highest first.
 */
export function updateStatefulSet<P>(spec: StatefulSetControlSpec, pods: readonly StatefulPod<P>[], currentRevision: string, updateRevision: string): StatefulSetAction<P>[] {
  const actions: StatefulSetAction<P>[] = [];
  const start = spec.ordinalsStart;
  const end = start + spec.replicas - 1;
  const replicas: (StatefulPod<P> | undefined)[] = new Array(Math.max(0, spec.replicas)).fill(undefined);
  const condemned: StatefulPod<P>[] = [];
  for (const p of pods) {
    if (p.ordinal >= start && p.ordinal <= end) replicas[p.ordinal - start] = p;
    else if (p.ordinal >= 0) condemned.push(p);
  }
  condemned.sort((a, b) => b.ordinal - a.ordinal);
  let firstUnhealthy: StatefulPod<P> | undefined;
  for (const p of replicas) if (p && !isHealthy(p) && !firstUnhealthy) firstUnhealthy = p;
  for (let i = condemned.length - 1; i >= 0 && !firstUnhealthy; i--) if (!isHealthy(condemned[i])) firstUnhealthy = condemned[i];

  const monotonic = spec.podManagementPolicy !== 'Parallel';
  for (let i = 0; i < replicas.length; i++) {
    const ordinal = start + i;
    let p = replicas[i];
    if (p && isTerminal(p)) {
      // processReplica: a finished pod is deleted and recreated in the same pass.
      actions.push({ kind: 'delete', ordinal, reason: 'terminal', pod: p });
      p = undefined;
    }
    if (!p) {
      const revision = revisionForNewPod(spec, ordinal, currentRevision, updateRevision);
      actions.push({ kind: 'create', ordinal, revision });
      replicas[i] = { ordinal, revision, phase: 'Pending', ready: false, terminating: false };
      if (monotonic) return actions;
      continue;
    }
    if (monotonic && (p.terminating || !isRunningAndReady(p) || !isAvailable(p))) return actions;
  }
  for (const p of condemned) {
    if (p.terminating) {
      if (monotonic) return actions;
      continue;
    }
    if (monotonic && p !== firstUnhealthy && (!isRunningAndReady(p) || !isAvailable(p))) return actions;
    actions.push({ kind: 'delete', ordinal: p.ordinal, reason: 'condemned', pod: p });
    if (monotonic) return actions;
  }
  if (spec.updateStrategy === 'OnDelete') return actions;
  const live = replicas as StatefulPod<P>[];
  if (spec.maxUnavailableEnabled) {
    let doomed: StatefulPod<P>[] = [];
    try {
      doomed = rollingUpdateWithMaxUnavailable(spec, live, updateRevision);
    } catch {
      // An invalid maxUnavailable fails the sync upstream: no update progress (the API server rejects it anyway).
    }
    for (const p of doomed) actions.push({ kind: 'delete', ordinal: p.ordinal, reason: 'update', pod: p });
    return actions;
  }
  for (let target = live.length - 1; target >= spec.partition; target--) {
    const p = live[target];
    if (p.revision !== updateRevision && !p.terminating) {
      actions.push({ kind: 'delete', ordinal: p.ordinal, reason: 'update', pod: p });
      return actions;
    }
    if (!isHealthy(p)) return actions;
  }
  return actions;
}

/** completeRollingUpdate: once every replica is updated and ready the update revision becomes current. */
export function rollingUpdateComplete(spec: StatefulSetControlSpec, status: StatefulSetStatusView): boolean {
  return spec.updateStrategy === 'RollingUpdate' && status.updatedReplicas === spec.replicas && status.readyReplicas === spec.replicas && status.replicas === spec.replicas;
}
