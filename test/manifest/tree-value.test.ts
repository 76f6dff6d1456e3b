// tree-value.ts builds a document's value in one pass, resolving each alias by one walk of the tree
// (alias-targets.ts, which locate.ts uses too) instead of `yaml`'s Alias.resolve, which walks the
// document again for every alias (quadratic in the number of aliases). It must give
// exactly what `toJS()` gives: the same values, aliases sharing their anchor's object, the same
// merge-key semantics (schema/yaml-1.1/merge.js), the same errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments, parseDocument, visit, type Document } from 'yaml';
import { treeValue } from '../../server/src/manifest/tree-value';
import { collectionKey } from '../../server/src/manifest/collection-key';
import { excessiveAliasing } from '../../server/src/manifest/alias-ratio';
import { aliasTarget } from '../../server/src/manifest/alias-targets';
import { keyRange, parseManifest, valueRange, YAML_PARSE_OPTIONS } from '../../server/src/manifest';
import { corpus, mutate, random } from './yaml-corpus';

/** What toJS gives, or the error it throws. */
function outcome(build: () => unknown): { value: unknown } | { error: string } {
  try {
    return { value: build() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function assertAsToJS(doc: Document.Parsed, message: string): void {
  assert.deepEqual(
    outcome(() => treeValue(doc)),
    outcome(() => doc.toJS({ maxAliasCount: -1 })),
    message,
  );
}

/** The documents parse.ts builds a value of: no error, no collection key, within goyaml's alias ratio. */
function readable(text: string): Document.Parsed[] {
  return parseAllDocuments(text, YAML_PARSE_OPTIONS).filter((d): d is Document.Parsed => d.errors.length === 0 && !collectionKey(d) && !excessiveAliasing(d));
}

test('the same value as toJS on every corpus document and 3,000 seeded mutations of them', () => {
  let compared = 0;
  for (const text of corpus) for (const doc of readable(text)) (assertAsToJS(doc, text.slice(0, 80)), compared++);
  const next = random(17);
  for (let i = 0; i < 3000; i++) {
    const text = mutate(corpus[Math.floor(next() * corpus.length)], next);
    for (const doc of readable(text)) (assertAsToJS(doc, JSON.stringify(text)), compared++);
  }
  assert.ok(compared > 3000, `${compared} documents compared`);
});

const SHAPES: Record<string, string> = {
  'an anchor name used again: each alias takes the last before it': 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n',
  'an anchor on a key, an alias as a key': '&k key: 1\n*k : 2\nother: *k\n',
  'merge of one map, keys of the map win': 'base: &b {a: 1, b: 2}\nm:\n  b: 0\n  <<: *b\n  c: 3\n',
  'merge of a list: earlier sources win': 'x: &x {a: 1}\ny: &y {a: 2, b: 2}\nm:\n  <<: [*x, *y]\n',
  'an inline merge source with an anchor inside, aliased later': 'm:\n  <<: {a: &z 1, b: 2}\nn: *z\n',
  'a merge source that merges (nested merges)': 'a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: {<<: *b, z: 3}\n',
  'an anchored merge list, aliased later': 'a: &a {x: 1}\nm:\n  <<: &s [*a]\nl: *s\n',
  'a later key after a merge overrides it': 'a: &a {x: 1}\nm: {<<: *a, x: 2}\n',
  'a quoted "<<" is a plain key': 'a: &a {x: 1}\nm: {"<<": *a}\n',
  'an explicit !!str << is still a merge key (merge.js isMergeKey)': 'a: &a {x: 1}\nm: {!!str <<: *a}\n',
  'a null key and a number key in a merged source': 'a: &a {~: 1, 1: one, true: yes}\nm: {<<: *a}\nn: {~: 2}\n',
  'keys 1 and "1" in a merged source': 'a: &a {1: first, "1": second}\nm: {<<: *a}\n',
  '__proto__ keys': '__proto__: {polluted: true}\nm:\n  __proto__: 1\n',
  'repeated keys: the last wins': 'a: 1\na: 2\n',
  'an alias inside its own anchor (a cycle, as toJS builds it)': 'a: &a [1, *a]\n',
  'a merge source that is not a map': 'a: &a [1]\nm: {<<: *a}\n',
  'a merge list holding a scalar': 'a: &a {x: 1}\nm: {<<: [*a, 2]}\n',
  'an empty document': '',
  'a scalar document': '&s 42\n',
  'a sequence of aliases of a nested anchor': 'd: &d {r: &r {cpu: 1}}\nl: [*r, *d, *r]\n',
};

for (const [name, text] of Object.entries(SHAPES)) {
  test(`the same as toJS: ${name}`, () => {
    const doc = parseDocument(text, YAML_PARSE_OPTIONS);
    assert.deepEqual(doc.errors, [], text);
    assertAsToJS(doc, text);
  });
}

test('an alias is its anchor\'s own object, as in toJS', () => {
  const value = treeValue(parseDocument('a: &x {cpu: 1}\nb: *x\nc: [*x]\n', YAML_PARSE_OPTIONS)) as Record<string, unknown>;
  assert.equal(value.b, value.a);
  assert.equal((value.c as unknown[])[0], value.a);
});

test('a !!set (a node class the core schema does not make) is left to toJS', () => {
  const doc = parseDocument('s: !!set {a, b}\n', { ...YAML_PARSE_OPTIONS, customTags: ['set'] });
  assert.deepEqual(doc.errors, []);
  assert.ok((treeValue(doc) as { s: unknown }).s instanceof Set);
});

test('20,000 aliases in a document the fast loader declines (a tag) are all resolved', () => {
  const text = `x: !!str tagged\nb: &b {cpu: 10m}\nl:\n${'- *b\n'.repeat(20_000)}`;
  const value = treeValue(parseDocument(text, YAML_PARSE_OPTIONS)) as { b: unknown; l: unknown[] };
  assert.equal(value.l.length, 20_000);
  assert.ok(value.l.every((item) => item === value.b));
});

test('aliasTarget is what Alias.resolve gives, for every alias of the corpus and of 3,000 mutations', () => {
  let compared = 0;
  const check = (text: string) => {
    for (const doc of parseAllDocuments(text, YAML_PARSE_OPTIONS) as Document.Parsed[]) {
      visit(doc, {
        Alias(_, alias) {
          assert.equal(aliasTarget(doc, alias), alias.resolve(doc), `*${alias.source} in ${JSON.stringify(text)}`);
          compared++;
        },
      });
    }
  };
  for (const text of corpus) check(text);
  const next = random(23);
  for (let i = 0; i < 3000; i++) check(mutate(corpus[Math.floor(next() * corpus.length)], next));
  assert.ok(compared > 1000, `${compared} aliases compared`);
});

test('a finding inside an alias is placed at the alias, through the tree (locate.ts), in a document of 4,000 aliases', () => {
  const containers = Array.from({ length: 4000 }, (_, i) => `      - name: c${i}\n        resources: ${i === 0 ? '&res {requests: {cpu: 1m}, bogus: 1}' : '*res'}\n`).join('');
  const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: {note: !!str tagged}\nspec:\n  template:\n    spec:\n      containers:\n${containers}`;
  const doc = parseManifest(text).documents[0];
  assert.deepEqual(doc.problems, []);
  const last = ['spec', 'template', 'spec', 'containers', 3999, 'resources'];
  assert.deepEqual(valueRange(doc, last), [text.lastIndexOf('*res'), text.lastIndexOf('*res') + 4]);
  // Inside the alias: the anchored map's key, where the value is written.
  assert.deepEqual(keyRange(doc, [...last, 'bogus']), [text.indexOf('bogus'), text.indexOf('bogus') + 5]);
});
