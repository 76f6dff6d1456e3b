// An edited document read by patching its previous version (incremental.ts) must be exactly what a
// fresh parse reads: the same value, problems and source ranges, and the same events. Checked over
// seeded random keystrokes (characters typed and deleted, with some structural damage mixed in)
// on the examples and the varied-syntax fixture, each step parsed through the file's cache as the
// language server does and compared with a parse from scratch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvents } from 'js-yaml';
import { ManifestCache, parseDocuments, parseManifest, splitDocuments, type ManifestDocument } from '../../server/src/manifest';
import { patchScalarEdit } from '../../server/src/manifest/incremental';
import { fastLoad } from '../../server/src/manifest/fast-load';
import { corpus, random, typist } from './yaml-corpus';
import { assertSameDocument } from './same-document';

test('keystrokes read through the incremental path give exactly what a fresh parse gives', () => {
  const next = random(20261207);
  let patched = 0;
  let steps = 0;
  for (let round = 0; round < 40; round++) {
    let text = corpus[round % corpus.length];
    const keystroke = typist(next);
    const cache = new ManifestCache();
    parseDocuments(splitDocuments(text), cache);
    cache.sweep();
    for (let k = 0; k < 40; k++, steps++) {
      const before = parseDocuments(splitDocuments(text), cache);
      cache.sweep();
      const edited = keystroke(text);
      // What the patch answers on its own, for the document the keystroke fell in.
      const chunks = splitDocuments(edited);
      const previous = splitDocuments(text);
      if (chunks.length === previous.length) {
        const c = chunks.findIndex((chunk, i) => chunk.source !== previous[i].source);
        const prev = c >= 0 ? (before[c] as ManifestDocument & { keptEvents?: never[] }) : undefined;
        if (prev?.keptEvents && prev.value !== undefined) {
          const result = patchScalarEdit(previous[c].source, { value: prev.value, events: prev.keptEvents }, chunks[c].source);
          if (result) {
            patched++;
            const fresh = fastLoad(chunks[c].source);
            assert.ok(fresh, `patched a document the fast loader refuses:\n${chunks[c].source}`);
            assert.deepEqual(result.value, fresh.value, chunks[c].source);
            assert.deepEqual(result.events, parseEvents(chunks[c].source, {}), chunks[c].source);
          }
        }
      }
      text = edited;
      const incremental = parseDocuments(splitDocuments(text), cache);
      cache.sweep();
      const fresh = parseManifest(text).documents;
      assert.equal(incremental.length, fresh.length);
      incremental.forEach((doc, i) => assertSameDocument(doc, fresh[i], `round ${round}, keystroke ${k}, document ${i}`));
    }
  }
  // The property means little unless the patch answered often.
  assert.ok(patched >= steps / 5, `the patch answered ${patched} of ${steps} keystrokes`);
});

test('typing a value and a key in a large document patches it, sharing every untouched subtree', () => {
  const items = Array.from({ length: 50 }, (_, i) => `    - name: item-${i}\n      port: ${8000 + i}\n`).join('');
  const text = `apiVersion: v1\nkind: Thing\nmetadata:\n  name: x\nspec:\n  items:\n${items}`;
  const cache = new ManifestCache();
  const [opened] = parseDocuments(splitDocuments(text), cache);
  cache.sweep();
  // The first edit parses in full (the open kept no events), the second is patched.
  const first = text.replace('name: item-20', 'name: item-20a');
  parseDocuments(splitDocuments(first), cache);
  cache.sweep();
  const second = first.replace('port: 8020', 'port: 80201');
  const [typed] = parseDocuments(splitDocuments(second), cache);
  cache.sweep();
  const value = typed.value as { spec: { items: { name: string; port: number }[] }; metadata: unknown };
  assert.equal(value.spec.items[20].port, 80201);
  assert.equal(value.spec.items[20].name, 'item-20a');
  const openedValue = opened.value as typeof value;
  assert.notEqual(value.spec.items[21], openedValue.spec.items[21], 'the first edit was a full parse');
  const third = second.replace('port: 8030', 'prt: 8030');
  const [renamed] = parseDocuments(splitDocuments(third), cache);
  const after = renamed.value as { spec: { items: Record<string, unknown>[] }; metadata: unknown };
  assert.deepEqual(Object.keys(after.spec.items[30]), ['name', 'prt']);
  assert.equal(after.spec.items[29], value.spec.items[29], 'an untouched item is the same object');
  assert.equal(after.metadata, value.metadata);
  assert.deepEqual(after, parseManifest(third).documents[0].value);
});

