// The nesting limit on `yaml`'s parse (nesting-limit.ts): a document nested past MAX_NESTING gets
// one error at the collection that goes past it, from a parse that stops there; everything else
// parses exactly as `yaml`'s parseDocument does, whatever brackets its scalars and comments hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument, stringify, type YAMLError } from 'yaml';
import { MAX_NESTING, parseDocumentWithin, TOO_DEEP_MESSAGE } from '../../server/src/manifest/nesting-limit';
import { YAML_PARSE_OPTIONS, parseManifest } from '../../server/src/manifest';
import { corpus, mutate, random } from './yaml-corpus';

/** The one error of a document cut at its too-deep collection, and where it stands. */
function cutAt(source: string): number | undefined {
  const doc = parseDocumentWithin(source, YAML_PARSE_OPTIONS);
  const deep = doc.errors.filter((e) => e.message === TOO_DEEP_MESSAGE);
  if (deep.length === 0) return undefined;
  assert.equal(doc.errors.length, 1, 'the cut leaves one error');
  return deep[0].pos[0];
}

/** The same document as `yaml`'s own parse: errors, warnings and value. */
function assertAsParsed(source: string, message: string): void {
  const within = parseDocumentWithin(source, YAML_PARSE_OPTIONS);
  const plain = parseDocument(source, YAML_PARSE_OPTIONS);
  const problems = (d: { errors: YAMLError[]; warnings: YAMLError[] }) => [...d.errors, ...d.warnings].map((e) => `${e.code}@${e.pos.join('-')}: ${e.message}`);
  assert.deepEqual(problems(within), problems(plain), message);
  if (plain.errors.length === 0) assert.deepEqual(within.toJS(), plain.toJS(), message);
}

const LEVELS = MAX_NESTING;
const header = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n';

test('100,000 nested `[` (the trial D16 file): one error at the first collection past the limit, and the top-level keys still read', () => {
  const source = `${header}  x: ${'['.repeat(100_000)}\n${']'.repeat(100_000)}\n`;
  // The root map and `data` are two levels: the (LEVELS - 1)-th `[` is the first past the limit.
  const first = source.indexOf('[');
  assert.equal(cutAt(source), first + LEVELS - 2);
  const doc = parseManifest(source).documents[0];
  assert.deepEqual(
    doc.problems.map((p) => [p.code, p.range[0]]),
    [['RESOURCE_EXHAUSTION', first + LEVELS - 2]],
  );
  assert.match(doc.problems[0].message, /nests too deeply to be read: more than 400 collections/);
  assert.equal(doc.value, undefined, 'not checked');
  assert.equal((doc.yaml.contents as { get(k: string): unknown }).get('kind'), 'ConfigMap');
});

// Each shape at the limit reads in full; one level more is cut at that level's indicator.
const shapes: [string, (n: number) => string, (source: string) => number][] = [
  ['flow sequences', (n) => `x: ${'['.repeat(n - 1)}1${']'.repeat(n - 1)}\n`, (s) => s.lastIndexOf('[')],
  ['flow maps', (n) => `x: ${'{a: '.repeat(n - 1)}1${'}'.repeat(n - 1)}\n`, (s) => s.lastIndexOf('{')],
  ['flow maps and sequences mixed, over lines', (n) => `x: ${Array.from({ length: n - 1 }, (_, i) => (i % 2 ? '[\n  ' : '{k: ')).join('')}1\n`, (s) => Math.max(s.lastIndexOf('['), s.lastIndexOf('{'))],
  ['compact block sequences (`- - -`)', (n) => `${'- '.repeat(n)}1\n`, (s) => s.lastIndexOf('-')],
  ['block maps, one more indentation each', (n) => `${Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`, (s) => s.lastIndexOf('k')],
  ['block sequences of maps', (n) => `${Array.from({ length: n / 2 }, (_, i) => `${' '.repeat(2 * i)}- k:`).join('\n')} 1\n`, (s) => s.lastIndexOf('-')],
  ['explicit keys (`? ? ?`)', (n) => `${'? '.repeat(n)}1\n`, (s) => s.lastIndexOf('?')],
  ['a block sequence at its key\'s column, then flow', (n) => `a:\n- b:\n  - ${'['.repeat(n - 4)}1\n`, (s) => s.lastIndexOf('[')],
];
for (const [name, make, last] of shapes) {
  test(`${name}: ${LEVELS} levels read as yaml reads them, ${LEVELS + 1} cut at the last`, () => {
    const within = make(LEVELS);
    assert.equal(cutAt(within), undefined);
    if (!name.startsWith('explicit')) assertAsParsed(within, name); // `yaml` turns collection keys into strings, slowly (not for this test)
    const beyond = make(LEVELS + 2 - (LEVELS % 2));
    const over = make(LEVELS + 1);
    const at = cutAt(name.includes('sequences of maps') ? beyond : over);
    assert.equal(at, last(name.includes('sequences of maps') ? beyond : over), name);
  });
}

