// The plain JS value of an ordinary YAML document, about three times faster than building the
// `yaml` library's document tree. Opening a file of a thousand manifests is dominated by that tree
// (~0.3 ms per document), yet only documents with findings need its exact source ranges, so
// parse.ts builds the tree lazily when this loader answers.
//
// It answers only where it is known to agree with `yaml` as parse.ts runs it (strict, unique
// keys, YAML 1.2 core schema, merge keys): exactly one document, no tags, directives, complex
// keys or `__proto__`, and no error from js-yaml. Anchors, aliases and `<<` merge keys (the way
// teams share labels) are read too, where `yaml` cannot refuse them: no alias inside an anchored
// collection (the nesting behind an alias bomb), within goyaml's alias ratio (alias-ratio.ts), one merge key
// per map (`yaml` calls a second one a duplicate key), none on a key. Anything else returns
// undefined and takes the `yaml` path, which reports problems at their exact position.
// test/manifest/fast-load.test.ts checks the agreement on the examples and thousands of mutations.
import { aliasRatioExceeded } from './alias-ratio';
import { constructFromEvents, CORE_SCHEMA, EVENT_ID, mergeTag, parseEvents, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';

// Read once: through the bundle's CommonJS interop every access to EVENT_ID.X is a getter call,
// and plainEvents reads them for each of ~100 events per document.
const { DOCUMENT, ALIAS, POP, SCALAR, MAPPING } = EVENT_ID;
const PLAIN = SCALAR_STYLE.PLAIN;

/** The core schema with `<<` merge keys, as `yaml` reads them with `merge: true` (YAML 1.1's merge type). */
export const FAST_LOAD_SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/**
 * Text the loaders read differently, found by the agreement test: a carriage return outside CRLF,
 * tabs, a document end marker (`...`), and numbers too large for a double (`yaml` gives Infinity,
 * js-yaml the string), i.e. a three-digit exponent (`9e376`, `5.e3760`) or hundreds of digits. An
 * exponent is one only where the scalar ends after its digits (a space, a line end, `,` `]` `}` in a
 * flow, `:` of a key): Helm's `checksum/config: 1e978a6521e416ab` (a hex digest, a string to both
 * loaders) holds `1e978`, and 45% of 64-digit sha256 digests hold a digit, `e` and three digits; such
 * a document was read by `yaml` (in a rendered chart, the Deployments and StatefulSets).
 */
const DIFFERENTLY_READ = /\r(?!\n)|\t|^\.\.\.(?=[ \r\n]|$)|\d\.?[eE]\+?\d{3,}(?![^\s,\]}:])|[0-9a-fA-F]{250}/m;

export interface FastLoaded {
  value: unknown;
  /** The events the value was built from (parse.ts keeps them when asked, for ranges without a second parse). */
  events: Event[];
  /**
   * The document has anchors or merge keys: a part of the value may stand for several places of
   * the text, so an edit in one place cannot be patched into the value alone (incremental.ts).
   */
  linked: boolean;
}

/** Text fastLoad leaves to `yaml` before parsing it (direct-load.ts leaves it too). */
export function declinedByFastLoad(source: string): boolean {
  return source.includes('__proto__') || DIFFERENTLY_READ.test(source);
}

/** `syntaxError`: told what js-yaml threw when it could not read the text (large-document.ts reports it). */
export function fastLoad(source: string, syntaxError?: (error: unknown) => void): FastLoaded | undefined {
  if (declinedByFastLoad(source)) return undefined;
  let events: Event[];
  try {
    events = parseEvents(source, {});
  } catch (error) {
    syntaxError?.(error);
    return undefined;
  }
  const linked = plainEvents(source, events);
  if (linked === undefined) return undefined;
  try {
    const documents = constructFromEvents(events, { source, schema: FAST_LOAD_SCHEMA, maxAliases: -1 });
    return documents.length === 1 ? { value: documents[0], events, linked } : undefined;
  } catch {
    return undefined;
  }
}

// An open collection, as bits: a mapping, whose next node is a key, which has had its merge key,
// which is anchored. A sequence (and the document) is 0 or ANCHORED.
const MAP = 1;
const KEY_NEXT = 2;
const MERGED = 4;
const ANCHORED = 8;

/**
 * Whether the events are one document both loaders read alike (see the top of this file):
 * undefined when they may not, else whether it has anchors or merge keys. Mapping keys must all be
 * strings (the loaders turn an empty, null, boolean, number or collection key into different strings).
 */
function plainEvents(source: string, events: Event[]): boolean | undefined {
  let documents = 0;
  const open: number[] = [];
  let anchored = 0;
  let linked = false;
  // goyaml's alias counts (alias-ratio.ts): nodes decoded, those from alias expansions, the
  // expanded size of each anchor (exact here: no alias lies inside an anchored collection), and
  // where each open anchored collection began.
  let decoded = 1;
  let expandedAliases = 0;
  const anchorSizes = new Map<string, number>();
  const openAnchors: { name: string; decodedBefore: number }[] = [];
  for (const e of events) {
    const top = open.length - 1;
    const keyNext = top >= 0 && (open[top] & KEY_NEXT) !== 0;
    switch (e.type) {
      case DOCUMENT:
        if (++documents > 1 || e.directives.length > 0) return undefined;
        open.push(0);
        break;
      case ALIAS: {
        if (keyNext || anchored > 0) return undefined;
        const size = anchorSizes.get(source.slice(e.anchorStart, e.anchorEnd)) ?? 0;
        decoded += 1 + size;
        expandedAliases += size;
        // Left to parse.ts, which reports it.
        if (aliasRatioExceeded(expandedAliases, decoded)) return undefined;
        linked = true;
        advance(open);
        break;
      }
      case POP:
        if ((open.pop()! & ANCHORED) !== 0) {
          anchored--;
          const { name, decodedBefore } = openAnchors.pop()!;
          anchorSizes.set(name, decoded - decodedBefore);
        }
        advance(open);
        break;
      case SCALAR:
        if (e.tagStart >= 0) return undefined;
        if (keyNext) {
          if (e.anchorStart >= 0) return undefined;
          if (isMergeKey(source, e)) {
            if ((open[top] & MERGED) !== 0) return undefined;
            open[top] |= MERGED;
            linked = true;
          } else if (!stringKey(source, e)) return undefined;
        } else if (e.anchorStart >= 0) {
          linked = true;
          anchorSizes.set(source.slice(e.anchorStart, e.anchorEnd), 1);
        }
        decoded++;
        advance(open);
        break;
      default: // SEQUENCE, MAPPING
        if (e.tagStart >= 0 || keyNext) return undefined;
        if (e.anchorStart >= 0) {
          anchored++;
          linked = true;
          openAnchors.push({ name: source.slice(e.anchorStart, e.anchorEnd), decodedBefore: decoded });
        }
        decoded++;
        open.push((e.type === MAPPING ? MAP | KEY_NEXT : 0) | (e.anchorStart >= 0 ? ANCHORED : 0));
    }
  }
  return documents === 1 ? linked : undefined;
}

/** A plain `<<` key: `yaml` (with `merge: true`) and js-yaml (with mergeTag) merge its value's maps here. */
export function isMergeKey(source: string, key: ScalarEvent): boolean {
  return key.style === PLAIN && key.valueEnd - key.valueStart === 2 && source.startsWith('<<', key.valueStart);
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
function advance(open: number[]): void {
  const top = open.length - 1;
  if (top >= 0 && (open[top] & MAP) !== 0) open[top] ^= KEY_NEXT;
}
