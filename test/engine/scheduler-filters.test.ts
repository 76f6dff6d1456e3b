// The scheduler's filter plugins, one block per plugin, driven through runFilters/the plugins
// with real NodeInfos (SchedulerCache) so the per-node sums are the ones schedulePod uses.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type CycleState,
  findMatchingUntoleratedTaint,
  interPodAffinity,
  nodeAffinity,
  nodeName,
  nodePorts,
  nodeResourcesFit,
  nodeSelectorTermsMatch,
  nodeUnschedulable,
  podInfo,
  podRequests,
  podTopologySpread,
  requiredNodeAffinityMatches,
  SchedulerCache,
  taintToleration,
  tolerationsTolerateTaint,
  type FilterPlugin,
  type Status,
} from '../../server/src/engine/scheduler';
import type { SimNode, SimPod } from '../../server/src/engine/types';
import { node, pod, requesting } from './scheduler.fixtures';

/** Runs one filter for `incoming` against every node of a cluster holding `bound` pods. */
function filterAll(plugin: FilterPlugin, incoming: SimPod, nodes: SimNode[], bound: SimPod[] = []): Record<string, Status | undefined> {
  const cache = new SchedulerCache(nodes, bound);
  const state: CycleState = { pod: podInfo(incoming), allNodes: cache.nodeInfos, data: new Map() };
  return Object.fromEntries(cache.nodeInfos.map((n) => [n.node.name, plugin.filter(state, n)]));
}

function filterOne(plugin: FilterPlugin, incoming: SimPod, target: SimNode, bound: SimPod[] = []): Status | undefined {
  return filterAll(plugin, incoming, [target], bound)[target.name];
}

