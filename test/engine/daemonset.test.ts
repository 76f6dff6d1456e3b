// The DaemonSet controller: placement rules, the manage diff, rolling updates and status counters,
// and DaemonSets simulated on the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  daemonPodPlacement,
  daemonSetRollingUpdate,
  manageDaemonPods,
  nodeShouldRunDaemonPod,
  syncDaemonSet,
  type DaemonPod,
} from '../../server/src/engine/controllers/daemonset';
import { replaceDaemonSetPodNodeNameNodeAffinity, targetNodeName } from '../../server/src/engine/controllers/daemonset/node-name-affinity';
import { simulate } from '../../server/src/engine/simulate';
import type { SimNode, SimulateOptions, SimulationResult, Taint } from '../../server/src/engine/types';

const node = (name: string, labels: Record<string, string> = {}, taints: Taint[] = []): SimNode => ({ name, labels, taints, unschedulable: false, ready: true, allocatable: { cpu: 4000, memory: 8 * 2 ** 30, pods: 110 } });

test('placement: selector, affinity, taints with the default daemon tolerations', () => {
  const plain = daemonPodPlacement({});
  assert.deepEqual(nodeShouldRunDaemonPod(node('a'), plain), { shouldRun: true, shouldContinueRunning: true });
  const cordoned = node('b', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
  assert.equal(nodeShouldRunDaemonPod(cordoned, plain).shouldRun, true);
  const master = node('c', {}, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
  assert.deepEqual(nodeShouldRunDaemonPod(master, plain), { shouldRun: false, shouldContinueRunning: true, reason: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' });
  const evicting = node('d', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]);
  assert.equal(nodeShouldRunDaemonPod(evicting, plain).shouldContinueRunning, false);
  const tolerant = daemonPodPlacement({ tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] });
  assert.equal(nodeShouldRunDaemonPod(master, tolerant).shouldRun, true);
  const ssd = daemonPodPlacement({ nodeSelector: { disk: 'ssd' } });
  assert.equal(nodeShouldRunDaemonPod(node('e', { disk: 'ssd' }), ssd).shouldRun, true);
  assert.deepEqual(nodeShouldRunDaemonPod(node('f', { disk: 'hdd' }), ssd), { shouldRun: false, shouldContinueRunning: false, reason: "node(s) didn't match Pod's node affinity/selector" });
  const netless = node('g', {}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]);
  assert.equal(nodeShouldRunDaemonPod(netless, plain).shouldRun, false);
  assert.equal(nodeShouldRunDaemonPod(netless, daemonPodPlacement({ hostNetwork: true })).shouldRun, true);
});

const dpod = (name: string, over: Partial<DaemonPod<string>> = {}): DaemonPod<string> => ({ ref: name, name, phase: 'Running', ready: true, available: true, terminating: false, updated: true, createdAt: 0, ...over });

test('manage: create where missing, keep the oldest of duplicates, delete from nodes that no longer qualify', () => {
  const nodes = [node('a'), node('b'), node('c', { role: 'edge' })];
  const placement = daemonPodPlacement({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] }] } } } });
  const byNode = new Map([
    ['b', [dpod('b-new', { createdAt: 5 }), dpod('b-old', { createdAt: 1 })]],
    ['c', [dpod('c-1')]],
  ]);
  const r = manageDaemonPods(nodes, placement, byNode, { type: 'RollingUpdate', maxUnavailable: 1, maxSurge: 0 });
  assert.deepEqual(r.nodesNeedingDaemonPods, ['a']);
  assert.deepEqual(r.podsToDelete, ['b-new', 'c-1']);
});

test('rolling update without surge deletes up to maxUnavailable old pods; with surge it creates beside them', () => {
  const nodes = ['a', 'b', 'c', 'd'].map((n) => node(n));
  const old = new Map(nodes.map((n) => [n.name, [dpod(`${n.name}-old`, { updated: false })]]));
  const placement = daemonPodPlacement({});
  assert.deepEqual(daemonSetRollingUpdate(nodes, placement, old, { type: 'RollingUpdate', maxUnavailable: '50%', maxSurge: 0 }).podsToDelete, ['a-old', 'b-old']);
  const surge = daemonSetRollingUpdate(nodes, placement, old, { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 1 });
  assert.deepEqual(surge, { podsToDelete: [], nodesToCreate: ['a'] });
  const surged = new Map(old);
  surged.set('a', [dpod('a-old', { updated: false }), dpod('a-new', { createdAt: 9 })]);
  assert.deepEqual(daemonSetRollingUpdate(nodes, placement, surged, { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 1 }), { podsToDelete: ['a-old'], nodesToCreate: ['b'] });
});

