// The startup scan: YAML files only, node_modules and .git skipped, oversized files left out; folders
// added to and removed from a running server.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { SCAN_LIMITS, scanWorkspace } from '../../server/src/lsp/workspace-scan';
import { LspClient } from './lsp-client';

test('scans *.yaml and *.yml below the folders, skipping node_modules, .git and oversized files', async () => {
  const root = mkdtempSync(join(tmpdir(), 'kdry-scan-'));
  try {
    for (const dir of ['k8s/base', 'node_modules/pkg', '.git/refs']) mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, 'k8s', 'svc.yaml'), 'kind: Service\n');
    writeFileSync(join(root, 'k8s', 'base', 'deploy.yml'), 'kind: Deployment\n');
    writeFileSync(join(root, 'k8s', 'notes.txt'), 'kind: Service\n');
    writeFileSync(join(root, 'node_modules', 'pkg', 'x.yaml'), 'kind: Service\n');
    writeFileSync(join(root, '.git', 'refs', 'y.yaml'), 'kind: Service\n');
    writeFileSync(join(root, 'huge.yaml'), 'a'.repeat(SCAN_LIMITS.maxFileBytes + 1));
    const found = await scanWorkspace([pathToFileURL(root).href, 'untitled:nothing']);
    assert.deepEqual(found.map((f) => f.uri.slice(pathToFileURL(root).href.length)).sort(), ['/k8s/base/deploy.yml', '/k8s/svc.yaml']);
    assert.equal(found.find((f) => f.uri.endsWith('svc.yaml'))?.text, 'kind: Service\n');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a folder that does not exist yields nothing', async () => {
  assert.deepEqual(await scanWorkspace([pathToFileURL(join(tmpdir(), 'kdry-no-such-folder-x')).href]), []);
});

test('a folder added to the workspace joins cross-document rules, and leaves them when removed', async () => {
  const first = mkdtempSync(join(tmpdir(), 'kdry-folder-a-'));
  const second = mkdtempSync(join(tmpdir(), 'kdry-folder-b-'));
  writeFileSync(join(second, 'web.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n');
  // A workload in the first folder that the Service does not select: the rule judges against it.
  writeFileSync(join(first, 'api.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: api\n  labels:\n    app: api\nspec:\n  containers:\n  - name: api\n    image: nginx:1.27\n');
  const client = new LspClient({ workspaceFolder: first, configuration: (section) => (section === 'kdry' ? {} : null) });
  try {
    await client.initialize();
    const uri = pathToFileURL(join(first, 'svc.yaml')).href;
    const selectsNothing = (p: { diagnostics: { code?: unknown }[] }) => p.diagnostics.some((d) => d.code === 'service-selects-nothing');
    const opened = await client.open(uri, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n');
    // the startup scan may finish after the open: the Service is re-checked when it does
    if (!selectsNothing({ diagnostics: opened })) await client.nextDiagnostics(uri, selectsNothing);
    const folder = { uri: pathToFileURL(second).href, name: 'b' };
    const joined = client.nextDiagnostics(uri, (p) => !selectsNothing(p));
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
    await joined;
    const left = client.nextDiagnostics(uri, selectsNothing);
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
    await left;
  } finally {
    await client.shutdown();
    rmSync(first, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  }
});