describe('NodeUnschedulable', () => {
  test('a cordoned node refuses pods that do not tolerate node.kubernetes.io/unschedulable', () => {
    const status = filterOne(nodeUnschedulable, pod({ containers: [] }), node('n1', { unschedulable: true }));
    assert.deepEqual(status?.reasons, ['node(s) were unschedulable']);
    assert.equal(status?.code, 'UnschedulableAndUnresolvable');
  });
  test('the unschedulable toleration lets a pod through; schedulable nodes always pass', () => {
    const tolerant = pod({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
    assert.equal(filterOne(nodeUnschedulable, tolerant, node('n1', { unschedulable: true })), undefined);
    assert.equal(filterOne(nodeUnschedulable, pod({}), node('n2')), undefined);
  });
});

describe('NodeName', () => {
  test('spec.nodeName fits only the named node', () => {
    const statuses = filterAll(nodeName, pod({ nodeName: 'b' }), [node('a'), node('b')]);
    assert.deepEqual(statuses.a?.reasons, ["node(s) didn't match the requested node name"]);
    assert.equal(statuses.b, undefined);
  });
});

describe('TaintToleration', () => {
  const dedicated = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' as const };
  test('an untolerated NoSchedule taint is reported as {key: value}', () => {
    assert.deepEqual(filterOne(taintToleration, pod({}), node('n', { taints: [dedicated] }))?.reasons, ['node(s) had untolerated taint {dedicated: gpu}']);
  });
  test('NoExecute filters too, PreferNoSchedule does not', () => {
    assert.ok(filterOne(taintToleration, pod({}), node('n', { taints: [{ key: 'k', effect: 'NoExecute' }] })));
    assert.equal(filterOne(taintToleration, pod({}), node('n', { taints: [{ key: 'k', effect: 'PreferNoSchedule' }] })), undefined);
  });
  test('Equal needs the same value; Exists with no key tolerates everything; effect must match when given', () => {
    assert.equal(tolerationsTolerateTaint([{ key: 'dedicated', operator: 'Equal', value: 'gpu' }], dedicated), true);
    assert.equal(tolerationsTolerateTaint([{ key: 'dedicated', value: 'cpu' }], dedicated), false);
    assert.equal(tolerationsTolerateTaint([{ operator: 'Exists' }], dedicated), true);
    assert.equal(tolerationsTolerateTaint([{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }], dedicated), false);
  });
  test('findMatchingUntoleratedTaint honours the inclusion filter and returns the first match', () => {
    const taints = [{ key: 'soft', effect: 'PreferNoSchedule' as const }, dedicated, { key: 'other', effect: 'NoSchedule' as const }];
    assert.equal(findMatchingUntoleratedTaint(taints, [])?.key, 'soft');
    assert.equal(findMatchingUntoleratedTaint(taints, [], (t) => t.effect !== 'PreferNoSchedule')?.key, 'dedicated');
    assert.equal(findMatchingUntoleratedTaint(taints, [{ operator: 'Exists' }]), undefined);
  });
});

describe('NodeAffinity', () => {
  const labelled = node('n1', { labels: { zone: 'a', cores: '8', disk: 'ssd' } });
  const required = (terms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, ...(values ? { values } : {}) }] });

  test('nodeSelector must match every pair', () => {
    assert.equal(requiredNodeAffinityMatches({ nodeSelector: { zone: 'a', disk: 'ssd' } }, labelled), true);
    assert.equal(requiredNodeAffinityMatches({ nodeSelector: { zone: 'b' } }, labelled), false);
    assert.deepEqual(filterOne(nodeAffinity, pod({ nodeSelector: { zone: 'b' } }), labelled)?.reasons, ["node(s) didn't match Pod's node affinity/selector"]);
  });
  test('operators In, NotIn, Exists, DoesNotExist, Gt, Lt', () => {
    const cases: [unknown, boolean][] = [
      [expr('zone', 'In', ['a', 'b']), true],
      [expr('zone', 'In', ['c']), false],
      [expr('zone', 'NotIn', ['a']), false],
      [expr('missing', 'NotIn', ['a']), true],
      [expr('disk', 'Exists'), true],
      [expr('disk', 'DoesNotExist'), false],
      [expr('cores', 'Gt', ['4']), true],
      [expr('cores', 'Gt', ['8']), false],
      [expr('cores', 'Lt', ['10']), true],
      [expr('zone', 'Gt', ['1']), false],
      [expr('cores', 'Gt', ['x']), false],
      [expr('zone', 'In', []), false],
      [expr('zone', 'Bogus', ['a']), false],
      // labels.NewRequirement validation: invalid keys or values make the term match nothing, even for NotIn.
      [expr('zone', 'NotIn', ['invalid value: ___@#$%^']), false],
      [expr('bad key!', 'DoesNotExist'), false],
      [expr('cores', 'Gt', ['-1']), false],
      [expr('example.com/gpu', 'DoesNotExist'), true],
    ];
    for (const [term, want] of cases) assert.equal(requiredNodeAffinityMatches(required([term]), labelled), want, JSON.stringify(term));
  });
  test('terms are ORed, expressions ANDed; an empty term list or term matches nothing', () => {
    const both = { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'disk', operator: 'In', values: ['hdd'] }] };
    assert.equal(requiredNodeAffinityMatches(required([both]), labelled), false);
    assert.equal(requiredNodeAffinityMatches(required([both, expr('disk', 'Exists')]), labelled), true);
    assert.equal(requiredNodeAffinityMatches(required([]), labelled), false);
    assert.equal(requiredNodeAffinityMatches(required([{}]), labelled), false);
  });
  test('matchFields selects by metadata.name', () => {
    const byName = (op: string, name: string) => [{ matchFields: [{ key: 'metadata.name', operator: op, values: [name] }] }];
    assert.equal(nodeSelectorTermsMatch(byName('In', 'n1'), labelled), true);
    assert.equal(nodeSelectorTermsMatch(byName('In', 'n2'), labelled), false);
    assert.equal(nodeSelectorTermsMatch(byName('NotIn', 'n2'), labelled), true);
    // Other fields do not exist on a node: they read as '' (so NotIn matches), as fields.Set does.
    assert.equal(nodeSelectorTermsMatch([{ matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['n1'] }] }], labelled), false);
    assert.equal(nodeSelectorTermsMatch([{ matchFields: [{ key: 'metadata.uid', operator: 'NotIn', values: ['n1'] }] }], labelled), true);
    assert.equal(nodeSelectorTermsMatch([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1', 'n2'] }] }], labelled), false);
  });
  test('terms as written in YAML: numeric values compare as strings, junk matches nothing', () => {
    assert.equal(nodeSelectorTermsMatch([{ matchExpressions: [{ key: 'cores', operator: 'In', values: [8] }] }], labelled), true);
    assert.equal(nodeSelectorTermsMatch(['junk', null], labelled), false);
    assert.equal(nodeSelectorTermsMatch(undefined, labelled), false);
  });
  test('nodeSelector and required affinity must both hold', () => {
    assert.equal(requiredNodeAffinityMatches({ nodeSelector: { zone: 'b' }, ...required([expr('disk', 'Exists')]) }, labelled), false);
  });
});

