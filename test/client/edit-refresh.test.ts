// The Dry-run view's refresh after an edit (client/src/edit-refresh.ts): at once after a pause,
// once the typing pauses within a burst. Driven by a fake clock: no timing in the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EditRefresh, type Clock } from '../../client/src/edit-refresh';

function fakeClock() {
  let now = 0;
  let timers: { at: number; run: () => void; id: number }[] = [];
  let ids = 0;
  const clock: Clock = {
    now: () => now,
    setTimeout: (run, ms) => {
      const id = ++ids;
      timers.push({ at: now + ms, run, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  /** Moves the clock on, running the timers due on the way. */
  const advance = (ms: number) => {
    const end = now + ms;
    for (let due = timers.sort((a, b) => a.at - b.at)[0]; due && due.at <= end; due = timers.sort((a, b) => a.at - b.at)[0]) {
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.run();
    }
    now = end;
  };
  return { clock, advance, pending: () => timers.length };
}

test('an edit after a pause refreshes at once, with no timer', () => {
  const { clock, pending } = fakeClock();
  const refresh = new EditRefresh(100, clock);
  const runs: number[] = [];
  refresh.edited(() => runs.push(clock.now()));
  assert.deepEqual(runs, [0]);
  assert.equal(pending(), 0);
});

test('a burst of edits: the first refreshes at once, the rest once the typing paused for the pause', () => {
  const { clock, advance } = fakeClock();
  const refresh = new EditRefresh(100, clock);
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    refresh.edited(() => runs.push(clock.now()));
    advance(40);
  }
  // edits at 0, 40, 80, 120, 160: one refresh at 0, one 100 ms after the last
  advance(1000);
  assert.deepEqual(runs, [0, 260]);
});

test('edits further apart than the pause each refresh at once', () => {
  const { clock, advance } = fakeClock();
  const refresh = new EditRefresh(100, clock);
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    refresh.edited(() => runs.push(clock.now()));
    advance(150);
  }
  assert.deepEqual(runs, [0, 150, 300]);
});

test('an edit within the pause replaces the refresh that waits', () => {
  const { clock, advance } = fakeClock();
  const refresh = new EditRefresh(100, clock);
  const runs: string[] = [];
  refresh.edited(() => runs.push('first'));
  advance(50);
  refresh.edited(() => runs.push('second'));
  advance(99);
  refresh.edited(() => runs.push('third'));
  advance(100);
  assert.deepEqual(runs, ['first', 'third']);
});

test('cancel drops the refresh that waits', () => {
  const { clock, advance } = fakeClock();
  const refresh = new EditRefresh(100, clock);
  const runs: string[] = [];
  refresh.edited(() => runs.push('first'));
  refresh.edited(() => runs.push('second'));
  refresh.cancel();
  advance(500);
  assert.deepEqual(runs, ['first']);
});
