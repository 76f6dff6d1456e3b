// The fast loader must agree with the `yaml` library wherever it answers: same value, and only for
// documents `yaml` parses without an error or warning. Checked on the examples and on thousands of
// seeded random mutations of them (yaml-corpus.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { fastLoad } from '../../server/src/manifest/fast-load';
import { splitDocuments, YAML_PARSE_OPTIONS } from '../../server/src/manifest';
import { corpus, mutate, random } from './yaml-corpus';

/** Returns a description of the disagreement, or undefined when the loaders agree on `source`. */
function disagreement(source: string): string | undefined {
  const fast = fastLoad(source);
  if (!fast) return undefined;
  const yaml = parseDocument(source, { ...YAML_PARSE_OPTIONS, uniqueKeys: true }); // strict: the library's own duplicate check too
  const issues = [...yaml.errors, ...yaml.warnings];
  if (issues.length > 0) return `yaml reports ${issues[0].code} (${issues[0].message.split('\n')[0]}), the fast loader accepted it`;
  const expected = yaml.toJS();
  if (!isDeepStrictEqual(fast.value, expected)) return `values differ: ${JSON.stringify(fast.value)} vs ${JSON.stringify(expected)}`;
  return undefined;
}

test('the fast loader reads every example document exactly as yaml does', () => {
  let answered = 0;
  for (const text of corpus)
    for (const chunk of splitDocuments(text)) {
      assert.equal(disagreement(chunk.source), undefined, chunk.source);
      if (fastLoad(chunk.source)) answered++;
    }
  assert.ok(answered >= corpus.length, `the fast loader answered only ${answered} example documents`);
});

test('on mutated examples the fast loader either agrees with yaml or leaves the document to it', () => {
  const next = random(20261125);
  let answered = 0;
  let declined = 0;
  for (let round = 0; round < 3000; round++) {
    let text = corpus[round % corpus.length];
    for (let m = 1 + Math.floor(next() * 3); m > 0; m--) text = mutate(text, next);
    for (const chunk of splitDocuments(text)) {
      const problem = disagreement(chunk.source);
      assert.equal(problem, undefined, `${problem}\n--- source ---\n${chunk.source}`);
      if (fastLoad(chunk.source)) answered++;
      else declined++;
    }
  }
  // Both paths must really be exercised for the agreement to mean anything.
  assert.ok(answered > 500 && declined > 500, `answered ${answered}, declined ${declined}`);
});

test('tags, directives, non-string keys, overflowing numbers, odd line breaks and what yaml could refuse of anchors and merges are left to yaml', () => {
  for (const source of [
    'a: !!str 1\n',
    '%YAML 1.2\n---\na: 1\n',
    '? [a, b]\n: 1\n',
    '? {a: 1}\n: 1\n',
    '__proto__: {a: 1}\n',
    '1: a\n',
    // yaml counts aliases inside an anchored node once per use of that node (its alias-bomb limit)
    'a: &x {b: 1}\nc: &y [*x, *x]\nd: *y\n',
    // a second merge key in one map: yaml reports a duplicate key
    'a: &x {b: 1}\nc:\n  <<: *x\n  <<: {d: 1}\n',
    '&k a: 1\nb: 2\n',
    'a: &x b\n*x : 1\n',
    // past goyaml's alias ratio (decode.go `decoder.unmarshal`): parse.ts refuses it
    `a: &x [${Array.from({ length: 500 }, () => '1').join(', ')}]\nb: [${Array.from({ length: 200 }, () => '*x').join(', ')}]\n`,
    'a:\n  <<: 1\n',
    'a:\n  <<: *nowhere\n',
    'null: a\n',
    ': a\n',
    'a: 9e376\n',
    'a: [1, 9e376]\n',
    'a: {b: 9e376}\n',
    '9e376: a\n',
    'a: 1.5e+3760 # a comment\n',
    'a: 1\n...\n',
    'a:\tb\n',
    'a: 1\rb: 2\n',
    'a: 1\n---\nb: 2\n',
    '',
    '# only a comment\n',
  ])
    assert.equal(fastLoad(source), undefined, source);
  assert.deepEqual(fastLoad('a: [1, "2", x]\nb: {c: null}\n')?.value, { a: [1, '2', 'x'], b: { c: null } });
});

test("a hex digest holding a digit, e and three digits (Helm's checksum/config) is read, as yaml reads it", () => {
  const source = 'metadata:\n  annotations:\n    checksum/config: 1e978a6521e416ab\n    checksum/secret: 8e7262e181c735a\n';
  assert.deepEqual(fastLoad(source)?.value, { metadata: { annotations: { 'checksum/config': '1e978a6521e416ab', 'checksum/secret': '8e7262e181c735a' } } });
  assert.equal(disagreement(source), undefined);
});

test('number-like scalars with long exponents, in every place a plain scalar ends: the fast loader agrees with yaml or declines', () => {
  const next = random(20261208);
  const pieces = ['1', '9', '0', '37', '6', 'e', 'E', '+', '-', '.', 'a', 'f', '_', '#', ':', ' '];
  const places = [(t: string) => `a: ${t}\n`, (t: string) => `${t}: a\n`, (t: string) => `a: [${t}, 1]\n`, (t: string) => `a: {b: ${t}}\n`, (t: string) => `- ${t}\n- x\n`, (t: string) => `a: x${t}\n`];
  let answered = 0;
  for (let round = 0; round < 4000; round++) {
    let token = String(1 + Math.floor(next() * 9));
    for (let n = Math.floor(next() * 8); n > 0; n--) token += pieces[Math.floor(next() * pieces.length)];
    token += ['e400', 'E376', 'e+999', 'e3760', 'e308', ''][Math.floor(next() * 6)] + ['', 'a', '1', '.', ':x', '#'][Math.floor(next() * 6)];
    const source = places[round % places.length](token);
    assert.equal(disagreement(source), undefined, source);
    if (fastLoad(source)) answered++;
  }
  assert.ok(answered > 1000, `answered ${answered}`);
});

test('anchors, aliases and merge keys are read, and such a document is marked linked', () => {
  // goyaml refuses by ratio, not by count (decode.go `decoder.unmarshal`): one anchor used 120 times is read.
  const many = fastLoad(`res: &r {cpu: 10m}\nl: [${Array.from({ length: 120 }, () => '*r').join(', ')}]\n`);
  assert.equal((many?.value as { l: unknown[] }).l.length, 120);
  const read = fastLoad('l: &l {app: web, tier: x}\ns: *l\nt:\n  <<: *l\n  tier: y\n');
  assert.deepEqual(read?.value, { l: { app: 'web', tier: 'x' }, s: { app: 'web', tier: 'x' }, t: { app: 'web', tier: 'y' } });
  assert.equal(read?.linked, true);
  assert.equal(fastLoad('a: 1\n"<<": 2\n')?.linked, false);
});