describe('NodeResourcesFit', () => {
  test('requests are checked against allocatable minus what bound pods request; equal still fits', () => {
    const target = node('n', { cpu: 1000, memory: 2 ** 30 });
    const bound = [pod(requesting({ cpu: '600m', memory: '512Mi' }), { nodeName: 'n', phase: 'Running' })];
    assert.equal(filterOne(nodeResourcesFit, pod(requesting({ cpu: '400m', memory: '512Mi' })), target, bound), undefined);
    const status = filterOne(nodeResourcesFit, pod(requesting({ cpu: '401m', memory: '513Mi' })), target, bound);
    assert.deepEqual(status?.reasons, ['Insufficient cpu', 'Insufficient memory']);
    assert.equal(status?.code, 'Unschedulable');
  });
  test('a request bigger than the whole node is unresolvable (preemption cannot help)', () => {
    assert.equal(filterOne(nodeResourcesFit, pod(requesting({ cpu: '5' })), node('n', { cpu: 4000 }))?.code, 'UnschedulableAndUnresolvable');
  });
  test('Too many pods comes first, then cpu, memory, ephemeral-storage, scalar resources', () => {
    const target = node('n', { cpu: 100, memory: 100, pods: 1, extra: { 'ephemeral-storage': 100, 'example.com/foo': 1 } });
    const bound = [pod({ containers: [] }, { nodeName: 'n', phase: 'Running' })];
    const incoming = pod(requesting({ 'example.com/foo': '2', 'ephemeral-storage': '200', memory: '200', cpu: '1' }));
    assert.deepEqual(filterOne(nodeResourcesFit, incoming, target, bound)?.reasons, [
      'Too many pods',
      'Insufficient cpu',
      'Insufficient memory',
      'Insufficient ephemeral-storage',
      'Insufficient example.com/foo',
    ]);
  });
  test('finished pods free their resources; terminating pods still hold them', () => {
    const target = node('n', { cpu: 1000 });
    const done = pod(requesting({ cpu: '1' }), { nodeName: 'n', phase: 'Succeeded' });
    assert.equal(filterOne(nodeResourcesFit, pod(requesting({ cpu: '1' })), target, [done]), undefined);
    const terminating = pod(requesting({ cpu: '1' }), { nodeName: 'n', phase: 'Running', deletionTimestamp: 5 });
    assert.ok(filterOne(nodeResourcesFit, pod(requesting({ cpu: '1' })), target, [terminating]));
  });
});

describe('podRequests', () => {
  test('init containers: the max of the sum of containers and the largest init container', () => {
    const spec = {
      containers: [{ resources: { requests: { cpu: '100m' } } }, { resources: { requests: { cpu: '200m' } } }],
      initContainers: [{ resources: { requests: { cpu: '500m', memory: '1Gi' } } }, { resources: { requests: { cpu: '100m' } } }],
    };
    assert.deepEqual(podRequests(spec), { cpu: 500, memory: 2 ** 30 });
  });
  test('sidecars (restartPolicy Always) add to the containers and stay running during later init containers', () => {
    const spec = {
      initContainers: [
        { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } },
        { name: 'migrate', resources: { requests: { cpu: '2' } } },
      ],
      containers: [{ resources: { requests: { cpu: '1' } } }],
    };
    // running: app 1 + sidecar 1 = 2; while `migrate` runs: 2 + sidecar 1 = 3.
    assert.equal(podRequests(spec).cpu, 3000);
  });
  test('overhead is added; a missing request defaults to the limit; unknown or bad quantities are ignored', () => {
    const spec = {
      overhead: { cpu: '250m', memory: '120Mi' },
      containers: [{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { memory: '512Mi', bogus: '1', 'example.com/x': 'lots' } } }],
    };
    assert.deepEqual(podRequests(spec), { cpu: 1250, memory: 512 * 2 ** 20 + 120 * 2 ** 20 });
  });
  test('malformed specs read as empty', () => {
    assert.deepEqual(podRequests(null), {});
    assert.deepEqual(podRequests({ containers: 'nope', initContainers: [1, null] }), {});
  });
});

