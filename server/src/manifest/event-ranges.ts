// Key and value ranges of a fast-loaded document (see fast-load.ts) read from js-yaml's events,
// without building the `yaml` tree. A file where most documents have a finding (say an untagged
// image in each of 1,000 Deployments) would otherwise build 1,000 trees just to place them.
//
// The events are read packed (packEvents): one number per event, two more for a scalar's value
// range, in one Int32Array. A document keeps them that way for its ranges: about a fifth of the
// memory of the event objects, nothing for the garbage collector to trace, and cheap to send to
// another thread, so `kdry check`'s cross-document pass reads ranges without parsing again.
//
// Answers exactly what locate.ts answers from the tree, for what events can tell: keys, plain and
// quoted scalars. Collections (events carry no end offset), block scalars (the events start at the
// content, the tree at the `|`/`>` indicator), empty values, aliases and what a path finds only
// through an alias, a `<<` merge key or a block scalar key (locate.ts follows them) say 'tree':
// ask the tree.
// test/manifest/event-ranges.test.ts compares both on every path of the examples and mutations.
import { CHOMPING_MODE, EVENT_ID, getScalarValue, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';
import { isMergeKey } from './fast-load';
import type { EventLocation, Offsets, PathSegment } from './types';

// Read once: through the bundle's CommonJS interop every access is a getter call.
const { DOCUMENT, POP, SCALAR, MAPPING, SEQUENCE, ALIAS } = EVENT_ID;
const { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED } = SCALAR_STYLE;
const CLIP = CHOMPING_MODE.CLIP;
const decode = getScalarValue;

// An event's first number: its type (EVENT_ID, 1-6), its style (SCALAR_STYLE, 1-5) and whether it is a `<<` merge key.
const TYPE_MASK = 7;
const STYLE_SHIFT = 3;
const STYLE_MASK = 7;
const MERGE_KEY = 64;

/** A document's events, packed: a scalar is [kind, valueStart, valueEnd], any other event [kind]. */
export type PackedEvents = Int32Array;

export function packEvents(source: string, events: readonly Event[]): PackedEvents {
  let length = 0;
  for (const e of events) length += e.type === SCALAR ? 3 : 1;
  const packed = new Int32Array(length);
  let at = 0;
  for (const e of events) {
    if (e.type !== SCALAR) {
      packed[at++] = e.type;
      continue;
    }
    packed[at] = SCALAR | (e.style << STYLE_SHIFT) | (isMergeKey(source, e) ? MERGE_KEY : 0);
    packed[at + 1] = e.valueStart;
    packed[at + 2] = e.valueEnd;
    at += 3;
  }
  return packed;
}

/** The number of numbers the event at `at` takes. */
function width(kind: number): number {
  return (kind & TYPE_MASK) === SCALAR ? 3 : 1;
}

/** An open collection on the path. */
interface Frame {
  map: boolean;
  /** Mappings: the next node is a key. */
  nextIsKey: boolean;
  /** Mappings: where the last key read is in the packed events. */
  key: number;
  /** Mappings: a `<<` key was read, so a key not written here may be merged in. */
  merged: boolean;
  /** Sequences: index of the next item. */
  index: number;
}

/**
 * Where `path` is in a single plain document's events, or 'tree' when only the tree can tell.
 * Only the collections on `path` are followed: one beside it is skipped to its end, its keys
 * neither read nor placed (a document's events are scanned once per range asked for).
 */
export function locateInEvents(source: string, events: PackedEvents, path: readonly PathSegment[]): EventLocation | 'tree' {
  // The open collections on `path`: the root, then its child on the path, ...
  const frames: Frame[] = [];
  // Collections still open inside one that is not on `path`.
  let skipping = 0;
  for (let at = 0; at < events.length; at += width(events[at])) {
    const kind = events[at];
    const type = kind & TYPE_MASK;
    if (skipping > 0) {
      if (type === POP) skipping--;
      else if (type === MAPPING || type === SEQUENCE) skipping++;
      continue;
    }
    if (type === DOCUMENT) continue;
    if (type === POP) {
      // A collection on `path` ended: `path` is not in there, unless a merge brings it in.
      if (frames.length > 0) return frames[frames.length - 1].merged ? 'tree' : undefined;
      continue;
    }
    const parent = frames[frames.length - 1];
    if (parent?.map && parent.nextIsKey) {
      if (type !== SCALAR) return 'tree';
      parent.key = at;
      parent.merged ||= (kind & MERGE_KEY) !== 0;
      parent.nextIsKey = false;
      continue;
    }
    const depth = frames.length; // the length of this node's path
    let onPath = depth <= path.length;
    if (parent?.map) {
      parent.nextIsKey = true;
      if (onPath) {
        const is = keyIs(source, events, parent.key, path[depth - 1]);
        if (is === undefined) return 'tree';
        onPath = is;
      }
    } else if (parent) {
      onPath &&= path[depth - 1] === parent.index;
      parent.index++;
    }
    if (onPath && depth === path.length) return { key: parent?.map ? scalarRange(events, parent.key) : undefined, node: (type === SCALAR && scalarRange(events, at)) || 'tree' };
    if (type === ALIAS) {
      if (onPath) return 'tree'; // the path goes on inside the anchored node
      continue;
    }
    if (type === SCALAR) continue;
    if (onPath) frames.push({ map: type === MAPPING, nextIsKey: type === MAPPING, key: -1, merged: false, index: 0 });
    else skipping = 1;
  }
  return undefined;
}

/**
 * keyText(source, key) === String(segment), without copying the key's text when it is plain on
 * one line; never for a `<<` merge key; undefined for a block scalar key (its text is the tree's to read).
 */
function keyIs(source: string, events: PackedEvents, key: number, segment: PathSegment): boolean | undefined {
  const kind = events[key];
  if ((kind & MERGE_KEY) !== 0) return false;
  const want = String(segment);
  const start = events[key + 1];
  const end = events[key + 2];
  if (styleOf(kind) === PLAIN) {
    const newline = source.indexOf('\n', start);
    if (newline < 0 || newline >= end) return end - start === want.length && source.startsWith(want, start);
  }
  const text = keyText(source, events, key);
  return text === undefined ? undefined : text === want;
}

/**
 * Every node's location in one pass, for a document asked about many paths (a finding on each
 * of thousands of list items would otherwise scan the events once per finding). Answers as
 * locateInEvents does; undefined for a document with a key that is not a scalar or is a block
 * scalar, an alias or a merge key.
 */
export interface IndexedNode {
  key: Offsets | undefined;
  node: Offsets | 'tree';
  map?: Map<string, IndexedNode>;
  items?: IndexedNode[];
}

export function indexEvents(source: string, events: PackedEvents): IndexedNode | undefined {
  const open: { entry: IndexedNode; nextIsKey: boolean; key: string; keyRange: Offsets | undefined }[] = [];
  let root: IndexedNode | undefined;
  for (let at = 0; at < events.length; at += width(events[at])) {
    const kind = events[at];
    const type = kind & TYPE_MASK;
    if (type === DOCUMENT) continue;
    if (type === POP) {
      open.pop();
      continue;
    }
    if (type === ALIAS) return undefined;
    const parent = open[open.length - 1];
    if (parent?.entry.map && parent.nextIsKey) {
      if (type !== SCALAR || (kind & MERGE_KEY) !== 0) return undefined;
      const key = keyText(source, events, at);
      if (key === undefined) return undefined;
      parent.key = key;
      parent.keyRange = scalarRange(events, at);
      parent.nextIsKey = false;
      continue;
    }
    const entry: IndexedNode = { key: parent?.entry.map ? parent.keyRange : undefined, node: (type === SCALAR && scalarRange(events, at)) || 'tree' };
    if (!parent) root ??= entry;
    else if (parent.entry.map) {
      parent.nextIsKey = true;
      if (!parent.entry.map.has(parent.key)) parent.entry.map.set(parent.key, entry); // the first, as the scan finds it
    } else parent.entry.items!.push(entry);
    if (type === SCALAR) continue;
    if (type === MAPPING) entry.map = new Map();
    else entry.items = [];
    open.push({ entry, nextIsKey: type === MAPPING, key: '', keyRange: undefined });
  }
  return root;
}

/** locateInEvents, answered from an index. */
export function locateInIndex(root: IndexedNode, path: readonly PathSegment[]): EventLocation {
  let at: IndexedNode | undefined = root;
  for (const seg of path) {
    if (at?.map) at = at.map.get(String(seg));
    else if (at?.items && typeof seg === 'number') at = at.items[seg];
    else return undefined;
  }
  return at && { key: at.key, node: at.node };
}

function styleOf(kind: number): number {
  return (kind >> STYLE_SHIFT) & STYLE_MASK;
}

/**
 * A key as a string: its plain text, else decoded (quotes, escapes, a plain key folded over
 * lines); undefined for a block scalar key, whose decoding needs what the packed events leave out.
 */
function keyText(source: string, events: PackedEvents, key: number): string | undefined {
  const style = styleOf(events[key]);
  const start = events[key + 1];
  const end = events[key + 2];
  if (style === PLAIN) {
    const text = source.slice(start, end);
    if (!text.includes('\n')) return text;
  } else if (style !== SINGLE_QUOTED && style !== DOUBLE_QUOTED) return undefined;
  const scalar: ScalarEvent = { type: SCALAR, valueStart: start, valueEnd: end, anchorStart: -1, anchorEnd: -1, tagStart: -1, tagEnd: -1, style, chomping: CLIP, indent: -1, fast: false } as ScalarEvent;
  return decode(source, scalar);
}

/** The tree's range of a scalar: quotes included; undefined for block and empty scalars. */
function scalarRange(events: PackedEvents, at: number): Offsets | undefined {
  const start = events[at + 1];
  const end = events[at + 2];
  if (start < 0) return undefined;
  const style = styleOf(events[at]);
  if (style === PLAIN) return end > start ? [start, end] : undefined;
  if (style === SINGLE_QUOTED || style === DOUBLE_QUOTED) return [start - 1, end + 1];
  return undefined;
}
