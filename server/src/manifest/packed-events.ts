// A fast-loaded document's js-yaml events packed into numbers, so that `kdry check` keeps them from
// the first parse for the cross-document pass's ranges (check-pool.ts) instead of parsing the
// document again. One Int32Array per slice of documents crosses threads as one copy, holds nothing
// for the collector to trace, and takes 12 bytes per event against about 80 as objects. Unpacked,
// the events equal the parsed ones field for field.
//
// Only for the fast loader's documents (fast-load.ts `plainEvents`): one document, no directives,
// anchors, aliases or tags, so those unpack as absent (-1, none).
import { EVENT_ID, type Event } from 'js-yaml';

const { DOCUMENT, SEQUENCE, MAPPING, SCALAR, POP } = EVENT_ID;

/** Numbers per event: the head (kind, styles, flags, a scalar's indent), then two offsets. */
export const PACKED_EVENT_SIZE = 3;

/** A block scalar's indent is kept in the head's bits from here; one at or above MAX_INDENT does not pack. */
const INDENT_SHIFT = 11;
const MAX_INDENT = 2 ** (31 - INDENT_SHIFT) - 2;

/** Writes `events` into `out` from `at` (PACKED_EVENT_SIZE numbers each); false when one cannot be packed (out is then partly written). */
export function packEvents(events: readonly Event[], out: Int32Array, at: number): boolean {
  for (const e of events) {
    let head: number;
    let first = -1;
    let second = -1;
    switch (e.type) {
      case SCALAR:
        if (e.indent > MAX_INDENT || e.anchorStart >= 0 || e.tagStart >= 0) return false;
        head = e.type | (e.style << 3) | (e.chomping << 6) | (e.fast ? 1 << 8 : 0) | ((e.indent + 1) << INDENT_SHIFT);
        first = e.valueStart;
        second = e.valueEnd;
        break;
      case MAPPING:
      case SEQUENCE:
        if (e.anchorStart >= 0 || e.tagStart >= 0) return false;
        head = e.type | (e.style << 3);
        first = e.start;
        break;
      case DOCUMENT:
        if (e.directives.length > 0) return false;
        head = e.type | (e.explicitStart ? 1 << 9 : 0) | (e.explicitEnd ? 1 << 10 : 0);
        break;
      case POP:
        head = e.type;
        break;
      default:
        return false;
    }
    out[at] = head;
    out[at + 1] = first;
    out[at + 2] = second;
    at += PACKED_EVENT_SIZE;
  }
  return true;
}

/** The events packEvents packed (`packed` holds exactly one document's). */
export function unpackEvents(packed: Int32Array): Event[] {
  const events: Event[] = new Array(packed.length / PACKED_EVENT_SIZE);
  for (let at = 0, i = 0; at < packed.length; at += PACKED_EVENT_SIZE, i++) {
    const head = packed[at];
    const type = head & 7;
    if (type === SCALAR) {
      events[i] = { type, valueStart: packed[at + 1], valueEnd: packed[at + 2], anchorStart: -1, anchorEnd: -1, tagStart: -1, tagEnd: -1, style: (head >> 3) & 7, chomping: (head >> 6) & 3, indent: (head >>> INDENT_SHIFT) - 1, fast: (head & (1 << 8)) !== 0 } as Event;
    } else if (type === MAPPING || type === SEQUENCE) {
      events[i] = { type, start: packed[at + 1], anchorStart: -1, anchorEnd: -1, tagStart: -1, tagEnd: -1, style: (head >> 3) & 7 } as Event;
    } else if (type === DOCUMENT) {
      events[i] = { type, explicitStart: (head & (1 << 9)) !== 0, explicitEnd: (head & (1 << 10)) !== 0, directives: [] } as Event;
    } else events[i] = { type } as Event;
  }
  return events;
}
