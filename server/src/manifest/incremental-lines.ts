// A whole line typed into a block collection, or deleted from one, patched into the previous parse
// the way incremental.ts patches an edit inside a line. Typing a new key goes through `  k`, `  ke`,
// `  key` (broken: an implicit key without its colon), then `  key:` and `  key: v` (a new entry):
//   - a new entry (`key: value`, the value on its line) or sequence item (`- value`) is read alone by
//     the fast loader and spliced into the collection's value (after the entry above it, every other
//     subtree the same object) and its events into the events, those after it moved;
//   - a broken line gives no value, and the error `yaml` reports depends on the lines around it
//     (`k` before `  y: 2` is a missing colon, `ke` an implicit key running onto the next line), so
//     only the map holding the line is given to `yaml` (parse.ts): its lines, the indicators before
//     its first key blanked, with offsets moved by where it starts. Typed above the map's first key,
//     the line may be the value of the key above (`spec:` then `  ke`): from that key's line.
// A whole entry or item line deleted from a collection of two or more takes its entry and events
// out. Blank lines removed or added with the line are allowed (Enter, then the key).
// Anything else returns undefined: a line inside a scalar or a flow collection, a line whose
// indentation is not its collection's, a key that would repeat or is not a string, a value that runs
// onto the next line, a line next to a block scalar (whose kept trailing lines are content), a
// carriage return. test/manifest/incremental-lines.test.ts checks seeded random line edits against a fresh parse.
import { COLLECTION_STYLE, EVENT_ID, type Event, type ScalarEvent } from 'js-yaml';
import { fastLoad } from './fast-load';
import { childOf, editedRange, isBlock, isPlainMap, isQuoted, keyOf, NOT_THERE, shifted, withLeaf, withStart, WORD, type Patched } from './incremental';
import type { PathSegment } from './types';

const { DOCUMENT, POP, SCALAR, MAPPING, SEQUENCE } = EVENT_ID;
const FLOW = COLLECTION_STYLE.FLOW;

/** An implicit key typed without its colon yet (`  ke`, spaces after it too). */
const BARE_KEY = new RegExp(`^( *)(${WORD}) *$`);
/** A typed line: a map's entry (`key:` and the rest, key in group 3) or a sequence's item (`- ` and the rest, group 2). */
const TYPED = new RegExp(`^( *)(?:(- +)\\S|(${WORD}):(?: |$))`);
const BLANK = /^ *$/;
/** A sequence's item typed as its dash alone: an empty item (null) until its value is typed. */
const DASH = /^( *)(-) *$/;

/** The text `yaml` must read to report a broken line: `text` stands at `start` of the document. */
export interface BrokenRegion {
  start: number;
  text: string;
}

/**
 * `source` read from `previous` (the value and events of `previousSource`) when the edit typed or
 * deleted one whole line of a block collection (see the top of this file): a Patched value and events, or
 * the region a broken line's error is read from; undefined when the document must be parsed.
 */
export function patchLineEdit(previousSource: string, previous: Patched, source: string): Patched | { broken: BrokenRegion } | undefined {
  if (previousSource.includes('__proto__') || source.includes('__proto__')) return undefined;
  const lines = changedLines(previousSource, source);
  if (!lines) return undefined;
  const { at, removed, added } = lines;
  const delta = source.length - previousSource.length;
  const typed = added.filter((l) => !BLANK.test(l));
  const erased = removed.filter((l) => !BLANK.test(l));
  if (erased.length === 0 && typed.length === 1) {
    // The typed line's offset in the new text: after the blank lines added before it.
    let lineAt = at;
    for (const l of added) {
      if (l === typed[0]) break;
      lineAt += l.length + 1;
    }
    return insertedLine(previousSource, previous, source, at, lineAt, typed[0], delta);
  }
  if (typed.length === 0 && erased.length === 1) {
    let lineAt = at;
    for (const l of removed) {
      if (l === erased[0]) break;
      lineAt += l.length + 1;
    }
    return deletedLine(previousSource, previous, at, lineAt, erased[0], delta);
  }
  if (typed.length === 1 && erased.length === 1 && removed.length === 1 && added.length === 1) return replacedLine(previousSource, previous, source, at, erased[0]);
  return undefined;
}

