import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimelineRecorder, podsAtStep } from '../../server/src/engine/timeline';
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
