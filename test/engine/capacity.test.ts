// engine/capacity.ts: a scope's workloads placed together by kube-scheduler, read back per node and
// zone, and each node's failure played the way upstream plays it. The arithmetic is
// NodeResourcesFit's (pkg/scheduler/framework/plugins/noderesources/fit.go fitsRequest: a pod fits
// while its request is at most allocatable minus what the node's pods already request), so a
// node's headroom is allocatable - requested; the failure follows node_lifecycle_controller.go
// (doNoExecuteTaintingPass: Ready Unknown -> node.kubernetes.io/unreachable NoSchedule+NoExecute),
// taint_eviction.go (eviction once the toleration runs out) and controller_utils.go
// FilterActivePods (a ReplicaSet replaces a pod being deleted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { capacityOf, DEFAULT_CLUSTER } from '../../server/src/engine';
import { container, deployment } from '../simulation-checks/manifests';
import { node, nodes } from '../simulation-checks/helpers';

const cpu = (amount: string) => `        resources:\n          requests:\n            cpu: "${amount}"\n`;
const obj = (yaml: string) => parse(yaml) as Record<string, unknown>;
const workloads = (...yamls: string[]) => yamls.map((y, i) => ({ key: `w${i}`, object: obj(y) }));

test('four 3-CPU replicas on the default cluster: three fill the workers, the fourth stays Pending with the FitError', () => {
  const report = capacityOf(workloads(deployment('big', container(cpu('3')), '', 4)), DEFAULT_CLUSTER)!;
  const [big] = report.workloads;
  assert.equal(big.placed, 3);
  assert.equal(big.pending, 1);
  assert.match(big.message!, /^0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 Insufficient cpu\. /);
  assert.deepEqual(big.podRequests, { cpu: 3000, pods: 1 });
  // 4000m allocatable - 3000m requested = 1000m left on each worker; the control plane is untouched.
  for (const name of ['worker-1', 'worker-2', 'worker-3']) {
    const n = report.nodes.find((x) => x.name === name)!;
    assert.equal(n.requested.cpu, 3000);
    assert.equal(n.headroom.cpu, 1000);
    assert.equal(n.fill, 0.75);
    assert.equal(n.fullest, 'cpu');
    assert.deepEqual(n.pods, { w0: 1 });
  }
  const cp = report.nodes.find((x) => x.name === 'control-plane')!;
  assert.equal(cp.open, false);
  assert.deepEqual(cp.closedBy, ['node-role.kubernetes.io/control-plane:NoSchedule']);
  assert.equal(report.fillOrder.at(-1), 'control-plane', 'the empty node fills last');
  // zone-a holds the control plane and worker-1: only worker-1 is open, so 1 CPU is free there.
  const zoneA = report.zones.find((z) => z.zone === 'zone-a')!;
  assert.deepEqual({ nodes: zoneA.nodes, open: zoneA.openNodes, free: zoneA.headroom.cpu }, { nodes: 2, open: 1, free: 1000 });
});

test('which node fills first: the one whose fullest resource has the largest share requested', () => {
  const cluster = nodes(node('roomy', '8') + node('tight', '2', '4Gi'));
  // One 1-CPU, 3Gi pod: LeastAllocated + BalancedAllocation prefer roomy (8 CPU, 16Gi).
  const pod = deployment('one', container(`        resources:\n          requests:\n            cpu: "1"\n            memory: 3Gi\n`), '', 1);
  const report = capacityOf(workloads(pod), cluster)!;
  const roomy = report.nodes.find((n) => n.name === 'roomy')!;
  assert.equal(roomy.requested.cpu, 1000);
  assert.equal(roomy.fullest, 'memory', '3Gi of 16Gi (19%) is more than 1 of 8 CPU (12.5%)');
  assert.equal(roomy.fill, 3 / 16);
  assert.deepEqual(report.fillOrder, ['roomy', 'tight']);
});

test('zones come from topology.kubernetes.io/zone; nodes without it form the zone ""', () => {
  const zoned = (name: string, zone: string) => node(name, '4', '16Gi', `    topology.kubernetes.io/zone: ${zone}\n`);
  const report = capacityOf(workloads(deployment('web', container(cpu('1')), '', 3)), nodes(zoned('a1', 'a') + zoned('a2', 'a') + zoned('b1', 'b') + node('bare', '4')))!;
  assert.deepEqual(report.zones.map((z) => [z.zone, z.nodes, z.allocatable.cpu]), [['', 1, 4000], ['a', 2, 8000], ['b', 1, 4000]]);
  const requested = report.zones.reduce((n, z) => n + z.requested.cpu, 0);
  assert.equal(requested, 3000, 'every placed pod counted in exactly one zone');
});

