// Masking Go/Helm template actions: same length, control lines blank, inline actions placeholders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { readFileSync } from 'node:fs';
import { blankToLineEnd, maskTemplateActions, TEMPLATE_PLACEHOLDER as P, touchesSpan } from '../../server/src/manifest/template-mask';

test('an action alone on its line leaves an empty line; one inside a line becomes a placeholder of its length', () => {
  const source = 'metadata:\n  name: {{ .Release.Name }}-web\n  labels:\n    {{- include "x" . | nindent 4 }}\n    tier: web\n';
  const { masked, spans } = maskTemplateActions(source);
  assert.equal(masked.length, source.length);
  // the emptied line's width moves to the end of the line before it, so no line of spaces is left
  assert.equal(masked, `metadata:\n  name: ${P.repeat(19)}-web\n  labels:${' '.repeat(36)}\n\n    tier: web\n`);
  assert.deepEqual(spans.map(([s, e]) => source.slice(s, e)), ['{{ .Release.Name }}', '{{- include "x" . | nindent 4 }}']);
});

test('several actions on one line, inside quotes, and an action over two lines keep offsets and newlines', () => {
  const source = 'image: "{{ .Values.repo }}:{{ .Values.tag }}"\n{{- if .Values.a }}{{ end }}\nargs: {{ list\n  1 2 }}\n';
  const { masked, spans } = maskTemplateActions(source);
  assert.equal(masked.length, source.length);
  assert.equal(masked.split('\n').length, source.split('\n').length);
  assert.equal(masked.split('\n')[0].trimEnd(), `image: "${P.repeat(18)}:${P.repeat(17)}"`);
  assert.equal(masked.split('\n')[1], '', 'two control actions on one line: an empty line');
  assert.equal(spans.length, 5);
});

test('inside a block scalar, control lines leave empty lines, which YAML accepts before deeper-indented text', () => {
  const source = 'args:\n  - |\n    {{- if .Values.x }}\n      echo x\n    {{- end }}\n  - b\r\n{{ if .a }}\r\nc: 1\r\n';
  const { masked } = maskTemplateActions(source);
  assert.equal(masked.length, source.length);
  assert.deepEqual(parseDocument(masked).errors, []);
  assert.equal(masked, `args:\n  - |${' '.repeat(23)}\n\n      echo x${' '.repeat(14)}\n\n  - b${' '.repeat(11)}\r\n\r\nc: 1\r\n`);
});

test('comments and strings inside actions may hold braces; Go comment actions end at their own close', () => {
  const source = 'a: {{ "}}" }}\n{{- /* like {{ if x }} here */ -}}\nb: {{ `}}` }}{{ \'}\' }}\n';
  const { spans } = maskTemplateActions(source);
  assert.deepEqual(spans.map(([s, e]) => source.slice(s, e)), ['{{ "}}" }}', '{{- /* like {{ if x }} here */ -}}', '{{ `}}` }}', "{{ '}' }}"]);
  assert.deepEqual(maskTemplateActions('a: {{ open\nb: 1\n').spans, [], 'an action left open masks nothing');
});

test('control blocks: what an if, with or range encloses, up to its end', () => {
  const source = '{{ if .a }}\nkind: A\n{{ else }}\nkind: B\n{{ end }}\nx: {{ .b }}\n{{ range .c }}- {{ . }}{{ end }}\n';
  const { blocks } = maskTemplateActions(source);
  assert.deepEqual(blocks.map(([s, e]) => source.slice(s, e)), ['\nkind: A\n{{ else }}\nkind: B\n', '- {{ . }}']);
});

test('touchesSpan: overlap, or an empty range inside an action', () => {
  const spans: [number, number][] = [[10, 20]];
  assert.equal(touchesSpan(spans, 0, 10), false);
  assert.equal(touchesSpan(spans, 5, 11), true);
  assert.equal(touchesSpan(spans, 19, 30), true);
  assert.equal(touchesSpan(spans, 20, 30), false);
  assert.equal(touchesSpan(spans, 15, 15), true);
  assert.equal(touchesSpan(spans, 20, 20), false);
});

