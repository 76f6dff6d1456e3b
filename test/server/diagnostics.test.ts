// Diagnostics over stdio: publish on open and change, exact ranges, YAML problems, settings and
// suppression comments, code actions applied end to end.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { startedClient, LspClient, applyEdits, fixture, slice } from './lsp-client';

const MISMATCH = `apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: frontend
spec:
  replicas: 3
  selector:
    matchLabels:
      tier: frontend
  template:
    metadata:
      labels:
        tier: backend
    spec:
      containers:
      - name: php-redis
        image: gcr.io/google_samples/gb-frontend:v3
`;

let client: LspClient;
let n = 0;
const uri = (name: string) => `file:///virtual/${n++}-${name}`;

before(async () => (client = await startedClient({ configuration: () => settings })));
after(() => client.shutdown());

let settings: Record<string, unknown> = {};

function byRule(ds: Diagnostic[], rule: string): Diagnostic[] {
  return ds.filter((d) => d.code === rule);
}

function parses(text: string): boolean {
  return parseAllDocuments(text).every((d) => (d as { errors?: unknown[] }).errors?.length === 0);
}

describe('publishDiagnostics', () => {
  test('a tab-indented seed DaemonSet reports each tab at its position', async () => {
    const text = fixture('daemonset-tabs.original.yaml');
    const ds = await client.open(uri('ds.yaml'), text);
    const tabs = byRule(ds, 'yaml-syntax');
    assert.ok(tabs.length >= 3, JSON.stringify(ds));
    for (const d of tabs) assert.match(slice(text, d.range), /^\t/);
    assert.deepEqual(byRule(await client.open(uri('ds-fixed.yaml'), fixture('daemonset-tabs.corrected.yaml')), 'yaml-syntax'), []);
  });

  test('seed manifests the API server accepts get no errors', async () => {
    for (const name of ['replicaset-kiada.original.yaml', 'deployment-nginx.original.yaml', 'daemonset-gpu.original.yaml', 'service.corrected.yaml']) {
      assert.deepEqual((await client.open(uri(name), fixture(name))).filter((d) => d.severity === 1), [], name);
    }
  });

  test('each corrected seed fixture clears the problems of its original', async () => {
    for (const base of ['deployment-rolling-update', 'daemonset-tabs', 'daemonset-gpu', 'statefulset-web', 'service']) {
      const original = await client.open(uri(`${base}.original.yaml`), fixture(`${base}.original.yaml`));
      const corrected = await client.open(uri(`${base}.corrected.yaml`), fixture(`${base}.corrected.yaml`));
      const fixedRules = new Set(original.map((d) => String(d.code)));
      assert.deepEqual(corrected.filter((d) => d.severity === 1 || fixedRules.has(String(d.code))), [], base);
    }
  });

  test('a duplicate key is reported on the whole duplicate key', async () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\nspec:\n  selector:\n    app: x\n';
    const [d] = byRule(await client.open(uri('dup.yaml'), text), 'yaml-syntax');
    assert.equal(slice(text, d.range), 'name');
    assert.equal(d.range.start.line, 4);
  });

  test('YAML that is not Kubernetes, and templated documents, get nothing', async () => {
    const compose = 'services:\n  web:\n    image: nginx\n    ports:\n  - "80:80"\n   bad: [\n';
    assert.deepEqual(await client.open(uri('compose.yaml'), compose), []);
    const helm = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{- include "x" . | nindent 4 }}\n';
    assert.deepEqual(await client.open(uri('helm.yaml'), helm), []);
  });

  test('a rule finding sits on its key, and follows incremental edits', async () => {
    const u = uri('rs.yaml');
    const ds = byRule(await client.open(u, MISMATCH), 'selector-mismatch');
    assert.equal(ds.length, 1);
    assert.match(slice(MISMATCH, ds[0].range), /tier|selector|frontend|backend/);
    // insert two comment lines at the top: the finding moves down with its document
    const moved = byRule(await client.edit(u, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# one\n# two\n' }]), 'selector-mismatch');
    assert.equal(moved[0].range.start.line, ds[0].range.start.line + 2);
    // fix the template label in place: the finding disappears
    const line = MISMATCH.split('\n').indexOf('        tier: backend') + 2;
    const fixed = await client.edit(u, [{ range: { start: { line, character: 14 }, end: { line, character: 21 } }, text: 'frontend' }]);
    assert.deepEqual(byRule(fixed, 'selector-mismatch'), []);
  });

  test('documents of a multi-document file are checked each against their own kind', async () => {
    const text = `${fixture('service.corrected.yaml')}---\n${MISMATCH}`;
    const ds = await client.open(uri('multi.yaml'), text);
    const mm = byRule(ds, 'selector-mismatch');
    assert.equal(mm.length, 1);
    assert.ok(mm[0].range.start.line > fixture('service.corrected.yaml').split('\n').length);
  });
});

