// A broken document over 256 KiB is judged by js-yaml's first syntax error rather than read by
// `yaml` in full (large-document.ts); under the bound, and where js-yaml reads the text, `yaml`
// still judges. Not timed: `npm run bench large-document` measures the keystrokes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isKubernetesObject, parseManifest } from '../../server/src/manifest';
import { FULL_READ_MAX_DOCUMENT_BYTES } from '../../server/src/manifest/large-document';

/** A ConfigMap whose `x` is a flow sequence of `items` plain words on one line (the trial's flow.yaml, 1 MiB at 150,000). */
const flowSequence = (items: number, after = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: f}\ndata:\n  k: "v"\nx: [${Array(items).fill('abcdef').join(',')}]${after}\n`;

test('a letter typed after the `]` of a 1 MiB flow sequence: one syntax error at the letter, saying the document was not read in full', () => {
  const text = flowSequence(150_000, 'z');
  const [doc] = parseManifest(text).documents;
  assert.equal(doc.value, undefined);
  assert.equal(doc.problems.length, 1, JSON.stringify(doc.problems));
  const [problem] = doc.problems;
  assert.equal(problem.severity, 'error');
  assert.deepEqual(problem.range, [text.lastIndexOf('z'), text.lastIndexOf('z') + 1]);
  assert.match(problem.message, /^bad indentation of a mapping entry \(this document is 1,025 KiB; in documents over 256 KiB kdry reports the first syntax error its quick YAML reader finds, without reading the document in full\)$/);
  // Its tree is not built either (symbols and ranges find nothing), yet it still declares a ConfigMap.
  assert.equal(doc.yaml.contents, null);
  assert.equal(isKubernetesObject(doc), true);
});

test('a `[` typed between the items of a large flow sequence: the error at the end of the text, where `yaml` puts it in a small one', () => {
  const broken = (items: number) => flowSequence(items).replace('abcdef,abcdef', 'abcdef,[abcdef');
  const large = broken(150_000);
  const [doc] = parseManifest(large).documents;
  assert.deepEqual(doc.problems.map((p) => [p.code, p.message.split(' (')[0], p.range]), [['LARGE_DOCUMENT_SYNTAX', 'deficient indentation', [large.length, large.length + 1]]]);
  const small = broken(100);
  assert.deepEqual(parseManifest(small).documents[0].problems.map((p) => [p.code, p.range]), [['BAD_INDENT', [small.length, small.length + 1]]]);
});

test('a broken document under the bound is read by `yaml` in full, with its own messages', () => {
  const items = Math.floor(FULL_READ_MAX_DOCUMENT_BYTES / 7) - 100;
  const text = flowSequence(items, 'z');
  assert.ok(text.length < FULL_READ_MAX_DOCUMENT_BYTES);
  const [doc] = parseManifest(text).documents;
  assert.deepEqual(doc.problems.map((p) => [p.code, p.message, p.range[0]]), [['UNEXPECTED_TOKEN', 'Unexpected scalar at node end', text.lastIndexOf('z')]]);
  assert.notEqual(doc.yaml.contents, null);
});

test('a large document that js-yaml reads but the fast loader leaves to `yaml` (a repeated key) is judged by `yaml`', () => {
  const text = flowSequence(150_000).replace('  k: "v"\n', '  k: "v"\n  k: "w"\n');
  const [doc] = parseManifest(text).documents;
  assert.deepEqual(doc.problems.map((p) => p.code), ['DUPLICATE_KEY']);
});

test('a large document nested past the 100 levels js-yaml reads (no syntax error) is judged by `yaml`, within the nesting limit', () => {
  const deep = (levels: number) => flowSequence(150_000).replace('  k: "v"\n', `  k: "${'['.repeat(levels)}${']'.repeat(levels)}"\n  deep: ${'['.repeat(levels)}${']'.repeat(levels)}\n`);
  assert.deepEqual(parseManifest(deep(150)).documents[0].problems, []);
  assert.match(parseManifest(deep(500)).documents[0].problems[0].message, /nests too deeply to be read: more than 400 collections/);
});

test('a large valid document keeps its value', () => {
  const [doc] = parseManifest(flowSequence(150_000)).documents;
  assert.deepEqual(doc.problems, []);
  assert.equal((doc.value as { x: string[] }).x.length, 150_000);
});
