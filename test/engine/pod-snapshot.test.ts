// The timeline's pod snapshot and its delta entry: SNAPSHOT_KEYS (the order of a delta's fields)
// must be the order podSnapshot writes, and name every field, or a new field drops out of deltas.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type PodFacts, podChange, podSnapshot, SNAPSHOT_KEYS, sameSnapshot } from '../../server/src/engine/pod-snapshot';
import type { PodSnapshot, SimPod } from '../../server/src/engine/types';
import { pod } from './scheduler.fixtures';

/** A World's answers about any pod: available, not evicted, not crash looping. */
const facts: PodFacts = { isAvailable: () => true, wasEvicted: () => false, isCrashLooping: () => false };

/** A pod with every optional field of its snapshot present. */
function everyField(): SimPod {
  return pod(
    { containers: [{ name: 'c' }] },
    {
      nodeName: 'n1',
      phase: 'Pending',
      owner: { kind: 'StatefulSet', name: 'db', uid: 'ss' },
      unschedulableReason: '0/3 nodes are available',
      ordinal: 2,
      completionIndex: 2,
      claims: ['data-db-2'],
      restartCount: 3,
    },
  );
}

test('a snapshot with every field writes them in the order of SNAPSHOT_KEYS, which lists every field of PodSnapshot', () => {
  // Typecheck: a field added to PodSnapshot but not to SNAPSHOT_KEYS makes this type the missing key, and `true` an error.
  type Unlisted = Exclude<keyof PodSnapshot, (typeof SNAPSHOT_KEYS)[number]>;
  const everyKeyListed: [Unlisted] extends [never] ? true : Unlisted = true;
  assert.equal(everyKeyListed, true);
  assert.deepEqual(Object.keys(podSnapshot(facts, everyField())), [...SNAPSHOT_KEYS]);
});

test('a change in any one field makes the snapshots differ, and the delta entry names that field alone; a field gone is null', () => {
  const subject = everyField();
  const base = podSnapshot(facts, subject);
  const other: { [K in keyof PodSnapshot]-?: PodSnapshot[K] } = {
    name: 'other',
    node: 'n2',
    phase: 'Running',
    ready: !base.ready,
    available: !base.available,
    terminating: !base.terminating,
    revision: 'r2',
    owner: 'StatefulSet/other',
    reason: 'Evicted',
    ordinal: 3,
    completionIndex: 3,
    claims: ['data-db-3'],
    restarts: 4,
  };
  const required = new Set<string>(['name', 'phase', 'ready', 'available', 'terminating', 'revision']);
  for (const key of SNAPSHOT_KEYS) {
    const changed = { ...base, [key]: other[key] } as PodSnapshot;
    assert.equal(sameSnapshot(base, changed), false, key);
    assert.deepEqual(podChange(base, changed), key === 'name' ? { name: 'other' } : { name: base.name, [key]: other[key] }, key);
    if (required.has(key)) continue;
    const gone: Partial<PodSnapshot> = { ...base };
    delete gone[key];
    assert.equal(sameSnapshot(base, gone as PodSnapshot), false, `${key} gone`);
    assert.deepEqual(podChange(base, gone as PodSnapshot), { name: base.name, [key]: null }, `${key} gone`);
  }
  assert.equal(sameSnapshot(base, podSnapshot(facts, subject)), true);
});
