// The Deployment controller on the core's World: step sequences of the strategies, minReadySeconds,
// the progress deadline, paused, proportional scaling, rollback and revision history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDeploymentController } from '../../server/src/engine/controllers/deployment/controller';
import { computePodTemplateHash, REVISION_ANNOTATION } from '../../server/src/engine/controllers/deployment/util';
import type { Faults } from '../../server/src/engine/types';
import { deployment, makeWorld, run, scalingEvents } from './deployment-harness';

const rolling = (maxSurge: number | string, maxUnavailable: number | string) => ({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } });

/** Runs `before` to completion, then the update to `after`; returns the world, controller and rollout moments. */
function rollout(before: Record<string, unknown>, after: Record<string, unknown>, options: { faults?: Faults; maxSeconds?: number } = {}) {
  const world = makeWorld({ faults: options.faults });
  const controller = createDeploymentController(before);
  run(world, [controller]);
  controller.update(after);
  const start = world.now;
  const moments = run(world, [controller], { maxSeconds: start + (options.maxSeconds ?? 3600) });
  return { world, controller, moments, start };
}

function names(controller: ReturnType<typeof createDeploymentController>) {
  const newRS = controller.newReplicaSet();
  const old = controller.oldReplicaSets()[0];
  return { newName: newRS?.name ?? '', oldName: old?.name ?? '' };
}