const run = (options: SimulateOptions): SimulationResult => simulate(options);

const ds = (spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}, image = 'agent:1') => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent' },
  spec: { selector: { matchLabels: { app: 'agent' } }, ...spec, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image }], ...podSpec } } },
});

const cluster = [
  node('cp', { 'node-role.kubernetes.io/control-plane': '' }, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]),
  node('w1', { disk: 'ssd' }),
  node('w2', { disk: 'hdd' }),
  node('w3', { disk: 'ssd' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]),
];

const lastColumns = (r: SimulationResult) => r.steps[r.steps.length - 1].status.find((row) => row.object === 'daemonset.apps/agent')?.columns;

test('simulated DaemonSet: one pod bound to every eligible node, skipped nodes explained in the notes, not as events', () => {
  const r = run({ objects: [ds()], nodes: cluster });
  const pods = r.steps[r.steps.length - 1].pods;
  assert.deepEqual(pods.map((p) => p.node).sort(), ['w1', 'w2', 'w3']);
  // pkg/controller/daemon records SuccessfulCreate/SuccessfulDelete/FailedDaemonPod events only:
  // a node left out gets none; the run's notes say why.
  const events = r.steps.flatMap((s) => s.events.map((e) => e.message));
  assert.ok(!events.some((e) => e.includes('No daemon pod')), events.join('\n'));
  assert.ok(r.notes.includes('DaemonSet agent: no daemon pod on node cp: node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'), r.notes.join('\n'));
  const c = lastColumns(r);
  assert.deepEqual([c?.DESIRED, c?.CURRENT, c?.READY, c?.['UP-TO-DATE'], c?.AVAILABLE, c?.numberMisscheduled], [3, 3, 3, 3, 3, 0]);
  assert.ok(r.summary.completed);
});

test('simulated DaemonSet with a nodeSelector: pods only on matching nodes, misplaced ones removed', () => {
  const r = run({ objects: [ds({}, { nodeSelector: { disk: 'ssd' } })], before: ds(), nodes: cluster });
  const pods = r.steps[r.steps.length - 1].pods.filter((p) => !p.terminating);
  assert.deepEqual(pods.map((p) => p.node).sort(), ['w1', 'w3']);
  assert.equal(lastColumns(r)?.DESIRED, 2);
  assert.equal(lastColumns(r)?.['NODE SELECTOR'], 'disk=ssd');
});

test('simulated rolling update replaces maxUnavailable pods at a time', () => {
  const nodes = ['n1', 'n2', 'n3', 'n4'].map((n) => node(n));
  const r = run({ objects: [ds({ updateStrategy: { rollingUpdate: { maxUnavailable: 2 } } }, {}, 'agent:2')], before: ds(), nodes });
  const deleteSteps = r.steps.filter((s) => s.events.some((e) => e.message.startsWith('Deleted pod')));
  assert.deepEqual(deleteSteps.map((s) => s.events.filter((e) => e.message.startsWith('Deleted pod')).length), [2, 2]);
  const c = lastColumns(r);
  assert.equal(c?.['UP-TO-DATE'], 4);
  assert.equal(c?.AVAILABLE, 4);
  assert.equal(r.summary.minAvailable, 2);
});

test('simulated surge update keeps every node served', () => {
  const nodes = ['n1', 'n2', 'n3'].map((n) => node(n));
  const r = run({ objects: [ds({ updateStrategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }, {}, 'agent:2')], before: ds(), nodes });
  assert.equal(r.summary.minAvailable, 3);
  // At most one surge pod beside the three (old pods already terminating do not count against maxSurge).
  const live = r.steps.map((s) => s.pods.filter((p) => !p.terminating).length);
  assert.equal(Math.max(...live), 4);
  assert.equal(lastColumns(r)?.['UP-TO-DATE'], 3);
});

