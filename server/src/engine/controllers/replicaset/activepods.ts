// Which pods a ReplicaSet deletes first: ActivePods and ActivePodsWithRanks of
// pkg/controller/controller_utils.go, and the pod filters around them. Times are seconds
// (virtual seconds in the engine); null/undefined is Go's zero time.

/** The fields of a pod the ranking reads; SimPod satisfies it. */
export interface RankablePod {
  uid?: string;
  /** '' or undefined = not scheduled. */
  nodeName?: string;
  phase: string;
  ready: boolean;
  /** lastTransitionTime of the Ready condition; null/undefined = not recorded. */
  readySince?: number | null;
  createdAt?: number | null;
  /** Restart count of every container ... */
  restartCounts?: readonly number[];
  /** ... or a single count (SimPod). */
  restartCount?: number;
  annotations?: Record<string, string>;
  deletionTimestamp?: number | null;
}

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function phaseOrdinal(phase: string): number {
  return PHASE_ORDINAL[phase] ?? 0;
}

function isZero(t: number | null | undefined): t is null | undefined {
  return t === null || t === undefined;
}

/** afterOrZero: a zero time sorts first, otherwise the later time does. */
function afterOrZero(t1: number | null | undefined, t2: number | null | undefined): boolean {
  if (isZero(t1) || isZero(t2)) return isZero(t1);
  return t1 > t2;
}

/** podReadyTime: the Ready transition time, only for a ready pod. */
function podReadyTime(pod: RankablePod): number | null | undefined {
  return pod.ready ? pod.readySince : undefined;
}

export function maxContainerRestarts(pod: RankablePod): number {
  if (pod.restartCounts && pod.restartCounts.length > 0) return Math.max(...pod.restartCounts);
  return pod.restartCount ?? 0;
}

/** GetDeletionCostFromPodAnnotations: an int32 annotation, default (and on a bad value) 0. */
export function podDeletionCost(pod: RankablePod): number {
  const raw = pod.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return 0;
  const value = Number(raw);
  return value >= -2147483648 && value <= 2147483647 ? value : 0;
}

function unscheduled(pod: RankablePod): boolean {
  return !pod.nodeName;
}

/** Rules 1-3 shared by both orders; undefined when they do not decide. */
function lessByPlacementPhaseReadiness(a: RankablePod, b: RankablePod): boolean | undefined {
  if ((a.nodeName ?? '') !== (b.nodeName ?? '') && (unscheduled(a) || unscheduled(b))) return unscheduled(a);
  if (phaseOrdinal(a.phase) !== phaseOrdinal(b.phase)) return phaseOrdinal(a.phase) < phaseOrdinal(b.phase);
  if (a.ready !== b.ready) return !a.ready;
  return undefined;
}

/**
 * ActivePods.Less (the rule set without ranks): unscheduled < scheduled; Pending < Unknown <
 * Running; not ready < ready; ready more recently (or unrecorded) first; more restarts first;
 * newer (or unset) creation first. True when `a` should be deleted before `b`.
 */
export function activePodsLess(a: RankablePod, b: RankablePod): boolean {
  const decided = lessByPlacementPhaseReadiness(a, b);
  if (decided !== undefined) return decided;
  if (a.ready && b.ready) {
    const ra = podReadyTime(a);
    const rb = podReadyTime(b);
    if (ra !== rb) return afterOrZero(ra, rb);
  }
  const restartsA = maxContainerRestarts(a);
  const restartsB = maxContainerRestarts(b);
  if (restartsA !== restartsB) return restartsA > restartsB;
  if (a.createdAt !== b.createdAt && !(isZero(a.createdAt) && isZero(b.createdAt))) return afterOrZero(a.createdAt, b.createdAt);
  return false;
}

/** sortActivePods: a copy in ActivePods order (first = deleted first). */
export function sortActivePods<T extends RankablePod>(pods: readonly T[]): T[] {
  return [...pods].sort((a, b) => (activePodsLess(a, b) ? -1 : activePodsLess(b, a) ? 1 : 0));
}

export interface RankingGates {
  PodDeletionCost: boolean;
  LogarithmicScaleDown: boolean;
}

export const DEFAULT_RANKING_GATES: RankingGates = { PodDeletionCost: true, LogarithmicScaleDown: true };

/** A pod's sort keys for ActivePodsWithRanks, computed once (sorting compares each pod many times). */
export interface RankKey {
  unscheduled: boolean;
  nodeName: string;
  phase: number;
  ready: boolean;
  cost: number;
  rank: number;
  readyTime: number | null | undefined;
  readyBucket: number;
  restarts: number;
  createdAt: number | null | undefined;
  createdBucket: number;
  uid: string;
}