test('an action ending a `key:` or `- ` line that deeper lines continue is blanked, so the lines below are its block', () => {
  const bitnami = 'metadata:\n  labels: {{- include "common.labels" . | nindent 4 }}\n    app.kubernetes.io/component: primary\n  name: x\n';
  const labels = parseDocument(maskTemplateActions(bitnami).masked).toJS();
  assert.deepEqual(labels, { metadata: { labels: { 'app.kubernetes.io/component': 'primary' }, name: 'x' } });
  const item = 'spec:\n  topologySpreadConstraints:\n  - {{ toYaml $c | nindent 4 | trim }}\n    {{- if not $c.labelSelector }}\n    labelSelector: {}\n    {{- end }}\n';
  assert.deepEqual(parseDocument(maskTemplateActions(item).masked).toJS(), { spec: { topologySpreadConstraints: [{ labelSelector: {} }] } });
  const scalar = 'metadata:\n  name: {{ .Release.Name }}\n  namespace: default\n';
  assert.equal(parseDocument(maskTemplateActions(scalar).masked).toJS().metadata.name, P.repeat(19), 'a value with nothing deeper below stays a placeholder');
});

// The trial's T13: a minified dashboard line with thousands of `"{{instance}}"` cost a scan to the end of
// the line per action (quadratic). The trailing-whitespace test now stops at the first other character;
// it must agree with what it replaced, `slice(end, indexOf('\n', end)).trim() === ''`, at every offset.
test('the whitespace scan after an action agrees with slicing to the line end and trimming', () => {
  const pieces = ['{{ x }}', '{{- end }}', ' ', '  ', '\t', '\r', '\n', '\r\n', 'a', 'k: ', '- ', '#', '\u00a0', '\u2028', '\ufeff'];
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const sources = [readFileSync('test/fixtures/helm/deployment.yaml', 'utf8')];
  for (let k = 0; k < 400; k++) sources.push(Array.from({ length: 1 + random(30) }, () => pieces[random(pieces.length)]).join(''));
  for (const source of sources) {
    for (let from = 0; from <= source.length; from++) {
      const lineEnd = source.indexOf('\n', from);
      const expected = lineEnd >= 0 && source.slice(from, lineEnd).trim() === '' ? lineEnd : -1;
      assert.equal(blankToLineEnd(source, from), expected, JSON.stringify(source.slice(from)));
    }
  }
});

test('a long line of many actions: each inline action is a placeholder, the trailing one opens the block below', () => {
  const actions = Array.from({ length: 2000 }, (_, i) => `"k${i}":"{{ .v${i} }}"`).join(',');
  const source = `data:\n  http.json: '{${actions}}'\n  labels: {{ include "l" . | nindent 4 }}\n    a: b\n`;
  const { masked, spans } = maskTemplateActions(source);
  assert.equal(spans.length, 2001);
  const [, line, labels] = masked.split('\n');
  assert.equal(line.split(P.repeat(`{{ .v0 }}`.length)).length > 1, true);
  assert.equal(line.includes(' '.repeat(5)), false, 'no inline action blanked');
  assert.equal(labels.trimEnd(), '  labels:', 'the action ending its line before deeper lines is blanked');
  assert.deepEqual(parseDocument(masked).errors, []);
});

test('the masked text keeps every other code unit as it was, a lone surrogate and characters past 8,192 included', () => {
  const source = `a: "\ud800 {{ .x }}"\nb: ${'é'.repeat(10_000)} {{ .y }}\n`;
  const expected = source.replace('{{ .x }}', P.repeat(8)).replace('{{ .y }}', P.repeat(8));
  assert.equal(maskTemplateActions(source).masked, expected);
});
