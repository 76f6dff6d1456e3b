// The direct loader (manifest/direct-load.ts) must answer exactly as the js-yaml path it stands in
// for (fastLoad's value, and packEvents of its events) wherever it answers, and never where that
// path declines (a js-yaml error, or text fastLoad leaves to `yaml`). Checked on every YAML file of
// the examples and fixtures, the bench's mixed files, and thousands of seeded mutations of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { directLoad } from '../../server/src/manifest/direct-load';
import { fastLoad } from '../../server/src/manifest/fast-load';
import { packEvents } from '../../server/src/manifest/event-ranges';
import { parseManifest, splitDocuments } from '../../server/src/manifest';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';
import { corpus, mutate, random, typist } from './yaml-corpus';

const ROOT = join(__dirname, '..', '..');

/** Every .yaml/.yml file under `dir`. */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const FIXTURES = [join(ROOT, 'examples'), join(ROOT, 'test'), join(ROOT, 'server', 'src')].flatMap(yamlFiles).map((f) => readFileSync(f, 'utf8'));
const MIXED = [mixedFile(150, 7), mixedFile(150, 8)];
const ALL = [...FIXTURES, ...MIXED, ...corpus];

/** A description of the disagreement, or undefined when the direct loader agrees with the js-yaml path on `source` (or declines it). */
function disagreement(source: string): string | undefined {
  const direct = directLoad(source);
  if (!direct) return undefined;
  const fast = fastLoad(source);
  if (!fast) return 'the direct loader read a document the js-yaml path declines';
  if (fast.linked) return 'the direct loader read a document with anchors or merge keys';
  if (!isDeepStrictEqual(direct.value, fast.value)) return `values differ: ${JSON.stringify(direct.value)} vs ${JSON.stringify(fast.value)}`;
  const events = packEvents(source, fast.events);
  if (!isDeepStrictEqual(direct.events, events)) return `events differ: ${direct.events.join(',')} vs ${events.join(',')}`;
  return undefined;
}

test('the direct loader reads the example and fixture documents exactly as the js-yaml path, values and events', () => {
  let answered = 0;
  let fast = 0;
  for (const text of ALL)
    for (const { source } of splitDocuments(text)) {
      assert.equal(disagreement(source), undefined, source);
      if (directLoad(source)) answered++;
      if (fastLoad(source)) fast++;
    }
  // It must stand in for most of what the js-yaml path reads, or it speeds nothing up.
  assert.ok(answered > 0.8 * fast, `the direct loader answered ${answered} of the ${fast} documents js-yaml read`);
});

test('the direct loader reads almost every document of the bench mixed file (all but those with anchors)', () => {
  const chunks = splitDocuments(mixedFile(1000, 100));
  const read = chunks.filter((c) => directLoad(c.source)).length;
  const linked = chunks.filter((c) => fastLoad(c.source)?.linked).length;
  assert.equal(read, chunks.length - linked);
});

test('on mutated documents the direct loader either agrees with the js-yaml path or declines', () => {
  const next = random(20261207);
  let answered = 0;
  let declined = 0;
  for (let round = 0; round < 4000; round++) {
    let text = ALL[round % ALL.length];
    for (let m = 1 + Math.floor(next() * 3); m > 0; m--) text = mutate(text, next);
    for (const { source } of splitDocuments(text)) {
      const problem = disagreement(source);
      assert.equal(problem, undefined, `${problem}\n--- source ---\n${source}`);
      if (directLoad(source)) answered++;
      else declined++;
    }
  }
  assert.ok(answered > 2000 && declined > 2000, `answered ${answered}, declined ${declined}`);
});

test('while a document is typed into, the direct loader either agrees with the js-yaml path or declines', () => {
  const next = random(7122026);
  const bases = [...splitDocuments(MIXED[0]).slice(0, 12), ...splitDocuments(FIXTURES.join('\n---\n')).slice(0, 12)].map((c) => c.source);
  for (const base of bases) {
    const type = typist(next);
    let text = base;
    for (let k = 0; k < 150; k++) {
      text = type(text);
      const problem = disagreement(text);
      assert.equal(problem, undefined, `${problem}\n--- source ---\n${text}`);
    }
  }
});

test('what the direct loader leaves to the js-yaml path', () => {
  for (const source of [
    '',
    '# only a comment\n',
    '---\n',
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'a: |\n  text\n',
    'a: >\n  text\n',
    'a: "x\\ty"\n',
    "a: 'it''s'\n",
    'a: two\n  lines\n',
    '"a": 1\n',
    '1: a\n',
    'true: a\n',
    'a: 1\na: 2\n',
    'a: 1\r\n',
    'a:\tb\n',
    '  a: 1\n',
    'a: [1,\n  2]\n',
    'a: {b: c,}\n',
    'a: b: c\n',
    '- - a\n',
    'a: [x: 1]\n',
    `a: ${'['.repeat(100)}${']'.repeat(100)}\n`,
    '--- a: 1\n',
  ])
    assert.equal(directLoad(source), undefined, source);
});

test('a check slice read by the direct loader places its findings as the js-yaml path does', () => {
  // parse.ts's 'ranges' mode (kdry check's slices) against the default: same values, same ranges.
  const text = mixedFile(60, 3);
  const direct = parseManifest(text, 'file:///m.yaml', undefined, undefined, 'ranges');
  const other = parseManifest(text, 'file:///m.yaml');
  assert.equal(direct.documents.length, other.documents.length);
  const paths: (string | number)[][] = [['metadata', 'name'], ['spec', 'template', 'spec', 'containers', 0, 'image'], ['spec', 'selector'], ['kind'], ['spec', 'ports', 0, 'targetPort']];
  direct.documents.forEach((doc, i) => {
    assert.deepEqual(doc.value, other.documents[i].value);
    for (const path of paths) assert.deepEqual(doc.locateFast(path), other.documents[i].locateFast(path), `${i} ${path.join('.')}`);
  });
});