/**
 * One line of a block collection typed over (`- templateName` becoming `- templateName:`, `key: `
 * becoming `key: v`): the line deleted, then the new one typed where it was, each step patched as
 * above and so each what a fresh parse of its text reads. A line that cannot be deleted (a
 * collection's only entry) or typed (a broken line) is left to the full parse.
 */
function replacedLine(previousSource: string, previous: Patched, source: string, at: number, line: string): Patched | undefined {
  const without = previousSource.slice(0, at) + previousSource.slice(at + line.length + 1);
  const deleted = patchLineEdit(previousSource, previous, without);
  if (!deleted || 'broken' in deleted) return undefined;
  const typed = patchLineEdit(without, deleted, source);
  return typed && !('broken' in typed) ? typed : undefined;
}

/**
 * The whole lines the edit changed: those of the previous text from `at` (`removed`) became those
 * of the new one (`added`), both without their line breaks, the lines both share at either end left out.
 */
function changedLines(previousSource: string, source: string): { at: number; removed: string[]; added: string[] } | undefined {
  const edit = editedRange(previousSource, source);
  if (!edit) return undefined;
  const at = edit.start === 0 ? 0 : previousSource.lastIndexOf('\n', edit.start - 1) + 1;
  const lineEnd = (text: string, from: number) => {
    const nl = text.indexOf('\n', from);
    return nl < 0 ? -1 : nl + 1;
  };
  // Up to the end of the line the edit ends on (an edit ending at a line start ends there).
  const oldEnd = edit.oldEnd > at && previousSource.charCodeAt(edit.oldEnd - 1) === 10 ? edit.oldEnd : lineEnd(previousSource, edit.oldEnd);
  const newEnd = oldEnd < 0 ? -1 : oldEnd + source.length - previousSource.length;
  // Only whole lines ending in a line break (the last line without one is left to the full parse).
  if (oldEnd < 0 || newEnd < at || (newEnd > at && source.charCodeAt(newEnd - 1) !== 10)) return undefined;
  const removed = previousSource.slice(at, oldEnd - 1 < at ? at : oldEnd - 1);
  const added = source.slice(at, newEnd - 1 < at ? at : newEnd - 1);
  if (removed.includes('\r') || added.includes('\r')) return undefined;
  const removedLines = oldEnd > at ? removed.split('\n') : [];
  const addedLines = newEnd > at ? added.split('\n') : [];
  let lead = 0;
  while (lead < removedLines.length && lead < addedLines.length && removedLines[lead] === addedLines[lead]) lead++;
  let trail = 0;
  while (trail < removedLines.length - lead && trail < addedLines.length - lead && removedLines[removedLines.length - 1 - trail] === addedLines[addedLines.length - 1 - trail]) trail++;
  let skipped = 0;
  for (let i = 0; i < lead; i++) skipped += removedLines[i].length + 1;
  return { at: at + skipped, removed: removedLines.slice(lead, removedLines.length - trail), added: addedLines.slice(lead, addedLines.length - trail) };
}

/** An open collection while the events are walked. */
interface Frame {
  /** The MAPPING or SEQUENCE event's index. */
  index: number;
  map: boolean;
  flow: boolean;
  column: number;
  keyNext: boolean;
  /** A map's current key event (-1 before the first); a sequence's item count. */
  current: number;
  /** Where it sits in its parent (the document's root: undefined). */
  segment: PathSegment | undefined;
  parent: Frame | undefined;
  /** Its POP event's index, once closed. */
  popIndex: number;
}

/** Where a line at `at` of `source` falls among the events: the collections open there and those closed just before. */
interface Place {
  /** The first event at or after `at`. */
  next: number;
  /** Innermost last: the collections open at `next`. */
  open: Frame[];
  /** Innermost first: the collections the events just before `next` closed, after the last event placed before `at`. */
  closed: Frame[];
  /** The last scalar with a place in the text before `at`. */
  lastScalar: ScalarEvent | undefined;
}