test('a new Deployment scales its first ReplicaSet straight to replicas; names carry the pod-template-hash', () => {
  const world = makeWorld();
  const d = deployment('web', 'nginx:1.25');
  const c = createDeploymentController(d);
  const moments = run(world, [c]);
  const hash = computePodTemplateHash((d.spec as Record<string, unknown>).template);
  assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  assert.deepEqual(scalingEvents(moments), [`Scaled up replica set web-${hash} from 0 to 3`]);
  const pods = world.pods();
  assert.equal(pods.length, 3);
  for (const p of pods) {
    assert.match(p.name, new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
    assert.equal(p.labels['pod-template-hash'], hash);
    assert.equal(p.revision, hash);
    assert.equal(p.owner?.kind, 'ReplicaSet');
  }
  assert.deepEqual(c.status(world), [
    { object: 'deployment.apps/web', columns: { READY: '3/3', 'UP-TO-DATE': 3, AVAILABLE: 3 } },
    { object: `replicaset.apps/web-${hash}`, columns: { DESIRED: 3, CURRENT: 3, READY: 3 } },
  ]);
  assert.ok(c.settled(world));
});

test('RollingUpdate maxSurge=1 maxUnavailable=0 on 3 replicas: surge one, then replace one by one', () => {
  const { controller, moments, world } = rollout(deployment('web', 'nginx:1.25', rolling(1, 0)), deployment('web', 'nginx:1.26', rolling(1, 0)));
  const { newName, oldName } = names(controller);
  assert.deepEqual(scalingEvents(moments), [
    `Scaled up replica set ${newName} from 0 to 1`,
    `Scaled down replica set ${oldName} from 3 to 2`,
    `Scaled up replica set ${newName} from 1 to 2`,
    `Scaled down replica set ${oldName} from 2 to 1`,
    `Scaled up replica set ${newName} from 2 to 3`,
    `Scaled down replica set ${oldName} from 1 to 0`,
  ]);
  assert.ok(controller.settled(world));
  assert.ok(world.pods().every((p) => p.revision === controller.newReplicaSet()?.hash));
});

test('RollingUpdate maxSurge=0 maxUnavailable=1 on 3 replicas: remove one first, never more than 3 pods', () => {
  const { controller, moments, world } = rollout(deployment('web', 'nginx:1.25', rolling(0, 1)), deployment('web', 'nginx:1.26', rolling(0, 1)));
  const { newName, oldName } = names(controller);
  assert.deepEqual(scalingEvents(moments), [
    `Scaled down replica set ${oldName} from 3 to 2`,
    `Scaled up replica set ${newName} from 0 to 1`,
    `Scaled down replica set ${oldName} from 2 to 1`,
    `Scaled up replica set ${newName} from 1 to 2`,
    `Scaled down replica set ${oldName} from 1 to 0`,
    `Scaled up replica set ${newName} from 2 to 3`,
  ]);
  assert.equal(world.pods().length, 3);
});

test('4 replicas at 25%/25%: surge rounds up to 1, unavailability down to 1; one scaling action per sync', () => {
  const { moments } = rollout(deployment('web', 'nginx:1.25', { replicas: 4, ...rolling('25%', '25%') }), deployment('web', 'nginx:1.26', { replicas: 4, ...rolling('25%', '25%') }));
  const counts = scalingEvents(moments).map((m) => m.replace(/replica set \S+ /, ''));
  // The surge pod is not available yet, but one old pod may go at once (5 pods - minAvailable 3 - 1 unavailable new);
  // its deletion frees room for a second new pod; then old pods go as the new ones become available.
  assert.deepEqual(counts, ['Scaled up from 0 to 1', 'Scaled down from 4 to 3', 'Scaled up from 1 to 2', 'Scaled down from 3 to 1', 'Scaled up from 2 to 4', 'Scaled down from 1 to 0']);
});

test('Recreate: old pods are fully gone before the new ReplicaSet gets pods, so there is downtime', () => {
  const { controller, moments, world } = rollout(deployment('web', 'nginx:1.25', { strategy: { type: 'Recreate' } }), deployment('web', 'nginx:1.26', { strategy: { type: 'Recreate' } }));
  const { newName, oldName } = names(controller);
  assert.deepEqual(scalingEvents(moments), [`Scaled down replica set ${oldName} from 3 to 0`, `Scaled up replica set ${newName} from 0 to 3`]);
  const downAt = moments.find((m) => m.events.some((e) => e.message.startsWith('Scaled down')))?.time ?? -1;
  const upAt = moments.find((m) => m.events.some((e) => e.message.startsWith('Scaled up')))?.time ?? -1;
  assert.ok(upAt > downAt, `new pods created at ${upAt}, after the old ones were deleted at ${downAt}`);
  assert.ok(controller.settled(world));
  assert.equal(world.pods().length, 3);
});

test('minReadySeconds: old pods go only after new pods have been ready that long', () => {
  const spec = { minReadySeconds: 20, ...rolling(1, 0) };
  const { moments } = rollout(deployment('web', 'nginx:1.25', spec), deployment('web', 'nginx:1.26', spec));
  const scaling = moments.flatMap((m) => m.events.filter((e) => e.message.startsWith('Scaled')).map((e) => ({ time: m.time, message: e.message })));
  assert.equal(scaling.length, 6);
  // Scale-up at t, the pod is ready a few seconds later and available 20 s after that.
  const firstDown = scaling.find((e) => e.message.startsWith('Scaled down'));
  assert.ok(firstDown && firstDown.time - scaling[0].time >= 20, `first scale-down ${(firstDown?.time ?? 0) - scaling[0].time} s after the scale-up`);
});

test('progressDeadlineSeconds: a new revision that never becomes ready ends in ProgressDeadlineExceeded', () => {
  const spec = { progressDeadlineSeconds: 30, ...rolling(1, 0) };
  const before = deployment('web', 'nginx:1.25', spec);
  const after = deployment('web', 'nginx:1.26-broken', spec);
  const newHash = computePodTemplateHash((after.spec as Record<string, unknown>).template);
  const { controller, moments, world } = rollout(before, after, { faults: { neverReadyRevision: newHash } });
  const newName = controller.newReplicaSet()?.name;
  // deployment/progress.go writes the timeout as the Progressing condition only: no event.
  const warning = moments.flatMap((m) => m.events).find((e) => e.type === 'Warning' && e.object === 'deployment.apps/web');
  assert.equal(warning, undefined);
  assert.equal(controller.progressing?.message, `ReplicaSet "${newName}" has timed out progressing.`);
  assert.deepEqual(controller.conditions(world), ['Available=True/MinimumReplicasAvailable', 'Progressing=False/ProgressDeadlineExceeded']);
  // maxUnavailable 0: the old pods keep serving.
  assert.equal(controller.currentStatus().availableReplicas, 3);
  assert.ok(controller.settled(world));
});

test('paused: a template change starts no rollout', () => {
  const world = makeWorld();
  const c = createDeploymentController(deployment('web', 'nginx:1.25'));
  run(world, [c]);
  c.update(deployment('web', 'nginx:1.26', { paused: true }));
  const moments = run(world, [c]);
  assert.deepEqual(scalingEvents(moments), []);
  assert.equal(c.replicaSets.length, 1);
  assert.ok(c.conditions(world).includes('Progressing=Unknown/DeploymentPaused'));
});

test('scaling mid-rollout shares the new replicas proportionally between the sets', () => {
  const world = makeWorld({ nodes: 5 });
  const spec = { replicas: 10, ...rolling(3, 2) };
  const c = createDeploymentController(deployment('web', 'nginx:1.25', spec));
  run(world, [c]);
  c.update(deployment('web', 'nginx:1.26', spec));
  // Stop in the middle of the rollout: the new set has grown, the old one not yet gone.
  run(world, [c], { until: () => (c.newReplicaSet()?.replicas ?? 0) >= 5 });
  const newBefore = c.newReplicaSet()?.replicas ?? 0;
  const oldBefore = c.oldReplicaSets()[0].replicas;
  c.update(deployment('web', 'nginx:1.26', { ...spec, replicas: 20 }));
  c.sync(world);
  const newAfter = c.newReplicaSet()?.replicas ?? 0;
  const oldAfter = c.oldReplicaSets()[0].replicas;
  // One proportional pass: the total becomes replicas + maxSurge, both sets grow.
  assert.equal(newAfter + oldAfter, 23);
  assert.ok(newAfter > newBefore && oldAfter > oldBefore, `${newBefore}/${oldBefore} -> ${newAfter}/${oldAfter}`);
  run(world, [c]);
  assert.equal(c.currentStatus().availableReplicas, 20);
  assert.equal(c.newReplicaSet()?.replicas, 20);
});

test('rolling back to an earlier template reuses its ReplicaSet with a higher revision', () => {
  const world = makeWorld();
  const v1 = deployment('web', 'nginx:1.25');
  const c = createDeploymentController(v1);
  run(world, [c]);
  const firstName = c.newReplicaSet()?.name;
  c.update(deployment('web', 'nginx:1.26'));
  run(world, [c]);
  c.update(v1);
  const moments = run(world, [c]);
  assert.equal(c.newReplicaSet()?.name, firstName);
  // Revisions 1 (v1) and 2 (v2); the rollback makes the v1 set revision 3.
  assert.equal(c.newReplicaSet()?.annotations?.[REVISION_ANNOTATION], '3');
  assert.equal(c.oldReplicaSets()[0].annotations?.[REVISION_ANNOTATION], '2');
  assert.equal(c.replicaSets.length, 2);
  assert.ok(scalingEvents(moments)[0].startsWith(`Scaled up replica set ${firstName} from 0 to`));
});

test('revisionHistoryLimit keeps only that many old ReplicaSets', () => {
  const world = makeWorld();
  const c = createDeploymentController(deployment('web', 'nginx:1', { revisionHistoryLimit: 1 }));
  run(world, [c]);
  for (const image of ['nginx:2', 'nginx:3', 'nginx:4']) {
    c.update(deployment('web', image, { revisionHistoryLimit: 1 }));
    run(world, [c]);
  }
  assert.equal(c.replicaSets.length, 2);
  assert.equal(c.oldReplicaSets().length, 1);
});

test('bad input does not throw: a Deployment without spec simulates one pod-less default', () => {
  const world = makeWorld();
  const c = createDeploymentController({ kind: 'Deployment', metadata: { name: 'x' }, spec: { replicas: 'three', strategy: { rollingUpdate: { maxSurge: 'lots' } } } });
  assert.doesNotThrow(() => run(world, [c]));
  assert.equal(c.spec.replicas, 1);
  assert.equal(c.spec.maxSurge, '25%');
});

test('the Deployment controller is deterministic: same input, same timeline', () => {
  const once = () => {
    const world = makeWorld();
    const c = createDeploymentController(deployment('web', 'nginx:1.25'));
    run(world, [c]);
    c.update(deployment('web', 'nginx:1.26'));
    return JSON.stringify(run(world, [c]));
  };
  assert.equal(once(), once());
});

test('a rollout away from a crash-looping revision cleans up the unhealthy old replicas first and completes', () => {
  const spec = { progressDeadlineSeconds: 60, ...rolling(1, 1) };
  const broken = deployment('web', 'nginx:broken', spec);
  const fixed = deployment('web', 'nginx:fixed', spec);
  const brokenHash = computePodTemplateHash((broken.spec as Record<string, unknown>).template);
  const { controller, moments, world } = rollout(broken, fixed, { faults: { crashLoopRevision: brokenHash } });
  const { newName, oldName } = names(controller);
  const scaling = scalingEvents(moments);
  // Old pods are never available, so the old set shrinks by its unavailable replicas (bounded by
  // maxScaledDown) rather than waiting for availability that never comes.
  assert.equal(scaling[0], `Scaled up replica set ${newName} from 0 to 1`);
  assert.equal(scaling[1], `Scaled down replica set ${oldName} from 3 to 2`);
  assert.ok(controller.settled(world));
  assert.equal(controller.currentStatus().availableReplicas, 3);
  assert.ok(world.pods().filter((p) => p.deletionTimestamp === undefined).every((p) => p.revision === controller.newReplicaSet()?.hash));
});
