// The events an edit is patched into (incremental.ts, incremental-lines.ts) have the hidden class of
// the parser's own events: code that reads events (packEvents, isMergeKey, scalarAt) is optimised by
// V8 for the events of the open, and an event of another class (an object spread makes one) threw
// that code away and had it compiled again, several times, during the first edits after an open.
// %HaveSameMap is V8's own answer to "same hidden class", enabled here for this file only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { parseEvents, EVENT_ID, type Event } from 'js-yaml';
import { fastLoad } from '../../server/src/manifest/fast-load';
import { patchScalarEdit } from '../../server/src/manifest/incremental';
import { patchLineEdit } from '../../server/src/manifest/incremental-lines';
import { patchRegionEdit } from '../../server/src/manifest/incremental-region';

setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** Each patched event has the class of the fresh parse's event of the same type. */
function assertParserShapes(patched: readonly Event[], source: string): void {
  const fresh = parseEvents(source, {});
  const byType = new Map<number, Event>();
  for (const e of fresh) if (!byType.has(e.type)) byType.set(e.type, e);
  for (const [i, e] of patched.entries()) {
    const model = byType.get(e.type);
    if (model) assert.ok(haveSameMap(e, model), `event ${i} (type ${e.type}) is not of the parser's class: ${JSON.stringify(e)}`);
  }
}

function loaded(source: string) {
  const result = fastLoad(source);
  assert.ok(result?.events, 'the fast loader reads the fixture');
  return { value: result.value, events: result.events };
}

const before = 'spec:\n  replicas: 2\n  template:\n    image: web\n    name: a\n';

test('a scalar edited in place is of the parser event class', () => {
  const after = before.replace('image: web', 'image: webx');
  const patched = patchScalarEdit(before, loaded(before), after);
  assert.ok(patched, 'the edit is patched');
  assertParserShapes(patched.events, after);
  assert.ok(patched.events.some((e) => e.type === EVENT_ID.SCALAR));
});

test('a key and its value changed on one line are of the parser event class', () => {
  const after = before.replace('image: web', 'images:  web2');
  const patched = patchScalarEdit(before, loaded(before), after);
  assert.ok(patched, 'the edit is patched');
  assertParserShapes(patched.events, after);
});

test('a line typed before a map\'s first key and one deleted leave collections of the parser event class', () => {
  const typed = before.replace('  template:\n    image', '  template:\n    first: 1\n    image');
  const added = patchLineEdit(before, loaded(before), typed);
  assert.ok(added && !('broken' in added), 'the new line is patched');
  assertParserShapes(added.events, typed);
  const removed = patchLineEdit(typed, loaded(typed), before);
  assert.ok(removed && !('broken' in removed), 'the deleted line is patched');
  assertParserShapes(removed.events, before);
});

test('items read again around an edit in a nested list (an empty item\'s first letter, an item split) are of the parser event class', () => {
  // Around the document's other lines: a region as long as half the document is left to the full parse.
  const list = 'metadata:\n  name: shapes\n  labels:\n    app: web\nspec:\n  items:\n  - name: a\n    port: 1\n  - name: b\n  other: 1\n  more: [x, y]\n';
  for (const [from, to] of [
    [list.replace('    port: 1\n', '    port: 1\n  - \n'), list.replace('    port: 1\n', '    port: 1\n  - n\n')],
    [list, list.replace('  - name: a\n', '  - name: a\n  -\n')],
  ]) {
    const patched = patchRegionEdit(from, loaded(from), to);
    assert.ok(patched, JSON.stringify(to));
    assertParserShapes(patched.events, to);
  }
});
