// schedulePod end to end: placement, kube-scheduler's Pending message (aggregation, order,
// preemption suffix), the cache the engine core keeps, and robustness.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fitErrorMessage, numFeasibleNodesToFind, SchedulerCache, schedulePod } from '../../server/src/engine/scheduler';
import type { SimPod } from '../../server/src/engine/types';
import { CONTROL_PLANE_TAINT, node, pod, requesting } from './scheduler.fixtures';

/** The embedded default cluster's shape: a tainted control plane and three 2-cpu workers. */
function defaultCluster() {
  return [node('control-plane', { cpu: 2000, taints: [CONTROL_PLANE_TAINT] }), node('worker-1', { cpu: 2000 }), node('worker-2', { cpu: 2000 }), node('worker-3', { cpu: 2000 })];
}

describe('Pending reason', () => {
  test('default cluster: control-plane taint plus insufficient cpu on the workers, with the preemption verdict', () => {
    const cache = new SchedulerCache(defaultCluster());
    for (let i = 0; i < 3; i++) assert.ok(schedulePod(pod(requesting({ cpu: '1500m' })), cache).nodeName);
    const result = schedulePod(pod(requesting({ cpu: '1500m' })), cache);
    assert.equal(result.nodeName, undefined);
    assert.equal(
      result.reason,
      '0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu. ' +
        'preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod..',
    );
  });

  test('every reason of every node is counted and the "count reason" strings are sorted as Go sorts them', () => {
    const nodes = [
      node('n1', { cpu: 100, memory: 100 }),
      node('n2', { cpu: 100, memory: 100 }),
      node('n3', { labels: { disk: 'hdd' } }),
      ...Array.from({ length: 10 }, (_, i) => node(`t${i}`, { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] })),
    ];
    const result = schedulePod(pod(requesting({ cpu: '1', memory: '1Gi' }, { nodeSelector: { disk: 'ssd' } })), nodes);
    // n1/n2 fail NodeAffinity first (filters stop at the first failure), so only taints and affinity appear.
    assert.equal(
      result.reason,
      "0/13 nodes are available: 10 node(s) had untolerated taint {gpu: true}, 3 node(s) didn't match Pod's node affinity/selector. " +
        'preemption: 0/13 nodes are available: 13 Preemption is not helpful for scheduling..',
    );
  });

  test('a request bigger than every node: preemption is not helpful anywhere', () => {
    const result = schedulePod(pod(requesting({ cpu: '3', memory: '1Gi' })), [node('a', { cpu: 2000, memory: 2 ** 29 })]);
    assert.equal(result.reason, '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling..');
  });

  test('a higher-priority pod could preempt: no preemption suffix, the node is nominated', () => {
    const cache = new SchedulerCache([node('a', { cpu: 1000 }), node('b', { cpu: 1000 })]);
    for (let i = 0; i < 2; i++) schedulePod(pod(requesting({ cpu: '800m' })), cache);
    const result = schedulePod(pod(requesting({ cpu: '500m' }, { priority: 1000 })), cache);
    assert.equal(result.reason, '0/2 nodes are available: 2 Insufficient cpu.');
    assert.equal(result.nominatedNodeName, 'a');
  });

  test('preemptionPolicy Never says so', () => {
    const result = schedulePod(pod(requesting({ cpu: '5' }, { preemptionPolicy: 'Never' })), [node('a')]);
    assert.equal(result.reason, '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..');
  });

  test('a DaemonSet pod pinned by matchFields: other nodes "didn\'t satisfy plugin(s) [NodeAffinity]"', () => {
    const pinned = (nodeName: string) => ({
      containers: [{ name: 'agent', ports: [{ containerPort: 9100, hostPort: 9100 }] }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] }] } } },
    });
    const cache = new SchedulerCache(defaultCluster().map((n) => ({ ...n, taints: [] })));
    assert.equal(schedulePod(pod(pinned('worker-2')), cache).nodeName, 'worker-2');
    assert.equal(
      schedulePod(pod(pinned('worker-2')), cache).reason,
      "0/4 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. " +
        'preemption: 0/4 nodes are available: 1 No preemption victims found for incoming pod, 3 Preemption is not helpful for scheduling..',
    );
  });

  test('required terms naming no common node conflict at PreFilter', () => {
    const conflicting = {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }, { key: 'metadata.name', operator: 'In', values: ['b'] }] }],
          },
        },
      },
    };
    assert.equal(
      schedulePod(pod(conflicting), [node('a'), node('b')]).reason,
      '0/2 nodes are available: pod affinity terms conflict. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling..',
    );
  });

  test('a pod with scheduling gates is not scheduled', () => {
    const gated = pod({ schedulingGates: [{ name: 'example.com/quota' }] });
    assert.deepEqual(schedulePod(gated, [node('a')]), { reason: 'Scheduling is blocked due to non-empty scheduling gates' });
    assert.equal(schedulePod(pod({ schedulingGates: [] }), [node('a')]).nodeName, 'a');
  });

  test('no nodes at all', () => {
    assert.equal(schedulePod(pod({}), []).reason, 'no nodes available to schedule pods');
  });

  test('fitErrorMessage sorts by the whole string, so 10 sorts before 9', () => {
    const statuses = [
      ...Array.from({ length: 9 }, () => ({ code: 'Unschedulable' as const, reasons: ['Insufficient cpu'], plugin: 'NodeResourcesFit' })),
      ...Array.from({ length: 10 }, () => ({ code: 'Unschedulable' as const, reasons: ['Too many pods'], plugin: 'NodeResourcesFit' })),
    ];
    assert.equal(fitErrorMessage(19, statuses), '0/19 nodes are available: 10 Too many pods, 9 Insufficient cpu.');
  });
});

