// The startup scan: YAML files only, node_modules and .git skipped, oversized files left out.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { SCAN_LIMITS, scanWorkspace } from '../../server/src/lsp/workspace-scan';

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
