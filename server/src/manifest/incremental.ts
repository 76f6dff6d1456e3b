// An edit that changes plain scalars on one line of a large document, by far the commonest
// keystroke (typing a value or a key), re-reads only those scalars: the previous version's events
// say which scalar the edit fell in and where it sits, the new value is the previous one with the
// objects on the path to it copied (every other subtree is the same object as before, so checks
// that memoize on values keep their work), and the events after the edit are shifted by its length.
//
// It answers only when the edit provably keeps the structure, in two shapes:
//   - inside one plain scalar: both its old and new text are plain words of characters that cannot
//     start, end or break a YAML node (letters, digits, `_ . - /`), a value's words single-spaced
//     or more (`image: nginx 1.2` is still one string), a key one word;
//   - anywhere on a line that is `key: value` or a lone value (after its indentation and `- `
//     indicators, which stay as they were) and stays one: a key and its value changed at once,
//     spaces typed after the value or between the colon and the value;
//   - blank lines or spaces at the end of a line, added or removed outside any scalar.
// Anything else (a colon, a quote, a comment, text on a new line, a key that would repeat or stop
// being a string, a scalar continued on the next line) returns undefined: a whole line typed or
// deleted is incremental-lines.ts's, the items or entries around any other edit inside a block
// collection are read again by incremental-region.ts, the rest is parsed in full. test/manifest/incremental.test.ts
// checks random edits against a fresh parse.
import { EVENT_ID, getScalarValue, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';
import { fastLoad } from './fast-load';
import type { PathSegment } from './types';

const { DOCUMENT, POP, SCALAR, MAPPING, SEQUENCE } = EVENT_ID;
const PLAIN = SCALAR_STYLE.PLAIN;

/** A plain word both loaders read as one scalar wherever a scalar may stand (a key must be one). */
export const WORD = '(?:[A-Za-z0-9_]|[-.][A-Za-z0-9_])[A-Za-z0-9_./-]*';
/** A value: words with spaces between them (no space ends it, and none of them is a lone `-`, `?` or `#`). */
export const WORDS = `${WORD}(?: +[A-Za-z0-9_./-]+)*`;
const SAFE_KEY = new RegExp(`^${WORD}$`);
const SAFE_VALUE = new RegExp(`^${WORDS}$`);
/** A line holding `key: value` or a lone value, after its indentation and `- ` indicators (group 1). */
const SIMPLE_LINE = new RegExp(`^( *(?:- +)*)(?:(${WORD}):( +)(${WORDS})|(${WORDS})) *\\r?$`);

const BLOCK = 256;

export interface Patched {
  value: unknown;
  events: Event[];
}

/**
 * The value and events of `source`, from `previous` (the value and events of `previousSource`)
 * when the two texts differ inside one plain scalar; undefined when they must be parsed.
 */
export function patchScalarEdit(previousSource: string, previous: Patched, source: string): Patched | undefined {
  if (previousSource.includes('__proto__') || source.includes('__proto__')) return undefined;
  const edit = editedRange(previousSource, source);
  if (!edit) return undefined;
  const { start, oldEnd, newEnd } = edit;
  const delta = newEnd - oldEnd;
  return patchScalar(previousSource, previous, source, start, oldEnd, delta) ?? patchLine(previousSource, previous, source, start, oldEnd, newEnd, delta) ?? patchBlank(previousSource, previous, source, start, oldEnd, newEnd);
}

/** Where two texts differ: previousSource[start, oldEnd) became source[start, newEnd); undefined when they are equal. */
export function editedRange(previousSource: string, source: string): { start: number; oldEnd: number; newEnd: number } | undefined {
  const limit = Math.min(previousSource.length, source.length);
  let start = 0;
  // A block at a time first: the engine compares substrings far faster than a loop of characters.
  while (start + BLOCK <= limit && previousSource.slice(start, start + BLOCK) === source.slice(start, start + BLOCK)) start += BLOCK;
  while (start < limit && previousSource.charCodeAt(start) === source.charCodeAt(start)) start++;
  if (start === limit && previousSource.length === source.length) return undefined;
  let oldEnd = previousSource.length;
  let newEnd = source.length;
  while (oldEnd - BLOCK > start && newEnd - BLOCK > start && previousSource.slice(oldEnd - BLOCK, oldEnd) === source.slice(newEnd - BLOCK, newEnd)) {
    oldEnd -= BLOCK;
    newEnd -= BLOCK;
  }
  while (oldEnd > start && newEnd > start && previousSource.charCodeAt(oldEnd - 1) === source.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/** The edit [start, oldEnd) -> +delta inside one plain scalar. */
function patchScalar(previousSource: string, previous: Patched, source: string, start: number, oldEnd: number, delta: number): Patched | undefined {
  const found = scalarAt(previousSource, previous.events, start, oldEnd);
  if (!found) return undefined;
  const { index, isKey, path } = found;
  const old = previous.events[index] as ScalarEvent;
  const oldText = previousSource.slice(old.valueStart, old.valueEnd);
  const text = source.slice(old.valueStart, old.valueEnd + delta);
  const safe = isKey ? SAFE_KEY : SAFE_VALUE;
  if (!safe.test(oldText) || !safe.test(text)) return undefined;
  const value = isKey ? renamedKey(previous.value, path, oldText, text) : replacedScalar(previous.value, path, oldText, text);
  if (value === undefined) return undefined;
  return { value, events: shiftedAfter(previous.events, index, withValueRange(old, old.valueStart, old.valueEnd + delta), delta) };
}

/**
 * The edit [start, oldEnd) -> [start, newEnd) within one line that is `key: value` or a lone value
 * before and after it, with the same indentation and indicators: its scalars read again.
 */
function patchLine(previousSource: string, previous: Patched, source: string, start: number, oldEnd: number, newEnd: number, delta: number): Patched | undefined {
  // Within one line, and not touching a carriage return (one left alone reads differently).
  if (/[\r\n]/.test(previousSource.slice(start, oldEnd)) || /[\r\n]/.test(source.slice(start, newEnd))) return undefined;
  const lineStart = start === 0 ? 0 : previousSource.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = previousSource.indexOf('\n', oldEnd);
  const oldLineEnd = lineEnd < 0 ? previousSource.length : lineEnd;
  const before = SIMPLE_LINE.exec(previousSource.slice(lineStart, oldLineEnd));
  const after = SIMPLE_LINE.exec(source.slice(lineStart, oldLineEnd + delta));
  if (!before || !after || before[1] !== after[1] || (before[2] === undefined) !== (after[2] === undefined)) return undefined;
  const first = lineStart + before[1].length;
  const found = scalarAt(previousSource, previous.events, first, first);
  if (!found || found.isKey !== (before[2] !== undefined)) return undefined;
  const { index, path } = found;
  const events = previous.events;
  // A line of one value: its scalar must be the whole of it (not the rest of one begun above).
  if (before[2] === undefined) {
    const old = events[index] as ScalarEvent;
    if (old.valueStart !== first || old.valueEnd !== first + before[5].length) return undefined;
    const value = before[5] === after[5] ? copiedRoot(previous.value) : replacedScalar(previous.value, path, before[5], after[5]);
    if (value === undefined) return undefined;
    return { value, events: shiftedAfter(events, index, withValueRange(old, old.valueStart, first + after[5].length), delta) };
  }
  const [, , oldKey, oldGap, oldText] = before;
  const [, , key, gap, text] = after;
  const oldKeyEvent = events[index] as ScalarEvent;
  const oldValueEvent = events[index + 1] as ScalarEvent;
  const oldValueStart = first + oldKey.length + 1 + oldGap.length;
  // The value must be this line's plain scalar, ending on it.
  if (oldKeyEvent.valueStart !== first || oldKeyEvent.valueEnd !== first + oldKey.length || oldValueEvent?.type !== SCALAR || oldValueEvent.style !== PLAIN || oldValueEvent.valueStart !== oldValueStart || oldValueEvent.valueEnd !== oldValueStart + oldText.length) return undefined;
  let value = oldText === text ? previous.value : replacedScalar(previous.value, [...path, oldKey], oldText, text);
  if (value !== undefined && oldKey !== key) value = renamedKey(value, path, oldKey, key);
  if (value === previous.value) value = copiedRoot(value);
  if (value === undefined) return undefined;
  const valueStart = first + key.length + 1 + gap.length;
  const patched = shiftedAfter(events, index + 1, withValueRange(oldValueEvent, valueStart, valueStart + text.length), delta);
  patched[index] = withValueRange(oldKeyEvent, oldKeyEvent.valueStart, first + key.length);
  return { value, events: patched };
}

/**
 * Blank lines or spaces at the end of a line added or removed (Enter at the end of a line, its
 * indentation, a blank line deleted): no value changes and the events after the edit move, unless
 * it falls inside a scalar (a multi-line scalar reads a blank line as a line break) or after a
 * block scalar (whose kept trailing lines are its content).
 */
function patchBlank(previousSource: string, previous: Patched, source: string, start: number, oldEnd: number, newEnd: number): Patched | undefined {
  if (oldEnd !== start && newEnd !== start) return undefined;
  // The longer text, and where the added or removed spaces and line breaks end in it.
  const [longer, shorter, end] = oldEnd > start ? [previousSource, source, oldEnd] : [source, previousSource, newEnd];
  if (!/^[ \n]+$/.test(longer.slice(start, end))) return undefined;
  // Moved as far up as it goes: Enter after `a: 1` above an indented `b: 2` reads as the line
  // break and indentation inserted before `b`; moved, it is inserted after `1`.
  let from = start;
  let to = end;
  while (from > 0 && longer.charCodeAt(from - 1) === longer.charCodeAt(to - 1)) {
    from--;
    to--;
  }
  // No line's content moves or changes indentation: only spaces follow the edit on its line.
  if (!onlySpacesToLineEnd(longer, to) || !onlySpacesToLineEnd(shorter, from)) return undefined;
  const events = previous.events;
  let first = events.length;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    // A quoted scalar begins at its opening quote: an edit right after `"` at a line end is inside
    // its text (a blank line there is a line break of the value), refused below.
    const at = e.type === SCALAR ? (isQuoted(e) ? e.valueStart - 1 : e.valueStart) : e.type === MAPPING || e.type === SEQUENCE ? e.start : -1;
    if (at >= from) {
      first = i;
      break;
    }
  }
  // The last scalar before the edit must end before it, on one line; and no block scalar may begin
  // or end next to it (a blank line after `|` is part of the text, and so are kept trailing ones).
  for (let i = first - 1; i >= 0; i--) {
    const e = events[i];
    if (e.type !== SCALAR || e.valueStart < 0) continue;
    if (!e.fast || isBlock(e) || e.valueEnd > from || (e.style !== PLAIN && e.valueEnd >= from)) return undefined;
    break;
  }
  for (let i = first; i < events.length; i++) {
    const e = events[i];
    if (e.type !== SCALAR || e.valueStart < 0) continue;
    if (isBlock(e)) return undefined;
    break;
  }
  const value = copiedRoot(previous.value);
  if (value === undefined) return undefined;
  const delta = source.length - previousSource.length;
  const patched = events.slice(0, first);
  for (let i = first; i < events.length; i++) patched.push(shifted(events[i], delta));
  return { value, events: patched };
}

export function isQuoted(e: ScalarEvent): boolean {
  return e.valueStart >= 0 && (e.style === SCALAR_STYLE.SINGLE_QUOTED || e.style === SCALAR_STYLE.DOUBLE_QUOTED);
}

export function isBlock(e: ScalarEvent): boolean {
  return e.style === SCALAR_STYLE.LITERAL_BLOCK || e.style === SCALAR_STYLE.FOLDED_BLOCK;
}

function onlySpacesToLineEnd(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32) return false;
  }
  return true;
}

