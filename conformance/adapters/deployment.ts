// Conformance adapter for conformance/vectors/deployment.json: maps each `input.kind` onto the
// engine's upstream-named Deployment helpers and returns the fields the vectors compare.
import {
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  filterActiveReplicaSets,
  findOldReplicaSets,
  getActualReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  getReplicaSetFraction,
  isSaturated,
  maxSurge,
  maxUnavailable,
  minAvailable,
  newRSNewReplicas,
  REVISION_ANNOTATION,
  resolveFenceposts,
  scaleIntOrPercent,
  type DeploymentLike,
  type ReplicaSetLike,
} from '../../server/src/engine/controllers/deployment/util';
import {
  cleanupUnhealthyReplicas,
  reconcileNewReplicaSet,
  reconcileOldReplicaSets,
  rolloutRollingStep,
  scaleDownOldReplicaSetsForRollingUpdate,
  type ScaleReplicaSet,
} from '../../server/src/engine/controllers/deployment/rolling';
import { oldPodsRunning, scaleDownOldReplicaSetsForRecreate, scaleUpNewReplicaSetForRecreate } from '../../server/src/engine/controllers/deployment/recreate';
import { cleanupOldReplicaSets, scaleDeployment, type HistoryReplicaSet } from '../../server/src/engine/controllers/deployment/sync';

/* eslint-disable @typescript-eslint/no-explicit-any -- vectors are untyped JSON */
type Input = any;

/** RFC 3339 -> seconds; null/undefined stays (Go's zero time). */
function seconds(time: string | null | undefined): number | null {
  if (time === null || time === undefined) return null;
  return Date.parse(time) / 1000;
}

function deployment(d: Input): DeploymentLike {
  return { strategy: d?.strategy ?? 'RollingUpdate', replicas: d?.replicas ?? 0, maxSurge: d?.maxSurge, maxUnavailable: d?.maxUnavailable, statusReplicas: d?.statusReplicas };
}

/** Replica set records from the vector shape; `createdAt` defaults to the list position. */
function replicaSet(rs: Input, index: number): ReplicaSetLike {
  return {
    name: rs?.name ?? `rs-${index}`,
    uid: rs?.name ?? `rs-${index}`,
    replicas: rs?.replicas ?? rs?.specReplicas ?? 0,
    statusReplicas: rs?.statusReplicas ?? rs?.replicas ?? rs?.specReplicas ?? 0,
    availableReplicas: rs?.availableReplicas ?? 0,
    createdAt: rs?.createdAt !== undefined ? seconds(rs.createdAt) : index,
    annotations: { ...(rs?.annotations ?? {}) },
  };
}

const resize: ScaleReplicaSet<ReplicaSetLike> = (rs, n) => {
  if (rs.replicas === n) return false;
  rs.replicas = n;
  return true;
};

/** Wraps a computation whose invalid IntOrString input upstream reports as an error. */
function orError<T extends object>(compute: () => T): T | { error: true } {
  try {
    return compute();
  } catch {
    return { error: true };
  }
}

/** Pods become available and deleted pods vanish between syncs (the walkthrough assumption). */
function settleInstantly(rss: ReplicaSetLike[]): void {
  for (const rs of rss) {
    rs.availableReplicas = rs.replicas;
    rs.statusReplicas = rs.replicas;
  }
}

function rollingUpdateWalkthrough(input: Input) {
  const d = deployment(input.deployment);
  const initial = input.initialOldRSReplicas;
  const listed = Array.isArray(initial);
  const olds = (listed ? initial : [initial]).map((n: number, i: number) => replicaSet({ name: `old-${i}`, replicas: n, availableReplicas: n }, i));
  const startNew = input.initialNewRSReplicas ?? 0;
  const newRS = replicaSet({ name: 'new', replicas: startNew, availableReplicas: startNew }, olds.length);
  const steps: Record<string, unknown>[] = [];
  for (let guard = 0; guard < 10_000; guard++) {
    const action = rolloutRollingStep(newRS, olds, d, resize);
    if (!action) break;
    settleInstantly([...olds, newRS]);
    steps.push({ action, newRS: newRS.replicas, oldRS: listed ? olds.map((rs) => rs.replicas) : olds[0].replicas });
  }
  return { steps };
}