function placeOf(source: string, events: readonly Event[], at: number): Place | undefined {
  const open: Frame[] = [];
  let closed: Frame[] = [];
  let lastScalar: ScalarEvent | undefined;
  let i = 0;
  for (; i < events.length; i++) {
    const e = events[i];
    if (e.type === DOCUMENT) continue;
    if (e.type === POP) {
      const frame = open.pop();
      if (!frame) continue; // the document's own
      frame.popIndex = i;
      closed.push(frame);
      advance(open);
      continue;
    }
    const position = e.type === SCALAR ? (e.valueStart < 0 ? -1 : isQuoted(e) ? e.valueStart - 1 : e.valueStart) : e.type === MAPPING || e.type === SEQUENCE ? e.start : -2;
    if (position === -2) return undefined; // an alias: documents that keep events have none
    if (position >= at) break;
    closed = [];
    const top = open[open.length - 1];
    if (e.type === SCALAR) {
      if (position >= 0) lastScalar = e;
      if (top?.map && top.keyNext) top.current = i;
      advance(open);
      continue;
    }
    const frame = frameOf(source, events, i, top);
    if (!frame) return undefined;
    open.push(frame);
  }
  return { next: i, open, closed, lastScalar };
}

/** The collection whose event is `index`, opened inside `parent`; undefined for any other event. */
function frameOf(source: string, events: readonly Event[], index: number, parent: Frame | undefined): Frame | undefined {
  const e = events[index];
  if (e.type !== MAPPING && e.type !== SEQUENCE) return undefined;
  const segment = parent ? (parent.map ? keyOf(source, events[parent.current] as ScalarEvent) : parent.current) : undefined;
  const lineStart = source.lastIndexOf('\n', e.start - 1) + 1;
  return { index, map: e.type === MAPPING, flow: e.style === FLOW, column: e.start - lineStart, keyNext: e.type === MAPPING, current: e.type === MAPPING ? -1 : 0, segment, parent, popIndex: -1 };
}

/** A node ended inside the innermost collection: a map's keys and values alternate, a sequence counts its items. */
function advance(open: Frame[]): void {
  const top = open[open.length - 1];
  if (!top) return;
  if (top.map) top.keyNext = !top.keyNext;
  else top.current++;
}

function pathOf(frame: Frame): PathSegment[] {
  const path: PathSegment[] = [];
  for (let f: Frame | undefined = frame; f?.segment !== undefined; f = f.parent) path.unshift(f.segment);
  return path;
}

/**
 * The block collection (a map, or a sequence for `- ` lines) a line at `column` typed at `at` (a
 * line start) becomes an entry of, with where its events go (before `insertAt`) and whether it goes
 * first. The line must close only collections deeper than it (a sequence written at its key's column
 * too), and fall where the collection's next node would begin: a map's key, a sequence's `- `.
 */
