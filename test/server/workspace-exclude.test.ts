// `.kdry/config.yaml`'s `exclude:` in the editor (lsp/workspace-excludes.ts), over stdio against the
// bundled server: the workspace scan does not read an excluded file, so no other file is judged
// with it (an HPA in vendor/ does not make the app's `replicas` a finding, a Service there is not
// shown as selecting its pods); an excluded file the user opens is checked on its own, with a note
// naming the glob; a change of the config scans the workspace again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Hover, Location, MarkupContent } from 'vscode-languageserver-protocol';
import { ensureBuilt, LspClient, messageOf } from './lsp-client';

let client: LspClient;
let workspace: string;
const at = (path: string) => pathToFileURL(join(workspace, path)).href;

const WEB = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n';
const VENDOR = [
  'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 5\n',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: vendor-svc\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: http\n',
].join('---\n');

function writeConfig(exclude: string): void {
  writeFileSync(join(workspace, '.kdry', 'config.yaml'), `exclude: ${exclude}\n`);
}

before(async () => {
  ensureBuilt();
  workspace = mkdtempSync(join(tmpdir(), 'kdry-exclude-'));
  for (const dir of ['.kdry', 'app', 'vendor']) mkdirSync(join(workspace, dir));
  writeConfig('[vendor]');
  writeFileSync(join(workspace, 'app', 'web.yaml'), WEB);
  writeFileSync(join(workspace, 'vendor', 'autoscaling.yaml'), VENDOR);
  client = new LspClient({ workspaceFolder: workspace });
  await client.initialize();
});
after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

const rulesOf = (diagnostics: readonly Diagnostic[]) => diagnostics.map((d) => String(d.code)).sort();

async function hoverOnSelector(): Promise<string> {
  const line = WEB.split('\n').indexOf('    matchLabels:');
  const h = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: at('app/web.yaml') }, position: { line, character: 6 } });
  return h ? (h.contents as MarkupContent).value : '';
}

/** The diagnostics of `uri` once `done` holds for them (the server reads changed files asynchronously). */
async function published(uri: string, done: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  const last = client.lastDiagnostics(uri);
  if (last && done(last)) return last;
  return (await client.nextDiagnostics(uri, (p) => done(p.diagnostics), 15000)).diagnostics;
}

test('an excluded folder is not read: its HPA and Service do not judge the app, and an opened excluded file is checked alone with a note', async () => {
  const web = at('app/web.yaml');
  const appDiagnostics = await client.open(web, WEB);
  assert.ok(!rulesOf(appDiagnostics).includes('hpa-managed-replicas'), JSON.stringify(appDiagnostics));
  assert.doesNotMatch(await hoverOnSelector(), /vendor-svc/);

  // Opened, the vendored file gets its own diagnostics and the note; the app's findings do not change.
  const vendor = at('vendor/autoscaling.yaml');
  const own = await client.open(vendor, VENDOR);
  const note = own.find((d) => d.code === 'excluded-file');
  assert.ok(note, JSON.stringify(own));
  assert.equal(note.severity, 3); // Information
  assert.deepEqual(note.range.start, { line: 0, character: 0 });
  assert.match(messageOf(note), /^\.kdry\/config\.yaml exclude: "vendor" excludes this file: kdry check leaves it out, and no other file is checked with it\. While it is open it is checked on its own\.$/);
  // No finding of the app file sees the open excluded one either; references to `web` stay in the app.
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(!rulesOf(client.lastDiagnostics(web) ?? []).includes('hpa-managed-replicas'), JSON.stringify(client.lastDiagnostics(web)));
  const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: web }, position: { line: 3, character: 9 }, context: { includeDeclaration: true } });
  assert.ok(refs.every((r) => !r.uri.includes('/vendor/')), JSON.stringify(refs));
  // Its hover and references answer from it alone too: its Service selects no pods it can see, and `web` has no references in the app.
  const selectorLine = VENDOR.split('\n').indexOf('  selector:');
  const vendorHover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: vendor }, position: { line: selectorLine, character: 4 } });
  assert.doesNotMatch(vendorHover ? (vendorHover.contents as MarkupContent).value : '', /web\.yaml/);
  const fromVendor = await client.request<Location[]>('textDocument/references', { textDocument: { uri: vendor }, position: { line: 5, character: 65 }, context: { includeDeclaration: true } });
  assert.ok(fromVendor.every((r) => r.uri === vendor), JSON.stringify(fromVendor));
  await client.close(vendor);
});

test('a change of .kdry/config.yaml scans the workspace again: the file it no longer excludes judges the app, and back', async () => {
  const web = at('app/web.yaml');
  const config = pathToFileURL(join(workspace, '.kdry', 'config.yaml')).href;
  writeConfig('[]');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 2 }] });
  const judged = await published(web, (d) => rulesOf(d).includes('hpa-managed-replicas'));
  assert.ok(rulesOf(judged).includes('hpa-managed-replicas'));
  writeConfig('["vendor/*.yaml"]');
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 2 }] });
  const alone = await published(web, (d) => !rulesOf(d).includes('hpa-managed-replicas'));
  assert.ok(!rulesOf(alone).includes('hpa-managed-replicas'));
  // A file created in the excluded folder is not read from the watcher either.
  const created = join(workspace, 'vendor', 'more.yaml');
  writeFileSync(created, VENDOR.replace('name: web\nspec:\n  scaleTargetRef', 'name: web2\nspec:\n  scaleTargetRef'));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(created).href, type: 1 }] });
  await new Promise((r) => setTimeout(r, 800));
  assert.ok(!rulesOf(client.lastDiagnostics(web) ?? []).includes('hpa-managed-replicas'), JSON.stringify(client.lastDiagnostics(web)));
});
