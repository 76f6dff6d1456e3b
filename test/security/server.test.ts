// The language server over hostile workspaces and hostile requests, spoken to over stdio as an
// editor does, with a heap cap on the server process and a deadline on every answer: a cluster file
// that is /dev/zero, a FIFO or a link out of the folder; requests with missing or absurd numbers;
// watcher events from folders the scan skips; templates that cannot be checked.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import type { ApplyChangeResponse, SimulateResponse } from '../../server/src/protocol/requests';
import { LspClient, SERVER } from '../server/lsp-client';
import { GOOD_DEPLOYMENT, HEAP_MB, hostileRepo, removeRepo } from './hostile-repo';
import { DiskFiles, readKustomizationsAbove, SCAN_LIMITS } from '../../server/src/lsp/workspace-scan';

const ANSWER_MS = 30_000;

/** The request's answer, or a rejection naming it when the server does not answer in time (hung). */
async function answer<T>(client: LspClient, method: string, params: unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${method} got no answer within ${ANSWER_MS / 1000} s (server hung?); stderr: ${client.stderr.slice(-500)}`)), ANSWER_MS)));
  try {
    return await Promise.race([client.request<T>(method, params), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function server(folder: string, configuration: Record<string, unknown> = {}): LspClient {
  return new LspClient({ command: [process.execPath, `--max-old-space-size=${HEAP_MB}`, SERVER, '--stdio'], workspaceFolder: folder, configuration: (section) => (section === 'kdry' ? configuration : null) });
}

const uri = (root: string, path: string) => pathToFileURL(join(root, path)).href;

describe('the cluster file is read safely by the server', () => {
  const outside = hostileRepo({ 'nodes.yaml': 'kind: Node\nmetadata: {name: elsewhere}\nstatus: {allocatable: {cpu: 1, memory: 1Gi}}\n' });
  const cases = [
    // Before: /dev/zero froze the server at 1.2 GB; a FIFO hung it for ever.
    ['a link to /dev/zero', { link: '/dev/zero' }, /Cluster file cluster\.yaml: a symbolic link to \/dev\/zero, outside .*; not followed/],
    ['a FIFO', { fifo: true }, /Cluster file cluster\.yaml: not a regular file \(a FIFO\); not read/],
    ['a link out of the folder', { link: join(outside, 'nodes.yaml') }, /Cluster file cluster\.yaml: a symbolic link to .*nodes\.yaml, outside/],
  ] as const;
  after(() => removeRepo(outside));
  for (const [what, entry, error] of cases) {
    test(`.kdry/cluster.yaml as ${what}: an error in the answer, and the server still answers`, async () => {
      const root = hostileRepo({ '.kdry/cluster.yaml': entry, 'web.yaml': GOOD_DEPLOYMENT });
      const client = server(root);
      try {
        await client.initialize();
        const u = uri(root, 'web.yaml');
        await client.open(u, GOOD_DEPLOYMENT);
        const r = await answer<SimulateResponse>(client, 'kdry/simulate', { uri: u });
        assert.match(r.error ?? '', error);
        const again = await answer<{ workloads: unknown[] }>(client, 'kdry/workloads', { uri: u });
        assert.equal(again.workloads.length, 1);
      } finally {
        await client.shutdown();
        removeRepo(root);
      }
    });
  }
});

describe('requests are schema-checked at the boundary', () => {
  let root: string;
  let client: LspClient;
  let u: string;
  before(async () => {
    root = hostileRepo({ 'web.yaml': GOOD_DEPLOYMENT });
    client = server(root);
    await client.initialize();
    u = uri(root, 'web.yaml');
    await client.open(u, GOOD_DEPLOYMENT);
  });
  after(async () => {
    await client.shutdown();
    removeRepo(root);
  });

  test('kdry/simulate: a fault without a time, absurd numbers and unknown enums are refused, not run', async () => {
    // Before: a node fault without `at` became t=NaN and spun the CPU for 34 s.
    const refused: [unknown, RegExp][] = [
      [{ uri: u, faults: { nodeNotReady: [{ node: 'worker-1' }] } }, /params\.faults\.nodeNotReady\[0\]\.at is missing/],
      [{ uri: u, faults: { nodeNotReady: [{ node: 'worker-1', at: -5 }] } }, /at must be a finite number of seconds from 0/],
      [{ uri: u, windowSeconds: 1e300 }, /windowSeconds must be a finite number/],
      [{ uri: u, strategy: 'yolo' }, /strategy must be one of manifest, rolling/],
      [{ uri: u, strategy: 'canary', strategyParams: { canaryWeights: Array(1000).fill(10) } }, /canaryWeights has 1000 entries; at most 100/],
      [{ uri: u, strategy: 'ab', strategyParams: { abShare: '50' } }, /abShare must be a finite number/],
      [{ uri: u, faults: { nodeNotReady: Array(5000).fill({ node: 'n', at: 1 }) } }, /nodeNotReady has 5000 entries/],
      [{ uri: 42 }, /params\.uri must be a string/],
      [null, /params must be an object/],
    ];
    for (const [params, error] of refused) {
      const r = await answer<SimulateResponse>(client, 'kdry/simulate', params);
      assert.match(r.error ?? '', error, JSON.stringify(params).slice(0, 200));
      assert.equal(r.result, undefined);
    }
    const ok = await answer<SimulateResponse>(client, 'kdry/simulate', { uri: u, faults: { nodeNotReady: [{ node: 'kdry-worker', at: 30 }] }, unknownField: 1 });
    assert.equal(ok.error, undefined);
    assert.ok(ok.result);
  });

  test('kdry/applyChange: a list index is bounded by the list\'s length', async () => {
    // Before: index 1e6 took 3.3 s and 16 MB, 1e7 over 2 GB.
    const change = (path: (string | number)[]) => answer<ApplyChangeResponse>(client, 'kdry/applyChange', { uri: u, workload: { kind: 'Deployment', name: 'web' }, path, value: 'nginx:1.28' });
    const containers = ['spec', 'template', 'spec', 'containers'];
    assert.match((await change([...containers, 1e7, 'image'])).error ?? '', /must be a key or a list index/);
    assert.match((await change([...containers, 5, 'image'])).error ?? '', /names item 5 of a list of 1/);
    assert.match((await change([...containers, 0, 'image'])).text ?? '', /image: nginx:1\.28/);
    assert.match((await change([...containers, 1, 'name'])).text ?? '', /- name: nginx:1\.28/, 'the place after the last item appends');
    assert.match((await answer<ApplyChangeResponse>(client, 'kdry/applyChange', { uri: u, workload: { kind: 'Deployment', name: 'web' }, path: containers, value: { evil: true } })).error ?? '', /value must be a string or a finite number/);
  });
});

describe('file-watcher events obey the scan\'s limits and skipped folders', () => {
  test('a workload in node_modules, dist or out does not count for the Service; one in k8s/ does', async () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';
    // A workload the Service does not select, so the rule has something to judge against.
    const api = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  labels:\n    app: api\nspec:\n  containers:\n  - name: api\n    image: nginx:1.27\n';
    const root = hostileRepo({ 'svc.yaml': service, 'api.yaml': api });
    const client = server(root);
    try {
      await client.initialize();
      const s = uri(root, 'svc.yaml');
      const selectsNothing = (d: Diagnostic[]) => d.some((x) => x.code === 'service-selects-nothing');
      let diagnostics = await client.open(s, service);
      if (!selectsNothing(diagnostics)) diagnostics = (await client.nextDiagnostics(s, (p) => selectsNothing(p.diagnostics))).diagnostics;
      // Events from folders the scan skips: read by nobody, so the Service still selects nothing.
      for (const dir of ['node_modules/pkg', 'dist', 'out']) {
        mkdirSync(join(root, dir), { recursive: true });
        writeFileSync(join(root, dir, 'web.yaml'), GOOD_DEPLOYMENT);
      }
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: ['node_modules/pkg', 'dist', 'out'].map((d) => ({ uri: uri(root, `${d}/web.yaml`), type: 1 })) });
      // A change the server does read, after them: once it is in, the earlier ones were decided too.
      mkdirSync(join(root, 'k8s'));
      writeFileSync(join(root, 'k8s', 'other.yaml'), GOOD_DEPLOYMENT.replace(/app: web/g, 'app: other').replace('name: web', 'name: other'));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(root, 'k8s/other.yaml'), type: 1 }] });
      await client.change(s, service + '\n');
      assert.ok(selectsNothing(client.lastDiagnostics(s) ?? []), 'no workload from a skipped folder was indexed');
      writeFileSync(join(root, 'k8s', 'web.yaml'), GOOD_DEPLOYMENT);
      const selected = client.nextDiagnostics(s, (p) => !selectsNothing(p.diagnostics));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uri(root, 'k8s/web.yaml'), type: 1 }] });
      await selected;
    } finally {
      await client.shutdown();
      removeRepo(root);
    }
  });

  test('a link out of the folder, opened and closed in the editor, is not read from disk afterwards', async () => {
    const service = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n';
    const api = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  labels:\n    app: api\nspec:\n  containers:\n  - name: api\n    image: nginx:1.27\n';
    const outside = hostileRepo({ 'web.yaml': GOOD_DEPLOYMENT });
    const root = hostileRepo({ 'svc.yaml': service, 'api.yaml': api, 'k8s/web.yaml': { link: join(outside, 'web.yaml') } });
    const client = server(root);
    try {
      await client.initialize();
      const s = uri(root, 'svc.yaml');
      const w = uri(root, 'k8s/web.yaml');
      const selectsNothing = (d: Diagnostic[]) => d.some((x) => x.code === 'service-selects-nothing');
      let diagnostics = await client.open(s, service);
      if (!selectsNothing(diagnostics)) diagnostics = (await client.nextDiagnostics(s, (p) => selectsNothing(p.diagnostics))).diagnostics;
      // Open, the editor's text counts (the user opened it); the scan did not read the link.
      const selected = client.nextDiagnostics(s, (p) => !selectsNothing(p.diagnostics));
      await client.open(w, GOOD_DEPLOYMENT);
      await selected;
      // Closed: the file behind the link, outside the folder, is not read back in.
      const forgotten = client.nextDiagnostics(s, (p) => selectsNothing(p.diagnostics));
      await client.close(w);
      await client.change(s, service + '\n');
      await forgotten;
    } finally {
      await client.shutdown();
      removeRepo(root);
      removeRepo(outside);
    }
  });

  test('the kustomizations above an opened file stay inside its workspace folder: a link out is not read', async () => {
    const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\npatches:\n- path: dep.yaml\n';
    const outside = hostileRepo({ 'kustomization.yaml': kustomization });
    const root = hostileRepo({ 'linked/kustomization.yaml': { link: join(outside, 'kustomization.yaml') }, 'linked/dep.yaml': GOOD_DEPLOYMENT, 'plain/kustomization.yaml': kustomization, 'plain/dep.yaml': GOOD_DEPLOYMENT });
    try {
      assert.deepEqual(await readKustomizationsAbove(join(root, 'linked', 'dep.yaml'), root), []);
      assert.deepEqual((await readKustomizationsAbove(join(root, 'plain', 'dep.yaml'), root)).map((k) => k.text), [kustomization]);
    } finally {
      removeRepo(root);
      removeRepo(outside);
    }
  });

  test('the files held from disk are capped in number and total size, whichever way they came', () => {
    const disk = new DiskFiles();
    for (let i = 0; i < SCAN_LIMITS.maxFiles; i++) assert.equal(disk.admit(`file:///f${i}.yaml`, 10), true);
    assert.equal(disk.admit('file:///one-more.yaml', 10), false, 'past maxFiles');
    assert.equal(disk.admit('file:///f0.yaml', 20), true, 'a new version of a file held still fits');
    disk.release('file:///f1.yaml');
    assert.equal(disk.admit('file:///big.yaml', SCAN_LIMITS.maxTotalBytes), false, 'past maxTotalBytes');
    assert.equal(disk.admit('file:///small.yaml', 10), true);
  });
});

test('the editor says when a chart template document was not checked (information diagnostic)', async () => {
  const template = 'apiVersion: apps/v1\nkind: {{ .Values.kind }}\nmetadata:\n  name: web\nspec:\n  replica: 1\n';
  const root = hostileRepo({ 'templates/web.yaml': template });
  const client = server(root);
  try {
    await client.initialize();
    const diagnostics = await client.open(uri(root, 'templates/web.yaml'), template);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.range.start.line]), [['template-not-checked', 3, 0]]);
  } finally {
    await client.shutdown();
    removeRepo(root);
  }
});
