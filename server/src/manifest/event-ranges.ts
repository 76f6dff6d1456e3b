// Key and value ranges of a fast-loaded document (see fast-load.ts) read from js-yaml's events,
// without building the `yaml` tree. A file where most documents have a finding (say an untagged
// image in each of 1,000 Deployments) would otherwise build 1,000 trees just to place them.
//
// Answers exactly what locate.ts answers from the tree, for what events can tell: keys, plain and
// quoted scalars. Collections (events carry no end offset), block scalars (the events start at the
// content, the tree at the `|`/`>` indicator), empty values, aliases and what a path finds only
// through an alias or a `<<` merge key (locate.ts follows them) say 'tree': ask the tree.
// test/manifest/event-ranges.test.ts compares both on every path of the examples and mutations.
import { EVENT_ID, getScalarValue, SCALAR_STYLE, type Event, type ScalarEvent } from 'js-yaml';
import { isMergeKey } from './fast-load';
import type { EventLocation, Offsets, PathSegment } from './types';

// Read once: through the bundle's CommonJS interop every access is a getter call.
const { DOCUMENT, POP, SCALAR, MAPPING, SEQUENCE, ALIAS } = EVENT_ID;
const { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED } = SCALAR_STYLE;
const decode = getScalarValue;

/** An open collection on the path. */
interface Frame {
  map: boolean;
  /** Mappings: the next node is a key. */
  nextIsKey: boolean;
  /** Mappings: the last key read. */
  key: ScalarEvent | undefined;
  /** Mappings: the last key read is `<<`, whose value is merged rather than found under that key. */
  mergeKey: boolean;
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
export function locateInEvents(source: string, events: readonly Event[], path: readonly PathSegment[]): EventLocation | 'tree' {
  // The open collections on `path`: the root, then its child on the path, ...
  const frames: Frame[] = [];
  // Collections still open inside one that is not on `path`.
  let skipping = 0;
  for (const e of events) {
    if (skipping > 0) {
      if (e.type === POP) skipping--;
      else if (e.type === MAPPING || e.type === SEQUENCE) skipping++;
      continue;
    }
    if (e.type === DOCUMENT) continue;
    if (e.type === POP) {
      // A collection on `path` ended: `path` is not in there, unless a merge brings it in.
      if (frames.length > 0) return frames[frames.length - 1].merged ? 'tree' : undefined;
      continue;
    }
    const parent = frames[frames.length - 1];
    if (parent?.map && parent.nextIsKey) {
      if (e.type !== SCALAR) return 'tree';
      parent.key = e;
      parent.mergeKey = isMergeKey(source, e);
      parent.merged ||= parent.mergeKey;
      parent.nextIsKey = false;
      continue;
    }
    const depth = frames.length; // the length of this node's path
    let onPath = depth <= path.length;
    if (parent?.map) {
      parent.nextIsKey = true;
      onPath &&= !parent.mergeKey && keyIs(source, parent.key!, path[depth - 1]);
    } else if (parent) {
      onPath &&= path[depth - 1] === parent.index;
      parent.index++;
    }
    if (onPath && depth === path.length) return { key: parent?.map ? scalarRange(parent.key!) : undefined, node: (e.type === SCALAR && scalarRange(e)) || 'tree' };
    if (e.type === ALIAS) {
      if (onPath) return 'tree'; // the path goes on inside the anchored node
      continue;
    }
    if (e.type === SCALAR) continue;
    if (onPath) frames.push({ map: e.type === MAPPING, nextIsKey: e.type === MAPPING, key: undefined, mergeKey: false, merged: false, index: 0 });
    else skipping = 1;
  }
  return undefined;
}

/** keyText(source, key) === String(segment), without copying the key's text when it is plain on one line. */
function keyIs(source: string, key: ScalarEvent, segment: PathSegment): boolean {
  const want = String(segment);
  if (key.style === PLAIN) {
    const newline = source.indexOf('\n', key.valueStart);
    if (newline < 0 || newline >= key.valueEnd) return key.valueEnd - key.valueStart === want.length && source.startsWith(want, key.valueStart);
  }
  return keyText(source, key) === want;
}

/**
 * Every node's location in one pass, for a document asked about many paths (a finding on each
 * of thousands of list items would otherwise scan the events once per finding). Answers as
 * locateInEvents does; undefined for a document with a key that is not a scalar, an alias or a merge key.
 */
export interface IndexedNode {
  key: Offsets | undefined;
  node: Offsets | 'tree';
  map?: Map<string, IndexedNode>;
  items?: IndexedNode[];
}

export function indexEvents(source: string, events: readonly Event[]): IndexedNode | undefined {
  const open: { entry: IndexedNode; nextIsKey: boolean; key: string; keyRange: Offsets | undefined }[] = [];
  let root: IndexedNode | undefined;
  for (const e of events) {
    if (e.type === DOCUMENT) continue;
    if (e.type === POP) {
      open.pop();
      continue;
    }
    if (e.type === ALIAS) return undefined;
    const parent = open[open.length - 1];
    if (parent?.entry.map && parent.nextIsKey) {
      if (e.type !== SCALAR || isMergeKey(source, e)) return undefined;
      parent.key = keyText(source, e);
      parent.keyRange = scalarRange(e);
      parent.nextIsKey = false;
      continue;
    }
    const entry: IndexedNode = { key: parent?.entry.map ? parent.keyRange : undefined, node: (e.type === SCALAR && scalarRange(e)) || 'tree' };
    if (!parent) root ??= entry;
    else if (parent.entry.map) {
      parent.nextIsKey = true;
      if (!parent.entry.map.has(parent.key)) parent.entry.map.set(parent.key, entry); // the first, as the scan finds it
    } else parent.entry.items!.push(entry);
    if (e.type === SCALAR) continue;
    if (e.type === MAPPING) entry.map = new Map();
    else entry.items = [];
    open.push({ entry, nextIsKey: e.type === MAPPING, key: '', keyRange: undefined });
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

/** A key as a string: its plain text, else decoded (quotes, escapes, a plain key folded over lines). */
function keyText(source: string, e: ScalarEvent): string {
  const text = source.slice(e.valueStart, e.valueEnd);
  return e.style === PLAIN && !text.includes('\n') ? text : decode(source, e);
}

/** The tree's range of a scalar: quotes included; undefined for block and empty scalars. */
function scalarRange(e: ScalarEvent): Offsets | undefined {
  if (e.valueStart < 0) return undefined;
  if (e.style === PLAIN) return e.valueEnd > e.valueStart ? [e.valueStart, e.valueEnd] : undefined;
  if (e.style === SINGLE_QUOTED || e.style === DOUBLE_QUOTED) return [e.valueStart - 1, e.valueEnd + 1];
  return undefined;
}