function recreateWalkthrough(input: Input) {
  const d = deployment({ ...input.deployment, strategy: 'Recreate' });
  const initial = input.oldReplicaSetReplicas ?? input.initialOldRSReplicas ?? [];
  const listed = Array.isArray(initial);
  const olds = (listed ? initial : [initial]).map((n: number, i: number) => replicaSet({ name: `old-${i}`, replicas: n, availableReplicas: n }, i));
  let newRS: ReplicaSetLike | undefined;
  const steps: Record<string, unknown>[] = [];
  const record = (action: string) => {
    const oldSizes = olds.map((rs: ReplicaSetLike) => rs.replicas);
    const newSize = newRS?.replicas ?? 0;
    steps.push({ action, newRS: newSize, oldRS: listed ? oldSizes : oldSizes[0], newReplicaSetReplicas: newSize, oldReplicaSetReplicas: oldSizes });
  };
  for (let guard = 0; guard < 100; guard++) {
    if (scaleDownOldReplicaSetsForRecreate(olds, resize)) {
      record('scaleDownOldRS');
      settleInstantly(olds);
      continue;
    }
    if (oldPodsRunning(newRS?.uid, olds, new Map())) break;
    newRS ??= replicaSet({ name: 'new', replicas: 0 }, olds.length);
    if (!scaleUpNewReplicaSetForRecreate(newRS, d, resize)) break;
    record('scaleNewRS');
    settleInstantly([newRS]);
  }
  return { steps };
}

function historyReplicaSet(rs: Input, index: number): HistoryReplicaSet {
  const record: HistoryReplicaSet = { ...replicaSet(rs, index), beingDeleted: !!rs?.beingDeleted, generation: rs?.generation, observedGeneration: rs?.observedGeneration };
  record.statusReplicas = rs?.statusReplicas ?? 0;
  if (rs?.revisionAnnotation !== undefined && rs.revisionAnnotation !== null) record.annotations = { [REVISION_ANNOTATION]: String(rs.revisionAnnotation) };
  return record;
}

