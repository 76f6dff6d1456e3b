// Go/Helm templates: what is written literally is checked; what a template action decides is not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, CompletionItem, DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { checkFile } from '../../server/src/check';
import { parseManifest } from '../../server/src/manifest';
import { TEMPLATE_PLACEHOLDER } from '../../server/src/manifest/template-mask';
import type { Finding } from '../../server/src/findings';
import { WorkspaceIndex } from '../../server/src/workspace';
import { LspClient, applyEdits, slice } from './lsp-client';
import { workloadDocuments } from '../../server/src/lsp/workloads';
import { fixesOf } from '../../server/src/findings';

const CHART_DEPLOYMENT = readFileSync(join(__dirname, '..', 'fixtures', 'helm', 'deployment.yaml'), 'utf8');

function check(text: string): Finding[] {
  const file = parseManifest(text, 'file:///chart/templates/deployment.yaml');
  const ws = new WorkspaceIndex();
  ws.set(file);
  return checkFile(file, ws);
}

function applyFix(text: string, f: Finding): string {
  const edits = [...fixesOf(f)[0].edits].sort((a, b) => b.range[0] - a.range[0]);
  return edits.reduce((t, e) => t.slice(0, e.range[0]) + e.newText + t.slice(e.range[1]), text);
}

const at = (text: string, f: Finding) => [text.slice(0, f.range[0]).split('\n').length, f.ruleId, text.slice(...f.range)];

test('helm create\'s Deployment template gets no finding', () => {
  assert.deepEqual(check(CHART_DEPLOYMENT), []);
});

test('typos and wrong enum values written literally in a template are reported on the key or value, with their fixes', () => {
  const text = CHART_DEPLOYMENT.replace('protocol: TCP', 'protocol: tcp').replace('      serviceAccountName:', '      serviceAcountName:').replace('          readinessProbe:', '          readinesProbe:');
  const findings = check(text);
  assert.deepEqual(findings.map((f) => at(text, f)), [
    [30, 'schema', 'serviceAcountName'],
    [42, 'schema', 'tcp'],
    [45, 'schema', 'readinesProbe'],
  ]);
  let fixed = text;
  for (const f of [...findings].reverse()) fixed = applyFix(fixed, f);
  assert.equal(fixed, CHART_DEPLOYMENT, 'each fix edits only the literal text, never the template actions');
});

test('what a template action decides is not reported: values, keys, blocks it renders, and the kind', () => {
  const base = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}-web\n  labels: {{- include "labels" . | nindent 4 }}\nspec:\n  replicas: {{ .Values.replicas }}\n  {{ .Values.extraKey }}: 1\n  selector:\n    matchLabels: {{ toYaml .Values.selector | nindent 6 }}\n  template:\n    spec:\n      containers:\n      - name: web\n        image: "{{ .Values.image }}"\n';
  assert.deepEqual(check(base), []);
  const kindFromValues = 'apiVersion: apps/v1\nkind: {{ .Values.kind }}\nmetadata:\n  name: x\nspec:\n  replica: 1\n';
  assert.deepEqual(notChecked(kindFromValues, /kind or apiVersion comes from a template action/), [1], 'but the document is said to be unchecked');
});

/** The lines of the findings of `text`, each of which must be an info template-not-checked finding matching `why`. */
function notChecked(text: string, why: RegExp): number[] {
  return check(text).map((f) => {
    assert.deepEqual([f.ruleId, f.severity], ['template-not-checked', 'info'], f.message);
    assert.match(f.message, why);
    assert.match(f.message, /helm template \. \| kdry check -/);
    return text.slice(0, f.range[0]).split('\n').length;
  });
}

test('a template that is not YAML once its actions are masked gets no syntax errors, and one finding saying it was not checked', () => {
  const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports: {{ range .Values.ports }}\n  - port: {{ . }}\n  {{ end }}\n    bad: [\n';
  assert.equal(parseManifest(text).documents[0].template, undefined);
  const [finding, ...rest] = check(text);
  assert.deepEqual(rest, []);
  assert.deepEqual([finding.ruleId, finding.severity, text.slice(...finding.range)], ['template-not-checked', 'info', 'apiVersion: v1']);
  assert.match(finding.message, /could not read this template as YAML once its \{\{ \}\} actions were masked/);
});

test('an action-only line with a trailing YAML comment (valid Helm) is masked whole: the document is read and its typos found', () => {
  // As in unseen public charts: `{{- if .Values.providers.gke.autopilot }}  # Workaround ...`
  const text =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabel:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      {{- if .Values.providers.gke.autopilot }}  # Workaround for GKE Autopilot\n      toleration:\n      - key: kubernetes.io/arch\n        operator: Exists\n      {{- end }} # end of workaround\n      containers:\n      - name: web\n        image: nginx:1.27\n';
  assert.notEqual(parseManifest(text).documents[0].template, undefined, 'the masked template reads as YAML');
  assert.deepEqual(check(text).map((f) => at(text, f)), [
    [7, 'schema', 'matchLabel'],
    [15, 'schema', 'toleration'],
  ]);
});

test('literal mistakes the rules find are reported in templates too, and their fixes keep the actions intact', () => {
  const removed = 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: "three"\n';
  const found = check(removed);
  assert.deepEqual(found.map((f) => at(removed, f)[1]).sort(), ['removed-api-version']);
  const fixed = applyFix(removed, found[0]);
  assert.match(fixed, /^apiVersion: apps\/v1\n/);
  assert.ok(fixed.includes('name: {{ .Release.Name }}') && !fixed.includes(TEMPLATE_PLACEHOLDER));
  const typed = check('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: "three"\n');
  assert.deepEqual(typed.map((f) => f.ruleId), ['schema']);
});

test('the seed\'s mis-indented strategy block in a template: found, and the re-indent fix leaves the actions as they were', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n  strategy:\n  type: RollingUpdate\n  rollingUpdate:\n  maxSurge: 1\n  maxUnavailable: 0\n  selector:\n    matchLabels:\n      {{- include "sel" . | nindent 6 }}\n';
  const findings = check(text);
  assert.deepEqual(findings.map((f) => at(text, f)), [
    [8, 'misplaced-rollout-fields', 'type'],
    [9, 'misplaced-rollout-fields', 'rollingUpdate'],
    [10, 'misplaced-rollout-fields', 'maxSurge'],
    [11, 'misplaced-rollout-fields', 'maxUnavailable'],
  ]);
  const fixed = applyFix(text, findings[0]);
  assert.equal(fixed, text.replace('  type: RollingUpdate\n  rollingUpdate:\n  maxSurge: 1\n  maxUnavailable: 0\n', '    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0\n'));
  assert.deepEqual(check(fixed), []);
});

