// An edit inside a block collection that the scalar and line patches (incremental.ts,
// incremental-lines.ts) do not take, read again over the few items or entries it touched. Typing a
// list item goes through states those patches cannot place: `- n` after `- ` (the empty item's null
// has no place in the text to patch), and a line typed between an item's first line and the next
// (`- name: x`, then `- k:` above `  port: 1`), which splits the item: the lines below it belong to
// the new one from its dash on.
//
// Of the innermost block collection holding the edit: its items (or entries) from the last one
// beginning on or above the edit's first line to the first one beginning below its last line. Those
// lines are read alone by the fast loader, the text before the collection's column on the first line
// blanked (a `- ` indicator), so every line keeps its column. A line there less indented than the
// collection would belong to an outer one: the next collection out is tried. When the lines read as
// one collection of the same kind at the same column, its items replace the old ones in the value
// (every other subtree the same object) and its events theirs, those after moved.
//
// A full parse reads those lines alike: the text above them is unchanged, and what follows them is
// a line beginning an item (a dash) or an entry (a key) at the collection's column, or a line less
// indented than the collection, which nothing ending in those lines can continue (a plain or block
// scalar's next line must be more indented than its collection; a flow collection or a quoted
// scalar left open does not read alone). Lines that read with an error, anchors or aliases, tabs and
// carriage returns are left to the full parse. test/manifest/incremental-region.test.ts checks seeded
// random list items typed and split against a fresh parse.
import { COLLECTION_STYLE, EVENT_ID, type Event, type ScalarEvent } from 'js-yaml';
import { fastLoad } from './fast-load';
import { atPath, lineOfNextPlaced } from './incremental-lines';
import { editedRange, isPlainMap, isQuoted, keyOf, NOT_THERE, shifted, type Patched } from './incremental';
import type { PathSegment } from './types';

const { DOCUMENT, POP, SCALAR, MAPPING, SEQUENCE } = EVENT_ID;
const BLOCK = COLLECTION_STYLE.BLOCK;

/** An open collection while the events are walked. */
interface Open {
  /** Its MAPPING or SEQUENCE event's index. */
  index: number;
  map: boolean;
  /** Its segment in its parent (the root: undefined). */
  segment: PathSegment | undefined;
  parent: Open | undefined;
  /** Whether it may hold the edit: a block collection beginning at or before it. */
  holds: boolean;
  /** Each item's first event (a map's: each key's), when it may hold the edit. */
  children: number[];
  /** A sequence's items so far. */
  count: number;
  /** A map: its last key's event, and whether the next node is a key. */
  key: number;
  keyNext: boolean;
  popIndex: number;
}

/**
 * `source` read from `previous` (the value and events of `previousSource`) when the edit falls
 * inside a block collection and the items or entries it touched read alone as the full parse reads
 * them (see the top of this file); undefined when the document must be parsed.
 */
export function patchRegionEdit(previousSource: string, previous: Patched, source: string): Patched | undefined {
  if (previousSource.includes('__proto__') || source.includes('__proto__')) return undefined;
  const edit = editedRange(previousSource, source);
  if (!edit) return undefined;
  // Through the line of the first character the edit left (a line break deleted joins the next line).
  const lastLineEnd = lineEndOf(previousSource, edit.oldEnd);
  for (const around of collectionsAround(previousSource, previous.events, edit.start, lastLineEnd)) {
    const read = readAgain(previousSource, previous, source, around, edit.start, lastLineEnd);
    if (read !== OUTER) return read;
  }
  return undefined;
}

/** The next collection out is to be tried: a line of the region belongs to an outer one. */
const OUTER = Symbol('outer');

/** The block collections holding the edit beginning at `start` whose lines end at `lastLineEnd`, innermost first. */
function collectionsAround(source: string, events: readonly Event[], start: number, lastLineEnd: number): Open[] {
  const around: Open[] = [];
  const open: Open[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.type === DOCUMENT) continue;
    if (e.type === POP) {
      const frame = open.pop();
      if (!frame) continue; // the document's own
      frame.popIndex = i;
      if (frame.holds && lineOfNextPlaced(source, events, i) >= lastLineEnd) around.push(frame);
      continue;
    }
    const top = open[open.length - 1];
    let segment: PathSegment | undefined;
    if (top?.map) {
      if (top.keyNext) {
        top.key = i;
        if (top.holds) top.children.push(i);
      } else segment = keyOf(source, events[top.key] as ScalarEvent);
      top.keyNext = !top.keyNext;
    } else if (top) {
      segment = top.count++;
      if (top.holds) top.children.push(i);
    }
    if (e.type !== MAPPING && e.type !== SEQUENCE) continue;
    const holds = e.style === BLOCK && e.start <= start;
    open.push({ index: i, map: e.type === MAPPING, segment, parent: top, holds, children: [], count: 0, key: -1, keyNext: e.type === MAPPING, popIndex: -1 });
  }
  return around;
}

/**
 * The items or entries of `c` around the edit read again (see the top of this file); OUTER when a
 * line there is less indented than `c`; undefined when the document must be parsed.
 */
