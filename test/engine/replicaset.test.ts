// The ReplicaSet controller on the core's World: matching replicas, scale-down victims in the
// upstream order, and a relabelled pod being orphaned and replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReplicaSetController, relabelPod } from '../../server/src/engine/controllers/replicaset/controller';
import { POD_DELETION_COST_ANNOTATION } from '../../server/src/engine/controllers/replicaset/activepods';
import { makeWorld, run } from './deployment-harness';

function replicaSet(replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'frontend' },
    spec: {
      replicas,
      selector: { matchLabels: { tier: 'frontend' } },
      template: { metadata: { labels: { tier: 'frontend' } }, spec: { containers: [{ name: 'php', image: 'php:8' }] } },
    },
  };
}

test('creates pods named <rs>-<5 chars> up to replicas, owned by the set', () => {
  const world = makeWorld();
  const rs = createReplicaSetController(replicaSet(3));
  const moments = run(world, [rs]);
  const pods = world.pods();
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.name, /^frontend-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(p.owner?.uid, rs.uid);
  }
  assert.deepEqual(
    moments.flatMap((m) => m.events.filter((e) => e.object === 'replicaset.apps/frontend').map((e) => e.message)),
    pods.map((p) => `Created pod: ${p.name}`),
  );
  assert.deepEqual(rs.status(world), [{ object: 'replicaset.apps/frontend', columns: { DESIRED: 3, CURRENT: 3, READY: 3 } }]);
});

test('scale-down deletes the pod with the lowest pod-deletion-cost first', () => {
  const world = makeWorld();
  const rs = createReplicaSetController(replicaSet(3));
  run(world, [rs]);
  const cheap = world.pods()[1];
  for (const p of world.pods()) p.annotations[POD_DELETION_COST_ANNOTATION] = p === cheap ? '-10' : '100';
  rs.update(replicaSet(2));
  rs.sync(world);
  assert.deepEqual(
    world.pods().filter((p) => p.deletionTimestamp !== undefined).map((p) => p.name),
    [cheap.name],
  );
});

test('scale-down prefers not-ready pods, then pods doubled up on a node', () => {
  // Two nodes for three pods: one node holds two of them (rank 2).
  const world = makeWorld({ nodes: 2 });
  const rs = createReplicaSetController(replicaSet(3));
  run(world, [rs]);
  const byNode = new Map<string, string[]>();
  for (const p of world.pods()) byNode.set(p.nodeName ?? '', [...(byNode.get(p.nodeName ?? '') ?? []), p.name]);
  const crowded = [...byNode.values()].find((names) => names.length === 2) ?? [];
  rs.update(replicaSet(2));
  rs.sync(world);
  const deleted = world.pods().filter((p) => p.deletionTimestamp !== undefined);
  assert.equal(deleted.length, 1);
  assert.ok(crowded.includes(deleted[0].name), `${deleted[0].name} should come from the node with two pods`);

  // Now make the lone pod not ready: it goes before any ready one.
  run(world, [rs]);
  const lone = world.pods().find((p) => !crowded.includes(p.name));
  assert.ok(lone);
  lone.ready = false;
  lone.readySince = undefined;
  rs.update(replicaSet(1));
  rs.sync(world);
  assert.deepEqual(
    world.pods().filter((p) => p.deletionTimestamp !== undefined).map((p) => p.name),
    [lone.name],
  );
});

test('a pod whose labels stop matching is orphaned and replaced', () => {
  const world = makeWorld();
  const rs = createReplicaSetController(replicaSet(3));
  run(world, [rs]);
  const target = world.pods()[0];
  relabelPod(target, { tier: 'debug' });
  const moments = run(world, [rs]);
  assert.equal(target.owner, undefined, 'the ownerReference is removed');
  assert.equal(target.deletionTimestamp, undefined, 'the orphan keeps running');
  const owned = world.pods().filter((p) => p.owner?.uid === rs.uid);
  assert.equal(owned.length, 3);
  assert.ok(!owned.includes(target));
  const messages = moments.flatMap((m) => m.events.map((e) => e.message));
  assert.ok(messages.some((m) => m.startsWith('Created pod: frontend-')));
  assert.equal(world.pods().length, 4);
});

test('an orphan whose labels match is adopted and counts towards replicas; relabelled back, a released pod is adopted again', () => {
  const world = makeWorld();
  const bare = world.createBarePod('hand-made', { tier: 'frontend' }, {}, { containers: [{ name: 'php', image: 'php:8' }] });
  const rs = createReplicaSetController(replicaSet(3));
  const moments = run(world, [rs]);
  assert.equal(bare.owner?.uid, rs.uid);
  // ClaimPods patches ownerReferences and records no event; the notes tell it.
  assert.ok(!moments.flatMap((m) => m.events.map((e) => e.message)).some((m) => m.includes('hand-made: its labels')));
  assert.ok(rs.notes().some((n) => n.startsWith('ReplicaSet ') && n.includes('adopted pod hand-made')));
  assert.equal(world.pods().length, 3, 'only two pods created next to the adopted one');

  // Release one pod, let the set replace it, then relabel it back: the set adopts it and has one too many.
  const target = world.pods().find((p) => p !== bare);
  assert.ok(target);
  relabelPod(target, { tier: 'debug' });
  run(world, [rs]);
  assert.equal(target.owner, undefined);
  relabelPod(target, { tier: 'frontend' });
  rs.sync(world);
  // Read through the pod list: the assertion above narrowed `target.owner` to undefined.
  assert.equal(world.pods().find((p) => p === target)?.owner?.uid, rs.uid);
  const live = world.pods().filter((p) => p.deletionTimestamp === undefined);
  assert.equal(live.length, 3, 'the surplus pod is deleted');
  assert.equal(rs.status(world)[0].columns.CURRENT, 3);
});
