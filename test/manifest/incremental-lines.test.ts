// A whole line typed into a block map or deleted from one, read by patching the previous parse
// (incremental-lines.ts), must be exactly what a fresh parse reads: the same value, problems (a
// broken line's error text, code and range as `yaml` reports them on the whole document) and ranges.
// Checked over seeded random new key lines typed a character at a time (`k` ... `key: v`), after
// Enter or on a line of their own, at every indentation near the lines around them, and over
// deleted `key: value` lines, on the examples, the varied-syntax fixture and the 1,000-line custom
// resources of the bench.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest, splitDocuments, type ManifestDocument } from '../../server/src/manifest';
import { patchLineEdit } from '../../server/src/manifest/incremental-lines';
import { patchScalarEdit } from '../../server/src/manifest/incremental';
import { fastLoad } from '../../server/src/manifest/fast-load';
import { fleet, rollout } from '../../scripts/bench/inputs/custom-resources';
import { corpus, random } from './yaml-corpus';
import { assertSameDocument, reader } from './same-document';

const KEYS = ['k', 'ke', 'key', 'name', 'x1', 'replicas', 'a.b', 'item-2', 'on_off', 'null', 'true', 'Yes', 'metadata', 'spec', 'image'];
const VALUES = ['', 'v', 'web', '5', 'x y', 'true', 'nginx:1', '1.5', 'null', '-', 'a b c'];

/** The texts typed, one keystroke at a time, from a blank line to `key: value` (with a space after the key now and then). */
function keystrokesOf(indent: string, key: string, value: string, next: () => number): string[] {
  const full = `${key}${next() < 0.15 ? ' ' : ''}${value === '' && next() < 0.5 ? ':' : `: ${value}`}`;
  return Array.from({ length: full.length }, (_, i) => indent + full.slice(0, i + 1));
}

/** Indentations near a line's: its own, its neighbours', two more and two fewer. */
function indentsNear(lines: string[], i: number): string[] {
  const of = (l: string | undefined) => (l === undefined ? 0 : /^ */.exec(l)![0].length);
  const near = new Set([of(lines[i - 1]), of(lines[i]), of(lines[i - 1]) + 2, Math.max(0, of(lines[i]) - 2)]);
  return [...near].map((n) => ' '.repeat(n));
}

const TEXTS = [...corpus.filter((t) => !t.includes('\r')), fleet(), rollout()];

test('a new key line typed a character at a time reads as a fresh parse does, broken or not', () => {
  const next = random(20261207);
  let broken = 0;
  let patched = 0;
  let steps = 0;
  for (let round = 0; round < 60; round++) {
    const text = TEXTS[round % TEXTS.length];
    const lines = text.split('\n');
    const at = 1 + Math.floor(next() * (lines.length - 1));
    const indent = indentsNear(lines, at)[Math.floor(next() * 4) % indentsNear(lines, at).length];
    const key = KEYS[Math.floor(next() * KEYS.length)];
    const value = VALUES[Math.floor(next() * VALUES.length)];
    const read = reader();
    read(text);
    // A keystroke elsewhere first, as typing does: the document keeps its events from then on.
    const valueLine = lines.findIndex((l) => /^ +[a-zA-Z]+: [a-z]+$/.test(l));
    const typedText = valueLine >= 0 ? lines.map((l, i) => (i === valueLine ? `${l}z` : l)) : lines;
    read(typedText.join('\n'));
    // Enter at the end of the line above, indented: a blank line, then the key typed on it; or the
    // line typed in one piece at a line start (a paste).
    const enter = next() < 0.5;
    const states = [...(enter ? [indent] : []), ...keystrokesOf(indent, key, value, next)];
    for (const [k, state] of states.entries()) {
      const edited = [...typedText.slice(0, at), state, ...typedText.slice(at)].join('\n');
      const incremental = read(edited);
      const fresh = parseManifest(edited).documents;
      steps++;
      const typedIn = incremental.find((doc) => doc.source.includes(`\n${state}\n`)) as { brokenBase?: unknown; keptEvents?: unknown } | undefined;
      if (typedIn?.brokenBase) broken++;
      else if (typedIn?.keptEvents) patched++;
      assert.equal(incremental.length, fresh.length);
      incremental.forEach((doc, i) => assertSameDocument(doc, fresh[i], `round ${round}, line ${at}, keystroke ${k} ${JSON.stringify(state)}, document ${i}`));
    }
    // And erased again, a character at a time.
    for (let k = states.length - 2; k >= 0; k--) {
      const edited = [...typedText.slice(0, at), states[k], ...typedText.slice(at)].join('\n');
      const incremental = read(edited);
      parseManifest(edited).documents.forEach((doc, i) => assertSameDocument(incremental[i], doc, `round ${round}, erased to ${JSON.stringify(states[k])}, document ${i}`));
    }
  }
  // The property means little unless the patch answered, broken and not.
  assert.ok(broken >= steps / 10, `a broken line was patched on ${broken} of ${steps} keystrokes`);
  assert.ok(patched >= steps / 4, `${patched} of ${steps} keystrokes kept events`);
});

