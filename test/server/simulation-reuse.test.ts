// The Dry-run answers an edit that leaves the engine's inputs as they were from its last run
// (server/src/lsp/simulation-reuse.ts, simulation-runner.ts): equal inputs share a key and anything
// the engine reads gives another; an edit of a comment is answered with the last run (its pages
// still served), an edit the engine sees runs again, a stopped run is never reused, and a run whose
// pages were lost is run again; inputs that cannot be sent to the thread are an error, not a crash.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CancellationTokenSource } from 'vscode-languageserver';
import type { SimNode, SimulateOptions } from '../../server/src/engine';
import { parseManifest } from '../../server/src/manifest';
import { handleSimulate, handleSimulatePods, type SimulateContext } from '../../server/src/lsp/simulate';
import { simulationKey as keyOfJob } from '../../server/src/lsp/simulation-reuse';
import { CANCELLED, SimulationRunner } from '../../server/src/lsp/simulation-runner';
import type { SimulateResponse } from '../../server/src/protocol/requests';
import { ensureBuilt, REPO } from './lsp-client';

const WORKER = join(REPO, 'dist', 'simulation-worker.js');

const NODES: SimNode[] = Array.from({ length: 4 }, (_, i) => ({ name: `node-${i}`, labels: { zone: `z${i % 2}` }, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 64_000, memory: 256 * 2 ** 30, pods: 110 } }));

function deployment(replicas: number, image = 'nginx:1.28'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
  };
}

function options(): SimulateOptions {
  return { objects: [deployment(200)], before: deployment(200, 'nginx:1.27'), workload: { kind: 'Deployment', name: 'web' }, nodes: structuredClone(NODES), clusterSource: 'cluster.yaml', windowSeconds: 600, kubernetesVersion: '1.33' };
}

before(() => {
  ensureBuilt();
});

const simulationKey = (o: SimulateOptions, podWindow: number | undefined) => keyOfJob(podWindow === undefined ? { simulate: o } : { simulate: o, podWindow });

