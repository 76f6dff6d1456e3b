// Manifests written as JSON (`kubectl apply -f app.json` accepts them): they join the workspace
// index and get the same checks, in the editor and in `kdry check`; other JSON stays silent.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { isJsonManifest } from '../../server/src/workspace/manifest-files';
import { ensureBuilt, LspClient } from './lsp-client';
import { runKdry } from '../security/hostile-repo';

// The shape of the guestbook example's redis-master-controller.json (kubernetes/examples), a typo added.
const CONTROLLER = JSON.stringify(
  {
    kind: 'ReplicationController',
    apiVersion: 'v1',
    metadata: { name: 'redis-master', labels: { app: 'redis', role: 'master' } },
    spec: {
      replicas: 1,
      selector: { app: 'redis', role: 'master' },
      template: {
        metadata: { labels: { app: 'redis', role: 'master' } },
        spec: { containers: [{ name: 'redis-master', image: 'redis:7.4', ports: [{ name: 'redis-server', containerPort: 6379 }], imagePullPolicy: 'IfNotPresnt' }] },
      },
    },
  },
  null,
  2,
);
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: redis-master\nspec:\n  selector:\n    app: redis\n    role: master\n  ports:\n  - port: 6379\n    targetPort: redis-server\n';
const PACKAGE = JSON.stringify({ name: 'guestbook', version: '1.0.0', kind: 'not kubernetes', scripts: { start: 'node .' } }, null, 2);

let workspace: string;
before(() => {
  ensureBuilt();
  workspace = mkdtempSync(join(tmpdir(), 'kdry-json-'));
  mkdirSync(join(workspace, 'guestbook'));
  writeFileSync(join(workspace, 'guestbook', 'redis-master-controller.json'), CONTROLLER);
  writeFileSync(join(workspace, 'guestbook', 'redis-master-service.yaml'), SERVICE);
  writeFileSync(join(workspace, 'package.json'), PACKAGE);
  writeFileSync(join(workspace, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }\n');
});
after(() => rmSync(workspace, { recursive: true, force: true }));

test('a JSON file is a manifest when its top-level object has apiVersion and kind', () => {
  assert.equal(isJsonManifest(CONTROLLER), true);
  assert.equal(isJsonManifest(PACKAGE), false);
  assert.equal(isJsonManifest('[{"apiVersion": "v1", "kind": "Pod"}]'), false);
  assert.equal(isJsonManifest('{"apiVersion": "v1", "kind": '), false, 'not JSON at all');
});

test('kdry check DIR checks the JSON manifest with the YAML beside it, and says nothing of package.json', async () => {
  const r = await runKdry(['check', '--format', 'json', '.'], workspace);
  const reports = JSON.parse(r.stdout) as { files: { path: string; findings: { ruleId: string; message: string; line: number }[] }[] };
  const files = reports.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['guestbook/redis-master-controller.json', 'guestbook/redis-master-service.yaml']);
  const controller = reports.files.find((f) => f.path.endsWith('.json'))!;
  assert.deepEqual(controller.findings.map((f) => f.ruleId), ['schema']);
  assert.match(controller.findings[0].message, /IfNotPresnt/);
  const service = reports.files.find((f) => f.path.endsWith('.yaml'))!;
  assert.deepEqual(service.findings, [], 'the Service selects the JSON controller’s pods and reaches its named port');
});

test('in the editor: the JSON controller is in the index, gets its diagnostic, and no YAML fix or completion is offered in it', async () => {
  const client = new LspClient({ workspaceFolder: workspace });
  try {
    await client.initialize();
    const json = pathToFileURL(join(workspace, 'guestbook', 'redis-master-controller.json')).href;
    const diagnostics = await client.open(json, CONTROLLER);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['schema', CONTROLLER.split('\n').findIndex((l) => l.includes('IfNotPresnt'))]]);
    const actions = await client.request<unknown[]>('textDocument/codeAction', { textDocument: { uri: json }, range: diagnostics[0].range, context: { diagnostics } });
    assert.deepEqual(actions, [], 'kdry fixes write YAML');
    const completions = await client.request<unknown[]>('textDocument/completion', { textDocument: { uri: json }, position: { line: 3, character: 4 } });
    assert.deepEqual(completions, []);
    const yaml = pathToFileURL(join(workspace, 'guestbook', 'redis-master-service.yaml')).href;
    await client.open(yaml, SERVICE);
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: yaml }, position: { line: 6, character: 5 } });
    assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /ReplicationController redis-master/, 'the Service selects the pods of the JSON controller');
    const pkg = pathToFileURL(join(workspace, 'package.json')).href;
    assert.deepEqual(await client.open(pkg, PACKAGE), [], 'package.json is not a manifest');
  } finally {
    await client.shutdown();
  }
});

test('rename from YAML writes a JSON string in the JSON manifest', async () => {
  const client = new LspClient({ workspaceFolder: workspace });
  try {
    await client.initialize();
    const yaml = pathToFileURL(join(workspace, 'guestbook', 'redis-master-service.yaml')).href;
    await client.open(yaml, SERVICE);
    const json = pathToFileURL(join(workspace, 'guestbook', 'redis-master-controller.json')).href;
    await client.open(json, CONTROLLER);
    const edit = await client.request<{ changes: Record<string, { newText: string }[]> } | null>('textDocument/rename', { textDocument: { uri: yaml }, position: { line: 7, character: 12 }, newName: 'primary' });
    assert.ok(edit, 'a rename of the role label');
    assert.ok(edit.changes[json]?.length, JSON.stringify(edit));
    assert.ok(edit.changes[json].every((e) => e.newText === '"primary"'), JSON.stringify(edit.changes[json]));
    assert.ok(edit.changes[yaml].every((e) => e.newText === 'primary'));
  } finally {
    await client.shutdown();
  }
});

// What `kubectl get deploy,svc -o json` writes: a v1 List of the objects.
const LIST = JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'frontend' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'frontend' } },
          template: { metadata: { labels: { app: 'frontend' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] } },
        },
      },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'frontend' }, spec: { selector: { app: 'frontend' }, ports: [{ port: 80, targetPort: 'http-server' }] } },
    ],
    metadata: { resourceVersion: '' },
  },
  null,
  4,
);

test('a JSON List is expanded into its items: each is checked, and a YAML Service beside it selects its Deployment', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-json-list-'));
  try {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'exported.json'), LIST);
    writeFileSync(join(dir, 'app', 'admin-service.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: admin\nspec:\n  selector:\n    app: frontend\n  ports:\n  - port: 8080\n    targetPort: http\n');
    const r = await runKdry(['check', '--format', 'json', '.'], dir);
    const reports = JSON.parse(r.stdout) as { files: { path: string; findings: { ruleId: string; message: string; line: number }[] }[] };
    const list = reports.files.find((f) => f.path.endsWith('.json'))!;
    // The Service item's targetPort names a port its Deployment (an item of the same List) does not declare.
    assert.deepEqual(list.findings.map((f) => [f.ruleId, f.line]), [['service-target-port', LIST.split('\n').findIndex((l) => l.includes('http-server')) + 1]]);
    assert.match(list.findings[0].message, /http-server/);
    assert.deepEqual(reports.files.find((f) => f.path.endsWith('.yaml'))?.findings ?? [], [], 'the YAML Service reaches the named port of the Deployment inside the List');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
