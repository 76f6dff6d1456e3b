// Maps the statefulset conformance vectors (conformance/vectors/statefulset.json) onto the
// StatefulSet helpers and the pure control loop (updateStatefulSet). Sequences run the loop
// sync after sync against a fake pod store: deleted pods disappear at once and, unless a vector
// says otherwise, created pods are Running+Ready by the next sync (the upstream tests' fakes).
import {
  type PodManagementPolicy,
  type StatefulPod,
  type StatefulSetAction,
  type StatefulSetControlSpec,
  getClaimPodName,
  getParentNameAndOrdinal,
  getPersistentVolumeClaims,
  getPodName,
  getStartOrdinal,
  getStatefulSetMaxUnavailable,
  isRunningAndReady,
  rollingUpdateComplete,
  rollingUpdateWithMaxUnavailable,
  sortByOrdinalAscending,
  statefulSetStatus,
  updateStatefulSet,
} from '../../server/src/engine/controllers/statefulset';

type Input = Record<string, any>;

function controlSpec(input: Input, replicas: number, policy?: PodManagementPolicy): StatefulSetControlSpec {
  const gates = input.featureGates ?? {};
  return {
    replicas,
    ordinalsStart: getStartOrdinal(input.ordinals ?? (typeof input.ordinalsStart === 'number' ? { start: input.ordinalsStart } : null)),
    podManagementPolicy: (policy ?? input.podManagementPolicy) === 'Parallel' ? 'Parallel' : 'OrderedReady',
    updateStrategy: (input.updateStrategy?.type ?? input.updateStrategy) === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
    partition: typeof input.partition === 'number' ? input.partition : 0,
    maxUnavailable: input.maxUnavailable ?? null,
    maxUnavailableEnabled: gates.MaxUnavailableStatefulSet === true,
  };
}

const readyPod = (ordinal: number, revision: string): StatefulPod => ({ ordinal, revision, phase: 'Running', ready: true, terminating: false });

interface Store {
  pods: StatefulPod[];
  current: string;
  update: string;
}

/** One sync against the store: deletes remove pods, creates add Pending ones. */
function syncOnce(spec: StatefulSetControlSpec, store: Store): StatefulSetAction[] {
  const actions = updateStatefulSet(spec, store.pods, store.current, store.update);
  for (const a of actions) {
    if (a.kind === 'delete') store.pods = store.pods.filter((p) => p !== a.pod);
    else store.pods.push({ ordinal: a.ordinal, revision: a.revision, phase: 'Pending', ready: false, terminating: false });
  }
  const status = statefulSetStatus(store.pods, store.current, store.update);
  if (rollingUpdateComplete(spec, status)) store.current = store.update;
  return actions;
}

function makeReady(store: Store): void {
  store.pods = store.pods.map((p) => (p.terminating ? p : { ...p, phase: 'Running', ready: true }));
}

/** Syncs until one changes nothing (bounded); returns the actions of every sync that did something. */
function converge(spec: StatefulSetControlSpec, store: Store, readyBetween = true): StatefulSetAction[][] {
  const syncs: StatefulSetAction[][] = [];
  for (let i = 0; i < 1000; i++) {
    if (readyBetween) makeReady(store);
    const actions = syncOnce(spec, store);
    if (actions.length === 0) break;
    syncs.push(actions);
  }
  return syncs;
}

function actionView(a: StatefulSetAction): Record<string, unknown> {
  if (a.kind === 'create') return { create: a.ordinal, revision: a.revision };
  return a.reason === 'update' ? { delete: a.ordinal, reason: 'update' } : { delete: a.ordinal };
}

const ordinals = (pods: StatefulPod[]) => pods.map((p) => p.ordinal).sort((a, b) => a - b);

