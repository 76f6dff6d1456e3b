// Duplicate map keys: the same rule as the yaml library's uniqueKeys, found in one pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { duplicateKeys } from '../../server/src/manifest/duplicate-keys';
import { YAML_PARSE_OPTIONS } from '../../server/src/manifest';

const repeatsOf = (source: string) => duplicateKeys(parseDocument(source, YAML_PARSE_OPTIONS)).flatMap((k) => k.repeats);
const keysOf = (source: string) => repeatsOf(source).sort((a, b) => a[0] - b[0]).map(([s, e]) => [source.slice(0, s).split('\n').length, source.slice(s, e)]);

test('a repeated key in a block map, a nested map and a flow map, each on the later key', () => {
  const source = 'a: 1\nb:\n  c: 1\n  c: 2\na: 3\nd: {x: 1, y: 2, x: 3}\n';
  assert.deepEqual(keysOf(source), [[4, 'c'], [5, 'a'], [6, 'x']]);
});

test('keys are compared by value as YAML reads them: "1" and 1 differ, a key in another map does not count', () => {
  assert.deepEqual(keysOf('"1": a\n1: b\nm:\n  "1": c\n'), []);
  assert.deepEqual(keysOf("'a': 1\na: 2\n"), [[2, 'a']]);
});

test('it agrees with the library\'s own check', () => {
  const source = 'spec:\n  replicas: 1\n  template:\n    spec:\n      containers: []\n      containers: [x]\n  replicas: 2\n';
  const library = parseDocument(source, { ...YAML_PARSE_OPTIONS, uniqueKeys: true }).errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos[0]).sort((a, b) => a - b);
  assert.deepEqual(repeatsOf(source).map(([s]) => s).sort((a, b) => a - b), library);
});

test('a key written many times in one map is one entry with every repetition', () => {
  const source = `labels:\n${'  app: web\n'.repeat(5)}  tier: x\n  tier: y\n`;
  const found = duplicateKeys(parseDocument(source, YAML_PARSE_OPTIONS));
  assert.deepEqual(found.map((k) => [k.key, k.repeats.length]), [['app', 4], ['tier', 1]]);
  assert.equal(source.slice(...found[0].repeats[0]), 'app');
  assert.equal(source.slice(0, found[0].repeats[0][0]).split('\n').length, 3, 'the first repetition is on the second app line');
});