function readAgain(previousSource: string, previous: Patched, source: string, c: Open, editStart: number, lastLineEnd: number): Patched | undefined | typeof OUTER {
  const events = previous.events;
  const collectionStart = (events[c.index] as { start: number }).start;
  const column = collectionStart - lineStartOf(previousSource, collectionStart);
  const children = c.children;
  // From the last child beginning its line at the column above the edit (its dash or its key's
  // first character left as it was), else from the collection's first, on the collection's line.
  let first = 0;
  let regionStart = collectionStart - column;
  for (let k = children.length - 1; k > 0; k--) {
    const line = lineOfChild(previousSource, events, children[k], c.map, column);
    if (line >= 0 && line + column < editStart) {
      first = k;
      regionStart = line;
      break;
    }
  }
  // To the first child beginning its line at the column below the edit's lines, else to the collection's end.
  let end = first + 1;
  while (end < children.length && !(lineOfChild(previousSource, events, children[end], c.map, column) >= lastLineEnd)) end++;
  const regionEnd = end < children.length ? lineStartOf(previousSource, childAt(events[children[end]])) : lineOfNextPlaced(previousSource, events, c.popIndex);
  // As long as the whole document: the full parse costs no more.
  if (2 * (regionEnd - regionStart) > previousSource.length) return undefined;
  const delta = source.length - previousSource.length;
  const prefix = previousSource.slice(regionStart, regionStart + column);
  if (!/^[ -]*$/.test(prefix)) return undefined; // a complex key's `? `, say
  const text = ' '.repeat(column) + source.slice(regionStart + column, regionEnd + delta);
  if (text.includes('\t') || text.includes('\r')) return undefined;
  if (!indentedFrom(text, column)) return OUTER;
  const read = fastLoad(text);
  if (!read || read.linked) return undefined;
  const root = read.events[1];
  if (root?.type !== events[c.index].type || (root as { start: number; style: number }).start !== column || (root as { style: number }).style !== BLOCK) return undefined;
  const value = atPath(previous.value, pathOf(c), (old) => spliced(previousSource, events, c, old, first, end, read.value));
  if (value === undefined) return undefined;
  const endEvent = end < children.length ? children[end] : c.popIndex;
  const patched = events.slice(0, children[first]);
  for (let i = 2; i < read.events.length - 2; i++) patched.push(shifted(read.events[i], regionStart));
  for (let i = endEvent; i < events.length; i++) patched.push(shifted(events[i], delta));
  return { value, events: patched };
}

/** `old` (the collection `c`) with its children [first, end) replaced by those of `read`; NOT_THERE when it is not as the events say. */
function spliced(source: string, events: readonly Event[], c: Open, old: unknown, first: number, end: number, read: unknown): unknown {
  const count = c.children.length;
  if (!c.map) return Array.isArray(old) && Array.isArray(read) && old.length === count ? [...old.slice(0, first), ...read, ...old.slice(end)] : NOT_THERE;
  if (!isPlainMap(old) || !isPlainMap(read) || Object.hasOwn(old, '__proto__') || Object.keys(old).length !== count) return NOT_THERE;
  const names = c.children.map((k) => keyOf(source, events[k] as ScalarEvent));
  const kept = new Set([...names.slice(0, first), ...names.slice(end)]);
  const out: Record<string, unknown> = {};
  for (const name of names.slice(0, first)) out[name] = old[name];
  for (const name of Object.keys(read)) {
    if (kept.has(name)) return NOT_THERE; // a repeated key: the full parse reports it
    out[name] = read[name];
  }
  for (const name of names.slice(end)) out[name] = old[name];
  return names.every((n) => Object.hasOwn(old, n)) ? out : NOT_THERE;
}

/** Where a child's node begins in the text (-1: an empty node, which has no place). */
function childAt(e: Event): number {
  if (e.type === SCALAR) return e.valueStart < 0 ? -1 : isQuoted(e) ? e.valueStart - 1 : e.valueStart;
  return e.type === MAPPING || e.type === SEQUENCE ? e.start : -1;
}

/**
 * The start of the line the child at event `index` begins, when it begins that line at `column`
 * (an item's dash, an entry's key, spaces before it); else -1.
 */
function lineOfChild(source: string, events: readonly Event[], index: number, map: boolean, column: number): number {
  const at = childAt(events[index]);
  if (at < 0) return -1;
  const line = lineStartOf(source, at);
  if (map ? at !== line + column : source.charCodeAt(line + column) !== 45) return -1; // `-`
  for (let i = line; i < line + column; i++) if (source.charCodeAt(i) !== 32) return -1;
  return line;
}

/** Whether every line of `text` after its first is blank or indented at least `column`. */
function indentedFrom(text: string, column: number): boolean {
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < text.length - 1; nl = text.indexOf('\n', nl + 1)) {
    let i = nl + 1;
    while (i < text.length && text.charCodeAt(i) === 32) i++;
    if (i - (nl + 1) < column && i < text.length && text.charCodeAt(i) !== 10) return false;
  }
  return true;
}

function pathOf(c: Open): PathSegment[] {
  const path: PathSegment[] = [];
  for (let f: Open | undefined = c; f?.segment !== undefined; f = f.parent) path.unshift(f.segment);
  return path;
}

function lineStartOf(source: string, at: number): number {
  return at === 0 ? 0 : source.lastIndexOf('\n', at - 1) + 1;
}

/** The start of the line after the one holding `at` (the text's length on the last line). */
function lineEndOf(source: string, at: number): number {
  const nl = source.indexOf('\n', at);
  return nl < 0 ? source.length : nl + 1;
}
