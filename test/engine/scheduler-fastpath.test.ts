// The scheduling loop's shortcuts (equivalence classes, yes/no filters, scores over typed arrays)
// against the plugins themselves: a reference that runs every filter and score plugin object node
// by node, as kube-scheduler's framework does, must choose the same node for every pod of a long
// random mix of templates, pods leaving and nodes changing. Plus the class caches' invalidation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type CycleState,
  nodeAffinityPreFilterNodeNames,
  numFeasibleNodesToFind,
  podInfo,
  prioritizeNodes,
  runFilters,
  SchedulerCache,
  schedulePod,
} from '../../server/src/engine/scheduler';
import { blockWalkUse } from '../../server/src/engine/scheduler/fastpath/block-walk';
import { specInfo } from '../../server/src/engine/scheduler/podinfo';
import { relabelPod } from '../../server/src/engine/controllers/replicaset/controller';
import { cachedKubeScheduler } from '../../server/src/engine/scheduling';
import type { SimNode, SimPod } from '../../server/src/engine/types';
import { SimWorld } from '../../server/src/engine/world';
import { node, pod, requesting } from './scheduler.fixtures';

/** The plugin-by-plugin scheduling cycle: the node it picks (assumed in `cache`), or undefined. */
function referenceSchedule(incoming: SimPod, cache: SchedulerCache): string | undefined {
  const allNodes = cache.nodeInfos;
  const state: CycleState = { pod: podInfo(incoming), allNodes, data: new Map(), aggregates: cache };
  const named = nodeAffinityPreFilterNodeNames(state.pod.spec.requiredNodeAffinity);
  if (named === 'conflict') return undefined;
  const nodes = named ? allNodes.filter((n) => named.has(n.node.name)) : allNodes;
  const wanted = numFeasibleNodesToFind(nodes.length);
  const start = cache.nextStartNodeIndex % allNodes.length;
  const feasible = [];
  let processed = 0;
  for (let i = 0; i < nodes.length && feasible.length < wanted; i++) {
    const nodeInfo = nodes[(start + i) % nodes.length];
    if (!runFilters(state, nodeInfo)) feasible.push(nodeInfo);
    processed++;
  }
  cache.nextStartNodeIndex = (start + processed) % allNodes.length;
  if (feasible.length === 0) return undefined;
  const totals = prioritizeNodes(state, feasible);
  let best = 0;
  for (let i = 1; i < feasible.length; i++) {
    if (totals[i] > totals[best] || (totals[i] === totals[best] && feasible[i].node.name < feasible[best].node.name)) best = i;
  }
  cache.assumePod(incoming, feasible[best].node.name);
  return feasible[best].node.name;
}