describe('code actions', () => {
  test('every fix of a finding applies: the diagnostic disappears and the YAML still parses', async () => {
    const u = uri('fix.yaml');
    const ds = byRule(await client.open(u, MISMATCH), 'selector-mismatch');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: ds[0].range, context: { diagnostics: ds } });
    const fixes = actions.filter((a) => !a.title.startsWith('Disable'));
    assert.ok(fixes.length >= 1);
    assert.ok(fixes.every((a) => a.kind === 'quickfix' && a.diagnostics?.[0].code === 'selector-mismatch'));
    let text = MISMATCH;
    for (const action of fixes) {
      const fixedText = applyEdits(MISMATCH, action.edit!.changes![u]);
      assert.ok(parses(fixedText), `${action.title} leaves valid YAML:\n${fixedText}`);
      assert.deepEqual(byRule(await client.change(u, fixedText), 'selector-mismatch'), [], action.title);
      text = fixedText;
      await client.change(u, MISMATCH);
    }
    assert.notEqual(text, MISMATCH);
  });

  test('the seed\'s mis-indented RollingUpdate: one preferred fix re-indents the block into spec.strategy', async () => {
    const u = uri('seed-rolling.yaml');
    const text = fixture('deployment-rolling-update.original.yaml');
    const ds = byRule(await client.open(u, text), 'misplaced-rollout-fields');
    assert.ok(ds.length >= 1, 'the misplaced fields are reported');
    assert.ok(ds.some((d) => ['type', 'rollingUpdate', 'maxSurge', 'maxUnavailable', 'strategy'].includes(slice(text, d.range))), ds.map((d) => slice(text, d.range)).join());
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: ds[0].range, context: { diagnostics: ds } });
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length >= 1, true, actions.map((a) => a.title).join());
    const fixed = applyEdits(text, preferred[0].edit!.changes![u]);
    assert.ok(parses(fixed), fixed);
    const strategy = (parseAllDocuments(fixed)[0] as unknown as { toJS(): { spec: { strategy: unknown } } }).toJS().spec.strategy;
    assert.deepEqual(strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    assert.deepEqual(byRule(await client.change(u, fixed), 'misplaced-rollout-fields'), []);
  });

  test('"Disable <rule> for this line" inserts a suppression comment that silences it', async () => {
    const u = uri('suppress.yaml');
    const ds = byRule(await client.open(u, MISMATCH), 'selector-mismatch');
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: u }, range: ds[0].range, context: { diagnostics: ds } });
    const disable = actions.find((a) => a.title === 'Disable selector-mismatch for this line');
    assert.ok(disable);
    const text = applyEdits(MISMATCH, disable.edit!.changes![u]);
    assert.match(text, /# kdry-disable-next-line selector-mismatch\n/);
    assert.ok(parses(text));
    assert.deepEqual(byRule(await client.change(u, text), 'selector-mismatch'), []);
  });
});

describe('suppression comments and settings', () => {
  test('a suppression comment names rules; another rule id leaves the finding; no id silences all', async () => {
    const ds = byRule(await client.open(uri('s0.yaml'), MISMATCH), 'selector-mismatch');
    const lines = MISMATCH.split('\n');
    const at = ds[0].range.start.line;
    const withComment = (c: string) => [...lines.slice(0, at), `${/^ */.exec(lines[at])![0]}${c}`, ...lines.slice(at)].join('\n');
    assert.equal(byRule(await client.open(uri('s1.yaml'), withComment('# kdry-disable-next-line other-rule')), 'selector-mismatch').length, 1);
    assert.equal(byRule(await client.open(uri('s2.yaml'), withComment('# kdry-disable-next-line other-rule, selector-mismatch')), 'selector-mismatch').length, 0);
    assert.deepEqual((await client.open(uri('s3.yaml'), withComment('# kdry-disable-next-line'))).filter((d) => d.range.start.line === at + 1), []);
  });

  test('kdry.rules severities, off, and kdry.enable are applied on configuration change', async () => {
    const u = uri('settings.yaml');
    assert.equal(byRule(await client.open(u, MISMATCH), 'selector-mismatch')[0].severity, 1);
    const next = () => client.nextDiagnostics(u);
    settings = { rules: { 'selector-mismatch': 'warning' } };
    let p = next();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kdry: settings } });
    assert.equal(byRule((await p).diagnostics, 'selector-mismatch')[0].severity, 2);
    settings = { rules: { 'selector-mismatch': 'off' } };
    p = next();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kdry: settings } });
    assert.deepEqual(byRule((await p).diagnostics, 'selector-mismatch'), []);
    settings = { enable: false };
    p = next();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kdry: settings } });
    assert.deepEqual((await p).diagnostics, []);
    settings = {};
    p = next();
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kdry: settings } });
    assert.equal(byRule((await p).diagnostics, 'selector-mismatch').length, 1);
  });

  test('a client without workspace/configuration passes settings in initializationOptions', async () => {
    const other = new LspClient({ pullConfiguration: false, initializationOptions: { settings: { kdry: { rules: { 'selector-mismatch': 'warning' } } } } });
    try {
      await other.initialize();
      assert.equal(byRule(await other.open(uri('init.yaml'), MISMATCH), 'selector-mismatch')[0].severity, 2);
    } finally {
      await other.shutdown();
    }
  });
});
