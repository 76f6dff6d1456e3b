// The ReplicaSet's scale-down order (replica_set.go getPodsToDelete, controller_utils.go
// ActivePodsWithRanks.Less) is sorted with one three-way comparison per pair (rankKeyCompare).
// That sorts exactly as Less asked both ways would only if every rule is antisymmetric:
// compare(a, b) === -compare(b, a). Checked here over pods that tie on every rule in turn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rankKey, rankKeyCompare, rankKeyLess, type RankablePod } from '../../server/src/engine/controllers/replicaset/activepods';
// A small deterministic generator (mulberry32), so a failure names a reproducible case.
import { random } from '../manifest/yaml-corpus';

function pick<T>(next: () => number, values: readonly T[]): T {
  return values[Math.floor(next() * values.length)];
}

function pod(next: () => number, i: number): RankablePod {
  return {
    uid: pick(next, [`pod-${i}`, 'pod-same']),
    nodeName: pick(next, [undefined, '', 'node-a', 'node-b']),
    phase: pick(next, ['Pending', 'Running', 'Unknown']),
    ready: next() < 0.6,
    readySince: pick(next, [undefined, null, 0, 10, 11, 50, 90]),
    createdAt: pick(next, [undefined, null, 0, 5, 6, 40, 80]),
    restartCount: pick(next, [0, 0, 1, 3]),
    annotations: next() < 0.2 ? { 'controller.kubernetes.io/pod-deletion-cost': pick(next, ['-5', '0', '7', 'x']) } : {},
  };
}

test('rankKeyCompare is antisymmetric, and Less is its negative side, with and without LogarithmicScaleDown', () => {
  const next = random(11);
  for (let round = 0; round < 4000; round++) {
    const now = pick(next, [undefined, 100, 1000]);
    const gates = { PodDeletionCost: next() < 0.8, LogarithmicScaleDown: next() < 0.7 };
    const logarithmic = gates.LogarithmicScaleDown && now !== undefined;
    const a = rankKey(pod(next, round), pick(next, [0, 1, 2]), now, gates);
    const b = rankKey(pod(next, round + 1), pick(next, [0, 1, 2]), now, gates);
    const ab = rankKeyCompare(a, b, logarithmic);
    const ba = rankKeyCompare(b, a, logarithmic);
    assert.equal(Math.sign(ab) + Math.sign(ba), 0, `round ${round}: ${JSON.stringify({ a, b, logarithmic })}`);
    assert.equal(rankKeyLess(a, b, logarithmic), ab < 0);
    assert.equal(rankKeyCompare(a, a, logarithmic), 0);
  }
});