test('a deleted line, and the same line put back, read as a fresh parse does', () => {
  const next = random(7);
  let patched = 0;
  let steps = 0;
  const keptEvents = (documents: ManifestDocument[], text: string) => {
    const chunks = splitDocuments(text);
    return documents.some((doc, i) => doc.source === chunks[i]?.source && (doc as { keptEvents?: unknown }).keptEvents !== undefined);
  };
  for (let round = 0; round < 150; round++) {
    const text = TEXTS[round % TEXTS.length];
    const lines = text.split('\n');
    // Mostly a `key: value` or `- item` line; now and then any line.
    const candidates = lines.flatMap((l, i) => (next() < 0.2 || /^ *(- +)?[A-Za-z][\w.-]*:( |$)|^ *- \S/.test(l) ? [i] : []));
    if (candidates.length === 0) continue;
    const line = candidates[Math.floor(next() * candidates.length)];
    const read = reader();
    read(text);
    read(`${text} `);
    // The line alone, or with a blank line left where it was; then put back (an undo, a paste).
    const deleted = [...lines.slice(0, line), ...(next() < 0.2 ? [''] : []), ...lines.slice(line + 1)].join('\n');
    for (const [what, edited] of [['deleted', deleted], ['put back', `${text} `]]) {
      const incremental = read(edited);
      steps++;
      if (keptEvents(incremental, edited)) patched++;
      parseManifest(edited).documents.forEach((doc, i) => assertSameDocument(incremental[i], doc, `round ${round}, line ${line} ${JSON.stringify(lines[line])} ${what}, document ${i}`));
    }
  }
  assert.ok(patched >= steps / 3, `${patched} of ${steps} deletions patched`);
});

test('the patch answers for the states of a new key and a deleted line, with the value a fresh parse gives', () => {
  const source = 'spec:\n  x: 1\n  list:\n  - a\n  nested:\n    p: 2\nother: 3\n';
  const read = fastLoad(source)!;
  const patch = (edited: string) => patchLineEdit(source, { value: read.value, events: read.events }, edited);
  const typed = (line: string, after = '  x: 1\n') => source.replace(after, `${after}${line}\n`);
  for (const line of ['  k', '  ke', '  key', '  key ']) {
    const broken = patch(typed(line));
    assert.ok(broken && 'broken' in broken, line);
    assert.equal(broken.broken.text.split('\n')[1], line, 'the map holding the line, from its first key');
  }
  for (const line of ['  key:', '  key: ', '  key: v']) {
    const patched = patch(typed(line));
    assert.ok(patched && !('broken' in patched), line);
    assert.deepEqual(Object.keys((patched.value as { spec: object }).spec), ['x', 'key', 'list', 'nested'], line);
    assert.deepEqual(patched.events, fastLoad(typed(line))!.events, line);
  }
  // After a compact sequence and a nested map the line closes them; deeper it would continue them.
  assert.ok(patch(typed('  key: v', '  - a\n')), 'after a compact sequence');
  assert.ok(patch(typed('  key: v', '    p: 2\n')), 'after a nested map');
  assert.equal(patch(typed('    key: v')), undefined, 'an indentation no map has here');
  assert.equal(patch(typed('  x: 2')), undefined, 'a repeated key');
  assert.equal(patch(typed('  true: 2')), undefined, 'a key that is not a string');
  for (const [what, edited] of [
    ['a quoted value', typed('  key: "v w"')],
    ['a flow value', typed('  key: { a: 1 }')],
    ['an item', typed('  - b', '  - a\n')],
    ['an item of a map', typed('  - b: 1', '  - a\n')],
    ['a first item', source.replace('  - a\n', '  - z\n  - a\n')],
  ]) {
    const patched = patch(edited);
    const fresh = fastLoad(edited)!;
    assert.ok(patched && !('broken' in patched), what);
    assert.deepEqual([patched.value, patched.events], [fresh.value, fresh.events], what);
  }
  assert.equal(patch(typed('  key: v', '  list:\n')), undefined, 'between a key and its value');
  const twoItems = source.replace('  - a\n', '  - z\n  - a: 1\n');
  const readTwo = fastLoad(twoItems)!;
  for (const item of ['  - z\n', '  - a: 1\n']) {
    const edited = twoItems.replace(item, '');
    const patched = patchLineEdit(twoItems, { value: readTwo.value, events: readTwo.events }, edited);
    assert.ok(patched && !('broken' in patched), item);
    assert.deepEqual([patched.value, patched.events], [fastLoad(edited)!.value, fastLoad(edited)!.events], item);
  }
  const deleted = patch(source.replace('  x: 1\n', ''));
  assert.ok(deleted && !('broken' in deleted));
  assert.deepEqual(deleted.value, fastLoad(source.replace('  x: 1\n', ''))!.value);
  assert.deepEqual(deleted.events, fastLoad(source.replace('  x: 1\n', ''))!.events, 'the map begins at its next key');
  // A blank line below the first key: the map then begins a line lower than the deleted key did.
  const spaced = source.replace('  x: 1\n', '  x: 1\n\n');
  const readSpaced = fastLoad(spaced)!;
  const firstDeleted = patchLineEdit(spaced, { value: readSpaced.value, events: readSpaced.events }, spaced.replace('  x: 1\n', ''));
  assert.ok(firstDeleted && !('broken' in firstDeleted));
  assert.deepEqual(firstDeleted.events, fastLoad(spaced.replace('  x: 1\n', ''))!.events, 'the map begins at its next key');
  assert.equal(patch(source.replace('    p: 2\n', '')), undefined, "a map's only entry");
  assert.equal(patch(source.replace('  list:\n', '')), undefined, 'a key whose value is on the lines below');
});

