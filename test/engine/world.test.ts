import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NAME_SUFFIX_ALPHABET, nameSuffix } from '../../server/src/engine/naming';
import { statelessScheduler } from '../../server/src/engine/scheduling';
import { SimWorld } from '../../server/src/engine/world';
import {
  crashBackoffSeconds,
  noExecuteTolerationSeconds,
  POD_GC_PERIOD_SECONDS,
  readyDelaySeconds,
  runSeconds,
  terminationSeconds,
} from '../../server/src/engine/lifecycle';
import type { SimPod } from '../../server/src/engine/types';
import { firstFitScheduler, node } from './world.fixtures';

const owner = { kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-1' };

function makeWorld(nodes = [node('n1'), node('n2')], faults = {}) {
  return new SimWorld({ nodes, faults, scheduler: statelessScheduler(firstFitScheduler) });
}

function create(world: SimWorld, name: string, spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'x' }] }, revision = 'r1'): SimPod {
  return world.createPod({ name, owner, template: { labels: { app: 'web' }, spec }, revision });
}

/** Apply every event due at the next queued time; returns that time. */
function advance(world: SimWorld): number {
  const t = world.queue.peekTime();
  assert.notEqual(t, undefined, 'queue is empty');
  world.now = t as number;
  for (const e of world.queue.popDue(world.now)) world.apply(e);
  world.schedulePending();
  return world.now;
}

function advanceUntil(world: SimWorld, done: () => boolean, limit = 200): void {
  for (let i = 0; i < limit && !done(); i++) advance(world);
  assert.ok(done(), 'condition not reached');
}

describe('nameSuffix', () => {
  it('is deterministic, uses kube alphabet, differs by seed', () => {
    const a = nameSuffix('web-6d8f5/1');
    assert.equal(a, nameSuffix('web-6d8f5/1'));
    assert.equal(a.length, 5);
    assert.match(a, new RegExp(`^[${NAME_SUFFIX_ALPHABET}]{5}$`));
    assert.notEqual(a, nameSuffix('web-6d8f5/2'));
    assert.equal(nameSuffix('x', 12).length, 12);
    assert.equal(nameSuffix('x', Infinity).length, 5);
    assert.equal(nameSuffix('x', 1e9).length, 64);
    assert.equal(nameSuffix('x', -3), '');
    const many = new Set(Array.from({ length: 1000 }, (_, i) => nameSuffix(`rs/${i}`)));
    assert.ok(many.size > 990, 'suffixes spread over the alphabet');
  });
});

