// Masking Go/Helm template actions: same length, control lines blank, inline actions placeholders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskTemplateActions, TEMPLATE_PLACEHOLDER as P, touchesSpan } from '../../server/src/manifest/template-mask';

test('an action alone on its line becomes blank; one inside a line becomes a placeholder of its length', () => {
  const source = 'metadata:\n  name: {{ .Release.Name }}-web\n  labels:\n    {{- include "x" . | nindent 4 }}\n    tier: web\n';
  const { masked, spans } = maskTemplateActions(source);
  assert.equal(masked.length, source.length);
  assert.equal(masked, `metadata:\n  name: ${P.repeat(19)}-web\n  labels:\n${' '.repeat(36)}\n    tier: web\n`);
  assert.deepEqual(spans.map(([s, e]) => source.slice(s, e)), ['{{ .Release.Name }}', '{{- include "x" . | nindent 4 }}']);
});

test('several actions on one line, inside quotes, and an action over two lines keep offsets and newlines', () => {
  const source = 'image: "{{ .Values.repo }}:{{ .Values.tag }}"\n{{- if .Values.a }}{{ end }}\nargs: {{ list\n  1 2 }}\n';
  const { masked, spans } = maskTemplateActions(source);
  assert.equal(masked.length, source.length);
  assert.equal(masked.split('\n').length, source.split('\n').length);
  assert.equal(masked.split('\n')[0], `image: "${P.repeat(18)}:${P.repeat(17)}"`);
  assert.equal(masked.split('\n')[1].trim(), '', 'two control actions on one line: blank');
  assert.equal(spans.length, 5);
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
