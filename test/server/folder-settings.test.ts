// Per-resource settings (lsp-sample's getDocumentSettings): in a multi-root workspace each folder's
// `kdry.*` applies to its own files. The server asks for the `kdry` section with the document's
// uri as scopeUri, keeps the answer while the document is open, and asks again after a
// configuration change or when the document is opened again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { selectorMismatch } from '../../server/src/rules/selector-mismatch';
import { ruleFixtures } from '../../server/src/rules/fixture-files';
import { LspClient } from './lsp-client';

// selector-mismatch's own example (a ReplicaSet whose selector misses its template: an error),
// with an image without a tag (image-latest-tag: info).
const APP = ruleFixtures(selectorMismatch.id).bad[0].replace(/image: .*/, 'image: nginx');
const ERROR = 1;
const WARNING = 2;
const INFO = 3;

const root = mkdtempSync(join(tmpdir(), 'kdry-folders-'));
const strict = join(root, 'strict');
const relaxed = join(root, 'relaxed');
const strictApp = pathToFileURL(join(strict, 'app.yaml')).href;
const relaxedApp = pathToFileURL(join(relaxed, 'app.yaml')).href;
/** What the "editor" answers for resources of each folder; a test changes it. */
const folderSettings: Record<string, unknown> = {};
/** How often the server asked for each scopeUri. */
const asked = new Map<string | undefined, number>();
let client: LspClient;

function severities(ds: Diagnostic[]): Record<string, number | undefined> {
  return Object.fromEntries(ds.map((d) => [String(d.code), d.severity]));
}

before(async () => {
  for (const dir of [strict, relaxed]) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.yaml'), APP);
  }
  folderSettings[relaxed] = { rules: { 'selector-mismatch': 'off', 'image-latest-tag': 'warning' } };
  client = new LspClient({
    workspaceFolders: [strict, relaxed],
    configuration: (section, scopeUri) => {
      asked.set(scopeUri, (asked.get(scopeUri) ?? 0) + 1);
      if (section !== 'kdry') return null;
      // As VS Code does: a resource gets the settings of the folder it is in, else the workspace's.
      const folder = [strict, relaxed].find((dir) => scopeUri?.startsWith(pathToFileURL(dir).href + '/'));
      return (folder && folderSettings[folder]) ?? {};
    },
  });
  await client.initialize();
});

after(() => client.shutdown());

test('two folders with different kdry.rules get different diagnostics for the same file', async () => {
  assert.deepEqual(severities(await client.open(strictApp, APP)), { 'selector-mismatch': ERROR, 'image-latest-tag': INFO });
  assert.deepEqual(severities(await client.open(relaxedApp, APP)), { 'image-latest-tag': WARNING });
  // Read once per open document, not on every check.
  assert.deepEqual(severities(await client.change(relaxedApp, APP + '\n')), { 'image-latest-tag': WARNING });
  assert.equal(asked.get(strictApp), 1);
  assert.equal(asked.get(relaxedApp), 1);
});

test('a configuration change reads every open document\'s settings again', async () => {
  folderSettings[relaxed] = { rules: { 'selector-mismatch': 'warning' } };
  // A publication with the old settings may still be on its way (the workspace scan's end re-checks
  // open files): wait for the first with selector-mismatch, which only the new settings report.
  const next = client.nextDiagnostics(relaxedApp, (p) => p.diagnostics.some((d) => d.code === 'selector-mismatch'));
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.deepEqual(severities((await next).diagnostics), { 'selector-mismatch': WARNING, 'image-latest-tag': INFO });
  assert.equal(asked.get(relaxedApp), 2);
  assert.equal(asked.get(strictApp), 2);
  assert.deepEqual(severities(client.lastDiagnostics(strictApp)!), { 'selector-mismatch': ERROR, 'image-latest-tag': INFO });
});

test('closing a document drops its settings: opened again, they are read again', async () => {
  const cleared = client.nextDiagnostics(relaxedApp);
  await client.close(relaxedApp);
  assert.deepEqual((await cleared).diagnostics, []);
  folderSettings[relaxed] = { rules: { 'selector-mismatch': 'off' } };
  assert.deepEqual(severities(await client.open(relaxedApp, APP)), { 'image-latest-tag': INFO });
  assert.equal(asked.get(relaxedApp), 3);
});
