import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimelineRecorder, podsAtStep } from '../../server/src/engine/timeline';
import { EventDigest, eventPattern } from '../../server/src/engine/digest';
import { statelessScheduler } from '../../server/src/engine/scheduling';
import { SimWorld } from '../../server/src/engine/world';
import type { SimulationResult } from '../../server/src/engine/types';
import { firstFitScheduler, node } from './world.fixtures';

/** Drive the same scripted scenario and record it in the given mode. */
function scenario(mode: 'full' | 'delta'): SimulationResult['steps'] {
  const world = new SimWorld({ nodes: [node('n1'), node('n2')], scheduler: statelessScheduler(firstFitScheduler) });
  const recorder = new TimelineRecorder(world, mode);
  const owner = { kind: 'ReplicaSet', name: 'rs', uid: 'rs' };
  const make = (name: string) => world.createPod({ name, owner, template: { labels: {}, spec: { containers: [{ name: 'c' }] } }, revision: name.startsWith('new') ? 'v2' : 'v1' });
  const old = [make('old-1'), make('old-2')];
  world.schedulePending();
  recorder.record([], [], true, true);
  const tick = () => {
    world.now = world.queue.peekTime() as number;
    for (const e of world.queue.popDue(world.now)) world.apply(e);
    world.schedulePending();
    recorder.record([{ object: 'x', columns: { N: world.pods().length } }], [], false);
  };
  while (world.queue.size > 0) tick();
  make('new-1');
  world.deletePod(old[0]);
  world.schedulePending();
  recorder.record([], [], true);
  while (world.queue.size > 0) tick();
  return recorder.steps;
}

describe('TimelineRecorder', () => {
  it('records a step per visible change, with times and pods', () => {
    const steps = scenario('full');
    assert.deepEqual(steps.map((s) => s.time), [0, 2, 3, 3, 5, 6]);
    assert.deepEqual(steps.map((s) => s.index), steps.map((_, i) => i));
    const last = steps[steps.length - 1];
    assert.deepEqual(last.pods.map((p) => [p.name, p.phase, p.ready, p.available]), [
      ['old-2', 'Running', true, true],
      ['new-1', 'Running', true, true],
    ]);
    assert.equal(steps.every((s) => !s.podsDelta), true);
  });

  it('delta steps rebuild to exactly the full lists', () => {
    const full = scenario('full');
    const delta = scenario('delta');
    assert.equal(delta.length, full.length);
    assert.equal(delta.slice(1).every((s) => s.podsDelta === true), true);
    assert.ok(delta.slice(1).reduce((n, s) => n + s.pods.length, 0) < full.slice(1).reduce((n, s) => n + s.pods.length, 0));
    for (let i = 0; i < full.length; i++) assert.deepEqual(podsAtStep({ steps: delta }, i), full[i].pods, `step ${i}`);
    assert.deepEqual(podsAtStep({ steps: delta }, 99), []);
  });

  it('summarises peak pods, minimum available and downtime from the first available step', () => {
    const world = new SimWorld({ nodes: [node('n1')], scheduler: statelessScheduler(firstFitScheduler) });
    const recorder = new TimelineRecorder(world, 'full');
    const owner = { kind: 'ReplicaSet', name: 'rs', uid: 'rs' };
    const a = world.createPod({ name: 'a', owner, template: { labels: {}, spec: {} }, revision: 'v1' });
    world.schedulePending();
    recorder.record([], [], true, true);
    const run = () => {
      while (world.queue.size > 0) {
        world.now = world.queue.peekTime() as number;
        for (const e of world.queue.popDue(world.now)) world.apply(e);
        world.schedulePending();
        recorder.record([], [], false);
      }
    };
    run(); // a ready at 3
    world.deletePod(a); // Recreate: nothing available until b is ready
    recorder.record([], [], true);
    run(); // a gone at 6
    world.createPod({ name: 'b', owner, template: { labels: {}, spec: {} }, revision: 'v2' });
    world.schedulePending();
    recorder.record([], [], true);
    run(); // b ready at 9
    const summary = recorder.summary(true, [], true, true);
    assert.deepEqual(summary, { durationSeconds: 9, peakPods: 1, minAvailable: 0, downtimeSeconds: 6, completed: true, conditions: [] });
    assert.equal(recorder.summary(true, [], false, true).downtimeSeconds, 0);
    // Not a rollout: counted from the first step at peak availability (here 1, first reached at 3 s).
    assert.deepEqual(recorder.summary(true, [], true, false), summary);
  });
});