describe('pod lifecycle on the virtual clock', () => {
  it('Pending -> bound -> Running (+2 s) -> Ready (+probe) -> Available (+minReadySeconds)', () => {
    const world = makeWorld();
    world.minReadySeconds = 5;
    const spec = { containers: [{ name: 'c', image: 'x', readinessProbe: { initialDelaySeconds: 4, periodSeconds: 3 } }] };
    const pod = create(world, 'web-abc-aaaaa', spec);
    assert.equal(pod.phase, 'Pending');
    assert.equal(pod.nodeName, undefined);
    world.schedulePending();
    assert.equal(pod.nodeName, 'n1');
    assert.equal(advance(world), 2);
    assert.equal(pod.phase, 'Running');
    assert.equal(pod.ready, false);
    assert.equal(advance(world), 2 + 4 + 3);
    assert.equal(pod.ready, true);
    assert.equal(pod.readySince, 9);
    assert.equal(world.isAvailable(pod), false);
    assert.equal(advance(world), 14);
    assert.equal(world.isAvailable(pod), true);
  });

  it('graceful deletion keeps the pod Terminating for min(grace, 3 s); an unbound pod leaves at once', () => {
    const world = makeWorld();
    const pod = create(world, 'a', { containers: [{ name: 'c' }], terminationGracePeriodSeconds: 1 });
    const slow = create(world, 'b');
    world.schedulePending();
    advanceUntil(world, () => pod.ready && slow.ready);
    const t0 = world.now;
    world.deletePod(pod);
    world.deletePod(slow);
    assert.equal(pod.deletionTimestamp, t0);
    assert.equal(pod.ready, false);
    assert.equal(world.pods().length, 2);
    assert.equal(advance(world), t0 + 1);
    assert.deepEqual(world.pods().map((p) => p.name), ['b']);
    assert.equal(advance(world), t0 + 3);
    assert.equal(world.pods().length, 0);

    const unbound = create(makeWorld([]), 'c');
    const w2 = makeWorld([]);
    const p2 = create(w2, 'd');
    w2.deletePod(p2);
    assert.equal(w2.pods().length, 0);
    assert.equal(unbound.phase, 'Pending');
  });

  it('indexes pods by owner and keeps creation order; clashing generated names get a new suffix', () => {
    const world = makeWorld();
    const a = create(world, 'web-abc-bbbbb');
    const b = create(world, 'web-abc-bbbbb');
    const other = world.createPod({ name: 'x', owner: { kind: 'ReplicaSet', name: 'o', uid: 'rs-2' }, template: { labels: {}, spec: {} }, revision: 'r' });
    assert.notEqual(a.name, b.name);
    assert.match(b.name, new RegExp(`^web-abc-[${NAME_SUFFIX_ALPHABET}]{5}$`));
    assert.deepEqual(world.podsOwnedBy('rs-1').map((p) => p.uid), [a.uid, b.uid]);
    assert.deepEqual(world.podsOwnedBy('rs-2'), [other]);
    assert.deepEqual(world.pods().map((p) => p.uid), [a.uid, b.uid, other.uid]);
  });

  it('drops a pod from its owner list, listed before, when a controller releases it (releaseOwnedPod)', () => {
    const world = makeWorld();
    const pod = create(world, 'web-abc-ccccc');
    const kept = create(world, 'web-abc-ddddd');
    assert.deepEqual(world.podsOwnedBy('rs-1'), [pod, kept]);
    world.releaseOwnedPod(pod);
    assert.equal(pod.owner, undefined);
    assert.deepEqual(world.podsOwnedBy('rs-1'), [kept]);
    world.deletePod(pod);
    assert.deepEqual(world.pods(), [kept]);
  });

  it("gives a new owner list after a pod of that owner is created or removed, and leaves the list a caller holds as it was", () => {
    const world = makeWorld();
    const first = create(world, 'web-abc-eeeee');
    const before = world.podsOwnedBy('rs-1');
    assert.deepEqual(before, [first]);
    const second = create(world, 'web-abc-fffff');
    const afterCreate = world.podsOwnedBy('rs-1');
    assert.deepEqual(afterCreate, [first, second]);
    assert.deepEqual(before, [first], 'the earlier list is a snapshot');
    world.deletePod(first); // not bound: removed at once
    assert.deepEqual(world.podsOwnedBy('rs-1'), [second]);
    assert.deepEqual(afterCreate, [first, second], 'a caller deleting while it iterates keeps its snapshot');
    world.deletePod(second);
    assert.deepEqual(world.podsOwnedBy('rs-1'), []);
  });

  it("keeps another owner's list when a pod is created, removed or released elsewhere", () => {
    const world = makeWorld();
    const mine = create(world, 'web-abc-ggggg');
    const other = world.createPod({ name: 'x', owner: { kind: 'ReplicaSet', name: 'o', uid: 'rs-2' }, template: { labels: {}, spec: {} }, revision: 'r' });
    assert.deepEqual(world.podsOwnedBy('rs-1'), [mine]);
    assert.deepEqual(world.podsOwnedBy('rs-2'), [other]);
    world.releaseOwnedPod(other);
    const extra = world.createPod({ name: 'y', owner: { kind: 'ReplicaSet', name: 'o', uid: 'rs-2' }, template: { labels: {}, spec: {} }, revision: 'r' });
    assert.deepEqual(world.podsOwnedBy('rs-1'), [mine]);
    assert.deepEqual(world.podsOwnedBy('rs-2'), [extra]);
  });

  it('a pod that fits nowhere stays Pending with the reason and is retried when a pod leaves', () => {
    const world = makeWorld([node('n1', 1)]);
    const first = create(world, 'first');
    const second = create(world, 'second');
    world.schedulePending();
    assert.equal(first.nodeName, 'n1');
    assert.equal(second.nodeName, undefined);
    assert.match(second.unschedulableReason ?? '', /^0\/1 nodes are available/);
    assert.equal(world.takeEvents().filter((e) => e.type === 'Warning').length, 1);
    // Nothing changed: not retried (no new event).
    world.schedulePending();
    assert.equal(world.takeEvents().length, 0);
    advanceUntil(world, () => first.ready);
    world.deletePod(first);
    advanceUntil(world, () => second.nodeName === 'n1');
    assert.equal(second.unschedulableReason, undefined);
  });

  it('a pod waiting on pod affinity is retried once the pod it needs is placed (real scheduler)', () => {
    const world = new SimWorld({ nodes: [node('n1'), node('n2')] });
    const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    const web = world.createPod({ name: 'web', owner, template: { labels: { app: 'web' }, spec: { containers: [{ name: 'c' }], affinity } }, revision: 'r' });
    const db = world.createPod({ name: 'db', owner: { kind: 'StatefulSet', name: 'db', uid: 'db' }, template: { labels: { app: 'db' }, spec: { containers: [{ name: 'c' }] } }, revision: 'r' });
    world.schedulePending();
    assert.equal(web.nodeName, undefined);
    assert.match(web.unschedulableReason ?? '', /didn't match pod affinity rules/);
    assert.ok(db.nodeName);
    advance(world);
    assert.equal(web.nodeName, db.nodeName);
  });

  it('asks the scheduler once for a template that fits nowhere, and lists 20 failures then a count', () => {
    let calls = 0;
    const world = new SimWorld({ nodes: [node('n1', 0)], schedulePod: (pod, nodes, all) => (calls++, firstFitScheduler(pod, nodes, all)) });
    const spec = { containers: [{ name: 'c' }] };
    const pods = Array.from({ length: 50 }, (_, i) => world.createPod({ name: `p-${i}`, owner, template: { labels: { app: 'web' }, spec }, revision: 'r' }));
    world.schedulePending();
    assert.equal(calls, 1);
    assert.ok(pods.every((p) => p.unschedulableReason === '0/1 nodes are available: 1 Too many pods.'));
    const events = world.takeEvents();
    assert.equal(events.length, 21);
    assert.equal(events[20].message, '30 more pods could not be scheduled (FailedScheduling)');
  });

  it('keeps the kube-scheduler cache in step: a finished or deleted pod frees its slot, a NotReady node is avoided', () => {
    const world = new SimWorld({ nodes: [node('n1', 1), node('n2', 1)], faults: { nodeNotReady: [{ node: 'n2', at: 1 }] } });
    world.scheduleNodeFaults(0);
    const job = create(world, 'job', { restartPolicy: 'Never', containers: [{ name: 'c', command: ['sleep', '4'] }] });
    const other = create(world, 'other');
    const waiting = create(world, 'waiting');
    world.schedulePending();
    assert.deepEqual([job.nodeName, other.nodeName, waiting.nodeName], ['n1', 'n2', undefined]);
    assert.match(waiting.unschedulableReason ?? '', /^0\/2 nodes are available: 2 Too many pods\./);
    advanceUntil(world, () => world.nodes[1].ready === false);
    advanceUntil(world, () => job.phase === 'Succeeded');
    advanceUntil(world, () => waiting.nodeName !== undefined);
    assert.equal(waiting.nodeName, 'n1');
  });

  it('binds directly when nodeName is given', () => {
    const world = makeWorld();
    const pod = world.createPod({ name: 'ds-1', owner, template: { labels: {}, spec: { containers: [] } }, revision: 'r', nodeName: 'n2' });
    assert.equal(pod.nodeName, 'n2');
    assert.equal(world.schedulePending(), false);
  });

  it('crash-loop fault: restarts with back-off 10, 20, 40 s and never becomes ready', () => {
    const world = makeWorld([node('n1')], { crashLoopRevision: 'bad' });
    const pod = create(world, 'c', undefined, 'bad');
    world.schedulePending();
    const restartsAt: number[] = [];
    for (let i = 0; i < 12 && restartsAt.length < 3; i++) {
      const before = pod.restartCount;
      advance(world);
      if (pod.restartCount > before) restartsAt.push(world.now);
      assert.equal(pod.ready, false);
    }
    // start at 2, crash at 3; restart at 13 crash at 14; restart at 34 crash at 35.
    assert.deepEqual(restartsAt, [3, 14, 35]);
    assert.equal(world.isCrashLooping(pod), true);
  });

  it('never-ready fault on revision `new` spares revisions present at the rollout start', () => {
    const world = makeWorld([node('n1')], { neverReadyRevision: 'new' });
    const old = create(world, 'old', undefined, 'v1');
    world.markRolloutStart();
    const fresh = create(world, 'fresh', undefined, 'v2');
    world.schedulePending();
    for (let i = 0; i < 5 && world.queue.size > 0; i++) advance(world);
    assert.equal(old.ready, true);
    assert.equal(fresh.ready, false);
    assert.equal(fresh.phase, 'Running');
  });

  it('run-to-completion pods succeed after their sleep; Never + crash fails', () => {
    const world = makeWorld([node('n1')]);
    const job = create(world, 'job', { restartPolicy: 'Never', containers: [{ name: 'c', command: ['sh', '-c', 'sleep 7'] }] });
    world.schedulePending();
    advanceUntil(world, () => job.phase === 'Succeeded');
    assert.equal(world.now, 2 + 7);

    const w2 = makeWorld([node('n1')], { crashLoopRevision: 'r1' });
    const failing = create(w2, 'f', { restartPolicy: 'Never', containers: [{ name: 'c' }] });
    w2.schedulePending();
    advanceUntil(w2, () => failing.phase === 'Failed');
  });

  it('node NotReady: taints, pods not ready, evicted after the default 300 s unless tolerated longer', () => {
    const world = makeWorld([node('n1')], { nodeNotReady: [{ node: 'n1', at: 20 }] });
    const plain = create(world, 'plain');
    const tolerant = create(world, 'tolerant', { containers: [{ name: 'c' }], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] });
    world.scheduleNodeFaults(0);
    world.schedulePending();
    advanceUntil(world, () => plain.ready && tolerant.ready);
    advanceUntil(world, () => world.nodes[0].ready === false);
    assert.equal(world.now, 20);
    assert.deepEqual(world.nodes[0].taints.map((t) => `${t.key}:${t.effect}`), ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
    assert.equal(plain.ready, false);
    assert.equal(tolerant.ready, false);
    advanceUntil(world, () => plain.deletionTimestamp !== undefined);
    assert.equal(world.now, 320);
    assert.equal(tolerant.deletionTimestamp, undefined);
    assert.equal(world.wasEvicted(plain), true);
    // No kubelet confirms the shutdown on a NotReady node: PodGC force-deletes it a period later.
    assert.equal(world.pods().length, 2);
    advanceUntil(world, () => world.pods().length === 1);
    assert.equal(world.now, 320 + POD_GC_PERIOD_SECONDS);
    assert.deepEqual(world.pods().map((p) => p.name), ['tolerant']);
    assert.ok(world.takeEvents().some((e) => e.object === 'pod/plain' && e.message.includes('PodGC')));
    assert.equal(world.queue.size, 0);
  });

  it('requeueAt queues a foreground wake once per key and time', () => {
    const world = makeWorld();
    world.requeueAt('Deployment/web', 30);
    world.requeueAt('Deployment/web', 30);
    assert.equal(world.queue.size, 1);
    assert.equal(world.queue.hasForeground(), true);
    assert.equal(advance(world), 30);
  });
});

describe('lifecycle timing model', () => {
  it('derives start, readiness, termination and run time from the pod spec', () => {
    assert.equal(readyDelaySeconds({ containers: [{}] }), 1);
    assert.equal(readyDelaySeconds({ containers: [{ readinessProbe: {} }] }), 10);
    assert.equal(readyDelaySeconds({ containers: [{ readinessProbe: { initialDelaySeconds: 5, periodSeconds: 2, successThreshold: 3 } }, { readinessProbe: { periodSeconds: 1 } }] }), 11);
    // prober/worker.go doProbe: no readiness probe before the startupProbe passes; status/generate.go
    // GenerateContainersReadyCondition counts sidecars; each sidecar starts once the one before has started (trial 17 U4).
    assert.equal(readyDelaySeconds({ containers: [{ startupProbe: { initialDelaySeconds: 30 } }] }), 40, 'started at 30 + 10, then Ready');
    assert.equal(readyDelaySeconds({ containers: [{ startupProbe: { initialDelaySeconds: 30 }, readinessProbe: { initialDelaySeconds: 5 } }] }), 50, 'the readiness probe first runs at the tick after 40');
    assert.equal(readyDelaySeconds({ containers: [{ startupProbe: { periodSeconds: 2 }, readinessProbe: { initialDelaySeconds: 60 } }] }), 70, 'a readiness delay past the start counts from the container start');
    assert.equal(readyDelaySeconds({ initContainers: [{ restartPolicy: 'Always', readinessProbe: { initialDelaySeconds: 30 } }], containers: [{}] }), 40, 'a sidecar\'s readiness holds the pod');
    assert.equal(readyDelaySeconds({ initContainers: [{ readinessProbe: { initialDelaySeconds: 30 } }], containers: [{}] }), 1, 'an ordinary init container is not a sidecar');
    const chained = { initContainers: [{ restartPolicy: 'Always', startupProbe: { initialDelaySeconds: 30 } }, { restartPolicy: 'Always' }], containers: [{ readinessProbe: { initialDelaySeconds: 5 } }] };
    assert.equal(readyDelaySeconds(chained), 55, 'the app starts at 40, after the first sidecar has started: max(40, 45) + 10');
    assert.equal(terminationSeconds({}), 3);
    assert.equal(terminationSeconds({ terminationGracePeriodSeconds: 0 }), 0);
    assert.equal(terminationSeconds({ terminationGracePeriodSeconds: 2 }), 2);
    assert.equal(runSeconds({ containers: [{ command: ['sh', '-c', 'echo hi && sleep 5 && sleep 2'] }, { args: ['sleep 3'] }] }, {}), 7);
    assert.equal(runSeconds({ containers: [{ command: ['date'] }] }, {}), 5);
    assert.equal(runSeconds({ containers: [] }, { 'kdry.dev/run-seconds': '42' }), 42);
    assert.deepEqual([1, 2, 3, 5, 6, 7, 50].map(crashBackoffSeconds), [10, 20, 40, 160, 300, 300, 300]);
    assert.equal(noExecuteTolerationSeconds({}, 'node.kubernetes.io/not-ready'), 300);
    assert.equal(noExecuteTolerationSeconds({}, 'dedicated'), 0);
    assert.equal(noExecuteTolerationSeconds({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }] }, 'node.kubernetes.io/not-ready'), 30);
    assert.equal(noExecuteTolerationSeconds({ tolerations: [{ operator: 'Exists' }] }, 'anything'), undefined);
  });
});