function collectionAt(source: string, events: readonly Event[], at: number, column: number, map: boolean): { frame: Frame; insertAt: number; first: boolean } | undefined {
  const place = placeOf(source, events, at);
  if (!place) return undefined;
  // A scalar ending on a line the edit touched, or a block scalar beside it (its kept blank lines are its text).
  if (place.lastScalar && (place.lastScalar.valueEnd >= at || isBlock(place.lastScalar))) return undefined;
  if (blockScalarNext(events, place.next)) return undefined;
  const stack = [...place.open, ...[...place.closed].reverse()];
  if (place.open.some((f) => f.flow) || !flowsClosedBefore(source, place, at)) return undefined;
  const next = events[place.next];
  const top = place.open[place.open.length - 1];
  // The line goes first in the collection that begins below it, the value of the key above.
  if (next?.type === (map ? MAPPING : SEQUENCE) && place.closed.length === 0 && top?.map && !top.keyNext && next.style !== FLOW && next.start - (source.lastIndexOf('\n', next.start - 1) + 1) === column) {
    return { frame: frameOf(source, events, place.next, top)!, insertAt: place.next + 1, first: true };
  }
  let m = stack.length - 1;
  while (m >= 0 && !(stack[m].map === map && stack[m].column === column)) m--;
  if (m < 0) return undefined;
  const frame = stack[m];
  if (map ? !frame.keyNext || frame.current < 0 : frame.current === 0) return undefined;
  // Deeper collections close at the line: each more indented, or a sequence written at its key's column.
  for (let d = m + 1; d < stack.length; d++) {
    const deeper = stack[d];
    if (!(deeper.column > column || (map && d === m + 1 && !deeper.map && deeper.column === column))) return undefined;
  }
  // Still open deeper collections would take what follows the line.
  if (m < place.open.length - 1) return undefined;
  if (m === place.open.length - 1 && !map && next) {
    // What follows in the sequence must be its next item, not the value of an item left empty (`-`).
    const position = next.type === SCALAR ? (isQuoted(next) ? next.valueStart - 1 : next.valueStart) : (next as { start: number }).start;
    if (source.charCodeAt(source.lastIndexOf('\n', position - 1) + 1 + column) !== 45) return undefined;
  }
  return { frame, insertAt: m < place.open.length ? place.next : frame.popIndex, first: false };
}

/**
 * Whether the flow collections `place` closes (an entry's `{ duration: 5s }` above the line) end
 * before `at`: between the last scalar and `at` stand only their closing brackets, commas, spaces,
 * line breaks and comments. A flow collection whose bracket comes after `at` holds the line.
 */
function flowsClosedBefore(source: string, place: Place, at: number): boolean {
  let flows = 0;
  for (const f of place.closed) if (f.flow) flows++;
  if (flows === 0) return true;
  const last = place.lastScalar;
  if (!last) return false;
  let brackets = 0;
  for (let i = last.valueEnd + (isQuoted(last) ? 1 : 0); i < at; i++) {
    const c = source.charCodeAt(i);
    if (c === 93 || c === 125) brackets++; // `]`, `}`
    else if (c === 35) {
      const nl = source.indexOf('\n', i); // a comment, to its line's end
      if (nl < 0 || nl >= at) break;
      i = nl;
    } else if (c !== 32 && c !== 44 && c !== 10) return false; // not a space, `,` or line break
  }
  return brackets === flows;
}

/** Whether the first scalar placed in the text from event `from` on is a block scalar. */
function blockScalarNext(events: readonly Event[], from: number): boolean {
  for (let i = from; i < events.length; i++) {
    const e = events[i];
    if (e.type === SCALAR && e.valueStart >= 0) return isBlock(e);
  }
  return false;
}

/** The index of the POP closing the collection whose event is `index`. */
function popOf(events: readonly Event[], index: number): number {
  let depth = 0;
  for (let i = index; i < events.length; i++) {
    const type = events[i].type;
    if (type === MAPPING || type === SEQUENCE) depth++;
    else if (type === POP && --depth === 0) return i;
  }
  return events.length;
}

/** Where the first event after `index` placed in the text begins its line; the text's end when none is. */
export function lineOfNextPlaced(source: string, events: readonly Event[], index: number): number {
  for (let i = index + 1; i < events.length; i++) {
    const e = events[i];
    const position = e.type === SCALAR ? e.valueStart : e.type === MAPPING || e.type === SEQUENCE ? e.start : -1;
    if (position >= 0) return source.lastIndexOf('\n', position - 1) + 1;
  }
  return source.length;
}

/**
 * The line `line` typed at `lineAt` of `source` (at `at` of `previousSource`, replacing blank lines
 * there), the text `delta` longer.
 */
