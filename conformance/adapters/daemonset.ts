// Maps the daemonset conformance vectors (conformance/vectors/daemonset.json) onto the DaemonSet
// controller's pure functions (placement, manage, rolling update, desired counts).
import {
  allowsSurge,
  type DaemonPod,
  type DaemonSetUpdateStrategy,
  daemonPodPlacement,
  defaultDaemonPodTolerations,
  nodeShouldRunDaemonPod,
  syncDaemonSet,
  updatedDesiredNodeCounts,
} from '../../server/src/engine/controllers/daemonset';
import type { SimNode, Taint } from '../../server/src/engine/types';

type Input = Record<string, any>;

function node(n: Input | string): SimNode {
  if (typeof n === 'string') return { name: n, labels: {}, taints: [], unschedulable: false, ready: true, allocatable: {} };
  return {
    name: n.name,
    labels: n.labels ?? {},
    taints: (n.taints ?? []) as Taint[],
    unschedulable: n.unschedulable === true,
    ready: (n.conditions?.Ready ?? 'True') === 'True',
    allocatable: {},
  };
}

/** The vectors' pod template shape -> a pod spec. */
function podSpec(t: Input): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    tolerations: t.tolerations ?? [],
    hostNetwork: t.hostNetwork === true,
    containers: t.containers ?? [],
  };
  if (t.nodeName) spec.nodeName = t.nodeName;
  if (t.nodeSelector) spec.nodeSelector = t.nodeSelector;
  if (Array.isArray(t.requiredNodeAffinityTerms)) {
    spec.affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: t.requiredNodeAffinityTerms.map((term: unknown) => (Array.isArray(term) ? { matchExpressions: term } : term)),
        },
      },
    };
  }
  return spec;
}