test('a node failure: each worker lost leaves its 3-CPU replica Pending, with the unreachable taint in the FitError', () => {
  const report = capacityOf(workloads(deployment('big', container(cpu('3')), '', 3)), DEFAULT_CLUSTER)!;
  assert.equal(report.workloads[0].pending, 0, 'one replica per worker fits');
  assert.deepEqual(report.nodeFailures.map((f) => f.node).sort(), ['worker-1', 'worker-2', 'worker-3']);
  for (const failure of report.nodeFailures) {
    // The same answer for every worker: each failure is undone before the next is tried.
    assert.equal(failure.replaced, 1);
    assert.equal(failure.pending.length, 1);
    assert.equal(failure.pending[0].pods, 1);
    assert.match(failure.pending[0].message, /^0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 1 node\(s\) had untolerated taint \{node\.kubernetes\.io\/unreachable: \}, 2 Insufficient cpu\./);
  }
  // The placement itself is what it was before the failures were tried.
  assert.deepEqual(report.nodes.filter((n) => n.open).map((n) => n.requested.cpu), [3000, 3000, 3000]);
});

test('a node failure with room elsewhere leaves nothing Pending', () => {
  const report = capacityOf(workloads(deployment('web', container(cpu('2')), '', 3)), DEFAULT_CLUSTER)!;
  assert.equal(report.nodeFailures.length, 3);
  assert.ok(report.nodeFailures.every((f) => f.replaced === 1 && f.pending.length === 0));
});

test('pods not replaced after a node failure: DaemonSet, StatefulSet, a bare Pod, and a pod tolerating unreachable forever', () => {
  const daemon = `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  selector:\n    matchLabels:\n      app: agent\n  template:\n    metadata:\n      labels:\n        app: agent\n    spec:\n${container(cpu('100m'))}`;
  const stateful = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 1\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n${container(cpu('100m'))}`;
  const bare = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: lonely\nspec:\n${container(cpu('100m')).replace(/^ {4}/gm, '')}`;
  const sticky = deployment('sticky', `      tolerations:\n      - key: node.kubernetes.io/unreachable\n        operator: Exists\n        effect: NoExecute\n${container(cpu('100m'))}`, '', 1);
  const cluster = nodes(node('only', '4'));
  const report = capacityOf(workloads(daemon, stateful, bare, sticky), cluster)!;
  assert.deepEqual(report.workloads.map((w) => [w.kind, w.placed]), [['DaemonSet', 1], ['StatefulSet', 1], ['Pod', 1], ['Deployment', 1]]);
  assert.deepEqual(report.nodeFailures, [], 'nothing on the node would be replaced, so its failure is not tried');
  // With one replaceable pod beside them, the failure is tried and the others are counted by reason.
  const withWeb = capacityOf(workloads(daemon, stateful, bare, sticky, deployment('web', container(cpu('100m')), '', 1)), cluster)!;
  assert.equal(withWeb.nodeFailures.length, 1);
  const [failure] = withWeb.nodeFailures;
  assert.deepEqual(failure.notReplaced, { daemonSet: 1, statefulSet: 1, barePod: 1, toleratesForever: 1 });
  assert.equal(failure.replaced, 1);
  assert.match(failure.pending[0].message, /^0\/1 nodes are available: 1 node\(s\) had untolerated taint \{node\.kubernetes\.io\/unreachable: \}\./);
});

test('Jobs and CronJobs are listed as not placed; other resources requested get their own columns', () => {
  const job = `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n${container()}`;
  const gpu = deployment('gpu', container(`        resources:\n          limits:\n            nvidia.com/gpu: 1\n`), '', 1);
  const report = capacityOf(workloads(job, gpu), DEFAULT_CLUSTER)!;
  assert.deepEqual(report.notPlaced, [{ key: 'w0', kind: 'Job', name: 'once' }]);
  assert.deepEqual(report.resources, ['cpu', 'memory', 'pods', 'nvidia.com/gpu']);
  assert.match(report.workloads[0].message!, /3 Insufficient nvidia\.com\/gpu/);
});