function insertedLine(previousSource: string, previous: Patched, source: string, at: number, lineAt: number, line: string, delta: number): Patched | { broken: BrokenRegion } | undefined {
  const bare = BARE_KEY.exec(line);
  if (bare) return brokenLine(previousSource, previous.events, source, at, bare[1].length, lineAt, delta);
  const shape = TYPED.exec(line) ?? DASH.exec(line);
  if (!shape) return undefined;
  const item = shape[2] !== undefined;
  const column = shape[1].length;
  const events = previous.events;
  const found = collectionAt(previousSource, events, at, column, !item);
  if (!found) return undefined;
  const { frame, insertAt, first } = found;
  // The line read alone: one entry or item, on this line, that no text after it can continue.
  const read = fastLoad(line.slice(column));
  if (!read || read.linked || read.events.some((e) => e.type === SCALAR && isBlock(e))) return undefined;
  const typed = read.events.slice(2, -2);
  let insert: (collection: unknown) => unknown;
  if (item) {
    if (!Array.isArray(read.value) || read.value.length !== 1) return undefined;
    const [typedItem] = read.value as unknown[];
    const index = first ? 0 : frame.current;
    insert = (collection) => (Array.isArray(collection) && index <= collection.length ? [...collection.slice(0, index), typedItem, ...collection.slice(index)] : NOT_THERE);
  } else {
    if (!isPlainMap(read.value)) return undefined;
    const keys = Object.keys(read.value);
    if (keys.length !== 1 || keys[0] !== shape[3]) return undefined;
    const key = keys[0];
    const typedValue = read.value[key];
    const afterKey = first ? undefined : keyOf(previousSource, events[frame.current] as ScalarEvent);
    insert = (collection) => {
      if (!isPlainMap(collection) || Object.hasOwn(collection, key) || Object.hasOwn(collection, '__proto__')) return NOT_THERE;
      if (afterKey !== undefined && !Object.hasOwn(collection, afterKey)) return NOT_THERE;
      const inserted: Record<string, unknown> = {};
      if (afterKey === undefined) inserted[key] = typedValue;
      for (const k of Object.keys(collection)) {
        inserted[k] = collection[k];
        if (k === afterKey) inserted[key] = typedValue;
      }
      return inserted;
    };
  }
  const value = atPath(previous.value, pathOf(frame), insert);
  if (value === undefined) return undefined;
  const offset = lineAt + column;
  const patched = events.slice(0, insertAt);
  for (const e of typed) patched.push(shifted(e, offset));
  for (let i = insertAt; i < events.length; i++) patched.push(shifted(events[i], delta));
  // The collection begins at its first entry: the typed one, when it goes first.
  if (first) patched[frame.index] = withStart(events[frame.index], offset);
  return { value, events: patched };
}

/**
 * A key typed without its colon yet, at `column` on the line at `lineAt`: where `yaml` must read to
 * report it, the map it is typed into (from its first key's line, the indicators before blanked)
 * through the last line before what follows that map.
 */
function brokenLine(previousSource: string, events: readonly Event[], source: string, at: number, column: number, lineAt: number, delta: number): { broken: BrokenRegion } | undefined {
  const found = collectionAt(previousSource, events, at, column, true);
  if (!found) return undefined;
  const { frame, first } = found;
  // The document's root map: all of it, as a full parse reads it.
  if (!frame.parent) return { broken: { start: 0, text: source } };
  // Typed above the map's first key, the line may read as the value of the key above (`spec:` then `  ke`): from that key's line.
  const owner = first ? frame.parent : frame;
  if (!owner.map) return undefined;
  const firstEvent = events[first ? owner.current : frame.index];
  const firstAt = firstEvent.type === SCALAR ? (isQuoted(firstEvent) ? firstEvent.valueStart - 1 : firstEvent.valueStart) : (firstEvent as { start: number }).start;
  const start = previousSource.lastIndexOf('\n', firstAt - 1) + 1;
  const end = lineOfNextPlaced(previousSource, events, frame.popIndex >= 0 ? frame.popIndex : popOf(events, frame.index)) + delta;
  return lineAt < start ? undefined : { broken: { start, text: ' '.repeat(firstAt - start) + source.slice(firstAt, end) } };
}

/**
 * The line `line` at `lineAt` of `previousSource` deleted (with blank lines from `at` beside it), the
 * text `delta` longer: an entry of a block map (`key: value`, its value wholly on the line), or an
 * item of a block sequence (`- value`, `- key: value`), not its collection's only one.
 */
