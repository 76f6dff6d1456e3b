// kdry simulate's JSON (megabytes: 6.5 MB for 10,000 replicas, 58 MB for 100,000) written in pieces
// of about 64K characters instead of as one string. JSON.stringify of the whole result gives a string
// made of V8's 16K parts that the write flattens into one copy and then encodes into another, each
// in memory the process touches for the first time; pieces this size are made and freed in the young
// generation. The 100,000-replica timeline's text and write took 912-1,054 ms of CPU whole and
// 349-405 ms in pieces (2 runs each, load 14); 10,000 replicas 77-101 ms and 59-94 ms (3 runs each).
//
// The pieces are JSON.stringify's own text, cut where a value starts: the outer objects and arrays
// are walked here (the keys in Object.keys order, as JSON.stringify takes them), and a long array's
// elements are stringified some hundreds at a time, so the text is byte for byte jsonText(value, 0)
// (for data whose toJSON methods, if any, do not read the key they are given: a Date's does not).
import { escapeRawInJson } from './escape';

/** About this many characters are written at a time. */
const PIECE = 1 << 16;
/** A longer array is stringified this many elements at a time (a pod is about 100 characters). */
const BATCH = 256;
/** Objects and short arrays this deep or deeper are stringified whole (a timeline's pods are in result.steps[i].pods). */
const WALKED_DEPTH = 3;

/** Writes jsonText(value, 0) (an object or array; the text JSON.stringify gives, escaped as stringifyJson escapes it) through `write`, in pieces. */
export function writeJsonText(value: object, write: (text: string) => void): void {
  let pending = '';
  const out = (text: string) => {
    pending += text;
    if (pending.length >= PIECE) {
      write(escapeRawInJson(pending));
      pending = '';
    }
  };
  walk(value, 0, out);
  if (pending) write(escapeRawInJson(pending));
}

/** An array or an object of Object's (or no) prototype, without toJSON: JSON.stringify writes its own elements or entries, which the walk can do in its place. */
function isWalkable(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const prototype = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function walk(value: unknown, depth: number, out: (text: string) => void): void {
  if (!isWalkable(value)) {
    // In an array, JSON.stringify writes undefined, a function or a symbol as null.
    out(JSON.stringify(value) ?? 'null');
  } else if (Array.isArray(value) && value.length > 2 * BATCH) {
    out('[');
    // Each batch's text without its brackets; slice() of a string this long is a view, not a copy.
    for (let i = 0; i < value.length; i += BATCH) out((i > 0 ? ',' : '') + JSON.stringify(value.slice(i, i + BATCH)).slice(1, -1));
    out(']');
  } else if (depth >= WALKED_DEPTH) {
    out(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out('[');
    // A loop, not forEach: a hole is written as null, as JSON.stringify writes it.
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out(',');
      walk(value[i], depth + 1, out);
    }
    out(']');
  } else {
    out('{');
    let first = true;
    for (const key of Object.keys(value)) {
      const entry = (value as Record<string, unknown>)[key];
      const prefix = `${first ? '' : ','}${JSON.stringify(key)}:`;
      if (isWalkable(entry)) {
        out(prefix);
        walk(entry, depth + 1, out);
      } else {
        // JSON.stringify leaves out an entry whose value is (or whose toJSON gives) undefined, a function or a symbol.
        const text = JSON.stringify(entry);
        if (text === undefined) continue;
        out(prefix + text);
      }
      first = false;
    }
    out('}');
  }
}