/** A deterministic linear congruential generator: the same mix on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function cluster(count: number): SimNode[] {
  return Array.from({ length: count }, (_, i) =>
    node(`node-${String(i).padStart(4, '0')}`, {
      cpu: 4000 + (i % 3) * 2000,
      memory: (8 + (i % 4) * 4) * 2 ** 30,
      pods: 20 + (i % 5) * 5,
      // Every 17th node has no zone: spreading and pod affinity by zone must leave it out or reject it.
      labels: { ...(i % 17 === 0 ? {} : { 'topology.kubernetes.io/zone': `zone-${i % 4}` }), ...(i % 5 === 0 ? { disk: 'ssd' } : {}), ...(i % 7 === 0 ? { gpu: 'yes' } : {}) },
      taints:
        i % 11 === 0 ? [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] : i % 13 === 0 ? [{ key: 'spot', value: 'true', effect: 'PreferNoSchedule' }] : [],
      unschedulable: i % 37 === 0,
      extra: i % 7 === 0 ? { 'nvidia.com/gpu': 2 } : {},
    }),
  );
}

const TEMPLATES: Record<string, unknown>[] = [
  requesting({ cpu: '250m', memory: '256Mi' }),
  requesting({ cpu: '1', memory: '1Gi' }, { nodeSelector: { disk: 'ssd' } }),
  { containers: [{ name: 'app' }] },
  requesting({ cpu: '500m' }, { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }),
  {
    containers: [{ name: 'app', resources: { limits: { 'nvidia.com/gpu': 1, cpu: '200m' } } }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }] } } },
  },
  requesting(
    { cpu: '100m' },
    { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } } },
  ),
  requesting(
    { cpu: '100m' },
    { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 't6' } } }] },
  ),
  requesting(
    { cpu: '100m' },
    { topologySpreadConstraints: [{ maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 't7' } } }] },
  ),
  requesting(
    { cpu: '100m' },
    { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 't8' } } }] } } },
  ),
  requesting(
    { cpu: '100m' },
    {
      affinity: {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 't0' } } } }],
        },
      },
    },
  ),
  { containers: [{ name: 'app', ports: [{ containerPort: 80, hostPort: 8080 }], resources: { requests: { cpu: '100m' } } }] },
  requesting({ cpu: '3', memory: '2Gi' }, { priority: 1000 }),
  // t12: hostname DoNotSchedule spread, with a zone DoNotSchedule constraint needing more zones than exist.
  requesting(
    { cpu: '100m' },
    {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 't12' } } },
        { maxSkew: 2, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 5, labelSelector: { matchLabels: { app: 't12' } } },
      ],
    },
  ),
  // t13: ScheduleAnyway by zone and by hostname, taints honoured, over pods of two templates.
  requesting(
    { cpu: '100m' },
    {
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'ScheduleAnyway',
          nodeTaintsPolicy: 'Honor',
          labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['t13', 't6'] }] },
        },
        { maxSkew: 3, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 't13' } } },
      ],
    },
  ),
  // t14: required affinity to t0's zones (existing pods' required affinity then scores incoming t0 pods).
  requesting(
    { cpu: '100m' },
    { affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 't0' } } }] } } },
  ),
  // t15: preferred anti-affinity to its own kind by host, required anti-affinity to t2 by zone.
  requesting(
    { cpu: '100m' },
    {
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 30, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 't15' } } } }],
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 't2', rev: 'b' } } }],
        },
      },
    },
  ),
  // t16: zone DoNotSchedule spread of one revision (matchLabelKeys).
  requesting(
    { cpu: '100m' },
    {
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', matchLabelKeys: ['rev'], labelSelector: { matchLabels: { app: 't16' } } },
      ],
    },
  ),
  // t17: required affinity to itself by host and zone (the first pod of the group goes anywhere labelled).
  requesting(
    { cpu: '100m' },
    {
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 't17' } } },
            { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 't17' } } },
          ],
        },
      },
    },
  ),
  // t18: preferred affinity to t7 pods of any namespace.
  requesting(
    { cpu: '100m' },
    {
      affinity: {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 40, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', namespaceSelector: {}, labelSelector: { matchLabels: { app: 't7' } } } },
          ],
        },
      },
    },
  ),
];

const OWNER_KINDS = ['ReplicaSet', 'StatefulSet', 'Job', 'DaemonSet'];

/**
 * Runs the same random sequence (schedule a pod of a random template, remove, start terminating or
 * relabel a bound pod, taint or relabel a node) against schedulePod and the reference, each with
 * its own cache; returns both placement lists.
 */
