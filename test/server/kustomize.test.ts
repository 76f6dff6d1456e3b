// Kustomize patches in the editor: the workspace's kustomization.yaml decides which files are
// partial objects, and changing it re-checks them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, REPO, messageOf, startedClient } from './lsp-client';

const workspace = mkdtempSync(join(tmpdir(), 'kdry-kustomize-'));
cpSync(join(REPO, 'test', 'fixtures', 'kustomize'), workspace, { recursive: true });
const prod = join(workspace, 'overlays', 'prod');
const uri = (name: string) => pathToFileURL(join(prod, name)).href;
let client: LspClient;

before(async () => (client = await startedClient({ workspaceFolder: workspace, codeLensRefresh: true })));
after(() => client.shutdown());

test('a patch listed by the kustomization gets no missing-field findings, only real mistakes', async () => {
  const text = readFileSync(join(prod, 'resources.yaml'), 'utf8');
  await client.open(uri('resources.yaml'), text);
  // The workspace scan may finish after the open; the file is re-checked when it does.
  const settled = client.lastDiagnostics(uri('resources.yaml'))!.some((d) => /required field/.test(messageOf(d)))
    ? (await client.nextDiagnostics(uri('resources.yaml'), (p) => !p.diagnostics.some((d) => /required field/.test(messageOf(d))))).diagnostics
    : client.lastDiagnostics(uri('resources.yaml'))!;
  assert.deepEqual(settled.map((d) => [d.range.start.line + 1, d.code]), [
    [12, 'schema'],
    [13, 'schema'],
  ]);
  // A patch is not a workload of its own: its one lens runs the object it patches, as the overlay builds it.
  // The build needs the kustomization's base, which the workspace scan may still be reading: once the scan
  // is done the server asks the editor to ask for its lenses again (workspace/codeLens/refresh).
  await client.codeLensRefreshed;
  const lenses = await client.connection.sendRequest<{ command: { command: string; arguments: { workload: unknown }[]; tooltip: string } }[]>('textDocument/codeLens', { textDocument: { uri: uri('resources.yaml') } });
  assert.deepEqual(lenses.map((l) => [l.command.command, l.command.arguments[0].workload, l.command.tooltip]), [
    ['kdry.dryRun', { kind: 'Deployment', name: 'web' }, "Dry-run Deployment web as this patch's kustomization builds it"],
  ]);
  const hover = await client.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uri('resources.yaml') }, position: { line: 1, character: 2 } });
  assert.match(hover.contents.value, /A kustomize patch \(listed by `prod\/kustomization.yaml`\)/);
});

test('when the kustomization stops listing it, the same file is checked as a complete Deployment', async () => {
  const kustomization = readFileSync(join(prod, 'kustomization.yaml'), 'utf8');
  await client.open(uri('kustomization.yaml'), kustomization);
  const recheck = client.nextDiagnostics(uri('resources.yaml'), (p) => p.diagnostics.some((d) => /required field "selector"/.test(messageOf(d))));
  await client.change(uri('kustomization.yaml'), kustomization.replace('- path: resources.yaml\n  target:\n    kind: Deployment\n', ''));
  const full = (await recheck).diagnostics;
  assert.ok(full.some((d) => d.code === 'container-image'), JSON.stringify(full.map(messageOf)));
});

test('a patch opened outside every workspace folder is still a patch: the kustomization above it is read', async () => {
  const outside = mkdtempSync(join(tmpdir(), 'kdry-kustomize-outside-'));
  cpSync(join(REPO, 'test', 'fixtures', 'kustomize'), outside, { recursive: true });
  const patch = join(outside, 'overlays', 'prod', 'resources.yaml');
  const diagnostics = await client.open(pathToFileURL(patch).href, readFileSync(patch, 'utf8'));
  assert.deepEqual(diagnostics.map((d) => [d.range.start.line + 1, d.code]), [
    [12, 'schema'],
    [13, 'schema'],
  ], 'the first diagnostics already treat it as a patch');
  const notListed = join(outside, 'base', 'deployment.yaml');
  const whole = await client.open(pathToFileURL(notListed).href, readFileSync(notListed, 'utf8').replace(/ {2}selector:[\s\S]*?(?= {2}template:)/, ''));
  assert.ok(whole.some((d) => /required field "selector"/.test(messageOf(d))), 'a file no kustomization lists is a complete object');
});