test('an edit that would repeat a key, break the shape of a line or span lines is parsed in full', () => {
  const source = 'a: 1\nb: 2\nc: x y\n';
  const { value, events } = fastLoad(source)!;
  const patch = (edited: string) => patchScalarEdit(source, { value, events }, edited)?.value;
  assert.deepEqual(patch('a: 1\nab: 2\nc: x y\n'), { a: 1, ab: 2, c: 'x y' });
  assert.equal(patch('a: 1\na: 2\nc: x y\n'), undefined, 'a repeated key');
  assert.equal(patch('a: 1\ntrue: 2\nc: x y\n'), undefined, 'a key that is not a string');
  assert.equal(patch('a: 1\n12: 2\nc: x y\n'), undefined, 'a key that is a number');
  assert.equal(patch('a: 12\nb: 3\nc: x y\n'), undefined, 'scalars on two lines');
  assert.equal(patch('a: 1\nb: 2:\nc: x y\n'), undefined, 'a colon');
  assert.equal(patch('a: 1\nb: 2 #\nc: x y\n'), undefined, 'a comment');
  assert.equal(patch('a: 1\nb: "2\nc: x y\n'), undefined, 'a quote');
  assert.equal(patch('a: 1\nb: 2\n  d\nc: x y\n'), undefined, 'a new line');
  assert.equal(patch('a: 1\nb:2\nc: x y\n'), undefined, 'a key that is no longer one');
  assert.equal(patch('a: 1\nb: 2\n  \nc: x y\n')?.constructor, Object, 'a blank line');
  assert.equal(patch('a: 1\nb: 2\n  c: x y\n'), undefined, 'a line indented');
  const block = 'a: |\n  text\nb: >\n  folded\n  text\nc: x\n  y\n';
  const read = fastLoad(block)!;
  for (const edited of ['a: |\n\n  text\nb: >\n  folded\n  text\nc: x\n  y\n', 'a: |\n  text\nb: >\n  folded\n\n  text\nc: x\n  y\n', 'a: |\n  text\nb: >\n  folded\n  text\nc: x\n\n  y\n']) {
    assert.equal(patchScalarEdit(block, read, edited), undefined, `a blank line in a scalar: ${JSON.stringify(edited)}`);
  }
  assert.equal(patch('a: 1\nb: 2\nc: x y \n')?.constructor, Object);
  assert.deepEqual(patch('a: 1\nb: true\nc: x y\n'), { a: 1, b: true, c: 'x y' });
  assert.deepEqual(patch('a: 1\nb: 2e3\nc: x y\n'), { a: 1, b: 2000, c: 'x y' });
});

test('spaces in a value, after it and before it, and a key changed with its value, are patched', () => {
  const source = 'spec:\n  image: nginx\n  steps:\n  - setWeight: 20\n  - pause: {}\n  - web\n  replicas: 2\n';
  const cases: [string, string, string][] = [
    ['a space inside a value', source, source.replace('nginx', 'ngi nx')],
    ['a space after a value', source, source.replace('nginx', 'nginx ')],
    ['a word after it', source.replace('nginx', 'nginx '), source.replace('nginx', 'nginx 1')],
    ['spaces before a value', source, source.replace('image: nginx', 'image:   nginx')],
    ['a key and its value', source, source.replace('setWeight: 20', 'setWeigth: 5')],
    ['a key alone on a changed line', source, source.replace('setWeight: 20', 'setWeigt: 20 ')],
    ['an item of one value', source, source.replace('- web', '- web 2')],
    ['a word after an item', source.replace('- web', '- web '), source.replace('- web', '- web 2')],
    ['Enter at the end of a line, indented', source, source.replace('nginx\n', 'nginx\n  \n')],
    ['a blank line deleted', source.replace('nginx\n', 'nginx\n\n'), source],
  ];
  for (const [what, from, edited] of cases) {
    const read = fastLoad(from)!;
    const patched = patchScalarEdit(from, { value: read.value, events: read.events }, edited);
    assert.ok(patched, what);
    const fresh = fastLoad(edited)!;
    assert.deepEqual(patched.value, fresh.value, what);
    assert.deepEqual(patched.events, fresh.events, what);
    const spec = (v: unknown) => (v as { spec: { steps: unknown[] } }).spec;
    assert.equal(spec(patched.value).steps[1], spec(read.value).steps[1], `${what}: an untouched subtree is shared`);
    assert.notEqual(patched.value, read.value, `${what}: a new root`);
  }
});

