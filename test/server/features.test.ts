// Hover, completion, document symbols, the kdry/simulate request, the workspace scan and
// cross-file re-checks, over stdio against the bundled server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompletionItem, CompletionList, DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import type { SimulateResponse } from '../../server/src/protocol/requests';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { ensureBuilt, LspClient, fixture, messageOf } from './lsp-client';

let client: LspClient;
let workspace: string;
let n = 0;
const uri = (name: string) => pathToFileURL(join(workspace, 'open', `${n++}-${name}`)).href;

before(async () => {
  ensureBuilt();
  workspace = mkdtempSync(join(tmpdir(), 'kdry-lsp-'));
  mkdirSync(join(workspace, 'deploy'));
  mkdirSync(join(workspace, 'node_modules', 'x'), { recursive: true });
  writeFileSync(join(workspace, 'deploy', 'web-service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-svc\nspec:\n  clusterIP: None\n  selector:\n    app: web\n  ports:\n  - port: 80\n');
  // a Service under node_modules must be ignored by the scan
  writeFileSync(join(workspace, 'node_modules', 'x', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: hidden\nspec:\n  clusterIP: None\n  selector:\n    app: web\n');
  client = new LspClient({ workspaceFolder: workspace });
  await client.initialize();
});
after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return i;
}

async function hoverAt(u: string, text: string, needle: string, extra = 2): Promise<string> {
  const line = lineOf(text, needle);
  const character = text.split('\n')[line].indexOf(needle) + extra;
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: { line, character } });
  return h ? (h.contents as MarkupContent).value : '';
}

/** Repeats a request until its answer satisfies `done` (the server reads changed files asynchronously). */
async function eventually(ask: () => Promise<string>, done: (answer: string) => boolean): Promise<string> {
  let answer = await ask();
  for (let i = 0; i < 50 && !done(answer); i++) {
    await new Promise((r) => setTimeout(r, 50));
    answer = await ask();
  }
  return answer;
}

async function complete(u: string, line: number, character: number): Promise<CompletionItem[]> {
  const r = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri: u }, position: { line, character } });
  return Array.isArray(r) ? r : r.items;
}

