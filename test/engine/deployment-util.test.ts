// Upstream-named helpers beyond the public conformance vectors, with expectations taken from the
// upstream tests they are named after (deployment_util_test.go, controller_utils_test.go,
// replica_set_test.go) or derived by hand from the Go code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  computePodTemplateHash,
  filterActiveReplicaSets,
  findActiveOrLatest,
  findNewReplicaSet,
  getActualReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets,
  stableStringify,
  newRSNewReplicas,
  type ReplicaSetLike,
} from '../../server/src/engine/controllers/deployment/util';
import { oldPodsRunning } from '../../server/src/engine/controllers/deployment/recreate';
import { cleanupOldReplicaSets, isScalingEvent, scaleDeployment } from '../../server/src/engine/controllers/deployment/sync';
import { filterActivePods, type RankablePod } from '../../server/src/engine/controllers/replicaset/activepods';
import { getPodsToDelete } from '../../server/src/engine/controllers/replicaset/podstodelete';
import { slowStartBatch } from '../../server/src/engine/controllers/replicaset/slowstart';

const rs = (name: string, replicas: number, extra: Partial<ReplicaSetLike> = {}): ReplicaSetLike => ({ name, replicas, ...extra });

test('GetReplicaCountForReplicaSets / GetActualReplicaCountForReplicaSets skip nil sets', () => {
  const rs1 = rs('rs1', 1, { statusReplicas: 2 });
  const rs2 = rs('rs2', 2, { statusReplicas: 3 });
  assert.equal(getReplicaCountForReplicaSets([rs1, null]), 1);
  assert.equal(getActualReplicaCountForReplicaSets([rs1, null]), 2);
  assert.equal(getReplicaCountForReplicaSets([rs1, rs2]), 3);
  assert.equal(getActualReplicaCountForReplicaSets([rs1, rs2]), 5);
});

test('FilterActiveReplicaSets keeps sets with replicas, in order', () => {
  assert.deepEqual(
    filterActiveReplicaSets([rs('zero', 0), null, rs('one', 1), rs('two', 2)]).map((r) => r.name),
    ['one', 'two'],
  );
});

test('FindNewReplicaSet: the oldest set with the template; none when no template matches', () => {
  const sets = [rs('young', 1, { createdAt: 20 }), rs('old', 1, { createdAt: 10 }), rs('other', 1, { createdAt: 5 })];
  assert.equal(findNewReplicaSet(sets, (r) => r.name !== 'other')?.name, 'old');
  assert.equal(findNewReplicaSet(sets, () => false), undefined);
});

test('FindActiveOrLatest: the only active set, else the newest, else none', () => {
  const newer = rs('newer', 0, { createdAt: 2 });
  const older = rs('older', 0, { createdAt: 1 });
  assert.equal(findActiveOrLatest(undefined, [older, newer])?.name, 'newer');
  assert.equal(findActiveOrLatest(rs('new', 0, { createdAt: 3 }), [older, newer])?.name, 'new');
  assert.equal(findActiveOrLatest(undefined, [rs('a', 2), rs('b', 0)])?.name, 'a');
  assert.equal(findActiveOrLatest(rs('n', 1), [rs('a', 2)]), undefined);
});

test('NewRSNewReplicas: Recreate goes straight to replicas; RollingUpdate never past replicas', () => {
  assert.equal(newRSNewReplicas({ strategy: 'Recreate', replicas: 5 }, [rs('old', 5)], rs('new', 0)), 5);
  // scale up - to depReplicas (upstream): maxSurge 10 allows more, but not beyond the 6 replicas.
  assert.equal(newRSNewReplicas({ strategy: 'RollingUpdate', replicas: 6, maxSurge: 10 }, [rs('old', 5)], rs('new', 2)), 6);
  assert.throws(() => newRSNewReplicas({ strategy: 'BlueGreen', replicas: 1 }, [], rs('new', 0)));
});

test('isScalingEvent: an active set sized for another replica count', () => {
  const sized = (n: number) => ({ 'deployment.kubernetes.io/desired-replicas': String(n) });
  assert.equal(isScalingEvent({ replicas: 3 }, [rs('a', 3, { annotations: sized(3) })]), false);
  assert.equal(isScalingEvent({ replicas: 5 }, [rs('a', 3, { annotations: sized(3) })]), true);
  // Inactive sets and sets without the annotation do not count.
  assert.equal(isScalingEvent({ replicas: 5 }, [rs('a', 0, { annotations: sized(3) }), rs('b', 3)]), false);
});