/** `events` with the one at `index` replaced by `changed` and those after it moved by `delta`. */
function shiftedAfter(previous: readonly Event[], index: number, changed: Event, delta: number): Event[] {
  const events = previous.slice();
  events[index] = changed;
  if (delta !== 0) for (let i = index + 1; i < events.length; i++) events[i] = shifted(events[i], delta);
  return events;
}

/**
 * The same value in a new root object (spaces typed after a value change no value): memos keyed on
 * the root, such as a document's findings with their source ranges, are then not taken for this text.
 */
export function copiedRoot(root: unknown): unknown {
  if (Array.isArray(root)) return root.slice();
  return isPlainMap(root) ? { ...root } : undefined;
}

/**
 * The plain scalar event whose text holds [start, end) (an insertion at either end included), with
 * the path of the node it is (a value) or names (a key); undefined if the edit is anywhere else.
 */
function scalarAt(source: string, events: readonly Event[], start: number, end: number): { index: number; isKey: boolean; path: PathSegment[] } | undefined {
  // Per open collection: the index of its current key's event (maps) or of its next item (sequences, negated - 1).
  const open: number[] = [];
  const isMap: boolean[] = [];
  const nextIsKey: boolean[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.type === DOCUMENT) continue;
    if (e.type === POP) {
      open.pop();
      isMap.pop();
      nextIsKey.pop();
      continue;
    }
    const top = open.length - 1;
    const keyPosition = top >= 0 && isMap[top] && nextIsKey[top];
    if (top >= 0) {
      if (isMap[top]) {
        if (keyPosition) open[top] = i;
        nextIsKey[top] = !nextIsKey[top];
      } else open[top]++;
    }
    if (e.type === SCALAR) {
      if (e.valueStart > end) return undefined; // events run in source order: past the edit
      if (e.valueStart <= start && end <= e.valueEnd && e.style === PLAIN) {
        const path: PathSegment[] = [];
        // A key's path is that of its map; a value's, its map's plus the key (or the item's index).
        for (let d = 0; d < open.length - (keyPosition ? 1 : 0); d++) {
          if (isMap[d]) path.push(keyOf(source, events[open[d]] as ScalarEvent));
          else path.push(open[d] - 1);
        }
        return { index: i, isKey: keyPosition, path };
      }
      continue;
    }
    if (e.type === MAPPING || e.type === SEQUENCE) {
      if (e.start > start) return undefined;
      open.push(e.type === MAPPING ? -1 : 0);
      isMap.push(e.type === MAPPING);
      nextIsKey.push(e.type === MAPPING);
      continue;
    }
    return undefined; // an alias: fast-loaded documents have none
  }
  return undefined;
}