function runMix(seed: number, nodeCount: number, steps: number): { fast: (string | undefined)[]; reference: (string | undefined)[] } {
  const next = random(seed);
  let nodes = cluster(nodeCount);
  const fastCache = new SchedulerCache(nodes);
  const referenceCache = new SchedulerCache(nodes);
  const bound: SimPod[] = [];
  const fast: (string | undefined)[] = [];
  const reference: (string | undefined)[] = [];
  for (let step = 0; step < steps; step++) {
    const roll = next();
    if (roll < 0.1 && bound.length > 0) {
      const [victim] = bound.splice(Math.floor(next() * bound.length), 1);
      if (next() < 0.5) {
        fastCache.removePod(victim);
        referenceCache.removePod(victim);
      } else {
        victim.deletionTimestamp = step;
        fastCache.syncPod(victim);
        referenceCache.syncPod(victim);
      }
      continue;
    }
    if (roll < 0.13 && bound.length > 0) {
      // Relabel a bound pod (kubectl label --overwrite) and report it, as the World does.
      const target = bound[Math.floor(next() * bound.length)];
      target.labels = { app: `t${Math.floor(next() * TEMPLATES.length)}`, rev: next() < 0.5 ? 'a' : 'b' };
      fastCache.syncPod(target);
      referenceCache.syncPod(target);
      continue;
    }
    if (roll < 0.15) {
      const changed = Math.floor(next() * nodes.length);
      const notReady = next() < 0.5;
      nodes = nodes.map((n, i) =>
        i === changed ? { ...n, taints: notReady ? [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] : [], labels: { ...n.labels, changed: String(step) } } : n,
      );
      fastCache.setNodes(nodes);
      referenceCache.setNodes(nodes);
      continue;
    }
    const t = Math.floor(next() * TEMPLATES.length);
    const namespace = next() < 0.1 ? 'other' : 'default';
    const incoming = pod(TEMPLATES[t], { namespace, labels: { app: `t${t}`, rev: next() < 0.5 ? 'a' : 'b' }, owner: { kind: OWNER_KINDS[t % OWNER_KINDS.length], name: `owner-${t}`, uid: `owner-${t}` } });
    const result = schedulePod(incoming, fastCache);
    fast.push(result.nodeName);
    reference.push(referenceSchedule(incoming, referenceCache));
    if (!result.nodeName) {
      assert.match(result.reason ?? '', /^0\/\d+ nodes are available: /);
      continue;
    }
    incoming.nodeName = result.nodeName;
    incoming.phase = 'Running';
    fastCache.syncPod(incoming);
    referenceCache.syncPod(incoming);
    bound.push(incoming);
  }
  return { fast, reference };
}

describe('schedulePod chooses what the plugins themselves choose', () => {
  for (const [seed, nodeCount, steps] of [
    [1, 150, 1500],
    [2, 150, 1500],
    [7, 400, 1500],
    [11, 60, 2500],
    [12, 200, 3000],
  ]) {
    test(`random mix ${seed}: ${nodeCount} nodes, ${steps} steps`, () => {
      const { fast, reference } = runMix(seed, nodeCount, steps);
      assert.deepEqual(fast, reference);
      // The mix exercises both outcomes.
      assert.ok(fast.some((n) => n === undefined) && fast.filter((n) => n !== undefined).length > fast.length / 2);
    });
  }
});

describe('default spreading weights', () => {
  test('a zone without candidates: the zone weight counts only the zones the candidates cover', () => {
    // Zone c is tainted away; zones a and b differ in size so zone counts and node counts pull apart.
    const nodes = Array.from({ length: 150 }, (_, i) => {
      const zone = i < 90 ? 'a' : i < 120 ? 'b' : 'c';
      return node(`n-${String(i).padStart(3, '0')}`, {
        cpu: 8000 + (i % 7) * 1000,
        labels: { 'topology.kubernetes.io/zone': zone },
        taints: zone === 'c' ? [{ key: 'maintenance', effect: 'NoSchedule' }] : [],
      });
    });
    const fastCache = new SchedulerCache(nodes);
    const referenceCache = new SchedulerCache(nodes);
    const spec = requesting({ cpu: '300m' });
    const owner = { kind: 'ReplicaSet', name: 'web', uid: 'rs-web' };
    const fast: (string | undefined)[] = [];
    const reference: (string | undefined)[] = [];
    for (let i = 0; i < 400; i++) {
      const incoming = pod(spec, { labels: { app: 'web' }, owner });
      fast.push(schedulePod(incoming, fastCache).nodeName);
      reference.push(referenceSchedule(incoming, referenceCache));
    }
    assert.deepEqual(fast, reference);
    assert.ok(fast.every((n) => n !== undefined && Number(n.slice(2)) < 120));
  });

  test('controllers whose pods only default spreading and resources tell apart: the choice per group of alike candidates is the plugins\' choice', () => {
    // Shapes: three zones, nodes without the zone label, nodes without the hostname label; mixed
    // sizes so resource scores differ within a group; pods of two ReplicaSets arrive interleaved,
    // some leave or start terminating, so per-node counts rise and fall.
    const next = random(5);
    const nodes = Array.from({ length: 240 }, (_, i) =>
      node(`n-${String(i).padStart(3, '0')}`, {
        cpu: 4000 + (i % 5) * 1000,
        memory: (8 + (i % 3) * 8) * 2 ** 30,
        pods: 40,
        labels: {
          ...(i % 9 === 0 ? {} : { 'topology.kubernetes.io/zone': `zone-${i % 3}` }),
          ...(i % 10 === 0 ? {} : { 'kubernetes.io/hostname': `n-${i}` }),
        },
      }),
    );
    const fastCache = new SchedulerCache(nodes);
    const referenceCache = new SchedulerCache(nodes);
    const templates = [requesting({ cpu: '200m', memory: '256Mi' }), requesting({ cpu: '50m', memory: '1Gi' })];
    const bound: SimPod[] = [];
    const fast: (string | undefined)[] = [];
    const reference: (string | undefined)[] = [];
    for (let i = 0; i < 3000; i++) {
      if (next() < 0.15 && bound.length > 0) {
        const [victim] = bound.splice(Math.floor(next() * bound.length), 1);
        if (next() < 0.5) victim.deletionTimestamp = i;
        for (const cache of [fastCache, referenceCache]) (victim.deletionTimestamp === undefined ? cache.removePod(victim) : cache.syncPod(victim));
        continue;
      }
      const t = next() < 0.6 ? 0 : 1;
      const incoming = pod(templates[t], { labels: { app: `web-${t}` }, owner: { kind: 'ReplicaSet', name: `web-${t}`, uid: `rs-${t}` } });
      const result = schedulePod(incoming, fastCache);
      fast.push(result.nodeName);
      reference.push(referenceSchedule(incoming, referenceCache));
      if (!result.nodeName) continue;
      incoming.nodeName = result.nodeName;
      incoming.phase = 'Running';
      fastCache.syncPod(incoming);
      referenceCache.syncPod(incoming);
      bound.push(incoming);
    }
    assert.deepEqual(fast, reference);
    assert.ok(fast.filter((n) => n !== undefined).length > 2000);
  });
});