test('renaming a key beside an escaped __proto__ key is parsed in full, so that key stays a key', () => {
  // `"__pro\x74o__"` decodes to __proto__ without the text the loaders' guard looks for; copying the
  // map by assignment would set its prototype instead (found by a review's random keystrokes).
  const source = 'labels:\n  "__pro\\x74o__": {name: evil}\n  app: web\n';
  const edited = source.replace('app:', 'appx:');
  const read = fastLoad(source);
  if (read) assert.equal(patchScalarEdit(source, { value: read.value, events: read.events }, edited), undefined);
  const cache = new ManifestCache();
  parseManifest(source, 'file:///p.yaml', cache);
  parseManifest(source.replace('app:', 'apq:'), 'file:///p.yaml', cache);
  const labels = (parseManifest(edited, 'file:///p.yaml', cache).documents[0].value as { labels: Record<string, unknown> }).labels;
  assert.deepEqual(Object.keys(labels), ['__proto__', 'appx']);
  assert.equal(Object.getPrototypeOf(labels), Object.prototype);
});

test('after an edit that changed many documents none keeps its events; the one typed in next keeps them', () => {
  const file = (value: string, typed = '') => Array.from({ length: 5 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: ${value}${i === 2 ? typed : ''}\n`).join('---\n');
  const cache = new ManifestCache();
  const read = (text: string) => {
    const documents = parseDocuments(splitDocuments(text), cache);
    cache.sweep();
    return documents;
  };
  const kept = (documents: ManifestDocument[]) => documents.map((d) => (d as { keptEvents?: unknown }).keptEvents !== undefined);
  assert.deepEqual(kept(read(file('a'))), [false, false, false, false, false], 'the open');
  assert.deepEqual(kept(read(file('b'))), [false, false, false, false, false], 'a replace of every document');
  const first = read(file('b', 'x'));
  assert.deepEqual(kept(first), [false, false, true, false, false], 'a keystroke in one');
  const second = read(file('b', 'xy'));
  assert.equal((second[2].value as { metadata: unknown }).metadata, (first[2].value as { metadata: unknown }).metadata, 'the next keystroke is patched');
  assert.deepEqual(second[2].value, parseManifest(file('b', 'xy')).documents[2].value);
});

test('Enter, a space or a deleted blank line right after an opening quote at a line end are parsed in full', () => {
  // A quoted scalar whose text starts on the next line: a blank line inside it is a line break of
  // the value, so the edit changes the value (found by review: the patch kept the old value, and a
  // space moved the value's range by one).
  const read = (...versions: string[]): ManifestDocument => {
    const cache = new ManifestCache();
    let docs: ManifestDocument[] = [];
    for (const text of versions) {
      docs = parseDocuments(splitDocuments(text), cache);
      cache.sweep();
    }
    return docs[0];
  };
  for (const quote of ['"', "'"]) {
    const v0 = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  motd: ${quote}\n    hello world${quote}\n  other: x\n`;
    // one keystroke first, so the document keeps its events as a typed one does
    const v1 = v0.replace('other: x', 'other: xy');
    const opened = `motd: ${quote}\n`;
    const withBlank = (text: string) => text.replace(opened, `motd: ${quote}\n\n`);
    // [what, the text read first, the one keystroke after it (events kept), the edited text]
    for (const [what, first, typed, text] of [
      ['Enter', v0, v1, withBlank(v1)],
      ['a space', v0, v1, v1.replace(opened, `motd: ${quote} \n`)],
      ['a blank line deleted', withBlank(v0), withBlank(v1), v1],
    ] as const)
      assertSameDocument(read(first, typed, text), parseManifest(text).documents[0], `${what} after ${quote}`);
  }
});