/** A key as the loader reads it: its plain text, else decoded (quotes, escapes, folded lines). */
export function keyOf(source: string, e: ScalarEvent): string {
  const text = source.slice(e.valueStart, e.valueEnd);
  return e.style === PLAIN && !text.includes('\n') ? text : getScalarValue(source, e);
}

/** `root` with the scalar at `path` (now `oldText`) read from `text`; undefined when it is not there as expected. */
function replacedScalar(root: unknown, path: readonly PathSegment[], oldText: string, text: string): unknown {
  const before = scalarValue(oldText);
  const after = scalarValue(text);
  if (before === undefined || after === undefined) return undefined;
  return withLeaf(root, path, 0, (parent, key) => (Object.is(childOf(parent, key), before.value) ? after.value : NOT_THERE));
}

/** `root` with the key `oldKey` of the map at `path` renamed `key`, in its place; undefined when it would repeat a key or not be a string. */
function renamedKey(root: unknown, path: readonly PathSegment[], oldKey: string, key: string): unknown {
  // The fast loader takes only keys it reads as strings (not null, a boolean or a number): ask it.
  const read = fastLoad(`${key}: v`);
  if (!read || !isPlainMap(read.value) || !Object.hasOwn(read.value, key)) return undefined;
  const rename = (map: unknown): unknown => {
    if (!isPlainMap(map) || !Object.hasOwn(map, oldKey) || Object.hasOwn(map, key)) return NOT_THERE;
    // An escaped `"__pro\x74o__"` key is an own key the text guard cannot see, and assigning it below would set the prototype.
    if (Object.hasOwn(map, '__proto__')) return NOT_THERE;
    const renamed: Record<string, unknown> = {};
    for (const k of Object.keys(map)) renamed[k === oldKey ? key : k] = map[k];
    return renamed;
  };
  if (path.length === 0) {
    const renamed = rename(root);
    return renamed === NOT_THERE ? undefined : renamed;
  }
  return withLeaf(root, path, 0, (parent, segment) => rename(childOf(parent, segment)));
}

