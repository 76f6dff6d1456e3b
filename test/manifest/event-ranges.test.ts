// Ranges read from js-yaml's events (event-ranges.ts), scanned or indexed, must be exactly the
// tree's (locate.ts), for every path of every fast-loaded document of the corpus and its
// mutations, and for absent paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isScalarAt, keyRange, parseManifest, valueRange, type ManifestDocument, type ObjectPath } from '../../server/src/manifest';
import { corpus, mutate, random } from './yaml-corpus';
import { parseEvents } from 'js-yaml';
import { indexEvents, locateInEvents, locateInIndex, packEvents } from '../../server/src/manifest/event-ranges';

/** The same document answering from its yaml tree only. */
function treeOnly(doc: ManifestDocument): ManifestDocument {
  return Object.create(doc, { locateFast: { value: () => 'tree' } });
}

/** Every path of a value, plus a missing key and a missing index below each collection. */
function paths(value: unknown, at: ObjectPath = []): ObjectPath[] {
  const out: ObjectPath[] = [at];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...paths(v, [...at, i])));
    out.push([...at, value.length], [...at, 'x']);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
    out.push([...at, 'not-there'], [...at, 0]);
  } else out.push([...at, 'below-a-scalar']);
  return out;
}

/** Compares both ways on every path; returns how many ranges the events answered themselves. */
function compare(text: string): number {
  let answered = 0;
  for (const doc of parseManifest(text).documents) {
    if (doc.locateFast([]) === 'tree') continue; // read by yaml: nothing to compare
    const tree = treeOnly(doc);
    const events = packEvents(doc.source, parseEvents(doc.source, {}));
    const index = indexEvents(doc.source, events);
    for (const path of paths(doc.value)) {
      const where = `${JSON.stringify(path)} in\n${doc.source}`;
      if (index) assert.deepEqual(locateInIndex(index, path), locateInEvents(doc.source, events, path), `index ${where}`);
      assert.deepEqual(keyRange(doc, path), keyRange(tree, path), `keyRange ${where}`);
      assert.deepEqual(valueRange(doc, path), valueRange(tree, path), `valueRange ${where}`);
      assert.equal(isScalarAt(doc, path), isScalarAt(tree, path), `isScalarAt ${where}`);
      const fast = doc.locateFast(path);
      if (fast !== 'tree' && (fast === undefined || fast.node !== 'tree')) answered++;
    }
  }
  return answered;
}

test('event ranges equal the tree ranges on every path of the examples', () => {
  let answered = 0;
  for (const text of corpus) answered += compare(text);
  assert.ok(answered > 500, `the events answered only ${answered} ranges themselves`);
});

test('event ranges equal the tree ranges on mutated examples', () => {
  const next = random(424242);
  for (let round = 0; round < 1500; round++) {
    let text = corpus[round % corpus.length];
    for (let m = 1 + Math.floor(next() * 3); m > 0; m--) text = mutate(text, next);
    compare(text);
  }
});

test('the events place quoted scalars and keys with their quotes, and leave block scalars and empty values to the tree', () => {
  const text = 'a: "q"\n\'b\': x\nc: |\n  lit\nd:\ne: [1, "two"]\n';
  const doc = parseManifest(text).documents[0];
  const slice = (r: [number, number] | undefined) => r && text.slice(...r);
  assert.equal(slice(valueRange(doc, ['a'])), '"q"');
  assert.equal(slice(keyRange(doc, ['b'])), "'b'");
  assert.equal(slice(valueRange(doc, ['e', 1])), '"two"');
  assert.equal(doc.locateFast(['c']) !== 'tree' && (doc.locateFast(['c']) as { node: unknown }).node, 'tree');
  assert.equal(doc.locateFast(['d']) !== 'tree' && (doc.locateFast(['d']) as { node: unknown }).node, 'tree');
  assert.equal(doc.locateFast(['zz']), undefined);
  // a plain key folded over two lines is the key "long key"
  const folded = 'm:\n  ? long\n    key\n  : 1\n';
  const k = parseManifest(folded).documents[0];
  assert.equal(folded.slice(...keyRange(k, ['m', 'long key'])!), 'long\n    key');
});

test('a path through an alias or a merge key is left to the tree, which follows them; keys written beside them are not', () => {
  const text = 'labels: &l\n  app: web\nselector: *l\ntemplate:\n  <<: *l\n  version: v2\n';
  const doc = parseManifest(text).documents[0];
  const slice = (r: [number, number] | undefined) => r && text.slice(...r);
  assert.equal(doc.locateFast(['selector', 'app']), 'tree');
  assert.equal(doc.locateFast(['template', 'app']), 'tree');
  assert.equal(doc.locateFast(['template', '<<']), 'tree');
  assert.deepEqual(doc.locateFast(['template', 'version']), { key: [text.indexOf('version'), text.indexOf('version') + 7], node: [text.indexOf('v2'), text.indexOf('v2') + 2] });
  assert.equal(slice(valueRange(doc, ['template', 'app'])), 'web'); // where the anchor defines it
  assert.equal(slice(valueRange(doc, ['selector'])), '*l');
  assert.equal(valueRange(doc, ['template', 'nothing']), undefined);
});

test('a block scalar key is left to the tree; a quoted key is decoded from the packed events', () => {
  const text = 'm:\n  "q\\tk": 2\n  ? |\n    block\n  : 1\n';
  const doc = parseManifest(text).documents[0];
  assert.deepEqual(doc.value, { m: { 'q\tk': 2, 'block\n': 1 } });
  assert.equal(doc.locateFast(['m', 'block\n']), 'tree');
  assert.deepEqual(keyRange(doc, ['m', 'block\n']), keyRange(treeOnly(doc), ['m', 'block\n']));
  assert.equal(text.slice(...valueRange(doc, ['m', 'q\tk'])!), '2');
  assert.notEqual(doc.locateFast(['m', 'q\tk']), 'tree');
});
