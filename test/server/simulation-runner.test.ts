// kdry/simulate's engine work in a worker thread (the bundled dist/simulation-worker.js): the same
// result as running inline, jobs in arrival order, a cancelled request and the time budget stop
// it, and the runner keeps working after a stop.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver';
import { simulate, type SimulateOptions } from '../../server/src/engine';
import { CANCELLED, CROWDED_OUT, MAX_WAITING_JOBS, SimulationRunner } from '../../server/src/lsp/simulation-runner';
import { runWorkerJob, STOPPED } from '../../server/src/lsp/simulation-worker';
import { packedSimulation } from '../../server/src/lsp/simulation-reuse';
import { ensureBuilt, REPO } from './lsp-client';

const WORKER = join(REPO, 'dist', 'simulation-worker.js');

function rollout(replicas: number): SimulateOptions {
  const deployment = (image: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
  });
  return { objects: [deployment('nginx:1.28')], before: deployment('nginx:1.27') };
}

before(() => {
  ensureBuilt();
});

test('the worker answers with the result the engine gives inline', async () => {
  const runner = new SimulationRunner(WORKER);
  const answer = await runner.run(rollout(5));
  assert.ok('result' in answer);
  assert.deepEqual(answer.result, JSON.parse(JSON.stringify(simulate(rollout(5)))));
  runner.dispose();
});

test('jobs run one at a time in arrival order: a request never cancels another, the second waits and gets its result', async () => {
  const runner = new SimulationRunner(WORKER);
  const done: string[] = [];
  const large = runner.run(rollout(20_000)).then((a) => (done.push('large'), a));
  const small = runner.run(rollout(3)).then((a) => (done.push('small'), a));
  const [first, second] = await Promise.all([large, small]);
  assert.ok('result' in first && 'result' in second && second.result.summary.completed);
  assert.deepEqual(done, ['large', 'small']);
  runner.dispose();
});

test('a cancelled request leaves the queue, or is stopped while it runs; the jobs after it run', async () => {
  const runner = new SimulationRunner(WORKER);
  const running = new CancellationTokenSource();
  const waiting = new CancellationTokenSource();
  const first = runner.run(rollout(100_000), running.token);
  const second = runner.run(rollout(4), waiting.token);
  const third = runner.run(rollout(2));
  waiting.cancel();
  assert.deepEqual(await second, { error: CANCELLED });
  running.cancel();
  assert.deepEqual(await first, { error: CANCELLED });
  assert.ok('result' in (await third));
  runner.dispose();
});

test('onBusyChange says when the first job is queued and when the last one settles, a cancelled one once it has stopped, not between jobs', async () => {
  const runner = new SimulationRunner(WORKER);
  const told: boolean[] = [];
  runner.onBusyChange((busy) => told.push(busy));
  const first = runner.run(rollout(5));
  const second = runner.run(rollout(3));
  assert.deepEqual(told, [true]);
  assert.equal(runner.busy, true);
  await Promise.all([first, second]);
  assert.deepEqual(told, [true, false]);
  assert.equal(runner.busy, false);
  const running = new CancellationTokenSource();
  const stopped = runner.run(rollout(100_000), running.token);
  running.cancel();
  assert.deepEqual(await stopped, { error: CANCELLED });
  assert.equal(runner.busy, true, 'busy until the cancelled run has stopped: it still takes a core');
  await new Promise<void>((resolve) => runner.onBusyChange((busy) => busy || resolve()));
  assert.deepEqual(told, [true, false, true, false]);
  runner.dispose();
});

test('a client that never cancels cannot pile up work: past the waiting limit the oldest waiting job is answered, not run', async () => {
  const runner = new SimulationRunner(WORKER);
  const running = runner.run(rollout(20_000));
  const waiting = Array.from({ length: MAX_WAITING_JOBS + 1 }, (_, i) => runner.run(rollout(i + 1)));
  const answers = await Promise.all([running, ...waiting]);
  assert.deepEqual(answers[1], { error: CROWDED_OUT });
  assert.ok(answers.slice(2).every((a) => 'result' in a));
  runner.dispose();
});

test('a cancelled request and the time budget stop the job; the next job runs', async () => {
  const runner = new SimulationRunner(WORKER);
  const source = new CancellationTokenSource();
  const cancelled = runner.run(rollout(100_000), source.token);
  source.cancel();
  assert.deepEqual(await cancelled, { error: CANCELLED });
  const budgeted = new SimulationRunner(WORKER, 1);
  const late = await budgeted.run(rollout(100_000));
  assert.ok('error' in late && /took longer than 0\.001 s and was stopped/.test(late.error), JSON.stringify(late));
  assert.ok('result' in (await runner.run(rollout(2))));
  runner.dispose();
  budgeted.dispose();
});