test('scale(): a saturated new set takes the old sets to 0', () => {
  const annotations = { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' };
  const newRS = rs('new', 3, { availableReplicas: 3, annotations, createdAt: 2 });
  const old = rs('old', 1, { availableReplicas: 1, annotations, createdAt: 1 });
  scaleDeployment({ strategy: 'RollingUpdate', replicas: 3, maxSurge: 1, maxUnavailable: 0 }, newRS, [old], (r, n) => ((r.replicas = n), true));
  assert.deepEqual([newRS.replicas, old.replicas], [3, 0]);
});

test('cleanupDeployment: unset or MaxInt32 limit keeps everything; a set still catching up is kept', () => {
  const empty = (name: string, revision: string) => ({ ...rs(name, 0, { statusReplicas: 0, annotations: { 'deployment.kubernetes.io/revision': revision } }) });
  const sets = [empty('a', '1'), empty('b', '2'), empty('c', '3')];
  assert.deepEqual(cleanupOldReplicaSets(sets, undefined), []);
  assert.deepEqual(cleanupOldReplicaSets(sets, 2147483647), []);
  assert.deepEqual(
    cleanupOldReplicaSets(sets, 1).map((r) => r.name),
    ['a', 'b'],
  );
  assert.deepEqual(
    cleanupOldReplicaSets([{ ...sets[0], generation: 2, observedGeneration: 1 }, sets[1], sets[2]], 1).map((r) => r.name),
    ['b'],
  );
});

test('oldPodsRunning: an Unknown or phase-less pod of an old set blocks Recreate; the new set is ignored', () => {
  const old = [rs('old', 0, { statusReplicas: 0 })];
  assert.equal(oldPodsRunning(undefined, old, new Map([['old', ['Unknown']]])), true);
  assert.equal(oldPodsRunning(undefined, old, new Map([['old', ['']]])), true);
  assert.equal(oldPodsRunning('new', old, new Map([['new', ['Running']]])), false);
  assert.equal(oldPodsRunning(undefined, [rs('old', 0, { statusReplicas: 1 })], new Map()), true);
});

test('FilterActivePods drops finished and terminating pods', () => {
  const pods: (RankablePod & { name: string })[] = [
    { name: 'running', phase: 'Running', ready: true },
    { name: 'done', phase: 'Succeeded', ready: false },
    { name: 'failed', phase: 'Failed', ready: false },
    { name: 'leaving', phase: 'Running', ready: false, deletionTimestamp: 5 },
    { name: 'pending', phase: 'Pending', ready: false },
  ];
  assert.deepEqual(
    filterActivePods(pods).map((p) => p.name),
    ['running', 'pending'],
  );
});

test('getPodsToDelete ranks by related pods on the same node (pods of sibling sets count)', () => {
  const pod = (name: string, nodeName: string): RankablePod & { name: string } => ({ name, nodeName, phase: 'Running', ready: true, readySince: 100, createdAt: 50 });
  const mine = [pod('a', 'node-1'), pod('b', 'node-2')];
  // A sibling set has two more pods on node-2: b is doubled up there and goes first.
  const related = [...mine, pod('x', 'node-2'), pod('y', 'node-2')];
  assert.deepEqual(
    getPodsToDelete(mine, related, 1, 200).map((p) => p.name),
    ['b'],
  );
  assert.deepEqual(
    getPodsToDelete(mine, mine, 3, 200).map((p) => p.name),
    ['a', 'b'],
  );
});

test('slowStartBatch: batches 1, 2, 4, 3 for 10 creations; the first failing batch stops the rest', () => {
  const limit = (n: number) => {
    let calls = 0;
    return () => ++calls <= n;
  };
  assert.deepEqual(slowStartBatch(10, 1, limit(10)), { successes: 10, calls: 10, error: false });
  assert.deepEqual(slowStartBatch(10, 1, limit(0)), { successes: 0, calls: 1, error: true });
  assert.deepEqual(slowStartBatch(0, 1, limit(0)), { successes: 0, calls: 0, error: false });
  assert.deepEqual(slowStartBatch(25, 1, limit(25)), { successes: 25, calls: 25, error: false });
});

test('pod-template-hash: stable for equal templates whatever the key order, different for different ones', () => {
  const a = { metadata: { labels: { app: 'web', tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } };
  const b = { spec: { containers: [{ image: 'nginx:1', name: 'c' }] }, metadata: { labels: { tier: 'fe', app: 'web' } } };
  assert.equal(computePodTemplateHash(a), computePodTemplateHash(b));
  assert.notEqual(computePodTemplateHash(a), computePodTemplateHash({ ...a, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }));
  assert.notEqual(computePodTemplateHash(a), computePodTemplateHash(a, 1), 'a collision count changes the hash');
  assert.ok(computePodTemplateHash(a).length <= 10);
});

test('pod-template-hash: the text hashed is unchanged (ReplicaSet names in every timeline and finding depend on it)', () => {
  // Text and hashes as the map-and-join stableStringify of session 17 gave them.
  const template = { spec: { containers: [{ name: 'web', image: 'nginx:1', args: ['a', undefined, 2, null, true] }], z: undefined, 'é"\n': 1, b: [[], {}] }, metadata: { labels: { app: 'web' }, annotations: {} } };
  assert.equal(stableStringify(template), '{"metadata":{"annotations":{},"labels":{"app":"web"}},"spec":{"b":[[],{}],"containers":[{"args":["a",null,2,null,true],"image":"nginx:1","name":"web"}],"é\\"\\n":1}}');
  assert.equal(computePodTemplateHash(template), '7b7f77cfcd');
  assert.equal(computePodTemplateHash(template, 2), '5db6cf6647');
});
