// Events packed from a first parse (packed-events.ts) and unpacked in the cross-document pass must
// be the parsed events field for field, and a restored file (parse.ts restoreManifest) must place
// every range as the parsed file does, without parsing any document's events again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvents, type Event } from 'js-yaml';
import { keyRange, parseManifest, restoreManifest, splitDocuments, summarizeManifest, valueRange, type ObjectPath } from '../../server/src/manifest';
import { packEvents, PACKED_EVENT_SIZE, unpackEvents } from '../../server/src/manifest/packed-events';
import { fastLoad } from '../../server/src/manifest/fast-load';
import { corpus, mutate, random } from './yaml-corpus';

/** The documents of a text the fast loader reads, with their events. */
function fastEvents(text: string): Event[][] {
  return splitDocuments(text).flatMap((chunk) => {
    const fast = fastLoad(chunk.source);
    return fast ? [fast.events] : [];
  });
}

function roundTrip(events: Event[]): Event[] {
  const packed = new Int32Array(events.length * PACKED_EVENT_SIZE);
  assert.ok(packEvents(events, packed, 0));
  return unpackEvents(packed);
}

test('unpacked events equal the parsed events of every fast-loaded document, and of mutations', () => {
  let documents = 0;
  const next = random(777);
  const texts = [...corpus];
  for (let round = 0; round < 600; round++) {
    let text = corpus[round % corpus.length];
    for (let m = 1 + Math.floor(next() * 3); m > 0; m--) text = mutate(text, next);
    texts.push(text);
  }
  for (const text of texts) {
    for (const events of fastEvents(text)) {
      assert.deepEqual(roundTrip(events), events);
      documents++;
    }
  }
  assert.ok(documents > 300, `only ${documents} fast-loaded documents compared`);
});

test('block scalars keep their style, chomping and indent; quoted and folded keys decode as before', () => {
  const text = 'a: |-\n    kept\nb: >+\n  folded\n\n"q k": 1\n? long\n  key\n: 2\ne: [x, {f: "g"}]\n';
  const events = parseEvents(text, {});
  assert.deepEqual(roundTrip(events), events);
});

test('events with an anchor, a tag or directives are not packed (the fast loader never keeps those)', () => {
  const packed = new Int32Array(64 * PACKED_EVENT_SIZE);
  assert.equal(packEvents(parseEvents('a: &x 1\n', {}), packed, 0), false);
  assert.equal(packEvents(parseEvents('a: !!str 1\n', {}), packed, 0), false);
  assert.equal(packEvents(parseEvents('%YAML 1.2\n---\na: 1\n', {}), packed, 0), false);
});

/** Every path of a value. */
function paths(value: unknown, at: ObjectPath = []): ObjectPath[] {
  const out: ObjectPath[] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

test('a restored file places every range as the parsed one, from the packed events', () => {
  const text = corpus.join('\n---\n');
  const parsed = parseManifest(text, 'file:///a.yaml', undefined, undefined, true);
  const summaries = summarizeManifest(parsed);
  assert.ok(summaries.filter((s) => s.events).length > 10, 'the kept events are packed');
  const restored = restoreManifest(text, 'file:///a.yaml', summaries);
  let compared = 0;
  for (const [i, doc] of parsed.documents.entries()) {
    for (const path of paths(doc.value)) {
      assert.deepEqual(keyRange(restored.documents[i], path), keyRange(doc, path));
      assert.deepEqual(valueRange(restored.documents[i], path), valueRange(doc, path));
      compared++;
    }
  }
  assert.ok(compared > 1000);
});
