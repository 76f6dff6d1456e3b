// writeJsonText: kdry simulate's JSON written in pieces, byte for byte jsonText(value, 0), whatever
// the value holds and wherever the pieces are cut.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonText } from '../../server/src/cli/format/escape';
import { writeJsonText } from '../../server/src/cli/format/json-pieces';

function pieces(value: object): string[] {
  const written: string[] = [];
  writeJsonText(value, (text) => written.push(text));
  return written;
}

function assertSameText(value: object, message?: string): string[] {
  const written = pieces(value);
  assert.equal(written.join(''), jsonText(value, 0), message);
  return written;
}

/** A deterministic pseudo-random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const ODD_STRINGS = ['', 'web-5f77bd959c-x', 'quote " and \\ backslash', 'line\nbreak\ttab\u0001', 'é ü 中文 🙂', 'del\u007f c1\u009b31m', 'sep\u2028\u2029', 'bidi\u202e\u2066', '\ud800 lone surrogate'];

function randomValue(next: () => number, depth: number): unknown {
  const r = next();
  if (depth > 5 || r < 0.35) {
    const leaves = [null, true, false, 0, -0, 1.5, -42, 1e21, NaN, Infinity, undefined, () => 1, Symbol('s'), new Date(0), ODD_STRINGS[Math.floor(next() * ODD_STRINGS.length)]];
    return leaves[Math.floor(next() * leaves.length)];
  }
  if (r < 0.6) {
    // Some arrays long enough to be stringified in batches, some with holes.
    const length = next() < 0.2 ? 500 + Math.floor(next() * 1500) : Math.floor(next() * 6);
    const array: unknown[] = new Array(length);
    // A long array's elements are leaves or short: the value stays some thousands of entries.
    for (let i = 0; i < length; i++) if (next() > 0.05) array[i] = randomValue(next, length > 6 ? depth + 4 : depth + 1);
    return array;
  }
  const object: Record<string, unknown> = next() < 0.1 ? Object.create(null) : {};
  const keys = Math.floor(next() * 6);
  for (let i = 0; i < keys; i++) object[next() < 0.2 ? ODD_STRINGS[Math.floor(next() * ODD_STRINGS.length)] : `k${i}`] = randomValue(next, depth + 1);
  return object;
}

test('a timeline-shaped value: the same text, written in pieces of about 64K characters', () => {
  const pods = (n: number, step: number) => Array.from({ length: n }, (_, i) => ({ name: `web-577cd7bb-${i}`, node: `node-${i % 1000}`, phase: 'Running', ready: step > 0, restarts: undefined }));
  const value = { workload: { kind: 'Deployment', name: 'web' }, cluster: { nodes: Array.from({ length: 1000 }, (_, i) => `node-${i}`) }, steps: [0, 1, 2].map((s) => ({ index: s, time: s * 2, events: [], pods: pods(s === 0 ? 10_000 : 300, s) })), summary: { completed: true }, problems: [] };
  const written = assertSameText(value);
  assert.ok(written.length > 10, `${written.length} pieces`);
  assert.ok(written.slice(0, -1).every((p) => p.length >= 1 << 16 && p.length < (1 << 16) + 40_000), 'each piece but the last is about 64K characters');
});

test('what JSON.stringify leaves out, writes as null or escapes: the same text', () => {
  const long = Array.from({ length: 600 }, (_, i) => (i % 7 === 0 ? undefined : i % 11 === 0 ? () => i : i % 13 === 0 ? Symbol('x') : `p${i}\u009b`));
  const sparse: unknown[] = new Array(700);
  sparse[3] = 'a';
  sparse[699] = { b: undefined };
  assertSameText({ skipped: undefined, fn: () => 1, sym: Symbol('s'), long, sparse, date: new Date(0), dates: [new Date(1)], nested: { deeper: { deepest: { pods: long } } }, toJson: { toJSON: () => undefined }, 'key "quoted"\u2028': 1 });
  assertSameText([undefined, () => 1, Symbol('s')]);
  assertSameText({});
  assertSameText([]);
  // Escapes cut across pieces: raw characters on both sides of every 64K boundary.
  assertSameText({ text: Array.from({ length: 3000 }, (_, i) => `\u202e${'x'.repeat(i % 97)}\u007f`) });
});

test('random values (objects, arrays long and short, holes, odd strings and numbers): the same text', () => {
  const next = random(7);
  for (let i = 0; i < 200; i++) {
    const value = { root: randomValue(next, 0), list: [randomValue(next, 1), randomValue(next, 1)] };
    assertSameText(value, `value ${i}`);
  }
});
