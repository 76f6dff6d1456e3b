// kdry/simulate's engine work in a worker thread (the bundled dist/simulation-worker.js): the same
// result as running inline, a newer job cancels the running one, a cancelled request and the time
// budget stop it, and the runner keeps working after a stop.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver';
import { simulate, type SimulateOptions } from '../../server/src/engine';
import { CANCELLED_BY_NEWER, SimulationRunner } from '../../server/src/lsp/simulation-runner';
import { REPO } from './lsp-client';

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
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO });
});

test('the worker answers with the result the engine gives inline', async () => {
  const runner = new SimulationRunner(WORKER);
  const answer = await runner.run(rollout(5));
  assert.ok('result' in answer);
  assert.deepEqual(answer.result, JSON.parse(JSON.stringify(simulate(rollout(5)))));
  runner.dispose();
});

test('a newer job cancels the running one; the newer one still gets its result', async () => {
  const runner = new SimulationRunner(WORKER);
  const large = runner.run(rollout(100_000));
  const small = runner.run(rollout(3));
  assert.deepEqual(await large, { error: CANCELLED_BY_NEWER });
  const answer = await small;
  assert.ok('result' in answer && answer.result.summary.completed);
  runner.dispose();
});

test('a cancelled request and the time budget stop the job; the next job runs', async () => {
  const runner = new SimulationRunner(WORKER);
  const source = new CancellationTokenSource();
  const cancelled = runner.run(rollout(100_000), source.token);
  source.cancel();
  assert.deepEqual(await cancelled, { error: 'Cancelled.' });
  const budgeted = new SimulationRunner(WORKER, 1);
  const late = await budgeted.run(rollout(100_000));
  assert.ok('error' in late && /took longer than 0\.001 s and was stopped/.test(late.error), JSON.stringify(late));
  assert.ok('result' in (await runner.run(rollout(2))));
  runner.dispose();
  budgeted.dispose();
});
