// Custom resources over the language server, the way an editor drives it: a CRD in the
// workspace's chart `crds/` folder judges a Widget; hover shows the CRD's field descriptions,
// completion offers its fields and enum values, a quick-fix renames a misspelt field, the
// outline lists the resource, and a bundled schema answers for an Argo Rollout.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, CompletionList, DocumentSymbol, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { ensureBuilt, LspClient, REPO, messageOf } from './lsp-client';
import { crdYaml } from '../fixtures/crd';

let client: LspClient;
let workspace: string;

const CRD = crdYaml({
  group: 'example.com',
  kind: 'Gadget',
  plural: 'gadgets',
  spec: `              type: object
              x-kubernetes-validations:
                - rule: "self.replicas <= 5"
                  message: a gadget runs at most 5 replicas
                  fieldPath: .replicas
              properties:
                replicas:
                  type: integer
                  description: How many gadget pods run at once.
                mode:
                  type: string
                  description: How the gadget spins.
                  enum: [fast, slow]
`,
});

before(async () => {
  ensureBuilt();
  workspace = mkdtempSync(join(tmpdir(), 'kdry-crd-lsp-'));
  mkdirSync(join(workspace, 'chart', 'crds'), { recursive: true });
  writeFileSync(join(workspace, 'chart', 'crds', 'gadgets.yaml'), CRD);
  copyFileSync(join(REPO, 'test', 'fixtures', 'crds', 'widgets.yaml'), join(workspace, 'chart', 'crds', 'widgets.yaml'));
  client = new LspClient({ workspaceFolder: workspace });
  await client.initialize();
});
after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

const GADGET = 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\nspec:\n  replica: 3\n  mode: fast\n';

test('diagnostics from the CRD in crds/, and a quick-fix that renames the misspelt field', async () => {
  const uri = pathToFileURL(join(workspace, 'gadget.yaml')).href;
  let ds = await client.open(uri, GADGET);
  for (let i = 0; i < 50 && !ds.some((d) => /Unknown field "replica"/.test(messageOf(d))); i++) ds = await client.change(uri, GADGET + '\n'.repeat(i % 2)); // the scan reads the CRD asynchronously
  const typo = ds.find((d) => /Unknown field "replica"/.test(messageOf(d)));
  assert.ok(typo, JSON.stringify(ds));
  assert.match(messageOf(typo), /Did you mean "replicas"\?.*schema from the CRD in `crds\/gadgets\.yaml`/);
  assert.deepEqual(typo.range.start, { line: 5, character: 2 });
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] } });
  const rename = actions.find((a) => a.title === 'Rename "replica" to "replicas"');
  assert.ok(rename, actions.map((a) => a.title).join(', '));
  const edit = rename.edit!.changes![uri][0];
  assert.equal(edit.newText, 'replicas');
  const fixed = await client.change(uri, GADGET.replace('replica:', 'replicas:').replace('3', '7'));
  const rule = fixed.find((d) => /a gadget runs at most 5 replicas/.test(messageOf(d)));
  assert.ok(rule, JSON.stringify(fixed));
  assert.deepEqual(rule.range.start, { line: 5, character: 2 }, 'on the rule\'s fieldPath');
});

test('hover shows the CRD field description; completion offers fields and enum values', async () => {
  const uri = pathToFileURL(join(workspace, 'gadget2.yaml')).href;
  const text = GADGET.replace('replica:', 'replicas:');
  await client.open(uri, text);
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 3 } });
  const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
  assert.match(value, /\*\*mode\*\*.*one of `fast`, `slow`[\s\S]*How the gadget spins\.[\s\S]*Schema from the CRD in `crds\/gadgets\.yaml`/);
  const withBlank = text.replace('  mode: fast\n', '  mode: \n  \n');
  await client.change(uri, withBlank);
  const values = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 8 } });
  assert.deepEqual((Array.isArray(values) ? values : values.items).map((i) => i.label), ['fast', 'slow']);
  await client.change(uri, text.replace('  replicas: 3\n', '').replace('mode: fast\n', 'mode: fast\n  \n'));
  const keys = await client.request<CompletionItem[] | CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 2 } });
  const labels = (Array.isArray(keys) ? keys : keys.items).map((i) => i.label);
  assert.deepEqual(labels, ['replicas'], 'the field not yet written');
  const replicas = (Array.isArray(keys) ? keys : keys.items).find((i) => i.label === 'replicas');
  assert.equal(replicas?.documentation, 'How many gadget pods run at once.');
});

test("the outline lists custom resources; an Argo Rollout without a CRD gets kdry's bundled schema", async () => {
  const uri = pathToFileURL(join(workspace, 'rollout.yaml')).href;
  const rollout = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  strategy:\n    canary:\n      stepz: []\n';
  const ds = await client.open(uri, rollout);
  assert.ok(ds.some((d) => /Unknown field "stepz".*Did you mean "steps"\?.*from kdry's bundled Argo Rollouts schema/.test(messageOf(d))), JSON.stringify(ds));
  const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(symbols.map((s) => s.name), ['Rollout web']);
  const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 5 } });
  assert.match((hover?.contents as MarkupContent | undefined)?.value ?? '', /\*\*canary\*\*[\s\S]*bundled Argo Rollouts schema/);
});