describe('hover', () => {
  test('maxSurge and maxUnavailable show the numbers for the current replicas', async () => {
    const text = fixture('service.corrected.yaml');
    const u = uri('svc.yaml');
    await client.open(u, text);
    assert.match(await hoverAt(u, text, 'maxSurge'), /25% of 10 replicas -> 3 extra pods \(rounded up\)/);
    assert.match(await hoverAt(u, text, 'maxUnavailable'), /25% of 10 -> 2 unavailable \(rounded down\)/);
    const seven = text.replace('replicas: 10', 'replicas: 7').replace('maxSurge: 25%', 'maxSurge: 50%');
    await client.change(u, seven);
    assert.match(await hoverAt(u, seven, 'maxSurge'), /50% of 7 replicas -> 4 extra pods/);
    assert.match(await hoverAt(u, seven, 'maxUnavailable'), /25% of 7 -> 1 unavailable/);
  });

  test('rollout numbers on the seed\'s misplaced fields say the controller does not read them there; DaemonSets count nodes', async () => {
    const text = fixture('deployment-rolling-update.original.yaml');
    const u = uri('misplaced.yaml');
    await client.open(u, text);
    const surge = await hoverAt(u, text, 'maxSurge');
    assert.match(surge, /up to 0 extra pods above 3 replicas/);
    assert.match(surge, /Not under `rollingUpdate`/);
    const ds = 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  updateStrategy:\n    rollingUpdate:\n      maxUnavailable: 25%\n';
    const d = uri('ds-rolling.yaml');
    await client.open(d, ds);
    const unavailable = await hoverAt(d, ds, 'maxUnavailable');
    // UnavailableCount in pkg/controller/daemon/util scales with roundUp = true
    assert.match(unavailable, /25% of the nodes that should run the pod, rounded up \(e\.g\. 3 of 10 nodes\)/);
    assert.doesNotMatch(unavailable, /Not under/);
  });

  test('a selector lists the templates and Services it matches, across files', async () => {
    const text = fixture('service.corrected.yaml');
    const u = uri('svc2.yaml');
    await client.open(u, text);
    const onDeployment = await hoverAt(u, text, 'matchLabels');
    assert.match(onDeployment, /pod template of Deployment my-app/);
    assert.match(onDeployment, /Service my-service selects this workload's pods/);
    const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n';
    const w = uri('web.yaml');
    await client.open(w, web);
    const fromDisk = await hoverAt(w, web, 'matchLabels');
    assert.match(fromDisk, /Service web-svc selects this workload's pods \(web-service\.yaml\)/, 'the scanned file is seen');
    assert.doesNotMatch(fromDisk, /hidden/, 'node_modules is not scanned');
  });

  test('files created or deleted on disk are picked up from workspace/didChangeWatchedFiles', async () => {
    const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: watched\nspec:\n  selector:\n    matchLabels:\n      app: watched\n  template:\n    metadata:\n      labels:\n        app: watched\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n';
    const w = uri('watched.yaml');
    await client.open(w, web);
    assert.doesNotMatch(await hoverAt(w, web, 'matchLabels'), /watch-svc/);
    const path = join(workspace, 'deploy', 'watch-svc.yaml');
    writeFileSync(path, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: watch-svc\nspec:\n  selector:\n    app: watched\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path).href, type: 1 }] });
    assert.match(await eventually(() => hoverAt(w, web, 'matchLabels'), (h) => /watch-svc/.test(h)), /Service watch-svc selects/);
    rmSync(path);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(path).href, type: 3 }] });
    assert.doesNotMatch(await eventually(() => hoverAt(w, web, 'matchLabels'), (h) => !/watch-svc/.test(h)), /watch-svc/);
  });

  test('a CronJob schedule shows its next three runs in its time zone', async () => {
    const text = fixture('cronjob.yaml');
    const u = uri('cron.yaml');
    await client.open(u, text);
    const h = await hoverAt(u, text, 'schedule');
    const runs = h.split('\n').filter((l) => l.startsWith('- '));
    assert.equal(runs.length, 3, h);
    assert.match(h, /Asia\/Seoul/);
    for (const r of runs) {
      const m = /(\d{4}-\d\d-\d\dT(\d\d):(\d\d):00\+09:00)/.exec(r);
      assert.ok(m, r);
      assert.ok(Number(m[2]) >= 9 && Number(m[2]) <= 17 && Number(m[3]) % 15 === 0, r);
    }
    const times = runs.map((r) => Date.parse(/(\S+\+09:00)/.exec(r)![1]));
    assert.ok(times[0] < times[1] && times[1] < times[2]);
  });

  test('field documentation from the schema', async () => {
    const text = fixture('deployment-nginx.original.yaml');
    const u = uri('doc.yaml');
    await client.open(u, text);
    assert.match(await hoverAt(u, text, 'replicas'), /\*\*replicas\*\*.*integer[\s\S]*desired pods/i);
  });
});

describe('completion', () => {
  test('keys of the mapping at the cursor, required first, existing keys left out', async () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  \n';
    const u = uri('complete.yaml');
    await client.open(u, text);
    const items = await complete(u, 6, 2);
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('selector') && labels.includes('template') && labels.includes('strategy'), labels.join());
    assert.ok(!labels.includes('replicas'), 'already present');
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.ok(['selector', 'template'].includes(String(sorted[0].label)), 'required keys first');
    assert.match(items.find((i) => i.label === 'template')!.insertText!, /^template:\n {2}\$0$/);
  });

  test('after `- ` in a list of objects, the keys of one item', async () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - \n';
    const u = uri('item.yaml');
    await client.open(u, text);
    const labels = (await complete(u, 6, 8)).map((i) => i.label);
    assert.equal(labels[0], 'name', 'the required key first');
    assert.ok(labels.includes('image') && labels.includes('ports'), labels.join());
  });

  test('enum values after a key, and apiVersion/kind pairs at the top', async () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  strategy:\n    type: \n';
    const u = uri('enum.yaml');
    await client.open(u, text);
    assert.deepEqual((await complete(u, 6, 10)).map((i) => i.label).sort(), ['Recreate', 'RollingUpdate']);
    const fresh = uri('fresh.yaml');
    await client.open(fresh, '\n');
    const pairs = (await complete(fresh, 0, 0)).map((i) => i.label);
    assert.ok(pairs.includes('apps/v1 Deployment') && pairs.includes('batch/v1 CronJob'), pairs.join());
    const kinds = uri('kinds.yaml');
    await client.open(kinds, 'apiVersion: batch/v1\nkind: \n');
    assert.deepEqual((await complete(kinds, 1, 6)).map((i) => i.label).sort(), ['CronJob', 'Job']);
  });
});