describe('the walk by blocks of nodes (fastpath/block-walk.ts)', () => {
  test('visits the nodes the node-by-node walk visits and chooses the same, as nodes fill up, pods leave and a node fails', () => {
    // 500 nodes (15 full blocks and one of 20): 230 wanted per pod, so whole blocks are taken and
    // the walk ends inside one; nodes take 6 pods, so they fill up (NO_FIT) during the run.
    const next = random(9);
    let nodes = Array.from({ length: 500 }, (_, i) =>
      node(`n-${String(i).padStart(4, '0')}`, { cpu: 4000 + (i % 3) * 2000, pods: 6, labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}`, 'kubernetes.io/hostname': `n-${i}` } }),
    );
    const fastCache = new SchedulerCache(nodes);
    const referenceCache = new SchedulerCache(nodes);
    const templates = [requesting({ cpu: '250m', memory: '128Mi' }), requesting({ cpu: '100m', memory: '512Mi' })];
    const bound: SimPod[] = [];
    let placed = 0;
    let failed = 0;
    const walksBefore = blockWalkUse.walks;
    const wholeBlocksBefore = blockWalkUse.wholeBlocks;
    for (let i = 0; i < 4000; i++) {
      const roll = next();
      if (roll < 0.05 && bound.length > 0) {
        const [victim] = bound.splice(Math.floor(next() * bound.length), 1);
        if (next() < 0.5) victim.deletionTimestamp = i;
        for (const cache of [fastCache, referenceCache]) (victim.deletionTimestamp === undefined ? cache.removePod(victim) : cache.syncPod(victim));
        continue;
      }
      if (i === 1500) {
        // A node fails in place (NoSchedule taint) half-way: every class's verdicts start again.
        nodes = nodes.map((n, at) => (at === 250 ? { ...n, taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] } : n));
        fastCache.setNodes(nodes);
        referenceCache.setNodes(nodes);
      }
      const t = next() < 0.7 ? 0 : 1;
      const incoming = pod(templates[t], { labels: { app: `web-${t}` }, owner: { kind: 'ReplicaSet', name: `web-${t}`, uid: `rs-${t}` } });
      const result = schedulePod(incoming, fastCache);
      assert.equal(result.nodeName, referenceSchedule(incoming, referenceCache), `pod ${i}`);
      assert.equal(fastCache.nextStartNodeIndex, referenceCache.nextStartNodeIndex, `pod ${i}`);
      if (!result.nodeName) {
        failed++;
        continue;
      }
      placed++;
      incoming.nodeName = result.nodeName;
      incoming.phase = 'Running';
      fastCache.syncPod(incoming);
      referenceCache.syncPod(incoming);
      bound.push(incoming);
    }
    // The cluster filled up: placements while nodes had room, then failures.
    assert.ok(placed > 2500 && failed > 100, `${placed} placed, ${failed} failed`);
    // And the choices above came from the walk by blocks, which took blocks whole (not only node by node).
    const walks = blockWalkUse.walks - walksBefore;
    const wholeBlocks = blockWalkUse.wholeBlocks - wholeBlocksBefore;
    assert.ok(walks > 2000 && wholeBlocks > walks, `${walks} block walks, ${wholeBlocks} blocks taken whole`);
  });
});

describe('block summaries per controller', () => {
  test('go with the controller\'s last active pod (removed or terminating), and the next controller of the class chooses as the reference does', () => {
    // 200 nodes, 100 wanted per pod: whole blocks. Three ReplicaSets of one template in turn, as a
    // rollout's old sets come and go: each scales up, then its pods leave.
    const nodes = Array.from({ length: 200 }, (_, i) =>
      node(`n-${String(i).padStart(3, '0')}`, { cpu: 4000 + (i % 4) * 1000, pods: 20, labels: { 'topology.kubernetes.io/zone': `zone-${i % 3}`, 'kubernetes.io/hostname': `n-${i}` } }),
    );
    const fastCache = new SchedulerCache(nodes);
    const referenceCache = new SchedulerCache(nodes);
    const template = requesting({ cpu: '300m', memory: '256Mi' });
    const cls = fastCache.equivalenceClass(specInfo(template));
    const wholeBlocksBefore = blockWalkUse.wholeBlocks;
    for (const [set, replicas] of [['rs-a', 60], ['rs-b', 90], ['rs-c', 40]] as const) {
      const pods: SimPod[] = [];
      for (let i = 0; i < replicas; i++) {
        const incoming = pod(template, { labels: { app: 'web' }, owner: { kind: 'ReplicaSet', name: set, uid: set } });
        const chosen = schedulePod(incoming, fastCache).nodeName;
        assert.equal(chosen, referenceSchedule(incoming, referenceCache), `${set} pod ${i}`);
        assert.ok(chosen);
        incoming.nodeName = chosen;
        incoming.phase = 'Running';
        fastCache.syncPod(incoming);
        referenceCache.syncPod(incoming);
        pods.push(incoming);
      }
      assert.ok(cls.hasBlockSummaries(set), `${set} summarised while it has pods`);
      // Half the pods are deleted, the other half start terminating (no longer counted as the set's).
      pods.forEach((p, i) => {
        if (i % 2 === 0) p.deletionTimestamp = 1;
        for (const cache of [fastCache, referenceCache]) (p.deletionTimestamp === undefined ? cache.removePod(p) : cache.syncPod(p));
        assert.equal(cls.hasBlockSummaries(set), i < replicas - 1, `${set} after ${i + 1} of ${replicas} pods left`);
      });
      for (const p of pods) if (p.deletionTimestamp !== undefined) for (const cache of [fastCache, referenceCache]) cache.removePod(p);
    }
    assert.ok(blockWalkUse.wholeBlocks > wholeBlocksBefore, 'the walk by blocks ran');
  });
});

describe('equivalence class answers follow the nodes', () => {
  test('a node tainted in place and reported with setNodes takes no more pods of a class it had accepted', () => {
    const nodes = [node('a', { cpu: 64000 }), node('b', { cpu: 1000 })];
    const cache = new SchedulerCache(nodes);
    const spec = requesting({ cpu: '100m' });
    assert.equal(schedulePod(pod(spec), cache).nodeName, 'a');
    nodes[0].taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
    cache.setNodes(nodes);
    assert.equal(schedulePod(pod(spec), cache).nodeName, 'b');
    nodes[0].taints.length = 0;
    cache.setNodes(nodes);
    assert.equal(schedulePod(pod(spec), cache).nodeName, 'a');
  });

  test('allocatable changed in place and reported with setNodes is what the fit check and the scores read', () => {
    const nodes = [node('a', { cpu: 1000 }), node('b', { cpu: 1000 })];
    const cache = new SchedulerCache(nodes);
    const spec = requesting({ cpu: '600m' });
    assert.equal(schedulePod(pod(spec), cache).nodeName, 'a');
    assert.equal(schedulePod(pod(spec), cache).nodeName, 'b');
    assert.match(schedulePod(pod(spec), cache).reason ?? '', /2 Insufficient cpu/);
    nodes[1].allocatable.cpu = 4000;
    cache.setNodes(nodes);
    assert.equal(schedulePod(pod(spec), cache).nodeName, 'b');
  });

  test('a removed pod frees its node for the next pod of the same class (resource scores recomputed)', () => {
    const cache = new SchedulerCache([node('a', { cpu: 2000 }), node('b', { cpu: 2000 })]);
    const spec = requesting({ cpu: '500m' });
    const first = pod(spec);
    assert.equal(schedulePod(first, cache).nodeName, 'a');
    assert.equal(schedulePod(pod(spec), cache).nodeName, 'b');
    cache.removePod(first);
    // a is emptier again: LeastAllocated prefers it.
    assert.equal(schedulePod(pod(spec), cache).nodeName, 'a');
  });
});

describe('per-controller node counts', () => {
  test('kept for ReplicaSet pods while any is bound, never for Job pods', () => {
    const cache = new SchedulerCache([node('a'), node('b')]);
    const spec = requesting({ cpu: '100m' });
    const web = [0, 1, 2].map(() => pod(spec, { owner: { kind: 'ReplicaSet', name: 'web', uid: 'rs-web' } }));
    for (const p of web) schedulePod(p, cache);
    const counts = cache.activePodsByOwnerPerNode('rs-web');
    assert.deepEqual([...(counts ?? [])].sort(), [1, 2]);
    const job = pod(spec, { owner: { kind: 'Job', name: 'once', uid: 'job-once' } });
    assert.ok(schedulePod(job, cache).nodeName);
    assert.equal(cache.activePodsByOwnerPerNode('job-once'), undefined);
    for (const p of web) cache.removePod(p);
    assert.equal(cache.activePodsByOwnerPerNode('rs-web'), undefined);
  });
});

describe('pod changes reach the match counts', () => {
  const antiAffinityToDb = requesting(
    { cpu: '100m' },
    { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } } },
  );

  test('a relabelled pod stops blocking required anti-affinity once relabelPod reports it', () => {
    const backend = cachedKubeScheduler();
    backend.nodesChanged([node('a')]);
    const db = pod(requesting({ cpu: '100m' }), { labels: { app: 'db' } });
    db.nodeName = backend.schedule(db, [], []).nodeName;
    assert.equal(db.nodeName, 'a');
    assert.equal(backend.schedule(pod(antiAffinityToDb), [], []).nodeName, undefined);
    relabelPod(db, { app: 'web' }, backend);
    assert.equal(backend.schedule(pod(antiAffinityToDb), [], []).nodeName, 'a');
  });

  test('World.deletePod reports the terminating pod: it stops counting for DoNotSchedule spreading', () => {
    // Zone z2's only node has no room: a second pod fits zone z1 only while the first is not counted.
    const world = new SimWorld({ nodes: [node('a', { labels: { zone: 'z1' } }), node('b', { cpu: 50, labels: { zone: 'z2' } })] });
    const spread = requesting(
      { cpu: '100m' },
      { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } } }] },
    );
    const owner = { kind: 'ReplicaSet', name: 'web', uid: 'rs-web' };
    const create = (name: string) => world.createPod({ name, owner, template: { labels: { app: 'web' }, annotations: {}, spec: spread }, revision: 'r1' });
    const first = create('web-1');
    world.schedulePending();
    assert.equal(first.nodeName, 'a');
    const blocked = create('web-2');
    world.schedulePending();
    assert.equal(blocked.nodeName, undefined);
    world.deletePod(first);
    const second = create('web-3');
    world.schedulePending();
    assert.equal(second.nodeName, 'a');
  });
});