test('one sync: manage retires an old pod whose replacement is available, the surge update starts the next node', () => {
  const nodes = ['a', 'b', 'c'].map((n) => node(n));
  const byNode = new Map([
    ['a', [dpod('a-old', { updated: false }), dpod('a-new', { createdAt: 9 })]],
    ['b', [dpod('b-old', { updated: false })]],
    ['c', [dpod('c-old', { updated: false })]],
  ]);
  const r = syncDaemonSet(nodes, daemonPodPlacement({}), byNode, { type: 'RollingUpdate', maxUnavailable: 0, maxSurge: 1 });
  assert.deepEqual(r, { podsToDelete: ['a-old'], nodesToCreate: ['b'], warnings: [] });
  const invalid = syncDaemonSet(nodes, daemonPodPlacement({}), byNode, { type: 'RollingUpdate', maxUnavailable: 'lots', maxSurge: 0 });
  assert.equal(invalid.warnings.length, 1);
});

// Since 1.17 daemon pods go through kube-scheduler: pkg/controller/daemon/daemon_controller.go
// syncNodes creates each pod with util.ReplaceDaemonSetPodNodeNameNodeAffinity (daemonset_util.go:
// the required node affinity becomes the single term matchFields metadata.name In [node]), and
// the scheduler's NodeAffinity PreFilter narrows the candidates to that node, so NodeResourcesFit,
// NodePorts and the rest decide. A pod that does not fit stays Pending with the FitError message,
// counts toward currentNumberScheduled (GetTargetNodeName reads the node from the affinity) but
// not numberAvailable, and the DaemonSet never becomes available.
test('daemon pods are scheduled: one that does not fit stays Pending with the scheduler message', () => {
  const small = { ...node('small'), allocatable: { cpu: 500, memory: 8 * 2 ** 30, pods: 110 } };
  const r = run({ objects: [ds({}, { containers: [{ name: 'a', image: 'agent:1', resources: { requests: { cpu: '1' } } }] })], nodes: [node('w1'), small, node('w2')] });
  const last = r.steps[r.steps.length - 1];
  const pending = last.pods.filter((p) => p.node === undefined);
  assert.equal(pending.length, 1);
  assert.deepEqual(last.pods.filter((p) => p.node).map((p) => p.node).sort(), ['w1', 'w2']);
  const failed = r.steps.flatMap((s) => s.events).filter((e) => e.object === `pod/${pending[0].name}` && e.type === 'Warning');
  assert.match(failed[0]?.message ?? '', /^0\/3 nodes are available: 1 Insufficient cpu, 2 node\(s\) didn't satisfy plugin\(s\) \[NodeAffinity\]\. preemption: /);
  const c = lastColumns(r);
  assert.deepEqual([c?.DESIRED, c?.CURRENT, c?.READY, c?.AVAILABLE, c?.numberUnavailable], [3, 3, 2, 2, 1]);
  assert.equal(r.summary.completed, false);
});

test('ReplaceDaemonSetPodNodeNameNodeAffinity replaces the required terms and keeps the rest; GetTargetNodeName reads it back', () => {
  const affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] },
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } }],
    },
    podAntiAffinity: { x: 1 },
  };
  const replaced = replaceDaemonSetPodNodeNameNodeAffinity(affinity, 'w7') as any;
  assert.deepEqual(replaced.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['w7'] }] }] });
  assert.deepEqual(replaced.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution, affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution);
  assert.deepEqual(replaced.podAntiAffinity, { x: 1 });
  assert.equal(affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions?.length, 1, 'the template is not changed');
  assert.deepEqual(replaceDaemonSetPodNodeNameNodeAffinity(undefined, 'n'), { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] } } });
  const pod = { spec: { affinity: replaced } } as any;
  assert.equal(targetNodeName(pod), 'w7');
  assert.equal(targetNodeName({ ...pod, nodeName: 'bound' }), 'bound');
  assert.equal(targetNodeName({ spec: {} } as any), undefined);
});