describe('document symbols', () => {
  test('one `Kind name` per document with its containers', async () => {
    const text = fixture('statefulset-web.corrected.yaml');
    const u = uri('outline.yaml');
    await client.open(u, text);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
    assert.deepEqual(symbols.map((s) => s.name), ['Service nginx', 'StatefulSet web']);
    assert.deepEqual(symbols[1].children?.map((c) => `${c.name} ${c.detail}`), ['nginx registry.k8s.io/nginx-slim:0.8']);
    assert.equal(symbols[1].range.start.line, lineOf(text, 'kind: StatefulSet') - 2);
  });
});

describe('cross-file checks', () => {
  test('a Service edited in one open file re-checks the StatefulSet in another', async () => {
    const sts = uri('sts.yaml');
    const svc = uri('headless.yaml');
    // a Service name no other test opens, so only this test's files decide
    const stsText = fixture('statefulset-web.original.yaml').replace('serviceName: "nginx"', 'serviceName: "web-headless"');
    const missing = (await client.open(sts, stsText)).filter((d) => d.code === 'statefulset-service-name');
    assert.equal(missing.length, 1);
    assert.match(messageOf(missing[0]), /No Service "web-headless"/);
    const serviceText = fixture('statefulset-web.corrected.yaml').split('---\n')[0].replace('name: nginx', 'name: web-headless');
    let recheck = client.nextDiagnostics(sts);
    await client.open(svc, serviceText);
    assert.deepEqual((await recheck).diagnostics.filter((d) => d.code === 'statefulset-service-name'), []);
    recheck = client.nextDiagnostics(sts);
    await client.change(svc, serviceText.replace('clusterIP: None', 'clusterIP: 10.0.0.10'));
    const notHeadless = (await recheck).diagnostics.filter((d) => d.code === 'statefulset-service-name');
    assert.equal(notHeadless.length, 1);
    assert.match(messageOf(notHeadless[0]), /not headless/);
  });
});

