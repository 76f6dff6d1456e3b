// The fast loader must agree with the `yaml` library wherever it answers: same value, and only for
// documents `yaml` parses without an error or warning. Checked on the examples and on thousands of
// seeded random mutations of them (the kinds of damage typing does: characters inserted or
// deleted, lines indented, duplicated or joined, quotes and flow brackets left open).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import { fastLoad } from '../../server/src/manifest/fast-load';
import { splitDocuments, YAML_PARSE_OPTIONS } from '../../server/src/manifest';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const VARIED = readFileSync(join(__dirname, '..', 'fixtures', 'yaml', 'varied-syntax.yaml'), 'utf8');
const EXAMPLE_FILES = ['original', 'corrected', 'rollout'].flatMap((dir) =>
  readdirSync(join(EXAMPLES, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => readFileSync(join(EXAMPLES, dir, f), 'utf8')),
);
const corpus = [
  ...EXAMPLE_FILES,
  VARIED,
  VARIED.replace(/\n/g, '\r\n'),
  // all of them in one file: mutations then also hit document markers and neighbours
  [...EXAMPLE_FILES, VARIED].join('\n---\n'),
];

/** Returns a description of the disagreement, or undefined when the loaders agree on `source`. */
function disagreement(source: string): string | undefined {
  const fast = fastLoad(source);
  if (!fast) return undefined;
  const yaml = parseDocument(source, YAML_PARSE_OPTIONS);
  const issues = [...yaml.errors, ...yaml.warnings];
  if (issues.length > 0) return `yaml reports ${issues[0].code} (${issues[0].message.split('\n')[0]}), the fast loader accepted it`;
  const expected = yaml.toJS();
  if (!isDeepStrictEqual(fast.value, expected)) return `values differ: ${JSON.stringify(fast.value)} vs ${JSON.stringify(expected)}`;
  return undefined;
}

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [' ', '  ', '\n', ':', ': ', '-', '- ', '#', ' #', '"', "'", '{', '}', '[', ']', ',', '|', '>', '?', '\t', '%', '@', '`', '0', 'x', 'e', '.', '\\', '\r\n', '---\n'];

function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  switch (Math.floor(next() * 7)) {
    case 0:
      return text.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
    case 2:
      lines[line] = ' '.repeat(1 + Math.floor(next() * 3)) + lines[line];
      return lines.join('\n');
    case 3:
      lines[line] = lines[line].replace(/^ {1,2}/, '');
      return lines.join('\n');
    case 4:
      lines.splice(line, 0, lines[line]);
      return lines.join('\n');
    case 5:
      if (line + 1 < lines.length) lines.splice(line, 2, lines[line] + ' ' + lines[line + 1].trimStart());
      return lines.join('\n');
    default: {
      const other = Math.floor(next() * text.length);
      return text.slice(0, at) + text.slice(other, other + 1 + Math.floor(next() * 12)) + text.slice(at);
    }
  }
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

test('anchors, aliases, tags, directives, non-string and merge keys, overflowing numbers and odd line breaks are left to yaml', () => {
  for (const source of [
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    '%YAML 1.2\n---\na: 1\n',
    '? [a, b]\n: 1\n',
    '? {a: 1}\n: 1\n',
    '__proto__: {a: 1}\n',
    '1: a\n',
    'a:\n  <<: {b: 1}\n',
    'null: a\n',
    ': a\n',
    'a: 9e376\n',
    'a: 1\n...\n',
    'a:\tb\n',
    'a: 1\rb: 2\n',
    'a: 1\n---\nb: 2\n',
    '',
    '# only a comment\n',
  ])
    assert.equal(fastLoad(source), undefined, source);
  assert.deepEqual(fastLoad('a: [1, "2", x]\nb: {c: null}\n'), { value: { a: [1, '2', 'x'], b: { c: null } } });
});
