// The API server's pod store (world/pod-store.ts): a pod's creation number (SimPod.seq) is the index
// `holds` and `creationOrder` read, so only the stored object itself counts as held.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChangeLog } from '../../server/src/engine/world/change-log';
import { PodStore, type NewPodFields } from '../../server/src/engine/world/pod-store';

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