test('a key typed after a block scalar, inside a flow map or inside a multi-line scalar is parsed in full', () => {
  for (const [source, edited] of [
    ['a: |+\n  text\n\nb: 1\n', 'a: |+\n  text\nk\n\nb: 1\n'],
    ['a: {x: 1,\n  y: 2}\nb: 1\n', 'a: {x: 1,\n  k\n  y: 2}\nb: 1\n'],
    ['a: one\n  two\nb: 1\n', 'a: one\n  k\n  two\nb: 1\n'],
    ['a: "one\n  two"\nb: 1\n', 'a: "one\n  k: v\n  two"\nb: 1\n'],
  ]) {
    const read = fastLoad(source)!;
    assert.equal(patchLineEdit(source, { value: read.value, events: read.events }, edited), undefined, JSON.stringify(edited));
  }
});

const STRING_KEYS = KEYS.filter((k) => !['null', 'true', 'name'].includes(k));

test('a line typed after an entry whose value is a flow collection (a Rollout step `- pause: { duration: 5s }`) is patched, as a fresh parse reads it at every keystroke', () => {
  const items = Array.from({ length: 12 }, (_, i) =>
    i % 3 === 0 ? `  - pause: { duration: ${i}s }` : i % 3 === 1 ? `  - name: item-${i}\n    ports: [80, 443] # ]\n    env: {A: "1", B: [x, "]"]}` : `  - setWeight: ${i}`,
  ).join('\n');
  const text = `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nsteps:\n${items}\nafter: 1\n`;
  const lines = text.split('\n');
  const flowLines = lines.flatMap((l, i) => (/[\]}]( #.*)?$/.test(l) ? [i + 1] : []));
  const next = random(1208);
  let patched = 0;
  let full = 0;
  for (let round = 0; round < 40; round++) {
    // A sibling key in the item (column 4), or a new item (column 2) where the item ends.
    const item = next() < 0.5;
    const ends = item ? flowLines.filter((i) => /^( {2}- |after)/.test(lines[i])) : flowLines;
    const at = ends[Math.floor(next() * ends.length)];
    const key = STRING_KEYS[Math.floor(next() * STRING_KEYS.length)];
    const typed = item ? `  - ${key}: v` : `    ${key}: v`;
    const lead = typed.length - typed.trimStart().length;
    const states = [typed.slice(0, lead), ...Array.from({ length: typed.length - lead }, (_, k) => typed.slice(0, lead + k + 1))];
    const read = reader();
    read(text);
    const nudged = lines.map((l, i) => (i === 3 ? `${l}z` : l));
    read(nudged.join('\n'));
    for (const state of states) {
      const edited = [...nudged.slice(0, at), state, ...nudged.slice(at)].join('\n');
      const [doc] = read(edited) as (ManifestDocument & { brokenBase?: unknown; keptEvents?: unknown })[];
      if (doc.brokenBase || doc.keptEvents) patched++;
      else full++;
      assertSameDocument(doc, parseManifest(edited).documents[0], `line ${at}, ${JSON.stringify(state)}`);
    }
  }
  assert.equal(full, 0, `patched ${patched}, parsed in full ${full}`);
});

test('a flow collection whose closing bracket comes after the line holds it: parsed in full', () => {
  for (const [source, edited] of [
    ['a: [x,\n  y\n  ]\nb: 1\n', 'a: [x,\n  y\n  k\n  ]\nb: 1\n'],
    ['a:\n  b: {x: 1,\n    y: [2]\n    }\nc: 1\n', 'a:\n  b: {x: 1,\n    y: [2]\n  k: v\n    }\nc: 1\n'],
  ]) {
    const read = fastLoad(source)!;
    assert.equal(patchLineEdit(source, { value: read.value, events: read.events }, edited), undefined, JSON.stringify(edited));
  }
  const source = 'a:\n  b: {x: 1} # ]\n  c: [2, "]"]\nd: 1\n';
  const read = fastLoad(source)!;
  for (const [after, line] of [['  b: {x: 1} # ]\n', '  k: v'], ['  c: [2, "]"]\n', '  k: v'], ['  c: [2, "]"]\n', '  ke']]) {
    const edited = source.replace(after, `${after}${line}\n`);
    const patched = patchLineEdit(source, { value: read.value, events: read.events }, edited);
    assert.ok(patched, JSON.stringify(edited));
    if (!('broken' in patched)) assert.deepEqual([patched.value, patched.events], [fastLoad(edited)!.value, fastLoad(edited)!.events]);
  }
});

test('an item typed over a character at a time inside a nested list (an analysis step\'s templates) is patched from the state before, as a fresh parse reads it', () => {
  const analysis = 'spec:\n  steps:\n  - setWeight: 20\n  - analysis:\n      templates:\n      - templateName: a\n  - pause: {}\nother: 1\n';
  const places: [string, string, string][] = [
    [analysis, '      - templateName: a\n', '      - templateName: b'],
    [analysis, '  - setWeight: 20\n', '  - setWeight: 30'],
    [rollout(), '        - setWeight: 7\n', '        - setWeight: 8'],
    [rollout(), '              value: "3"\n', '            - name: VAR_X'],
    [fleet(), '      zone: b\n', '    - name: item-x'],
  ];
  let patched = 0;
  let steps = 0;
  for (const [text, after, typed] of places) {
    const read = reader();
    read(text);
    read(`${text} `);
    let previous = `${text} `;
    // From the dash: `-` (an empty item), then `- t`, `- te`, `- templateName:`. (`- `, from `-`, is patched in incremental.ts.)
    const lead = typed.indexOf('- ');
    for (let k = lead + 1; k <= typed.length; k++) {
      const edited = `${text} `.replace(after, `${after}${typed.slice(0, k)}\n`);
      // The patch from the state before, as the cache tries it: what the fast loader reads of the whole text.
      const base = fastLoad(previous)!;
      const patch = patchScalarEdit(previous, { value: base.value, events: base.events }, edited) ?? patchLineEdit(previous, { value: base.value, events: base.events }, edited);
      steps++;
      if (patch && !('broken' in patch)) {
        patched++;
        const fresh = fastLoad(edited)!;
        assert.deepEqual([patch.value, patch.events], [fresh.value, fresh.events], JSON.stringify(typed.slice(0, k)));
      }
      // And through the cache, as the language server reads each keystroke.
      parseManifest(edited).documents.forEach((doc, i) => assertSameDocument(read(edited)[i], doc, `${JSON.stringify(typed.slice(0, k))}, document ${i}`));
      previous = edited;
    }
  }
  // Every state is patched here (the first a new line, each next one the line typed over) but the first
  // character after `- `: the empty item is not deleted by the line patch (its null has no place in
  // the text); the cache reads it again with its neighbours (incremental-region.ts, its own test).
  assert.equal(patched, steps - places.length, `${patched} of ${steps} keystrokes patched`);
});
