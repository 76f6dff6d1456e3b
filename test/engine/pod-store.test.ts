// The API server's pod store (world/pod-store.ts): a pod's creation number (SimPod.seq) is the index
// `holds` and `creationOrder` read, so only the stored object itself counts as held.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeLog } from '../../server/src/engine/world/change-log';
import { adoptOrphanPod, PodStore, type NewPodFields } from '../../server/src/engine/world/pod-store';

function store(): PodStore {
  return new PodStore('default', new ChangeLog({ now: 0 }));
}

const fields = (name: string): NewPodFields => ({ name, labels: { app: 'web' }, annotations: {}, spec: {}, revision: 'r1' });

test('pods are numbered in creation order; the uid is made from the number', () => {
  const pods = store();
  const [a, b, c] = ['a', 'b', 'c'].map((n) => pods.add(fields(n), 0));
  assert.deepEqual([a, b, c].map((p) => [p.seq, p.uid, pods.creationOrder(p)]), [
    [0, 'pod-0', 0],
    [1, 'pod-1', 1],
    [2, 'pod-2', 2],
  ]);
});

test('holds only the stored object while it is in the API: not a removed pod, a copy, or another store\'s pod of the same number', () => {
  const pods = store();
  const other = store();
  const a = pods.add(fields('a'), 0);
  const b = pods.add(fields('b'), 0);
  const elsewhere = other.add(fields('a'), 0);
  assert.equal(pods.holds(a), true);
  assert.equal(pods.holds({ ...a }), false, 'a copy (capacity.ts makes some) is not the stored pod');
  assert.equal(pods.holds(elsewhere), false, 'same creation number, another World');
  assert.equal(pods.holds({ ...a, seq: undefined }), false, 'a pod made outside a World');
  assert.equal(pods.remove(a), true);
  assert.equal(pods.holds(a), false);
  assert.equal(pods.remove(a), false, 'removed twice');
  assert.equal(pods.get(a.uid), undefined);
  assert.equal(pods.get(b.uid), b);
  assert.deepEqual(pods.all(), [b]);
  assert.equal(pods.size, 1);
});

test('get reads the pod by the number in its uid: nothing for a removed pod, another prefix or a number that is not the uid', () => {
  const pods = store();
  const a = pods.add(fields('a'), 0);
  assert.equal(pods.get('pod-0'), a);
  for (const uid of ['pod-00', 'pod-0.0', 'pod-', 'pod-x', 'Pod-0', '0', '', 'pod-1']) assert.equal(pods.get(uid), undefined, uid);
  pods.remove(a);
  assert.equal(pods.get('pod-0'), undefined);
});

test('an owner\'s pods: released ones leave its list; a pod another owner adopted and then removed does not drop that owner\'s own pods', () => {
  const pods = store();
  const rsA = { kind: 'ReplicaSet', name: 'a', uid: 'rs-a' };
  const rsB = { kind: 'ReplicaSet', name: 'b', uid: 'rs-b' };
  const [a1, a2] = ['a1', 'a2'].map((n) => pods.add({ ...fields(n), owner: rsA }, 0));
  const b1 = pods.add({ ...fields('b1'), owner: rsB }, 0);
  assert.deepEqual(pods.ownedBy('rs-a'), [a1, a2]);
  assert.equal(a1.owner, a2.owner, 'pods of one owner share its reference');
  // ClaimPods: A releases a2, B adopts it (adopted pods are tracked by the adopter, not the index).
  pods.releaseOwned(a2);
  assert.deepEqual(pods.ownedBy('rs-a'), [a1]);
  assert.equal(a2.owner, undefined);
  adoptOrphanPod(a2, { ...rsB });
  pods.remove(a2);
  assert.deepEqual(pods.ownedBy('rs-b'), [b1], 'B still lists the pod it created');
  pods.remove(a1);
  assert.deepEqual(pods.ownedBy('rs-a'), []);
  const a3 = pods.add({ ...fields('a3'), owner: rsA }, 0);
  assert.deepEqual(pods.ownedBy('rs-a'), [a3], 'an owner whose pods all left is indexed again by its next pod');
});

test('a list already handed out does not change when the owner gets another pod', () => {
  const pods = store();
  const rs = { kind: 'ReplicaSet', name: 'a', uid: 'rs-a' };
  const a1 = pods.add({ ...fields('a1'), owner: rs }, 0);
  const listed = pods.ownedBy('rs-a');
  const a2 = pods.add({ ...fields('a2'), owner: rs }, 0);
  assert.deepEqual(listed, [a1]);
  assert.deepEqual(pods.ownedBy('rs-a'), [a1, a2]);
});