test('a pages thread that ends without an error answers the pages asked for, and the next page starts a new thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-pages-exit-'));
  try {
    // a worker that ends at its first message, as process.exit in it would: 'exit' without 'error'
    const file = join(dir, 'exits.js');
    writeFileSync(file, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
    const runner = new SimulationRunner(file);
    const answer = await runner.pods({ id: 'gone', step: 0, offset: 0, limit: 10 });
    assert.ok('error' in answer, JSON.stringify(answer));
    assert.match(answer.error, /^The pages of this run were lost: the pages thread ended \(exit code 3\); simulate again\.$/);
    const again = await runner.pods({ id: 'gone', step: 0, offset: 0, limit: 10 });
    assert.ok('error' in again, 'a new thread, answering too');
    runner.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the start-up warm-up runs the sample in a new simulation thread without making the runner busy; a job asked meanwhile stops it and waits for its end, and no second warm-up starts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-runner-warm-'));
  try {
    // A stand-in thread that says what it was asked, in order.
    const file = join(dir, 'thread.js');
    writeFileSync(file, `const { parentPort } = require('node:worker_threads');
const asked = [];
parentPort.on('message', (message) => {
  asked.push('warmUp' in message ? 'warm-up' : 'run');
  parentPort.postMessage('warmUp' in message ? { warmedUp: true } : { result: { asked } });
});
`);
    // a stop wait no start of a thread on a loaded machine outlasts: the job runs in the warm-up's thread
    const runner = new SimulationRunner(file, undefined, 60_000);
    const told: boolean[] = [];
    runner.onBusyChange((busy) => told.push(busy));
    runner.warmUp();
    assert.equal(runner.busy, false, 'the warm-up is no work anyone waits for');
    runner.warmUp();
    const answer = await runner.run(rollout(3));
    assert.deepEqual(answer, { result: { asked: ['warm-up', 'run'] } }, 'the job ran after the one warm-up, in the same thread');
    assert.deepEqual(told, [true, false]);
    runner.warmUp();
    assert.deepEqual(await runner.run(rollout(4)), { result: { asked: ['warm-up', 'run', 'run'] } }, 'no warm-up once the thread is there');
    runner.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the warm-up sample is a run the engine takes, then the real simulation thread goes on', async () => {
  assert.deepEqual(runWorkerJob({ warmUp: true }), { warmedUp: true });
  const runner = new SimulationRunner(WORKER);
  runner.warmUp();
  const answer = await runner.run(rollout(5));
  assert.deepEqual('result' in answer && answer.result, JSON.parse(JSON.stringify(simulate(rollout(5)))));
  runner.dispose();
});

/** A stand-in simulation thread that says which runs it was asked, and works on each until the runner's shared cell says stop (or forever, `stops` false). */
function standInThread(dir: string, stops: boolean): string {
  const file = join(dir, stops ? 'stops.js' : 'never-stops.js');
  writeFileSync(file, `const { parentPort, workerData } = require('node:worker_threads');
const stop = new Int32Array(workerData.stop);
const asked = [];
parentPort.on('message', (message) => {
  asked.push(message.run);
  if (message.packed && new Uint8Array(message.packed).length > 500) {
    // the long run: until told to stop
    while (${stops ? 'Atomics.load(stop, 0) < message.run' : 'true'});
  }
  parentPort.postMessage({ result: { asked: [...asked] } });
});
`);
  return file;
}

const longRun = () => rollout(100_000);
const shortRun = () => ({ objects: [] });

/** A long run cancelled while the stand-in thread works on it, and a short run asked after it: both answers. */
async function cancelledThenNext(stops: boolean, stopWaitMs: number): Promise<unknown[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-runner-stop-'));
  try {
    const runner = new SimulationRunner(standInThread(dir, stops), undefined, stopWaitMs);
    const source = new CancellationTokenSource();
    const first = runner.run(longRun(), source.token);
    const second = runner.run(shortRun());
    source.cancel();
    const answers = await Promise.all([first, second]);
    runner.dispose();
    return answers;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a cancelled run stops itself: the next job runs in the same thread once it has ended', async () => {
  assert.ok(packedSimulation({ simulate: longRun() }).byteLength > 500 && packedSimulation({ simulate: shortRun() }).byteLength <= 500, 'the stand-in tells the runs apart by size');
  const [first, second] = await cancelledThenNext(true, 60_000);
  assert.deepEqual(first, { error: CANCELLED });
  assert.deepEqual(second, { result: { asked: [1, 2] } }, 'the second run was the same thread\'s, after the first');
});

test('a cancelled run that does not stop within the stop wait has its thread terminated; the next job gets a new one', async () => {
  const [first, second] = await cancelledThenNext(false, 50);
  assert.deepEqual(first, { error: CANCELLED });
  assert.deepEqual(second, { result: { asked: [2] } }, 'a new thread ran it');
});

test('the engine asks stillWanted as it goes: a run no longer wanted stops early, and the thread says so', () => {
  let asks = 0;
  const stopped = simulate({ ...rollout(50), stillWanted: () => ++asks < 3 });
  assert.equal(asks, 3, 'it stopped at the first no');
  assert.match(stopped.problems.map((p) => p.message).join('\n'), /the run was stopped: no longer wanted/);
  assert.equal(stopped.steps.length, 0);
  let wanted = 0;
  assert.deepEqual(runWorkerJob({ simulate: rollout(50) }, false, () => ++wanted < 5), { error: STOPPED });
  assert.deepEqual(runWorkerJob({ simulate: rollout(50) }, false, () => false), { error: STOPPED }, 'not started when unwanted already');
  const whole = runWorkerJob({ simulate: rollout(50) }, false, () => true);
  assert.ok('result' in whole && whole.result.summary.completed, 'a wanted run is the engine\'s whole run');
});

test('with the real simulation thread, a cancelled large run answers Cancelled and the next run gets its result', async () => {
  const runner = new SimulationRunner(WORKER);
  const source = new CancellationTokenSource();
  const cancelled = runner.run(rollout(20_000), source.token);
  setTimeout(() => source.cancel(), 200);
  const next = runner.run(rollout(5));
  assert.deepEqual(await cancelled, { error: CANCELLED });
  const answer = await next;
  assert.deepEqual('result' in answer && answer.result, JSON.parse(JSON.stringify(simulate(rollout(5)))));
  runner.dispose();
});
