// Conformance adapter for conformance/vectors/replicaset.json: pod ordering, victim choice and
// the create batching of the ReplicaSet controller.
import {
  activePodsLess,
  activePodsWithRanksLess,
  countTerminatingPods,
  filterActivePods,
  sortActivePods,
  type RankablePod,
  type RankingGates,
} from '../../server/src/engine/controllers/replicaset/activepods';
import { getPodsToDelete } from '../../server/src/engine/controllers/replicaset/podstodelete';
import { slowStartBatch } from '../../server/src/engine/controllers/replicaset/slowstart';

/* eslint-disable @typescript-eslint/no-explicit-any -- vectors are untyped JSON */
type Input = any;

interface VectorPod extends RankablePod {
  name: string;
  template: string;
}

function seconds(time: string | null | undefined): number | null {
  if (time === null || time === undefined) return null;
  return Date.parse(time) / 1000;
}

function pods(list: Input): VectorPod[] {
  return (list ?? []).map(pod);
}

function pod(p: Input): VectorPod {
  return {
    name: p?.name ?? '',
    template: p?.template ?? p?.name ?? '',
    uid: p?.uid ?? '',
    nodeName: p?.nodeName ?? '',
    phase: p?.phase ?? '',
    ready: !!p?.ready,
    readySince: seconds(p?.readySince),
    createdAt: seconds(p?.creationTimestamp),
    restartCounts: p?.restartCounts ?? [],
    annotations: p?.annotations ?? {},
    deletionTimestamp: seconds(p?.deletionTimestamp),
  };
}

function gates(input: Input): RankingGates {
  return { PodDeletionCost: input?.featureGates?.PodDeletionCost ?? true, LogarithmicScaleDown: input?.featureGates?.LogarithmicScaleDown ?? true };
}

/** Upstream ranks against metav1.Now() unless the vector pins `now`. */
function now(input: Input): number {
  return seconds(input?.now) ?? Date.now() / 1000;
}

export const adapters: Record<string, (input: any) => unknown> = {
  sortActivePods: (input) => ({ order: sortActivePods(pods(input.pods)).map((p) => p.name) }),
  activePodsLess: (input) => ({ aBeforeB: activePodsLess(pod(input.podA), pod(input.podB)), bBeforeA: activePodsLess(pod(input.podB), pod(input.podA)) }),
  activePodsWithRanksLess: (input) => {
    const a = pod(input.podA);
    const b = pod(input.podB);
    const t = now(input);
    const g = gates(input);
    return {
      aBeforeB: activePodsWithRanksLess(a, input.rankA ?? 0, b, input.rankB ?? 0, t, g),
      bBeforeA: activePodsWithRanksLess(b, input.rankB ?? 0, a, input.rankA ?? 0, t, g),
    };
  },
  getPodsToDelete: (input) => {
    const candidates = pods(input.pods);
    const related = input.relatedPods ? pods(input.relatedPods) : candidates;
    return { podsToDeleteTemplates: getPodsToDelete(candidates, related, input.diff ?? 0, now(input), gates(input)).map((p) => p.template) };
  },
  filterActivePods: (input) => ({ active: filterActivePods(pods(input.pods)).map((p) => p.name) }),
  countTerminatingPods: (input) => ({ terminating: countTerminatingPods(pods(input.pods)) }),
  slowStartBatch: (input) => {
    let calls = 0;
    const limit = input.callsSucceedingBeforeFailures ?? input.count ?? 0;
    return slowStartBatch(input.count ?? 0, input.initialBatchSize ?? 1, () => ++calls <= limit);
  },
};