/** The power-of-two bucket of nanoseconds since `t` (times not in the past fall in bucket -1). */
function logBucket(t: number | null | undefined, now: number | undefined): number {
  if (isZero(t) || now === undefined) return 0;
  const nanos = (now - t) * 1e9;
  return nanos > 0 ? Math.floor(Math.log2(nanos)) : -1;
}

export function rankKey(pod: RankablePod, rank: number, now: number | undefined, gates: RankingGates = DEFAULT_RANKING_GATES): RankKey {
  const readyTime = podReadyTime(pod);
  return {
    unscheduled: unscheduled(pod),
    nodeName: pod.nodeName ?? '',
    phase: phaseOrdinal(pod.phase),
    ready: pod.ready,
    cost: gates.PodDeletionCost ? podDeletionCost(pod) : 0,
    rank,
    readyTime,
    readyBucket: logBucket(readyTime, now),
    restarts: maxContainerRestarts(pod),
    createdAt: pod.createdAt,
    createdBucket: logBucket(pod.createdAt, now),
    uid: pod.uid ?? '',
  };
}

/**
 * Rules 6 and 8 as a three-way comparison (negative: `a` first): a zero time first, then the newer
 * time; with LogarithmicScaleDown (and a `now`) by bucket, equal buckets by UID. The caller has
 * checked that the times differ and are not both zero.
 */
function newerFirst(a: RankKey, b: RankKey, ta: number | null | undefined, tb: number | null | undefined, bucketA: number, bucketB: number, logarithmic: boolean): number {
  if (isZero(ta) || isZero(tb)) return isZero(ta) ? -1 : 1;
  if (!logarithmic) return ta > tb ? -1 : 1;
  if (bucketA === bucketB) return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
  return bucketA < bucketB ? -1 : 1;
}

/**
 * ActivePodsWithRanks.Less over precomputed keys, as a three-way comparison: negative when `a` is
 * deleted before `b`, positive when after, 0 when neither is less. Every rule is antisymmetric, so
 * one call orders a pair (a sort of 10,000 pods made 260,000 Less calls with two per comparison).
 */
export function rankKeyCompare(a: RankKey, b: RankKey, logarithmic: boolean): number {
  if (a.nodeName !== b.nodeName && (a.unscheduled || b.unscheduled)) return a.unscheduled ? -1 : 1;
  if (a.phase !== b.phase) return a.phase < b.phase ? -1 : 1;
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.cost !== b.cost) return a.cost < b.cost ? -1 : 1;
  if (a.rank !== b.rank) return a.rank > b.rank ? -1 : 1;
  if (a.ready && b.ready && a.readyTime !== b.readyTime && !(isZero(a.readyTime) && isZero(b.readyTime))) {
    return newerFirst(a, b, a.readyTime, b.readyTime, a.readyBucket, b.readyBucket, logarithmic);
  }
  if (a.restarts !== b.restarts) return a.restarts > b.restarts ? -1 : 1;
  if (a.createdAt !== b.createdAt && !(isZero(a.createdAt) && isZero(b.createdAt))) {
    return newerFirst(a, b, a.createdAt, b.createdAt, a.createdBucket, b.createdBucket, logarithmic);
  }
  return 0;
}

/** ActivePodsWithRanks.Less over precomputed keys (see activePodsWithRanksLess). */
export function rankKeyLess(a: RankKey, b: RankKey, logarithmic: boolean): boolean {
  return rankKeyCompare(a, b, logarithmic) < 0;
}

/**
 * ActivePodsWithRanks.Less: the ReplicaSet scale-down order. After placement, phase and
 * readiness: lower pod-deletion-cost first, then higher rank (more related pods on the same
 * node) first, then ready more recently, more restarts, newer; with LogarithmicScaleDown the
 * times compare by power-of-two bucket of nanoseconds before `now`, equal buckets by UID.
 */
export function activePodsWithRanksLess(a: RankablePod, rankA: number, b: RankablePod, rankB: number, now: number | undefined, gates: RankingGates = DEFAULT_RANKING_GATES): boolean {
  return rankKeyLess(rankKey(a, rankA, now, gates), rankKey(b, rankB, now, gates), gates.LogarithmicScaleDown && now !== undefined);
}

/** IsPodActive: not Succeeded/Failed and not being deleted. */
export function isPodActive(pod: RankablePod): boolean {
  return pod.phase !== 'Succeeded' && pod.phase !== 'Failed' && isZero(pod.deletionTimestamp);
}

/** FilterActivePods. */
export function filterActivePods<T extends RankablePod>(pods: readonly T[]): T[] {
  return pods.filter(isPodActive);
}

/** IsPodTerminating: being deleted and not in a terminal phase. */
export function isPodTerminating(pod: RankablePod): boolean {
  return !isZero(pod.deletionTimestamp) && pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

/** CountTerminatingPods. */
export function countTerminatingPods(pods: readonly RankablePod[]): number {
  return pods.filter(isPodTerminating).length;
}