function strategy(s: Input | undefined): DaemonSetUpdateStrategy {
  return { type: s?.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate', maxUnavailable: s?.maxUnavailable ?? 1, maxSurge: s?.maxSurge ?? null };
}

function daemonPod(name: string, extra: Partial<DaemonPod<string>> = {}): DaemonPod<string> {
  return { ref: name, name, phase: 'Running', ready: true, available: true, terminating: false, updated: true, createdAt: 0, ...extra };
}

function group(pods: DaemonPod<string>[], nodeOf: (p: DaemonPod<string>) => string): Map<string, DaemonPod<string>[]> {
  const byNode = new Map<string, DaemonPod<string>[]>();
  for (const p of pods) byNode.set(nodeOf(p), [...(byNode.get(nodeOf(p)) ?? []), p]);
  return byNode;
}

/**
 * The starting pods, one per node in node order: the structured `initialPods` (a pod is updated
 * when its template is `newTemplate`), or for vectors without them the prose `initialState`.
 */
function initialDaemonPods(input: Input, nodeCount: number): { ready: boolean; updated: boolean }[] {
  if (Array.isArray(input.initialPods)) {
    return (input.initialPods as Input[]).slice(0, nodeCount).map((p) => ({ ready: p.ready === true, updated: p.template === input.newTemplate }));
  }
  const initial = parseInitialState(String(input.initialState ?? ''), nodeCount);
  return Array.from({ length: Math.min(initial.pods, nodeCount) }, () => ({ ready: initial.ready, updated: initial.updated }));
}

// "5 daemon pods, all ready, old template" and similar: how many pods, ready or not, which template.
function parseInitialState(text: string, nodes: number): { pods: number; ready: boolean; updated: boolean } {
  const count = /(\d+)\s+(?:daemon\s+)?pods?/i.exec(text);
  return {
    pods: count ? Number(count[1]) : nodes,
    ready: !/not[\s-]+ready|unready|none\s+ready|no\s+pods?\s+ready/i.test(text),
    updated: /new\s+template|current\s+template|up-to-date/i.test(text),
  };
}

// Whether the vector's test marks new pods ready between syncs (a boolean input field about readiness).
function newPodsBecomeReady(input: Input): boolean {
  if (/become ready/i.test(String(input.assumptions ?? ''))) return true;
  return Object.entries(input).some(([key, value]) => key !== 'initialState' && /ready/i.test(key) && value === true);
}

export const adapters: Record<string, (input: any) => unknown> = {
  defaultDaemonPodTolerations(input: Input) {
    return { tolerations: defaultDaemonPodTolerations(input.hostNetwork === true) };
  },
  nodeShouldRunDaemonPod(input: Input) {
    const r = nodeShouldRunDaemonPod(node(input.node), daemonPodPlacement(podSpec(input.podTemplate ?? {})));
    return { shouldRun: r.shouldRun, shouldContinueRunning: r.shouldContinueRunning };
  },
  daemonSetSync(input: Input) {
    const nodes = (input.nodes ?? []).map(node);
    const ds = input.daemonSet ?? {};
    const pods = (input.existingDaemonPods ?? []).map((p: Input, i: number) =>
      daemonPod(`pod-${i}`, {
        phase: p.phase ?? 'Running',
        terminating: p.deletionTimestamp != null,
        createdAt: i,
        ready: p.ready !== false,
        available: p.ready !== false,
        updated: !(p.updated === false || p.template === 'old' || p.revision === 'old'),
      }),
    );
    const nodeOfPod = new Map<string, string>((input.existingDaemonPods ?? []).map((p: Input, i: number) => [`pod-${i}`, p.node]));
    const beingDeleted = ds.beingDeleted === true || ds.deletionTimestamp != null;
    const r = syncDaemonSet(nodes, daemonPodPlacement(podSpec(ds)), group(pods, (p) => nodeOfPod.get(p.name) ?? ''), strategy(input.updateStrategy ?? ds.updateStrategy), beingDeleted);
    return { podsCreated: r.nodesToCreate.length, podsDeleted: r.podsToDelete.length, warningEvents: r.warnings.length };
  },
  updatedDesiredNodeCounts(input: Input) {
    const nodes = (input.nodes ?? []).map(node);
    const byNode = new Map<string, unknown[]>(Object.entries(input.podsByNode ?? {}) as [string, unknown[]][]);
    const r = updatedDesiredNodeCounts(nodes, daemonPodPlacement(podSpec(input.podTemplate ?? {})), byNode, strategy(input.updateStrategy));
    return { maxSurge: r.maxSurge, maxUnavailable: r.maxUnavailable, desiredNumberScheduled: r.desiredNumberScheduled, nodesWithoutPods: r.nodesWithoutPods.length };
  },
  daemonSetRollingUpdateSequence(input: Input) {
    const nodeCount = typeof input.nodes === 'number' ? input.nodes : (input.nodes ?? []).length;
    const nodes = Array.from({ length: nodeCount }, (_, i) => node(`node-${i}`));
    const placement = daemonPodPlacement({});
    const podNode = new Map<string, string>();
    let pods: DaemonPod<string>[] = [];
    initialDaemonPods(input, nodeCount).forEach((initial, i) => {
      const name = `old-${i}`;
      podNode.set(name, nodes[i].name);
      pods.push(daemonPod(name, { ready: initial.ready, available: initial.ready, updated: initial.updated }));
    });
    // Upstream's surge tests mark pods ready once a sync changes nothing; the maxUnavailable
    // tests that mark them do so right after the sync that created them. Without surge pods only
    // become ready when the vector says so.
    const surge = allowsSurge(strategy(input.updateStrategy));
    const becomeReady = surge || newPodsBecomeReady(input);
    const steps: unknown[] = [];
    let created = 0;
    for (let i = 0; i < 100; i++) {
      const r = syncDaemonSet(nodes, placement, group(pods, (p) => podNode.get(p.name) ?? ''), strategy(input.updateStrategy));
      steps.push({ sync: { podsCreated: r.nodesToCreate.length, podsDeleted: r.podsToDelete.length } });
      const doomed = new Set(r.podsToDelete);
      pods = pods.filter((p) => !doomed.has(p.ref));
      for (const n of r.nodesToCreate) {
        const name = `new-${created++}`;
        podNode.set(name, n);
        pods.push(daemonPod(name, { ready: false, available: false, updated: true, createdAt: created }));
      }
      const idle = r.nodesToCreate.length === 0 && r.podsToDelete.length === 0;
      const unready = pods.some((p) => !p.ready);
      const markNow = becomeReady && unready && (surge ? idle : r.nodesToCreate.length > 0);
      if (markNow) {
        pods = pods.map((p) => ({ ...p, ready: true, available: true }));
        steps.push({ event: 'allPodsBecomeReady' });
        continue;
      }
      if (idle) break;
    }
    return { steps, readyPodsAfter: pods.filter((p) => p.ready).length };
  },
};