test('equal inputs built apart share a key; a change to anything the engine reads, or to the pod window, gives another', () => {
  const key = simulationKey(options(), 100);
  assert.ok(key);
  assert.equal(simulationKey(options(), 100), key);
  const changed: [string, (o: SimulateOptions) => void][] = [
    ['an image', (o) => ((o.objects[0] as any).spec.template.spec.containers[0].image = 'nginx:1.29')],
    ['replicas as a string', (o) => ((o.objects[0] as any).spec.replicas = '200')],
    ['another object in the file', (o) => o.objects.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' } } })],
    ['the version rolled out from', (o) => (o.before = deployment(200, 'nginx:1.26'))],
    ['a node', (o) => (o.nodes![3].unschedulable = true)],
    ['a node allocatable of .inf', (o) => (o.nodes![0].allocatable.cpu = Infinity)],
    ['faults', (o) => (o.faults = { podExit: { exitCode: 1 } })],
    ['then', (o) => (o.then = [{ at: 30, replicas: 3 }])],
    ['the strategy', (o) => (o.strategy = 'recreate')],
    ['the window', (o) => (o.windowSeconds = 601)],
    ['the release', (o) => (o.kubernetesVersion = '1.32')],
    ['refusals', (o) => (o.refusals = [{ path: 'spec', message: 'refused' }])],
  ];
  for (const [what, change] of changed) {
    const edited = options();
    change(edited);
    assert.notEqual(simulationKey(edited, 100), key, what);
  }
  assert.notEqual(simulationKey(options(), 101), key, 'the pod window');
  assert.notEqual(simulationKey(options(), undefined), key, 'no pod window');
});

test('the same inputs again are answered from the last run at once (its pages still served); other inputs run', async () => {
  const runner = new SimulationRunner(WORKER);
  const first = await runner.run(options(), undefined, 100);
  assert.ok('result' in first && first.paging, 'paged');
  // a page comes once the run reached the pages thread: from then on the runner is idle
  const page = await runner.pods({ id: first.paging.id, step: 1, offset: 0, limit: 10 });
  assert.ok('pods' in page && page.pods.pods?.length === 10, JSON.stringify(page));
  const told: boolean[] = [];
  runner.onBusyChange((busy) => told.push(busy));
  const again = await runner.run(options(), undefined, 100);
  assert.equal(again, first, 'the last answer itself, not a new run');
  assert.deepEqual(told, [], 'no job was queued');
  assert.deepEqual(await runner.pods({ id: first.paging.id, step: 1, offset: 0, limit: 10 }), page, 'its pages still served');
  const edited = options();
  edited.windowSeconds = 601;
  const other = await runner.run(edited, undefined, 100);
  assert.ok('result' in other && other.paging && other.paging.id !== first.paging.id, 'run again');
  assert.equal(told[0], true, 'a job was queued');
  // only the last run is kept for reuse: back to the first inputs runs again
  const back = await runner.run(options(), undefined, 100);
  assert.ok('result' in back && back.paging && back.paging.id !== first.paging.id && back.paging.id !== other.paging.id);
  assert.deepEqual(back.result, first.result);
  runner.dispose();
});

test('a cancelled request is answered Cancelled even when its inputs were run; a stopped run is never reused', async () => {
  const runner = new SimulationRunner(WORKER);
  await runner.run(options(), undefined, 100);
  const cancelled = new CancellationTokenSource();
  cancelled.cancel();
  assert.deepEqual(await runner.run(options(), cancelled.token, 100), { error: CANCELLED });
  const large = options();
  (large.objects[0] as any).spec.replicas = 50_000;
  const stopping = new CancellationTokenSource();
  const stopped = runner.run(large, stopping.token, 100);
  stopping.cancel();
  assert.deepEqual(await stopped, { error: CANCELLED });
  const small = options();
  (small.objects[0] as any).spec.replicas = 3;
  (small.before as any).spec.replicas = 3;
  assert.ok('result' in (await runner.run(small, undefined, 100)), 'the runner goes on');
  runner.dispose();
});

test('an edit of a comment is answered with the last run; an edit the engine reads runs again', async () => {
  const runner = new SimulationRunner(WORKER);
  const file = (replicas: number, comment: string) => `# ${comment}\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web # the web tier\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.28\n`;
  const context: SimulateContext = { textOf: () => undefined, fileOf: (uri, text) => parseManifest(text, uri), clusterFile: '', folders: [], trusted: false };
  const ask = (text: string) => handleSimulate({ uri: 'file:///w/web.yaml', text, podWindow: 100 }, context, runner);
  const first: SimulateResponse = await ask(file(300, 'web'));
  assert.ok(first.paging, first.error);
  const commented = await ask(file(300, 'the web tier, scaled by hand'));
  assert.equal(commented.paging?.id, first.paging.id);
  assert.equal(commented.result, first.result);
  const page = await handleSimulatePods({ id: first.paging.id, step: 0, offset: 0, limit: 5 }, runner);
  assert.equal(page.pods?.length, 5, JSON.stringify(page));
  const scaled = await ask(file(301, 'the web tier, scaled by hand'));
  assert.ok(scaled.paging && scaled.paging.id !== first.paging.id, 'run again');
  assert.equal(scaled.paging.pods, 301);
  runner.dispose();
});

test('a run whose pages were lost with their thread is run again, not answered from', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-reuse-lost-'));
  try {
    // A stand-in thread: simulate jobs are answered with a numbered paged run; the pages thread ends at its first message.
    const file = join(dir, 'thread.js');
    writeFileSync(file, `const { parentPort } = require('node:worker_threads');
let runs = 0;
parentPort.on('message', (message) => {
  if ('seq' in message) process.exit(3);
  runs++;
  parentPort.postMessage({ result: { run: runs }, paging: { id: 'run-' + runs } });
});
`);
    const runner = new SimulationRunner(file);
    const first = await runner.run(options(), undefined, 100);
    assert.equal(await runner.run(options(), undefined, 100), first, 'reused while its pages are kept');
    const page = await runner.pods({ id: 'run-1', step: 0, offset: 0, limit: 10 });
    assert.ok('error' in page && /pages of this run were lost/.test(page.error), JSON.stringify(page));
    const again = await runner.run(options(), undefined, 100);
    assert.ok('result' in again && again.paging?.id !== ('paging' in first ? first.paging?.id : undefined), JSON.stringify(again));
    runner.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('inputs structured clone cannot write are answered with an error, and the runner goes on', async () => {
  const runner = new SimulationRunner(WORKER);
  const context: SimulateContext = { textOf: () => undefined, fileOf: (uri, text) => parseManifest(text, uri), clusterFile: '', folders: [], trusted: false, actingOn: () => [{ kind: 'ConfigMap', build: () => undefined }] };
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: web } }\n  template:\n    metadata: { labels: { app: web } }\n    spec: { containers: [{ name: web, image: nginx }] }\n';
  const refused = await handleSimulate({ uri: 'file:///w/web.yaml', text }, context, runner);
  assert.match(refused.error ?? '', /^kdry could not simulate: .*could not be cloned/);
  const answered = await handleSimulate({ uri: 'file:///w/web.yaml', text }, { ...context, actingOn: () => [] }, runner);
  assert.ok(answered.result, answered.error);
  runner.dispose();
});
