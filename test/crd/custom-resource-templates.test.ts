// A custom resource in a Helm chart's template is judged on what it writes literally, against the
// chart's crds/ CRD, as built-in kinds in templates are (check.ts templateFindings): after
// `helm install` the API server decodes the rendered object strictly against the same schema
// (apiextensions-apiserver customresource_handler.go, kubectl's default --validate=strict).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile } from '../../server/src/check';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { fixesOf, type Finding } from '../../server/src/findings';

const WIDGETS = readFileSync(join(__dirname, '..', 'fixtures', 'crds', 'widgets.yaml'), 'utf8');

function check(template: string, crd = WIDGETS): Finding[] {
  const ws = new WorkspaceIndex();
  if (crd) ws.set(parseManifest(crd, 'file:///work/chart/crds/widgets.yaml'));
  const file = parseManifest(template, 'file:///work/chart/templates/widget.yaml');
  ws.set(file);
  return checkFile(file, ws).filter((f) => f.ruleId === 'custom-resource');
}

const widget = (spec: string) => `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: {{ .Release.Name }}-w\n  labels: {{- include "labels" . | nindent 4 }}\nspec:\n${spec}`;

test('a literal unknown field or enum value in a templated custom resource is an error, with its fix, naming the chart\'s CRD', () => {
  const text = widget('  sizee: small\n  maxReplicas: {{ .Values.max }}\n');
  const [typo] = check(text);
  assert.equal(text.slice(...typo.range), 'sizee');
  assert.match(typo.message, /Unknown field "sizee" in spec\. Did you mean "size".*strict decoding error: unknown field "spec\.sizee".*schema from the CRD in `crds\/widgets\.yaml`/);
  assert.equal(fixesOf(typo)[0]?.edits[0]?.newText, 'size');
  const enumText = widget('  size: tiny\n');
  const [notAllowed] = check(enumText);
  assert.equal(enumText.slice(...notAllowed.range), 'tiny');
  assert.match(notAllowed.message, /supported values: "small", "medium", "huge"/);
  // Without a CRD for it (and none bundled) there is nothing to judge it by.
  assert.deepEqual(check(text, ''), []);
});

test('no finding from what a template action renders: values, keys, blocks, required fields, CEL rules', () => {
  const spec = [
    '  size: {{ .Values.size }}', // an enum value the template renders
    '  minReplicas: 5', // the CEL rule minReplicas <= maxReplicas reads a rendered value
    '  maxReplicas: {{ .Values.max }}',
    '  {{ .Values.extraKey }}: 1', // a key the template renders
    '  ports: {{- toYaml .Values.ports | nindent 4 }}',
    '  tags:',
    '  {{- range .Values.tags }}',
    '  - {{ . }}', // a set whose items are rendered
    '  - {{ . }}-b',
    '  {{- end }}',
    '  {{- with .Values.hostname }}',
    '  hostname: {{ . }}',
    '  {{- end }}',
    '',
  ].join('\n');
  assert.deepEqual(check(widget(spec)).map((f) => f.message), []);
  // Alternative branches each write the item of a list-type set: not a duplicate.
  const branches = ['  size: small', '  tags:', '  {{- if .Values.tls }}', '  - web', '  {{- else }}', '  - web', '  {{- end }}', ''].join('\n');
  assert.deepEqual(check(widget(branches)).map((f) => f.message), []);
  // spec.size is required: a template may render it from an include.
  assert.deepEqual(check(widget('  {{- include "widget.size" . | nindent 2 }}\n  maxReplicas: 3\n')).map((f) => f.message), []);
});

/** The chart installs its CRD from a template (cert-manager's `templates/crds.yaml` does, behind `installCRDs`). */
function installedByTemplate(crd: string): string {
  const [head, spec] = crd.replace(/^#.*\n/gm, '').split(/\nspec:\n/);
  return `{{- if .Values.installCRDs }}\n${head.replace('metadata:\n', 'metadata:\n  labels:\n    {{- include "widgets.labels" . | nindent 4 }}\n')}\nspec:\n${spec.trimEnd()}\n{{- end }}\n`;
}

function checkWith(crds: Record<string, string>, template: string): Finding[] {
  const ws = new WorkspaceIndex();
  for (const [path, text] of Object.entries(crds)) ws.set(parseManifest(text, `file:///work/chart/${path}`));
  const file = parseManifest(template, 'file:///work/chart/templates/widget.yaml');
  ws.set(file);
  return checkFile(file, ws).filter((f) => f.ruleId === 'custom-resource');
}

test("a CRD a chart installs from a template judges its custom resources when the template writes the CRD's spec literally", () => {
  const text = widget('  sizee: small\n');
  const [typo] = checkWith({ 'templates/crds.yaml': installedByTemplate(WIDGETS) }, text);
  assert.match(typo?.message ?? '', /Unknown field "sizee" in spec\. .*schema from the CRD in `templates\/crds\.yaml`/);
  // A plain CRD of the workspace wins over the template's.
  const [plain] = checkWith({ 'crds/widgets.yaml': WIDGETS, 'templates/crds.yaml': installedByTemplate(WIDGETS) }, text);
  assert.match(plain?.message ?? '', /schema from the CRD in `crds\/widgets\.yaml`/);
  // A template action inside the CRD's spec (a schema the values decide) makes it no source.
  const rendered = installedByTemplate(WIDGETS).replace('scope: Namespaced', 'scope: {{ .Values.scope }}');
  assert.deepEqual(checkWith({ 'templates/crds.yaml': rendered }, text), []);
});