export const NOT_THERE = Symbol('not there');

/** A copy of `node` whose child at path[depth..] is `leaf(parent, lastSegment)`; undefined when the path is not in `node`. */
export function withLeaf(node: unknown, path: readonly PathSegment[], depth: number, leaf: (parent: unknown, segment: PathSegment) => unknown): unknown {
  const segment = path[depth];
  if (!hasChild(node, segment)) return undefined;
  const child = depth === path.length - 1 ? leaf(node, segment) : withLeaf(childOf(node, segment), path, depth + 1, leaf);
  if (child === undefined || child === NOT_THERE) return undefined;
  if (Array.isArray(node)) {
    const copy = node.slice();
    copy[segment as number] = child;
    return copy;
  }
  return { ...(node as Record<string, unknown>), [segment]: child };
}

function hasChild(node: unknown, segment: PathSegment): boolean {
  if (Array.isArray(node)) return typeof segment === 'number' && segment < node.length;
  return isPlainMap(node) && typeof segment === 'string' && Object.hasOwn(node, segment);
}

export function childOf(node: unknown, segment: PathSegment): unknown {
  return (node as Record<string | number, unknown>)[segment];
}

export function isPlainMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value a plain scalar reads as (YAML 1.2 core schema, as the fast loader reads it). */
function scalarValue(text: string): { value: unknown } | undefined {
  // Typing reads each text twice: as the new scalar, then on the next keystroke as the old one.
  if (lastRead?.text === text) return lastRead.read;
  const loaded = fastLoad(`v: ${text}`);
  const read = loaded && isPlainMap(loaded.value) ? { value: loaded.value.v } : undefined;
  lastRead = { text, read };
  return read;
}
let lastRead: { text: string; read: { value: unknown } | undefined } | undefined;

