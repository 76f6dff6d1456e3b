// An edit inside a block collection read again over the items or entries it touched
// (incremental-region.ts) must be exactly what a fresh parse reads: the same value (key order too)
// and events. Checked over seeded random damage and typing on the examples, the varied-syntax
// fixture and the 1,000-line custom resources of the bench, and over list items typed a character
// at a time into nested lists: after an item's last line (`- ` then `- n`: the empty item's null,
// which the line patch cannot place) and after an item's first line, which splits the item.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastLoad } from '../../server/src/manifest/fast-load';
import { patchScalarEdit } from '../../server/src/manifest/incremental';
import { patchLineEdit } from '../../server/src/manifest/incremental-lines';
import { patchRegionEdit } from '../../server/src/manifest/incremental-region';
import { parseManifest, splitDocuments } from '../../server/src/manifest';
import { fleet, rollout } from '../../scripts/bench/inputs/custom-resources';
import { corpus, mutate, random, typist } from './yaml-corpus';
import { assertSameDocument, reader } from './same-document';

/** The documents the fast loader reads without anchors: those whose edits are patched. */
const DOCUMENTS = [...corpus, fleet(), rollout()]
  .flatMap((t) => splitDocuments(t).map((c) => c.source))
  .filter((source) => {
    const read = fastLoad(source);
    return read && !read.linked && !source.includes('\r');
  });

/** The patch of `edited` from `text`, asserted to be what the fast loader reads of `edited`; whether there was one. */
function assertPatchedAsFresh(text: string, edited: string, context: string): boolean {
  const base = fastLoad(text)!;
  const patch = patchRegionEdit(text, { value: base.value, events: base.events }, edited);
  if (!patch) return false;
  const fresh = fastLoad(edited);
  assert.ok(fresh && !fresh.linked, `${context}: patched, but a fresh parse does not read it so`);
  assert.deepEqual(patch.value, fresh.value, context);
  assert.equal(JSON.stringify(patch.value), JSON.stringify(fresh.value), `${context}: key order`);
  assert.deepEqual(patch.events, fresh.events, `${context}: events`);
  return true;
}

test('random damage and typing read again around the edit read as a fresh parse does', () => {
  const next = random(20261208);
  let answered = 0;
  let steps = 0;
  for (let round = 0; round < 1500; round++) {
    let text = DOCUMENTS[round % DOCUMENTS.length];
    const type = typist(next);
    for (let k = 0; k < 6 && fastLoad(text)?.linked === false; k++) {
      const edited = next() < 0.5 ? mutate(text, next) : type(text);
      steps++;
      if (assertPatchedAsFresh(text, edited, `round ${round}, edit ${k}: ${JSON.stringify(edited.slice(0, 80))}`)) answered++;
      text = edited;
    }
  }
  // The property means little unless the patch answered often.
  assert.ok(answered >= steps / 4, `answered ${answered} of ${steps}`);
});

/** Items of nested lists: [text, an item's first line, its last line]. */
function itemsOf(text: string): [string, number, number][] {
  const lines = text.split('\n');
  const items: [string, number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    const dash = /^( +)- [A-Za-z]+: \S/.exec(lines[i]);
    if (!dash) continue;
    const column = dash[1].length;
    let last = i;
    while (last + 1 < lines.length && /^ *$/.test(lines[last + 1].slice(0, column + 1)) && lines[last + 1].trim() !== '') last++;
    items.push([text, i, last]);
  }
  return items;
}

test('a list item typed into a nested list, or splitting an item, is patched at every state a fresh parse reads (after a broken one too), as it reads it', () => {
  const next = random(1208);
  const candidates = [fleet(), rollout(), ...DOCUMENTS.filter((d) => d.length < 20_000)].flatMap(itemsOf);
  let patched = 0;
  let readable = 0;
  for (let round = 0; round < 30; round++) {
    const [text, firstLine, lastLine] = candidates[Math.floor(next() * candidates.length)];
    const lines = text.split('\n');
    const column = lines[firstLine].indexOf('-');
    // After the item's last line (a new item) or after its first (splitting it, when it has more lines).
    const after = next() < 0.5 ? lastLine : firstLine;
    const typed = ['- name: v', '- k: v', '- x', '- k:', '- [a]'][Math.floor(next() * 5)];
    const read = reader();
    read(text);
    read(`${text} `);
    let previous = `${text} `;
    for (let k = 0; k <= typed.length; k++) {
      const state = ' '.repeat(column) + typed.slice(0, k);
      const edited = `${[...lines.slice(0, after + 1), state, ...lines.slice(after + 1)].join('\n')} `;
      const context = `round ${round}, line ${after} ${JSON.stringify(lines[after])}, typed ${JSON.stringify(state)}`;
      // The patch from the state before (the last one a parse read: a broken state keeps it), as the cache tries them in turn.
      const base = fastLoad(previous)!;
      const line = patchScalarEdit(previous, { value: base.value, events: base.events }, edited) ?? patchLineEdit(previous, { value: base.value, events: base.events }, edited);
      const fresh = fastLoad(edited);
      if (fresh && !fresh.linked) {
        readable++;
        if ((line && !('broken' in line)) || assertPatchedAsFresh(previous, edited, context)) patched++;
      }
      // And through the cache, as the language server reads each keystroke.
      const incremental = read(edited);
      parseManifest(edited).documents.forEach((doc, i) => assertSameDocument(incremental[i], doc, `${context}, document ${i}`));
      if (fresh) previous = edited;
    }
  }
  assert.equal(patched, readable, `patched ${patched} of ${readable} states a fresh parse reads`);
});

test('the first letter of an empty item, and an item split by a new dash, are patched as a fresh parse reads them', () => {
  const text = 'spec:\n  items:\n  - name: a\n    port: 1\n  - name: b\n    port: 2\nafter: 1\n';
  const cases: [string, string, unknown][] = [
    // `- ` typed after the first item (an empty item, null), then its first letter.
    [text.replace('    port: 1\n', '    port: 1\n  - \n'), text.replace('    port: 1\n', '    port: 1\n  - n\n'), [{ name: 'a', port: 1 }, 'n', { name: 'b', port: 2 }]],
    // A dash typed between an item's first line and its next: the lines below belong to the new item.
    [text, text.replace('  - name: a\n', '  - name: a\n  -\n'), [{ name: 'a' }, { port: 1 }, { name: 'b', port: 2 }]],
    [text.replace('  - name: a\n', '  - name: a\n  - k:\n'), text.replace('  - name: a\n', '  - name: a\n  - k: v\n'), [{ name: 'a' }, { k: 'v', port: 1 }, { name: 'b', port: 2 }]],
  ];
  for (const [before, after, items] of cases) {
    assert.ok(assertPatchedAsFresh(before, after, JSON.stringify(after)), `patched: ${JSON.stringify(after)}`);
    assert.deepEqual((fastLoad(after)!.value as { spec: { items: unknown } }).spec.items, items);
  }
});