export const adapters: Record<string, (input: any) => unknown> = {
  podName(input: Input) {
    const podName = getPodName(input.setName, input.ordinal);
    const parsed = getParentNameAndOrdinal(podName);
    return { podName, parsedParent: parsed.parent, parsedOrdinal: parsed.ordinal };
  },
  parsePodName(input: Input) {
    return getParentNameAndOrdinal(input.podName);
  },
  claimPodName(input: Input) {
    return { podName: getClaimPodName(input.setName, input.claimName) };
  },
  persistentVolumeClaims(input: Input) {
    return { claims: getPersistentVolumeClaims(input.setName, input.ordinal, input.selectorMatchLabels, input.volumeClaimTemplates ?? []) };
  },
  isRunningAndReady(input: Input) {
    return { runningAndReady: isRunningAndReady({ phase: input.phase, ready: input.ready === true }) };
  },
  statefulSetMaxUnavailable(input: Input) {
    return { maxUnavailable: getStatefulSetMaxUnavailable(input.maxUnavailable, input.replicas) };
  },
  startOrdinal(input: Input) {
    const store: Store = { pods: [], current: 'v1', update: 'v1' };
    converge(controlSpec(input, input.replicas), store);
    const podNames = sortByOrdinalAscending(store.pods.map((p) => getPodName(input.setName, p.ordinal)));
    converge(controlSpec(input, input.scaleDownTo), store);
    return { podNames, podNamesAfterScaleDown: sortByOrdinalAscending(store.pods.map((p) => getPodName(input.setName, p.ordinal))) };
  },
  scaleToStable(input: Input) {
    const policies: PodManagementPolicy[] = input.policies ?? [input.podManagementPolicy ?? 'OrderedReady'];
    const results = policies.map((policy) => {
      const store: Store = { pods: [], current: 'v1', update: 'v1' };
      if (typeof input.initialReplicas === 'number') converge(controlSpec(input, input.initialReplicas, policy), store);
      converge(controlSpec(input, input.replicas, policy), store);
      makeReady(store);
      const s = statefulSetStatus(store.pods, store.current, store.update);
      return { replicas: s.replicas, readyReplicas: s.readyReplicas, updatedReplicas: s.updatedReplicas };
    });
    return { status: results[0], ...(results.some((r) => JSON.stringify(r) !== JSON.stringify(results[0])) ? { policiesDisagree: results } : {}) };
  },
  recreateTerminalPod(input: Input) {
    const phases: string[] = Array.isArray(input.terminalPhase) ? input.terminalPhase : [input.terminalPhase ?? 'Failed'];
    const results = phases.map((phase) => {
      const spec = controlSpec(input, input.replicas);
      const store: Store = { pods: [], current: 'v1', update: 'v1' };
      const first = syncOnce(spec, store);
      // The test marks the pods Pending, then ordinal 0 terminal.
      store.pods = store.pods.map((p, i) => ({ ...p, phase: i === 0 ? (phase as StatefulPod['phase']) : 'Pending', ready: false }));
      const later = converge(spec, store, false).flat();
      const all = [...first, ...later];
      const deleted = later.find((a) => a.kind === 'delete');
      const recreated = deleted ? later.find((a) => a.kind === 'create' && a.ordinal === deleted.ordinal) : undefined;
      return {
        firstSyncCreates: first.filter((a) => a.kind === 'create').map((a) => a.ordinal),
        deleteCalls: all.filter((a) => a.kind === 'delete').length,
        totalCreateCalls: all.filter((a) => a.kind === 'create').length,
        recreatedOrdinal: recreated ? recreated.ordinal : null,
      };
    });
    return results[0];
  },
  rollingUpdateConverge(input: Input) {
    const store: Store = { pods: [], current: 'v0', update: 'v0' };
    converge(controlSpec(input, input.initialReplicas), store);
    store.update = 'v1';
    converge(controlSpec(input, input.replicas), store);
    return {
      podsOnNewRevision: ordinals(store.pods.filter((p) => p.revision === 'v1')),
      podsOnOldRevision: ordinals(store.pods.filter((p) => p.revision !== 'v1')),
    };
  },
  rollingUpdateSequence(input: Input) {
    const spec = controlSpec(input, input.replicas);
    const store: Store = { pods: [], current: 'v0', update: 'v0' };
    for (let o = 0; o < input.replicas; o++) store.pods.push(readyPod(spec.ordinalsStart + o, 'v0'));
    store.update = 'v1';
    const syncs: { sync: number; expectPodsPresent: number[] }[] = [];
    for (let i = 1; i <= 1000; i++) {
      makeReady(store);
      const actions = syncOnce(spec, store);
      syncs.push({ sync: i, expectPodsPresent: ordinals(store.pods) });
      if (actions.length === 0) break;
    }
    return { syncs };
  },
  maxUnavailableBudget(input: Input) {
    const spec = controlSpec(input, input.replicas);
    const terminating = new Set<number>(input.terminatingOrdinals ?? []);
    const pods = Array.from({ length: input.replicas }, (_, o) => ({ ...readyPod(o, 'v0'), terminating: terminating.has(o) }));
    const doomed = rollingUpdateWithMaxUnavailable(spec, pods, 'v1');
    return { podsDeletedThisSync: doomed.length, podsRemaining: pods.length - doomed.length };
  },
  controlLoopSequence(input: Input) {
    const update = input.updateRevision ?? 'v1';
    const initial = input.initialRevision ?? update;
    const spec = controlSpec(input, input.replicas);
    const store: Store = { pods: (input.initialPods ?? []).map((o: number) => readyPod(o, initial)), current: initial, update };
    return { syncActions: converge(spec, store).map((sync) => sync.map(actionView)) };
  },
  controlLoopSingleSync(input: Input) {
    const revision = input.updateRevision ?? 'v1';
    const spec = controlSpec(input, input.replicas);
    const pods: StatefulPod[] = (input.pods ?? []).map((p: { ordinal: number; ready: boolean; revision?: string; phase?: string; terminating?: boolean }) => ({
      ordinal: p.ordinal,
      revision: p.revision ?? revision,
      phase: p.phase ?? 'Running',
      ready: p.ready !== false,
      terminating: p.terminating === true,
    }));
    return { actions: updateStatefulSet(spec, pods, input.initialRevision ?? revision, revision).map(actionView) };
  },
  sortByOrdinal(input: Input) {
    return { order: sortByOrdinalAscending(input.podNames) };
  },
};
