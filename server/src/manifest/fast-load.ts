// The plain JS value of an ordinary YAML document, about three times faster than building the
// `yaml` library's document tree. Opening a file of a thousand manifests is dominated by that tree
// (~0.3 ms per document), yet only documents with findings need its exact source ranges, so
// parse.ts builds the tree lazily when this loader answers.
//
// It answers only where it is known to agree with `yaml` as parse.ts runs it (strict, unique
// keys, YAML 1.2 core schema, merge keys): exactly one document, no anchors, aliases, tags,
// directives, complex or merge keys or `__proto__`, and no error from js-yaml. Anything else
// returns undefined and takes the `yaml` path, which reports problems at their exact position.
// test/manifest/fast-load.test.ts checks the agreement on the examples and thousands of mutations.
import { constructFromEvents, CORE_SCHEMA, EVENT_ID, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';

// Read once: through the bundle's CommonJS interop every access to EVENT_ID.X is a getter call,
// and plainEvents reads them for each of ~100 events per document.
const { DOCUMENT, ALIAS, POP, SCALAR, MAPPING } = EVENT_ID;
const PLAIN = SCALAR_STYLE.PLAIN;

/**
 * Text the loaders read differently, found by the agreement test: a carriage return outside CRLF,
 * tabs, a document end marker (`...`), and numbers too large for a double (`yaml` gives Infinity,
 * js-yaml the string), i.e. a three-digit exponent or hundreds of digits.
 */
const DIFFERENTLY_READ = /\r(?!\n)|\t|^\.\.\.(?=[ \r\n]|$)|\d[eE]\+?\d{3}|[0-9a-fA-F]{250}/m;

/** The value, and the events it was built from (parse.ts keeps them when asked, for ranges without a second parse). */
export function fastLoad(source: string): { value: unknown; events: Event[] } | undefined {
  if (source.includes('__proto__') || DIFFERENTLY_READ.test(source)) return undefined;
  let events: Event[];
  try {
    events = parseEvents(source, {});
  } catch {
    return undefined;
  }
  if (!plainEvents(source, events)) return undefined;
  try {
    const documents = constructFromEvents(events, { source, schema: CORE_SCHEMA, maxAliases: 0 });
    return documents.length === 1 ? { value: documents[0], events } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One document without directives, anchors, aliases or tags, whose mapping keys are all strings
 * (the loaders turn an empty, null, boolean, number or collection key into different strings).
 */
function plainEvents(source: string, events: Event[]): boolean {
  let documents = 0;
  // Per open collection: for mappings, whether the next node is a key; -1 for sequences.
  const nextIsKey: number[] = [];
  for (const e of events) {
    switch (e.type) {
      case DOCUMENT:
        if (++documents > 1 || e.directives.length > 0) return false;
        nextIsKey.push(-1);
        break;
      case ALIAS:
        return false;
      case POP:
        nextIsKey.pop();
        advance(nextIsKey);
        break;
      case SCALAR:
        if (e.anchorStart >= 0 || e.tagStart >= 0) return false;
        if (nextIsKey[nextIsKey.length - 1] === 1 && !stringKey(source, e)) return false;
        advance(nextIsKey);
        break;
      default: // SEQUENCE, MAPPING
        if (e.anchorStart >= 0 || e.tagStart >= 0 || nextIsKey[nextIsKey.length - 1] === 1) return false;
        nextIsKey.push(e.type === MAPPING ? 1 : -1);
    }
  }
  return documents === 1;
}

/** Plain keys both loaders read as something other than a string. */
const NOT_STRING = ['null', 'Null', 'NULL', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'];

/**
 * A key both loaders read as the same string; `<<` (a merge key, not expanded here) is not one.
 * Read in place: a slice per key was most of what this pass allocated (~1 M keys per 10,000 documents).
 */
function stringKey(source: string, key: ScalarEvent): boolean {
  const start = key.valueStart;
  const length = key.valueEnd - start;
  if (length <= 0) return false;
  if (key.style !== PLAIN) return true;
  const c = source.charCodeAt(start);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false; // [A-Za-z_]
  for (const word of NOT_STRING) if (word.length === length && source.startsWith(word, start)) return false;
  return true;
}

/** A node ended inside the innermost collection: in a mapping, keys and values alternate. */
function advance(nextIsKey: number[]): void {
  const top = nextIsKey.length - 1;
  if (top >= 0 && nextIsKey[top] !== -1) nextIsKey[top] = nextIsKey[top] === 1 ? 0 : 1;
}