describe('kdry/simulate', () => {
  test('returns the workloads of the file and the engine result for the one at the offset', async () => {
    const text = `${fixture('deployment-nginx.original.yaml')}---\n${fixture('daemonset-gpu.original.yaml')}`;
    const u = uri('sim.yaml');
    await client.open(u, text);
    const r = await client.request<SimulateResponse>('kdry/simulate', { uri: u, offset: text.indexOf('kind: DaemonSet') });
    assert.equal(r.error, undefined);
    assert.deepEqual(r.workloads.map((w) => `${w.kind}/${w.name}`), ['Deployment/nginx-deployment', 'DaemonSet/demo']);
    assert.deepEqual(r.result?.workload, { kind: 'DaemonSet', name: 'demo' });
    assert.equal(r.result?.cluster.source, 'embedded default cluster');
    const byName = await client.request<SimulateResponse>('kdry/simulate', { uri: u, text, workload: { kind: 'Deployment', name: 'nginx-deployment' } });
    assert.deepEqual(byName.result?.workload, { kind: 'Deployment', name: 'nginx-deployment' });
    assert.ok((byName.result?.steps.length ?? 0) > 0);
  });

  test('a long simulation runs off the main thread: a hover sent after it is answered first; $/cancelRequest stops it; requests never cancel each other', async () => {
    // 50,000 replicas take the engine seconds; the worker thread (server/src/lsp/simulation-runner.ts) keeps the server answering.
    const text = fixture('deployment-nginx.original.yaml').replace(/replicas: \d+/, 'replicas: 50000');
    const u = uri('big-simulation.yaml');
    await client.open(u, text);
    const order: string[] = [];
    const cancellation = new CancellationTokenSource();
    const long = client.request<SimulateResponse>('kdry/simulate', { uri: u }, cancellation.token).then(
      (r) => (order.push('simulate'), r),
      (err: Error) => (order.push('simulate'), { workloads: [], error: err.message }),
    );
    const small = client.request<SimulateResponse>('kdry/simulate', { uri: u, text: text.replace('replicas: 50000', 'replicas: 2') });
    const hover = client.request<Hover | null>('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 2 } }).then((h) => (order.push('hover'), h));
    await hover;
    cancellation.cancel();
    const [cancelled, answered] = await Promise.all([long, small]);
    assert.equal(order[0], 'hover');
    assert.match(cancelled.error ?? '', /cancel/i);
    assert.equal(answered.error, undefined, 'the request queued behind the cancelled one still runs');
    assert.ok((answered.result?.steps.length ?? 0) > 0);
  });

  test('beforeText turns the run into a rollout from the old version to the new one', async () => {
    const after = fixture('deployment-nginx.original.yaml');
    const u = uri('rollout.yaml');
    await client.open(u, after);
    const events = (r: SimulateResponse) => r.result!.steps.flatMap((s) => s.events.map((e) => e.message));
    const fresh = await client.request<SimulateResponse>('kdry/simulate', { uri: u });
    assert.ok(!events(fresh).some((m) => /Scaled down replica set/.test(m)));
    const rollout = await client.request<SimulateResponse>('kdry/simulate', { uri: u, beforeText: after.replace('nginx:1.14.2', 'nginx:1.13') });
    assert.equal(rollout.error, undefined);
    assert.ok(events(rollout).some((m) => /Scaled down replica set nginx-deployment-\w+ from 3 to 2/.test(m)), events(rollout).join('\n'));
  });

  test('the cluster comes from kdry.clusterFile, relative to the workspace folder', async () => {
    writeFileSync(join(workspace, 'nodes.yaml'), 'apiVersion: v1\nkind: Node\nmetadata:\n  name: only-node\nstatus:\n  allocatable:\n    cpu: "4"\n    memory: 8Gi\n    pods: "110"\n');
    const withSetting = new LspClient({ workspaceFolder: workspace, configuration: (section) => (section === 'kdry' ? { clusterFile: 'nodes.yaml' } : null) });
    try {
      await withSetting.initialize();
      const u = uri('cluster.yaml');
      await withSetting.open(u, fixture('deployment-nginx.original.yaml'));
      const r = await withSetting.request<SimulateResponse>('kdry/simulate', { uri: u });
      assert.equal(r.error, undefined);
      assert.deepEqual(r.result!.cluster.nodes, ['only-node']);
      assert.match(r.result!.cluster.source, /nodes\.yaml$/);
    } finally {
      await withSetting.shutdown();
    }
  });

  test('bad requests come back as errors, never as a failed request', async () => {
    const u = uri('sim-bad.yaml');
    await client.open(u, fixture('deployment-nginx.original.yaml'));
    const unknown = await client.request<SimulateResponse>('kdry/simulate', { uri: u, workload: { kind: 'Deployment', name: 'nope' } });
    assert.match(unknown.error!, /No Deployment named nope/);
    const none = await client.request<SimulateResponse>('kdry/simulate', { uri: 'file:///nowhere.yaml' });
    assert.match(none.error!, /No text/);
    const junk = await client.request<SimulateResponse>('kdry/simulate', null);
    assert.ok(junk.error);
  });

  test('a bad cluster file is named in the error', async () => {
    const clusterDir = join(workspace, '.kdry');
    mkdirSync(clusterDir, { recursive: true });
    writeFileSync(join(clusterDir, 'cluster.yaml'), 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nstatus:\n  allocatable:\n    cpu: lots\n');
    try {
      const u = uri('sim-cluster.yaml');
      await client.open(u, fixture('deployment-nginx.original.yaml'));
      const r = await client.request<SimulateResponse>('kdry/simulate', { uri: u });
      assert.match(r.error!, /cluster\.yaml.*cpu/);
    } finally {
      rmSync(clusterDir, { recursive: true, force: true });
    }
  });
});