describe('placement', () => {
  test('LeastAllocated spreads equal pods over equal workers; the control plane is never used', () => {
    const cache = new SchedulerCache(defaultCluster());
    const placed = Array.from({ length: 6 }, () => schedulePod(pod(requesting({ cpu: '250m', memory: '64Mi' })), cache).nodeName);
    assert.ok(!placed.includes('control-plane'));
    const perNode = new Map<string, number>();
    for (const n of placed) perNode.set(n!, (perNode.get(n!) ?? 0) + 1);
    assert.deepEqual([...perNode.values()], [2, 2, 2]);
  });

  test('ties go to the lowest node name, and the answer is the same on every run', () => {
    const nodes = [node('zeta'), node('alpha'), node('mid')];
    assert.equal(schedulePod(pod({}), nodes).nodeName, 'alpha');
    assert.equal(schedulePod(pod({}), nodes).nodeName, 'alpha');
  });

  test('a tolerating pod may use a tainted node', () => {
    const spec = requesting({ cpu: '100m' }, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], nodeSelector: { 'kubernetes.io/hostname': 'control-plane' } });
    assert.equal(schedulePod(pod(spec), defaultCluster()).nodeName, 'control-plane');
  });

  test('the array form sees bound pods (terminating ones included) and ignores finished ones', () => {
    const nodes = [node('a', { cpu: 1000 }), node('b', { cpu: 1000 })];
    const bound: SimPod[] = [
      pod(requesting({ cpu: '900m' }), { nodeName: 'a', phase: 'Running', deletionTimestamp: 3 }),
      pod(requesting({ cpu: '900m' }), { nodeName: 'b', phase: 'Failed' }),
    ];
    assert.equal(schedulePod(pod(requesting({ cpu: '500m' })), nodes, bound).nodeName, 'b');
  });

  test('the cache assumes the chosen node; syncPod and removePod keep the sums right', () => {
    const cache = new SchedulerCache([node('a', { cpu: 1000 })]);
    const first = pod(requesting({ cpu: '1' }));
    assert.equal(schedulePod(first, cache).nodeName, 'a');
    assert.equal(cache.nodeOf(first.uid), 'a');
    assert.ok(schedulePod(pod(requesting({ cpu: '1' })), cache).reason);
    // The core binds it (idempotent), later it finishes: room again.
    cache.syncPod({ ...first, nodeName: 'a', phase: 'Running' });
    assert.equal(cache.nodeInfo('a')!.requested.cpu, 1000);
    cache.syncPod({ ...first, nodeName: 'a', phase: 'Succeeded' });
    assert.equal(cache.nodeInfo('a')!.requested.cpu, 0);
    assert.equal(schedulePod(pod(requesting({ cpu: '1' })), cache).nodeName, 'a');
  });

  test('setNodes keeps the pods of nodes that stay and drops the others', () => {
    const cache = new SchedulerCache([node('a'), node('b')]);
    cache.syncPod(pod(requesting({ cpu: '1' }), { nodeName: 'a', phase: 'Running' }));
    cache.setNodes([node('a', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] })]);
    assert.equal(cache.nodeInfo('a')!.requested.cpu, 1000);
    assert.equal(cache.nodeInfo('b'), undefined);
    assert.match(schedulePod(pod({}), cache).reason ?? '', /untolerated taint \{node.kubernetes.io\/not-ready: \}/);
  });

  test('pods bound to a node the cache does not know yet are accounted once it appears, and kept if it goes', () => {
    const cache = new SchedulerCache([node('a')]);
    const early = pod(requesting({ cpu: '1' }), { nodeName: 'late', phase: 'Running' });
    cache.syncPod(early);
    assert.equal(cache.nodeOf(early.uid), undefined);
    cache.setNodes([node('a'), node('late')]);
    assert.equal(cache.nodeOf(early.uid), 'late');
    assert.equal(cache.nodeInfo('late')!.requested.cpu, 1000);
    cache.setNodes([node('a')]);
    cache.setNodes([node('a'), node('late')]);
    assert.equal(cache.nodeInfo('late')!.requested.cpu, 1000);
    cache.removePod(early);
    cache.setNodes([node('a')]);
    cache.setNodes([node('a'), node('late')]);
    assert.equal(cache.nodeInfo('late')!.podCount, 0);
  });

  test('pods of one ReplicaSet spread over hostnames and zones (default topology spreading)', () => {
    const zoned = ['a', 'a', 'b', 'b'].map((z, i) => node(`n${i}`, { labels: { 'topology.kubernetes.io/zone': z } }));
    const cache = new SchedulerCache(zoned);
    const owner = { kind: 'ReplicaSet', name: 'web-1', uid: 'rs-1' };
    const perZone = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 8; i++) {
      const name = schedulePod(pod({ containers: [{ name: 'c' }] }, { owner, labels: { app: 'web' } }), cache).nodeName!;
      perZone[zoned.find((n) => n.name === name)!.labels['topology.kubernetes.io/zone']]++;
    }
    assert.deepEqual(perZone, { a: 4, b: 4 });
    assert.deepEqual(cache.nodeInfos.map((n) => n.podCount), [2, 2, 2, 2]);
  });

  test('zone spreading from the cache sums matches a full scan of the cluster', () => {
    // A nodeSelector every node satisfies forces the per-node scan; without one the cache's per-zone sums are used.
    const place = (spec: Record<string, unknown>) => {
      const zoned = ['a', 'b', 'c', 'a', 'b', 'c'].map((z, i) => node(`n${i}`, { cpu: 8000, labels: { 'topology.kubernetes.io/zone': z, pool: 'x' } }));
      const cache = new SchedulerCache(zoned);
      const owner = { kind: 'ReplicaSet', name: 'api-1', uid: 'rs-api' };
      for (let i = 0; i < 3; i++) cache.syncPod(pod(requesting({ cpu: '100m' }), { owner, nodeName: 'n0', phase: 'Running' }));
      return Array.from({ length: 12 }, () => schedulePod(pod(spec, { owner }), cache).nodeName);
    };
    const scanned = place(requesting({ cpu: '100m' }, { nodeSelector: { pool: 'x' } }));
    assert.deepEqual(place(requesting({ cpu: '100m' })), scanned);
    assert.ok(!scanned.slice(0, 4).includes('n0') && !scanned.slice(0, 4).includes('n3'), 'zone a already has 3 pods');
  });

  test('a ScheduleAnyway spread constraint prefers the emptier zone over the emptier node', () => {
    const nodes = [node('a1', { labels: { zone: 'a' } }), node('b1', { labels: { zone: 'b' } })];
    const bound = [
      pod({ containers: [{ name: 'w' }] }, { labels: { app: 'web' }, nodeName: 'a1', phase: 'Running' }),
      pod({ containers: [{ name: 'w' }] }, { labels: { app: 'web' }, nodeName: 'a1', phase: 'Running' }),
      pod(requesting({ cpu: '1' }), { labels: { app: 'batch' }, nodeName: 'b1', phase: 'Running' }),
    ];
    const plain = { containers: [{ name: 'w' }] };
    const spread = { ...plain, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'web' } } }] };
    assert.equal(schedulePod(pod(plain, { labels: { app: 'web' } }), nodes, bound).nodeName, 'a1');
    assert.equal(schedulePod(pod(spread, { labels: { app: 'web' } }), nodes, bound).nodeName, 'b1');
  });

  test('preferred node affinity steers placement', () => {
    const spec = {
      containers: [{ name: 'c' }],
      affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } }] } },
    };
    assert.equal(schedulePod(pod(spec), [node('a'), node('b', { labels: { disk: 'ssd' } })]).nodeName, 'b');
  });

  test('preferred pod anti-affinity outweighs LeastAllocated', () => {
    const nodes = [node('a', { cpu: 4000, memory: 8 * 2 ** 30 }), node('b', { cpu: 4000, memory: 8 * 2 ** 30 })];
    const bound = [
      pod({ containers: [{ name: 'db' }] }, { labels: { app: 'db' }, nodeName: 'a', phase: 'Running' }),
      pod(requesting({ cpu: '1', memory: '1Gi' }), { labels: { app: 'batch' }, nodeName: 'b', phase: 'Running' }),
    ];
    const plain = { containers: [{ name: 'db' }] };
    const avoiding = {
      ...plain,
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' } }],
        },
      },
    };
    assert.equal(schedulePod(pod(plain, { labels: { app: 'db' } }), nodes, bound).nodeName, 'a');
    assert.equal(schedulePod(pod(avoiding, { labels: { app: 'db' } }), nodes, bound).nodeName, 'b');
  });

  test('PreferNoSchedule taints are avoided while another node is available', () => {
    const nodes = [node('a', { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }), node('b')];
    assert.equal(schedulePod(pod({}), nodes).nodeName, 'b');
  });
});

