// The language server started with a code cache folder (as the VS Code client starts it): the cache
// of its bundle is written there after the start-up warm-up, only there (never in the workspace or
// the working directory), taken by the next start, and written again when damaged; the diagnostics
// are the same as without it (first-publication.test.ts runs both ways too).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { SERVER_CODE_CACHE_FILE, codeCacheDirOf } from '../../server/src/protocol/server-process';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';
import { codeCacheCommand, codeCacheFile, primedCodeCache, written } from './code-cache-start';
import { startedClient, type ClientOptions, type LspClient } from './lsp-client';
import { diagnosticKey } from './whole-check';

/** Every file below `dir`, relative to it. */
function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath ?? e.path, e.name).slice(dir.length + 1)).sort();
}

/** A server whose log lines about the code cache are kept. */
async function started(options: ClientOptions): Promise<{ client: LspClient; said: Promise<string> }> {
  const client = await startedClient(options);
  const said = new Promise<string>((resolve) =>
    client.connection.onNotification('window/logMessage', (p: { message: string }) => {
      if (p.message.includes('code cache')) resolve(p.message);
    }),
  );
  return { client, said };
}

const workload = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: "three"\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n';

test('the cache is written into the given folder after the warm-up, and nothing into the workspace or the working directory', { timeout: 120_000 }, async () => {
  const workspace = mkdtempSync(join(tmpdir(), 'kdry-code-cache-workspace-'));
  mkdirSync(join(workspace, 'app'));
  writeFileSync(join(workspace, 'app', 'deployment.yaml'), workload);
  const before = filesBelow(workspace);
  const dir = join(mkdtempSync(join(tmpdir(), 'kdry-code-cache-')), 'cache');
  const { client, said } = await started({ command: codeCacheCommand(dir), workspaceFolder: workspace, cwd: workspace });
  try {
    const uri = pathToFileURL(join(workspace, 'app', 'deployment.yaml')).href;
    assert.ok((await client.open(uri, workload)).some((d) => d.range.start.line === 5));
    assert.equal(await said, `kdry: wrote the code cache ${codeCacheFile(dir)}`);
    assert.deepEqual(readdirSync(dir), [SERVER_CODE_CACHE_FILE]);
    assert.deepEqual(filesBelow(workspace), before);
  } finally {
    await client.shutdown();
  }
});

test('the next start takes the cache and does not write it; a damaged cache is ignored and written again', { timeout: 120_000 }, async () => {
  const dir = await primedCodeCache();
  const uri = 'file:///virtual/code-cache/apps.yaml';
  const text = mixedFile(60, 7);
  const plain = await startedClient();
  let withoutCache: string[];
  try {
    withoutCache = (await plain.open(uri, text)).map(diagnosticKey).sort();
  } finally {
    await plain.shutdown();
  }

  const kept = readFileSync(codeCacheFile(dir));
  const taken = await started({ command: codeCacheCommand(dir) });
  try {
    assert.deepEqual((await taken.client.open(uri, text)).map(diagnosticKey).sort(), withoutCache);
    assert.equal(await taken.said, `kdry: started from the code cache ${codeCacheFile(dir)}`);
    assert.deepEqual(readFileSync(codeCacheFile(dir)), kept);
  } finally {
    await taken.client.shutdown();
  }

  const damaged = Buffer.from(kept);
  damaged[damaged.length >> 1] ^= 0xff;
  writeFileSync(codeCacheFile(dir), damaged);
  const again = await started({ command: codeCacheCommand(dir) });
  try {
    assert.deepEqual((await again.client.open(uri, text)).map(diagnosticKey).sort(), withoutCache);
    assert.equal(await again.said, `kdry: wrote the code cache ${codeCacheFile(dir)}`);
    await written(codeCacheFile(dir));
    assert.notDeepEqual(readFileSync(codeCacheFile(dir)), damaged);
  } finally {
    await again.client.shutdown();
  }
});

test('only an absolute folder is taken: a relative one would be below the working directory, often the workspace', () => {
  assert.equal(codeCacheDirOf(['node', 'server.js', '--stdio', '--code-cache-dir=/home/u/.cache/kdry']), '/home/u/.cache/kdry');
  assert.equal(codeCacheDirOf(['node', 'server.js', '--stdio', '--code-cache-dir=.kdry']), undefined);
  assert.equal(codeCacheDirOf(['node', 'server.js', '--stdio', '--code-cache-dir=']), undefined);
  assert.equal(codeCacheDirOf(['node', 'server.js', '--stdio']), undefined);
});