function deletedLine(previousSource: string, previous: Patched, at: number, lineAt: number, line: string, delta: number): Patched | undefined {
  const shape = TYPED.exec(line);
  if (!shape) return undefined;
  const item = shape[2] !== undefined;
  const column = shape[1].length;
  const nodeAt = lineAt + column + (item ? shape[2].length : 0);
  const lineEnd = lineAt + line.length;
  const events = previous.events;
  const place = placeOf(previousSource, events, lineAt + column);
  if (!place) return undefined;
  let parent: Frame | undefined = place.open[place.open.length - 1];
  let k = place.next;
  // The collection's first key or item: the collection begins there too.
  const opens = events[k];
  if ((opens?.type === MAPPING || opens?.type === SEQUENCE) && opens.start === lineAt + column && place.closed.length === 0) parent = frameOf(previousSource, events, k++, parent);
  if (!parent || parent.flow || parent.map === item || parent.column !== column || (parent.map && !parent.keyNext)) return undefined;
  // A key, then its value; or an item. Each wholly on the line.
  const keyEvent = events[k];
  if (!item && (keyEvent?.type !== SCALAR || keyEvent.valueStart !== nodeAt || keyEvent.valueEnd > lineEnd)) return undefined;
  const node = item ? k : k + 1;
  const end = events[node]?.type === SCALAR ? node : popOf(events, node);
  for (let i = node; i <= end; i++) {
    const e = events[i];
    if (e.type === SCALAR ? isBlock(e) || e.valueEnd > lineEnd || (e.valueStart >= 0 && e.valueStart < nodeAt) : (e.type === MAPPING || e.type === SEQUENCE) && (e.start < nodeAt || e.start > lineEnd)) return undefined;
  }
  if (item && events[node].type === SCALAR && (events[node] as ScalarEvent).valueStart < 0) return undefined;
  // The previous scalar neither a block scalar nor running onto the line, and no block scalar next.
  if (place.lastScalar && (place.lastScalar.valueEnd >= at || isBlock(place.lastScalar))) return undefined;
  if (blockScalarNext(events, end + 1)) return undefined;
  // Not the collection's only entry (it would stop being one).
  const first = parent.map ? parent.current < 0 : parent.current === 0;
  if (first && events[end + 1]?.type === POP) return undefined;
  const key = item ? undefined : keyOf(previousSource, keyEvent as ScalarEvent);
  const index = parent.current;
  const remove = (collection: unknown): unknown => {
    if (key === undefined) return Array.isArray(collection) && index < collection.length ? collection.filter((_, j) => j !== index) : NOT_THERE;
    if (!isPlainMap(collection) || !Object.hasOwn(collection, key) || Object.hasOwn(collection, '__proto__')) return NOT_THERE;
    const rest: Record<string, unknown> = {};
    for (const name of Object.keys(collection)) if (name !== key) rest[name] = collection[name];
    return rest;
  };
  const value = atPath(previous.value, pathOf(parent), remove);
  if (value === undefined) return undefined;
  const patched = events.slice(0, k);
  for (let i = end + 1; i < events.length; i++) patched.push(shifted(events[i], delta));
  // The collection began on the deleted line: it begins on the next entry's line now, at its column.
  if (first) {
    const next = patched[k];
    const position = next.type === SCALAR ? (isQuoted(next) ? next.valueStart - 1 : next.valueStart) : (next as { start: number }).start;
    const start = parent.map ? position : previousSource.lastIndexOf('\n', position - delta - 1) + 1 + delta + column;
    patched[parent.index] = withStart(events[parent.index], start);
  }
  return { value, events: patched };
}

/** `root` with the collection at `path` replaced by `change(it)`; undefined when it is not there or `change` refuses (NOT_THERE). */
export function atPath(root: unknown, path: readonly PathSegment[], change: (map: unknown) => unknown): unknown {
  if (path.length === 0) {
    const changed = change(root);
    return changed === NOT_THERE ? undefined : changed;
  }
  return withLeaf(root, path, 0, (parent, segment) => change(childOf(parent, segment)));
}