export const adapters: Record<string, (input: any) => unknown> = {
  // A nil IntOrString is an error upstream ("nil value for IntOrString").
  scaleIntOrPercent: (input) => (input.value === null || input.value === undefined ? { error: true } : orError(() => ({ value: scaleIntOrPercent(input.value, input.total, input.roundUp) }))),
  resolveFenceposts: (input) => orError(() => resolveFenceposts(input.maxSurge, input.maxUnavailable, input.replicas)),
  maxSurge: (input) => orError(() => ({ maxSurge: maxSurge(deployment(input.deployment)) })),
  maxUnavailable: (input) => orError(() => ({ maxUnavailable: maxUnavailable(deployment(input.deployment)) })),
  minAvailable: (input) => orError(() => ({ minAvailable: minAvailable(deployment(input.deployment)) })),
  newRSNewReplicas: (input) =>
    orError(() => ({
      newRSReplicas: newRSNewReplicas(
        deployment(input.deployment),
        (input.allReplicaSetReplicas ?? []).map((n: number, i: number) => replicaSet({ replicas: n }, i)),
        { replicas: input.newRSReplicas ?? 0 },
      ),
    })),
  isSaturated: (input) => ({ saturated: isSaturated({ replicas: input.deployment?.replicas ?? 0 }, input.replicaSet ? replicaSet(input.replicaSet, 0) : undefined) }),
  replicaSetFraction: (input) => orError(() => ({ fraction: getReplicaSetFraction(replicaSet(input.replicaSet, 0), deployment(input.deployment)) })),
  proportionalScale: (input) =>
    orError(() => {
      const olds = (input.oldReplicaSets ?? []).map(replicaSet);
      const newRS = input.newReplicaSet ? replicaSet(input.newReplicaSet, olds.length) : undefined;
      scaleDeployment(deployment(input.deployment), newRS, olds, resize);
      const replicasByReplicaSet: Record<string, number> = {};
      for (const rs of newRS ? [newRS, ...olds] : olds) replicasByReplicaSet[rs.name] = rs.replicas;
      return { replicasByReplicaSet };
    }),
  reconcileNewReplicaSet: (input) =>
    orError(() => {
      const olds = (Array.isArray(input.oldReplicaSetReplicas) ? input.oldReplicaSetReplicas : [input.oldReplicaSetReplicas ?? 0]).map((n: number, i: number) => replicaSet({ replicas: n }, i));
      const newRS = replicaSet({ name: 'new', replicas: input.newReplicaSetReplicas ?? 0 }, olds.length);
      const scaled = reconcileNewReplicaSet([...olds, newRS], newRS, deployment(input.deployment), resize);
      return { scaled, newReplicaSetReplicas: newRS.replicas };
    }),
  reconcileOldReplicaSets: (input) =>
    orError(() => {
      const olds = (input.oldReplicaSets ?? []).map(replicaSet);
      const newRS = replicaSet({ name: 'new', ...(input.newReplicaSet ?? {}) }, olds.length);
      const result = reconcileOldReplicaSets([...olds, newRS], filterActiveReplicaSets(olds), newRS, deployment(input.deployment), resize);
      return { ...result, oldReplicaSetReplicas: olds.map((rs: ReplicaSetLike) => rs.replicas) };
    }),
  cleanupUnhealthyReplicas: (input) => {
    const olds = (input.oldReplicaSets ?? []).map(replicaSet);
    const cleanedUp = cleanupUnhealthyReplicas(olds, input.maxCleanupCount ?? 0, resize);
    return { cleanedUp, oldReplicaSetReplicas: olds.map((rs: ReplicaSetLike) => rs.replicas) };
  },
  scaleDownOldReplicaSetsForRollingUpdate: (input) =>
    orError(() => {
      const olds = (input.oldReplicaSets ?? []).map(replicaSet);
      const count = scaleDownOldReplicaSetsForRollingUpdate(olds, olds, deployment(input.deployment), resize);
      return { scaled: count > 0, scaledDown: count, oldReplicaSetReplicas: olds.map((rs: ReplicaSetLike) => rs.replicas) };
    }),
  rollingUpdateWalkthrough: (input) => orError(() => rollingUpdateWalkthrough(input)),
  recreateScaleDownOld: (input) => {
    const olds = (input.oldReplicaSetReplicas ?? []).map((n: number, i: number) => replicaSet({ replicas: n }, i));
    const scaled = scaleDownOldReplicaSetsForRecreate(olds, resize);
    return { scaled, oldReplicaSetReplicas: olds.map((rs: ReplicaSetLike) => rs.replicas) };
  },
  oldPodsRunning: (input) => {
    const olds = (input.oldReplicaSetStatusReplicas ?? []).map((n: number, i: number) => ({ name: String(i), replicas: 0, statusReplicas: n }));
    const byOwner = new Map<string, string[]>(Object.entries(input.podPhasesByOwner ?? {}) as [string, string[]][]);
    const newOwner = input.newReplicaSetOwner ?? input.newReplicaSet ?? undefined;
    return { oldPodsRunning: oldPodsRunning(newOwner === undefined || newOwner === null ? undefined : String(newOwner), olds, byOwner) };
  },
  recreateWalkthrough: (input) => recreateWalkthrough(input),
  deploymentComplete: (input) => ({ complete: deploymentComplete({ replicas: input.deployment?.replicas ?? 0, generation: input.deployment?.generation }, input.status) }),
  deploymentProgressing: (input) => ({ progressing: deploymentProgressing(input.oldStatus, input.newStatus) }),
  deploymentTimedOut: (input) => {
    const c = input.progressingCondition;
    const condition = c ? { status: c.status, reason: c.reason ?? '', lastUpdateTime: seconds(c.lastUpdateTime) ?? 0 } : undefined;
    return { timedOut: deploymentTimedOut(input.progressDeadlineSeconds, condition, seconds(input.now) ?? 0) };
  },
  cleanupOldReplicaSets: (input) => {
    const olds = (input.oldReplicaSets ?? []).map(historyReplicaSet);
    const deleted = cleanupOldReplicaSets(olds, input.revisionHistoryLimit);
    return { deletions: deleted.length, deletedReplicaSets: deleted.map((rs) => rs.name) };
  },
  findNewReplicaSet: (input) => findReplicaSets(input),
  findOldReplicaSets: (input) => findReplicaSets(input),
  filterActiveReplicaSets: (input) => {
    const rss = (input.replicaSets ?? []).map((rs: Input, i: number) => (rs ? replicaSet(rs, i) : null));
    return { active: filterActiveReplicaSets(rss).map((rs) => rs.name) };
  },
  replicaCounts: (input) => {
    const rss = (input.replicaSets ?? []).map((rs: Input, i: number) => (rs ? { ...replicaSet(rs, i), statusReplicas: rs.statusReplicas ?? 0 } : null));
    return { specTotal: getReplicaCountForReplicaSets(rss), actualTotal: getActualReplicaCountForReplicaSets(rss) };
  },
};

function findReplicaSets(input: Input) {
  const rss: (ReplicaSetLike & { matches: boolean })[] = (input.replicaSets ?? []).map((rs: Input, i: number) => ({ ...replicaSet(rs, i), matches: !!rs?.templateMatchesDeployment }));
  const { newRS, allOld, requiredOld } = findOldReplicaSets(rss, (rs) => rs.matches);
  return {
    newReplicaSet: newRS?.name ?? null,
    allOldReplicaSets: allOld.map((rs: ReplicaSetLike) => rs.name),
    requiredOldReplicaSets: requiredOld.map((rs: ReplicaSetLike) => rs.name),
  };
}