describe('NodePorts', () => {
  const withPort = (hostPort: number, extra: Record<string, unknown> = {}) => ({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, ...extra }] }] });
  const bound = (spec: Record<string, unknown>) => pod(spec, { nodeName: 'n', phase: 'Running' });
  const reason = ["node(s) didn't have free ports for the requested pod ports"];

  test('the same hostPort and protocol conflicts', () => {
    assert.deepEqual(filterOne(nodePorts, pod(withPort(8080)), node('n'), [bound(withPort(8080))])?.reasons, reason);
  });
  test('another protocol or another port does not', () => {
    assert.equal(filterOne(nodePorts, pod(withPort(8080, { protocol: 'UDP' })), node('n'), [bound(withPort(8080))]), undefined);
    assert.equal(filterOne(nodePorts, pod(withPort(8081)), node('n'), [bound(withPort(8080))]), undefined);
  });
  test('0.0.0.0 conflicts with any IP; two distinct IPs do not conflict', () => {
    assert.ok(filterOne(nodePorts, pod(withPort(80)), node('n'), [bound(withPort(80, { hostIP: '10.0.0.1' }))]));
    assert.ok(filterOne(nodePorts, pod(withPort(80, { hostIP: '10.0.0.1' })), node('n'), [bound(withPort(80))]));
    assert.equal(filterOne(nodePorts, pod(withPort(80, { hostIP: '10.0.0.2' })), node('n'), [bound(withPort(80, { hostIP: '10.0.0.1' }))]), undefined);
  });
  test('hostNetwork turns containerPorts into host ports', () => {
    const hostNet = { hostNetwork: true, containers: [{ name: 'c', ports: [{ containerPort: 9100 }] }] };
    assert.ok(filterOne(nodePorts, pod(hostNet), node('n'), [bound(hostNet)]));
  });
  test('a port is free again once the pod is removed from the cache', () => {
    const existing = bound(withPort(8080));
    const cache = new SchedulerCache([node('n')], [existing]);
    cache.removePod(existing);
    const state: CycleState = { pod: podInfo(pod(withPort(8080))), allNodes: cache.nodeInfos, data: new Map() };
    assert.equal(nodePorts.filter(state, cache.nodeInfos[0]), undefined);
  });
});

describe('InterPodAffinity', () => {
  const zones = [node('a1', { labels: { 'topology.kubernetes.io/zone': 'a' } }), node('a2', { labels: { 'topology.kubernetes.io/zone': 'a' } }), node('b1', { labels: { 'topology.kubernetes.io/zone': 'b' } })];
  const antiAffinity = (topologyKey: string) => ({
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey }] } },
  });
  const db = (spec: Record<string, unknown>, nodeName?: string) => pod(spec, { labels: { app: 'db' }, nodeName, phase: nodeName ? 'Running' : 'Pending' });

  test('anti-affinity on hostname keeps replicas off nodes that already run one', () => {
    const statuses = filterAll(interPodAffinity, db(antiAffinity('kubernetes.io/hostname')), zones, [db({}, 'a1')]);
    assert.deepEqual(statuses.a1?.reasons, ["node(s) didn't match pod anti-affinity rules"]);
    assert.equal(statuses.a2, undefined);
    assert.equal(statuses.b1, undefined);
  });
  test('anti-affinity on zone blocks every node of the zone', () => {
    const statuses = filterAll(interPodAffinity, db(antiAffinity('topology.kubernetes.io/zone')), zones, [db({}, 'a1')]);
    assert.ok(statuses.a1 && statuses.a2);
    assert.equal(statuses.b1, undefined);
  });
  test("an existing pod's anti-affinity keeps matching pods away", () => {
    const statuses = filterAll(interPodAffinity, db({}), zones, [db(antiAffinity('topology.kubernetes.io/zone'), 'b1')]);
    assert.deepEqual(statuses.b1?.reasons, ["node(s) didn't satisfy existing pods anti-affinity rules"]);
    assert.equal(statuses.a1, undefined);
  });
  test('anti-affinity only counts pods in the same namespace unless namespaces are named', () => {
    const other = pod({}, { labels: { app: 'db' }, namespace: 'other', nodeName: 'a1', phase: 'Running' });
    assert.equal(filterAll(interPodAffinity, db(antiAffinity('kubernetes.io/hostname')), zones, [other]).a1, undefined);
  });
  test('required affinity co-locates with matching pods; the first pod of a self-affine group may go anywhere', () => {
    const affinity = {
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'topology.kubernetes.io/zone' }] } },
    };
    const web = pod(affinity, { labels: { app: 'web' } });
    const withCache = filterAll(interPodAffinity, web, zones, [pod({}, { labels: { app: 'cache' }, nodeName: 'b1', phase: 'Running' })]);
    assert.deepEqual(withCache.a1?.reasons, ["node(s) didn't match pod affinity rules"]);
    assert.equal(withCache.b1, undefined);
    assert.ok(filterAll(interPodAffinity, web, zones).a1, 'no cache pod anywhere and the pod does not match itself');
    const firstCache = pod(affinity, { labels: { app: 'cache' } });
    assert.equal(filterAll(interPodAffinity, firstCache, zones).a1, undefined);
  });
});