describe('scale and robustness', () => {
  test('numFeasibleNodesToFind follows the adaptive percentageOfNodesToScore', () => {
    assert.equal(numFeasibleNodesToFind(50), 50);
    assert.equal(numFeasibleNodesToFind(100), 100);
    assert.equal(numFeasibleNodesToFind(1000), 420);
    assert.equal(numFeasibleNodesToFind(5000), 500);
    assert.equal(numFeasibleNodesToFind(10000), 500);
  });

  test('large clusters resume the node scan where the previous pod stopped', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n${String(i).padStart(3, '0')}`));
    const cache = new SchedulerCache(nodes);
    schedulePod(pod({}), cache);
    assert.equal(cache.nextStartNodeIndex, numFeasibleNodesToFind(300));
  });

  test('malformed specs never throw and read as empty', () => {
    const weird = [null, 'text', { containers: 7 }, { containers: [{ resources: { requests: { cpu: 'lots' } } }] }, { tolerations: 'x', affinity: { nodeAffinity: 5 } }];
    for (const spec of weird) assert.equal(schedulePod(pod(spec as never), [node('a')]).nodeName, 'a');
  });

  test('pods without labels, with matchLabelKeys, enter the cache and schedule', () => {
    const spec = {
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: {}, matchLabelKeys: ['app'] }],
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: {}, topologyKey: 'kubernetes.io/hostname', matchLabelKeys: ['app'] }] } },
    };
    const unlabelled = (nodeName?: string) => pod(spec, { labels: undefined as never, nodeName, phase: nodeName ? 'Running' : 'Pending' });
    const cache = new SchedulerCache([node('a'), node('b')]);
    cache.syncPod(unlabelled('a'));
    // The empty selector selects every pod, so anti-affinity keeps the second pod off `a`.
    assert.equal(schedulePod(unlabelled(), cache).nodeName, 'b');
  });
});
