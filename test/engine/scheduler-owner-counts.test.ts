// The scheduler cache's counts of a controller's non-terminating pods (what default topology spreading
// reads: podtopologyspread/scoring.go with the system default constraints): per node, per zone label
// value, and the owner each pod is counted under, kept as pods bind, start terminating and leave.
// Checked against a recount from the pods the cache holds, over seeded random sequences.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NodeInfo, podInfo, SchedulerCache } from '../../server/src/engine/scheduler';
import type { OwnerRef, SimPod } from '../../server/src/engine/types';
import { node, pod, requesting } from './scheduler.fixtures';

const ZONE = 'topology.kubernetes.io/zone';

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Nodes in zones a, b, with an empty zone value, and without the label. */
function nodes() {
  const zones = ['a', 'b', '', undefined, 'a', 'b', undefined];
  return zones.map((zone, i) => node(`n${i}`, { labels: zone === undefined ? {} : { [ZONE]: zone } }));
}

/** The counts recounted from every pod the cache holds on its nodes. */
function recount(cache: SchedulerCache, pods: readonly SimPod[], owner: string) {
  const perNode = new Map<string, number>();
  const perZone = new Map<string, number>();
  for (const p of pods) {
    const info = p.nodeName === undefined ? undefined : cache.nodeInfo(p.nodeName);
    if (!info || p.deletionTimestamp !== undefined || p.owner?.uid !== owner) continue;
    perNode.set(info.node.name, (perNode.get(info.node.name) ?? 0) + 1);
    const zone = info.node.labels[ZONE];
    if (zone !== undefined) perZone.set(zone, (perZone.get(zone) ?? 0) + 1);
  }
  return { perNode, perZone };
}

test('per node and per zone counts of each controller follow binds, deletions started and removals', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const next = random(seed);
    const cache = new SchedulerCache(nodes());
    const owners: OwnerRef[] = [
      { kind: 'ReplicaSet', name: 'web-1', uid: 'rs-1' },
      { kind: 'ReplicaSet', name: 'web-2', uid: 'rs-2' },
    ];
    const live: SimPod[] = [];
    for (let step = 0; step < 120; step++) {
      const roll = next();
      if (roll < 0.5 || live.length === 0) {
        const p = pod(requesting({ cpu: '10m' }), { owner: owners[Math.floor(next() * owners.length)] });
        p.nodeName = `n${Math.floor(next() * 7)}`;
        cache.syncPod(p);
        live.push(p);
      } else if (roll < 0.8) {
        const p = live[Math.floor(next() * live.length)];
        if (p.deletionTimestamp === undefined) {
          p.deletionTimestamp = step;
          cache.syncPod(p);
        }
      } else {
        const p = live.splice(Math.floor(next() * live.length), 1)[0];
        cache.removePod(p);
      }
      for (const owner of owners) {
        const want = recount(cache, live, owner.uid);
        for (const info of cache.nodeInfos) assert.equal(info.activePodsByOwner.get(owner.uid) ?? 0, want.perNode.get(info.node.name) ?? 0, `seed ${seed} step ${step} ${owner.uid} on ${info.node.name}`);
        for (const zone of ['a', 'b', '']) assert.equal(cache.activePodsByOwnerInZone(owner.uid, zone), want.perZone.get(zone) ?? 0, `seed ${seed} step ${step} ${owner.uid} in zone "${zone}"`);
        const perZone = cache.activePodsByOwnerPerZone(owner.uid);
        cache.zoneKeys.forEach((zone, id) => assert.equal(perZone[id], want.perZone.get(zone) ?? 0, `seed ${seed} step ${step} zone id ${id}`));
      }
    }
  }
});

test('a pod stays counted under the owner it was added with: a preemption copy of its node does not change that', () => {
  const info = new NodeInfo(node('n0'));
  const p = pod(requesting({ cpu: '10m' }), { owner: { kind: 'ReplicaSet', name: 'web-1', uid: 'rs-1' } });
  info.addPod(podInfo(p));
  assert.equal(info.countedOwnerOf(p.uid), 'rs-1');
  // The deletion is seen by a copy first (DefaultPreemption's dry run copies the node's pods).
  p.deletionTimestamp = 5;
  const copy = info.without(new Set());
  assert.equal(copy.activePodsByOwner.get('rs-1'), undefined, 'the copy reads the pod as it is now: terminating');
  assert.equal(info.countedOwnerOf(p.uid), 'rs-1');
  info.removePod(p.uid);
  assert.equal(info.activePodsByOwner.get('rs-1'), undefined, 'removed under the owner it was counted under');
});