describe('PodTopologySpread', () => {
  const zones = [
    node('a1', { labels: { zone: 'a' } }),
    node('b1', { labels: { zone: 'b' } }),
    node('c1', { labels: { zone: 'c' } }),
    node('nolabel'),
  ];
  const spread = (extra: Record<string, unknown> = {}) => ({
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'web' } }, ...extra }],
  });
  const web = (spec: Record<string, unknown>, nodeName?: string) => pod(spec, { labels: { app: 'web' }, nodeName, phase: nodeName ? 'Running' : 'Pending' });

  test('maxSkew 1: a zone already ahead is refused until the others catch up', () => {
    const statuses = filterAll(podTopologySpread, web(spread()), zones, [web({}, 'a1'), web({}, 'b1')]);
    assert.deepEqual(statuses.a1?.reasons, ["node(s) didn't match pod topology spread constraints"]);
    assert.equal(statuses.a1?.code, 'Unschedulable');
    assert.equal(statuses.b1?.code, 'Unschedulable');
    assert.equal(statuses.c1, undefined);
  });
  test('a node without the topology label is unresolvable', () => {
    const statuses = filterAll(podTopologySpread, web(spread()), zones);
    assert.deepEqual(statuses.nolabel?.reasons, ["node(s) didn't match pod topology spread constraints (missing required label)"]);
    assert.equal(statuses.nolabel?.code, 'UnschedulableAndUnresolvable');
  });
  test('terminating pods and pods of other selectors do not count', () => {
    const bound = [web({}, 'a1'), pod({}, { labels: { app: 'other' }, nodeName: 'b1', phase: 'Running' }), pod({}, { labels: { app: 'web' }, nodeName: 'b1', phase: 'Running', deletionTimestamp: 1 })];
    const statuses = filterAll(podTopologySpread, web(spread()), zones, bound);
    assert.ok(statuses.a1);
    assert.equal(statuses.b1, undefined);
  });
  test('minDomains above the number of domains makes the global minimum 0', () => {
    const bound = [web({}, 'a1'), web({}, 'b1'), web({}, 'c1')];
    assert.equal(filterAll(podTopologySpread, web(spread()), zones, bound).a1, undefined);
    assert.ok(filterAll(podTopologySpread, web(spread({ minDomains: 4 })), zones, bound).a1);
  });
  test('nodes excluded by the pod’s nodeSelector are not domains (nodeAffinityPolicy Honor)', () => {
    const bound = [web({}, 'c1')];
    const restricted = web({ ...spread(), nodeSelector: { zone: 'c' } });
    assert.equal(filterAll(podTopologySpread, restricted, zones, bound).c1, undefined);
  });
  test('ScheduleAnyway constraints never filter', () => {
    const statuses = filterAll(podTopologySpread, web(spread({ whenUnsatisfiable: 'ScheduleAnyway' })), zones, [web({}, 'a1'), web({}, 'a1')]);
    assert.equal(statuses.a1, undefined);
  });
});