describe('in the editor (over stdio)', () => {
  let client: LspClient;
  before(async () => {
    client = new LspClient({ configuration: (section) => (section === 'kdry' ? {} : null) });
    await client.initialize();
  });
  after(() => client.shutdown());

  test('a typo in a chart template gets its diagnostic and quick-fix; hover and completion read the template', async () => {
    const uri = 'file:///chart/templates/deployment.yaml';
    const text = CHART_DEPLOYMENT.replace('          readinessProbe:', '          readinesProbe:');
    const [typo, ...rest] = await client.open(uri, text);
    assert.deepEqual(rest, []);
    assert.equal(slice(text, typo.range), 'readinesProbe');
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] } });
    const rename = actions.find((a) => a.title.includes('readinessProbe'))!;
    assert.equal(applyEdits(text, rename.edit!.changes![uri]), CHART_DEPLOYMENT);

    const lines = text.split('\n');
    const portLine = lines.findIndex((l) => l.includes('containerPort:'));
    const hover = await client.connection.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: portLine, character: 16 } });
    assert.match(JSON.stringify(hover?.contents), /containerPort/);
    const imageLine = lines.findIndex((l) => l.includes('image: "{{'));
    await client.edit(uri, [{ range: { start: { line: imageLine, character: 0 }, end: { line: imageLine, character: 0 } }, text: '          \n' }]);
    const items = await client.connection.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: imageLine, character: 10 } });
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('startupProbe') && !labels.includes('image'), labels.join(', '));

    const lenses = await client.connection.sendRequest<{ command?: { title: string; command: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(
      lenses.map((l) => [l.command?.title, l.command?.command]),
      [['1 reference not resolved: named by template actions', '']],
      'a template is not simulated with its actions as values; its templated serviceAccountName is said to be unresolved (a label, no command)',
    );
    const [outline] = await client.connection.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(outline.name, 'Deployment {{ include "web.fullname" . }}', 'a templated name is shown as written');
    assert.deepEqual(outline.children!.map((c) => [c.name, c.detail]), [['{{ .Chart.Name }}', '{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}']]);
  });
});

test('alternatives in {{ if }} branches: a kind or apiVersion chosen by the template is not judged, nor parts that compare branches', () => {
  const kindSwitch = 'apiVersion: apps/v1\n{{- if .Values.sharded }}\nkind: StatefulSet\n{{- else }}\nkind: Deployment\n{{- end }}\nmetadata:\n  name: ksm\nspec:\n  {{- if .Values.sharded }}\n  serviceName: ksm\n  {{- end }}\n  replica: 1\n';
  assert.deepEqual(notChecked(kindSwitch, /chooses its kind or apiVersion in an \{\{ if \}\} block/), [1]);
  const versionFromValues = 'apiVersion: {{ if .Values.legacy }}batch/v1beta1{{ else }}batch/v1{{ end }}\nkind: CronJob\nmetadata:\n  name: backup\nspec:\n  schedule: "0 3 * * *"\n';
  assert.deepEqual(notChecked(versionFromValues, /comes from a template action/), [1]);
  const sidecars = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      {{- if .Values.proxy }}\n      - name: proxy\n        image: envoy:1.30\n        ports:\n        - name: http\n          containerPort: 8080\n      {{- else }}\n      - name: proxy\n        image: nginx:1.27\n        ports:\n        - name: http\n          containerPort: 8081\n      {{- end }}\n';
  assert.deepEqual(check(sidecars), [], 'the same container in two branches is not a duplicate');
  const typoInBranch = sidecars.replace('containerPort: 8081', 'containerPrt: 8081');
  assert.deepEqual(check(typoInBranch).map((f) => at(typoInBranch, f)), [[20, 'schema', 'containerPrt']], 'a typo inside a branch is still a typo');
});

test('a template wrapped in one {{ if }} (rendered or not) is checked like any other', () => {
  const text = '{{- if .Values.metrics.enabled -}}\napiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include "app.fullname" . }}-metrics\nspec:\n  selectr:\n    app: web\n  ports:\n  - port: 9090\n{{- end }}\n';
  assert.deepEqual(check(text).map((f) => at(text, f)), [[7, 'schema', 'selectr']]);
});

test('a template is no object of the workspace: not simulated, not matched by Services', () => {
  const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: "{{ .Values.image }}"\n';
  const file = parseManifest(text, 'file:///chart/templates/web.yaml');
  assert.equal(file.documents[0].value, undefined, 'no values until rendered, though its text parses as YAML as it stands');
  assert.deepEqual(workloadDocuments(file), []);
  const ws = new WorkspaceIndex();
  ws.set(file);
  assert.deepEqual([...ws.documents('Deployment')], []);
});