describe('folding long runs into digest steps', () => {
  it('eventPattern leaves names and numbers out, keeps the words and punctuation', () => {
    assert.equal(eventPattern('Created job tick-28928165'), 'Created job …');
    assert.equal(eventPattern('Created pod: tick-28928165-t42pr'), 'Created pod: …');
    assert.equal(eventPattern('Successfully assigned default/tick-1-abcde to worker-1'), 'Successfully assigned … to …');
    assert.equal(eventPattern('Saw completed job: tick-1, condition: Complete'), 'Saw completed job: …, condition: Complete');
    assert.equal(eventPattern('Back-off restarting failed container'), 'Back-off restarting failed container');
    assert.equal(eventPattern('Scaled up replica set web-6d8f5 from 0 to 3'), 'Scaled up replica set … from … to …');
  });

  it('EventDigest counts the folded events by type, kind and pattern, then starts over', () => {
    const digest = new EventDigest();
    assert.equal(digest.empty, true);
    const e = (object: string, message: string, type: 'Normal' | 'Warning' = 'Normal') => ({ time: 0, object, message, type });
    digest.add(100, [e('cronjob.batch/tick', 'Created job tick-1'), e('job.batch/tick-1', 'Created pod: tick-1-aaaaa')]);
    digest.add(400, [e('cronjob.batch/tick', 'Created job tick-2'), e('job.batch/tick-2', 'Created pod: tick-2-bbbbb'), e('job.batch/tick-2', 'Job has reached the specified backoff limit', 'Warning')]);
    assert.equal(digest.empty, false);
    const events = digest.take(500);
    assert.deepEqual(
      events.map((x) => [x.object, x.type, x.message]),
      [
        ['cronjob.batch/tick', 'Normal', '2× Created job … between t=100 s and t=500 s (folded; latest: Created job tick-2)'],
        ['job.batch/*', 'Normal', '2× Created pod: … between t=100 s and t=500 s (folded; latest: Created pod: tick-2-bbbbb)'],
        ['job.batch/tick-2', 'Warning', '1× Job has reached the specified backoff limit between t=100 s and t=500 s (folded; latest: Job has reached the specified backoff limit)'],
      ],
    );
    assert.ok(events.every((x) => x.time === 500));
    assert.equal(digest.empty, true);
    assert.deepEqual(digest.take(600), []);
  });

  it('the recorder folds instants after the given time into one step per period, and the summary still sees every instant', () => {
    const world = new SimWorld({ nodes: [node('n1')], scheduler: statelessScheduler(firstFitScheduler) });
    const recorder = new TimelineRecorder(world, 'full');
    recorder.foldInstantsAfter(100, 1000, 100);
    recorder.record([], [], true, true);
    for (const t of [50, 150, 160, 250, 420, 430]) {
      world.now = t;
      world.event('thing/a', `tick at ${t}`);
      if (recorder.foldsInstant(false)) recorder.foldInstant();
      else recorder.record([], [], true);
    }
    // 50: step by step; 150 and 160 fold into the step at 250 (the first instant of the next
    // period), 420 is the first of its period, 430 waits for the end of the run.
    assert.deepEqual(recorder.steps.map((s) => s.time), [0, 50, 250, 420]);
    assert.equal(recorder.foldingSince, 150);
    assert.equal(recorder.steps[2].events[0].message, '2× tick at … between t=150 s and t=250 s (folded; latest: tick at 160)');
    assert.deepEqual(recorder.steps[2].events[1].message, 'tick at 250');
    assert.equal(recorder.hasFoldedInstants(), true);
    recorder.record([], [], false, true);
    assert.deepEqual(recorder.steps.map((s) => s.time), [0, 50, 250, 420, 430]);
    assert.equal(recorder.hasFoldedInstants(), false);
    assert.equal(recorder.summary(true, [], false, false).durationSeconds, 430);
  });
});