/**
 * An event after the edit, its offsets moved (-1, absent, stays). Written out field by field in
 * js-yaml's order: an object spread per event made this a tenth of a keystroke's CPU. Events made
 * here (and by withValueRange, withStart) have the parser's events' hidden class; an object spread
 * gives another, and the code that reads events (packEvents, isMergeKey, scalarAt), optimised for
 * the open's parser events, was thrown away ("wrong map") and compiled again a few times during the
 * first edits after an open of a large custom resource.
 */
export function shifted(e: Event, delta: number): Event {
  switch (e.type) {
    case SCALAR:
      return {
        type: e.type,
        valueStart: moved(e.valueStart, delta),
        valueEnd: moved(e.valueEnd, delta),
        anchorStart: moved(e.anchorStart, delta),
        anchorEnd: moved(e.anchorEnd, delta),
        tagStart: moved(e.tagStart, delta),
        tagEnd: moved(e.tagEnd, delta),
        style: e.style,
        chomping: e.chomping,
        indent: e.indent,
        fast: e.fast,
      };
    case MAPPING:
    case SEQUENCE:
      return { type: e.type, start: moved(e.start, delta), anchorStart: moved(e.anchorStart, delta), anchorEnd: moved(e.anchorEnd, delta), tagStart: moved(e.tagStart, delta), tagEnd: moved(e.tagEnd, delta), style: e.style } as Event;
    default:
      return e; // DOCUMENT and POP carry no offsets
  }
}

/** The scalar event `e` with its value at `valueStart` to `valueEnd`, in js-yaml's field order (see shifted). */
export function withValueRange(e: ScalarEvent, valueStart: number, valueEnd: number): ScalarEvent {
  return { type: e.type, valueStart, valueEnd, anchorStart: e.anchorStart, anchorEnd: e.anchorEnd, tagStart: e.tagStart, tagEnd: e.tagEnd, style: e.style, chomping: e.chomping, indent: e.indent, fast: e.fast };
}

/** The mapping or sequence event `e` beginning at `start`, in js-yaml's field order (see shifted). */
export function withStart(e: Event, start: number): Event {
  const c = e as Event & { start: number; anchorStart: number; anchorEnd: number; tagStart: number; tagEnd: number; style: number };
  return { type: c.type, start, anchorStart: c.anchorStart, anchorEnd: c.anchorEnd, tagStart: c.tagStart, tagEnd: c.tagEnd, style: c.style } as Event;
}

function moved(offset: number, delta: number): number {
  return offset < 0 ? offset : offset + delta;
}