test('brackets inside scalars and comments are not collections: quoted, block and plain scalars and comments read as yaml reads them', () => {
  const deep = '['.repeat(2 * LEVELS);
  const braces = '{'.repeat(2 * LEVELS);
  const sources = [
    `a: "${deep}"\n`,
    `a: "x \\" ${deep}\n  ${braces} \\\\"\nb: 1\n`,
    `a: '${deep}'' ${braces}\n  ${deep}'\nb: 1\n`,
    `a: 1 # ${deep}\n# ${braces}\nb: 2\n`,
    `a: |\n  ${deep}\n   ${braces}\n\n  x\nb: 1\n`,
    `a: >-\n    ${deep}\n    ${braces}\nb: 1\n`,
    `a: |2+\n   ${deep}\n  ${braces}\n\nb: 1\n`,
    `- |\n ${deep}\n- >\n  ${braces}\n`,
    `a: x${deep}\nb: y]]]${braces}\n`,
    `a: plain ${deep}\n  continued ${braces} on the next line\nb: 1\n`,
    `a: [x${'-'.repeat(3)}, "${deep}", '${braces}', {k: "${deep}"}] # ${deep}\n`,
    `a: b"c\nd: "${deep}"\n`,
    `--- |\n${deep}\n`,
    `a: &anchor "${deep}"\nb: !!str '${braces}'\n`,
  ];
  for (const source of sources) {
    assert.equal(cutAt(source), undefined, source.slice(0, 80));
    assertAsParsed(source, source.slice(0, 80));
  }
});

test('a quote inside a plain scalar or on its next line hides nothing that follows', () => {
  const deep = `${'['.repeat(LEVELS + 10)}${']'.repeat(LEVELS + 10)}`;
  for (const source of [`a: b"c\nd: ${deep}\ne: "\n`, `a: b\n  "c\nd: ${deep}\ne: "\n`, `a: it's\nd: ${deep}\ne: '\n`, `a: x # "\nd: ${deep}\n`]) {
    const line = source.split('\n').findIndex((l) => l.startsWith('d: '));
    const dAt = source.split('\n').slice(0, line).join('\n').length + 1;
    // The root map is the first level, so the (LEVELS - 1)-th `[` is past the limit.
    assert.equal(cutAt(source), dAt + 3 + LEVELS - 1, source.slice(0, 20));
  }
});

test('the examples, the varied-syntax fixture and 3,000 seeded mutations of them parse exactly as yaml parses them', () => {
  const next = random(20261208);
  for (const text of corpus) assertAsParsed(text, text.slice(0, 60));
  for (let i = 0; i < 3000; i++) {
    let text = corpus[i % corpus.length];
    for (let m = 0; m < 1 + Math.floor(next() * 4); m++) text = mutate(text, next);
    assertAsParsed(text, `mutation ${i}`);
  }
});

test('values nested exactly to the limit in any style read in full; one level more is cut', () => {
  const next = random(7);
  for (let round = 0; round < 12; round++) {
    /** A chain `levels` collections deep, maps and sequences at random, with siblings beside it. */
    const chain = (levels: number): unknown => {
      let value: unknown = 'leaf';
      for (let l = 0; l < levels; l++) value = next() < 0.5 ? { sibling: l, [`k${l}`]: value } : [l, value];
      return value;
    };
    const styles = [{}, { collectionStyle: 'flow' as const }, { indent: 1 }, { indentSeq: false }];
    for (const style of styles.slice(round % 4, round % 4 + 1)) {
      const at = stringify(chain(LEVELS), style);
      assert.equal(cutAt(at), undefined, `round ${round} at the limit`);
      assert.notEqual(cutAt(stringify(chain(LEVELS + 1), style)), undefined, `round ${round} past it`);
    }
  }
});