test('a zone failure: every node of the zone unreachable at once leaves Pending what no single node failure does', () => {
  // zone-a: a-1, a-2; zone-b: b-1; 4 CPU each. Three 2-CPU replicas spread one per node (LeastAllocated),
  // leaving 2 CPU free on each. One node down: its replacement fits on another node. zone-a down:
  // two replacements, one 2-CPU slot left on b-1 (node_lifecycle_controller.go taints each node unreachable).
  const zoned = (name: string, zone: string) => node(name, '4', '16Gi', '').replace(`kubernetes.io/hostname: ${name}\n`, `kubernetes.io/hostname: ${name}\n    topology.kubernetes.io/zone: ${zone}\n`);
  const cluster = nodes(zoned('a-1', 'zone-a') + zoned('a-2', 'zone-a') + zoned('b-1', 'zone-b'));
  const report = capacityOf(workloads(deployment('web', container(cpu('2')), '', 3)), cluster)!;
  assert.deepEqual(report.workloads[0].nodes.sort(), ['a-1', 'a-2', 'b-1']);
  assert.ok(report.nodeFailures.every((f) => f.pending.length === 0));
  assert.deepEqual(report.zoneFailures.map((f) => [f.zone, f.nodes, f.replaced, f.pending.map((p) => p.pods)]), [['zone-a', 2, 2, [1]], ['zone-b', 1, 1, []]]);
  assert.match(report.zoneFailures[0].pending[0].message, /^0\/3 nodes are available: 1 Insufficient cpu, 2 node\(s\) had untolerated taint \{node\.kubernetes\.io\/unreachable: \}\./);
  // One zone only: no zone failure is played (the whole cluster would be down).
  assert.deepEqual(capacityOf(workloads(deployment('web', container(cpu('2')), '', 3)), nodes(zoned('a-1', 'zone-a') + zoned('a-2', 'zone-a')))!.zoneFailures, []);
});

test('fill order is the order nodes ran out of room as the pods were placed, not their final fullness', () => {
  // x (3 CPU) gets one 2-CPU pod first: 1 CPU left, and no pod of the scope (2 or 1.5 CPU) fits
  // there any more (NodeResourcesFit, noderesources/fit.go fitsRequest), at 67% requested. y (10 CPU)
  // then takes six 1.5-CPU pods: 9 CPU, 90%, full only after. Final fullness alone would put y first.
  const cluster = nodes(node('x', '3') + node('y', '10'));
  const pinned = (name: string, host: string, amount: string, replicas: number) => deployment(name, `      nodeSelector:\n        kubernetes.io/hostname: ${host}\n${container(cpu(amount))}`, '', replicas);
  const report = capacityOf(workloads(pinned('a', 'x', '2', 1), pinned('b', 'y', '1500m', 6)), cluster)!;
  assert.deepEqual(report.nodes.map((n) => [n.name, Math.round(n.fill * 100)]), [['x', 67], ['y', 90]]);
  assert.deepEqual(report.fillOrder, ['x', 'y']);
  assert.equal(report.filled, 2);
  // With room left on y for a 1.5-CPU pod (five replicas), only x ran out: y follows by fullness.
  const roomy = capacityOf(workloads(pinned('a', 'x', '2', 1), pinned('b', 'y', '1500m', 5)), cluster)!;
  assert.deepEqual([roomy.fillOrder, roomy.filled], [['x', 'y'], 1]);
});

test('small replicas of a Deployment or a Rollout are spread, as kube-scheduler spreads a ReplicaSet\'s pods', () => {
  // The pods belong to a ReplicaSet, so PodTopologySpread's system default constraints
  // (podtopologyspread/common.go buildDefaultConstraints over helper.DefaultSelector's ReplicaSet)
  // score the emptier node higher; without them a 5m request packed all five on worker-1.
  const small = container('        resources:\n          requests:\n            cpu: 5m\n            memory: 32Mi\n');
  const perNode = (yaml: string) => {
    const report = capacityOf(workloads(yaml), DEFAULT_CLUSTER)!;
    return Object.fromEntries(report.nodes.filter((n) => n.pods.w0).map((n) => [n.name, n.pods.w0]));
  };
  const spread = { 'worker-1': 2, 'worker-2': 2, 'worker-3': 1 };
  assert.deepEqual(perNode(deployment('web', small, '', 5)), spread);
  const rollout = deployment('web', small, '', 5).replace('apiVersion: apps/v1\nkind: Deployment', 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout');
  assert.deepEqual(perNode(rollout), spread);
});
