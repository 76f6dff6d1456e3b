// Source ranges of keys and values by object path, and the path at a file offset.
// Everything returns file offsets (document offset + node range) so callers never search text.
import { isAlias, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { ManifestDocument, ObjectPath, Offsets, PathSegment } from './types';
import { aliasTarget } from './alias-targets';

/**
 * The YAML node at `path`, or undefined when the path does not exist. Like the value, the path
 * goes through aliases and `<<` merge keys: a merged field is found where its anchor defines it.
 */
export function nodeAt(doc: ManifestDocument, path: ObjectPath): Node | undefined {
  let node: unknown = doc.yaml.contents;
  for (const seg of path) {
    node = resolved(doc, node);
    if (isMap(node)) node = pairIn(doc, node, seg)?.value;
    else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
    else return undefined;
    if (node === undefined || node === null) return undefined;
  }
  return node as Node;
}

/** The key/value pair whose key is the last segment of `path` (undefined for sequence items). */
export function pairAt(doc: ManifestDocument, path: ObjectPath): Pair<Node, Node | null> | undefined {
  if (path.length === 0) return undefined;
  const parent = resolved(doc, nodeAt(doc, path.slice(0, -1)));
  if (!isMap(parent)) return undefined;
  return pairIn(doc, parent, path[path.length - 1]) as Pair<Node, Node | null> | undefined;
}

/** Range of the key at `path` (the item itself for sequence indexes). */
export function keyRange(doc: ManifestDocument, path: ObjectPath): Offsets | undefined {
  const fast = doc.locateFast(path);
  if (fast === undefined) return undefined;
  if (fast !== 'tree' && (fast.key || fast.node !== 'tree')) return shift(doc, fast.key ?? (fast.node as Offsets));
  const pair = pairAt(doc, path);
  if (pair && isScalar(pair.key) && pair.key.range) return shift(doc, pair.key.range);
  const node = nodeAt(doc, path);
  return node?.range ? shift(doc, node.range) : undefined;
}

/** The node at `path` is a scalar written there (not an alias, not a collection). */
export function isScalarAt(doc: ManifestDocument, path: ObjectPath): boolean {
  const fast = doc.locateFast(path);
  if (fast === undefined) return false;
  if (fast !== 'tree' && fast.node !== 'tree') return true;
  return isScalar(nodeAt(doc, path));
}

/** Range of the value at `path`; for a key with an empty value, the key. */
export function valueRange(doc: ManifestDocument, path: ObjectPath): Offsets | undefined {
  const fast = doc.locateFast(path);
  if (fast === undefined) return undefined;
  if (fast !== 'tree' && fast.node !== 'tree') return shift(doc, fast.node);
  const node = nodeAt(doc, path);
  if (node?.range) return shift(doc, [node.range[0], node.range[1]]);
  return keyRange(doc, path);
}

/**
 * The nearest existing range for `path`: the key when it exists, otherwise the key of the deepest
 * existing ancestor (where a missing field belongs), otherwise the document's first line.
 */
export function closestRange(doc: ManifestDocument, path: ObjectPath): Offsets {
  for (let n = path.length; n > 0; n--) {
    const r = keyRange(doc, path.slice(0, n));
    if (r) return r;
  }
  const c = doc.yaml.contents;
  if (isMap(c) && c.items[0] && isScalar(c.items[0].key) && c.items[0].key.range) return shift(doc, c.items[0].key.range);
  return [doc.range[0], doc.range[0]];
}

export interface PathAtOffset {
  path: ObjectPath;
  /** The offset is on a mapping key (rather than its value). */
  onKey: boolean;
}

/** The deepest path whose key or value contains the file offset. */
export function pathAtOffset(doc: ManifestDocument, fileOffset: number): PathAtOffset | undefined {
  const offset = fileOffset - doc.offset;
  const path: ObjectPath = [];
  let node: unknown = doc.yaml.contents;
  let onKey = false;
  for (;;) {
    if (isMap(node)) {
      // Ranges are inclusive at both ends, so at the first character of `spec:` the block value of
      // the key before it also "contains" the offset: a key that holds the offset wins.
      const hit = node.items.find((p) => contains(p.key, offset)) ?? node.items.find((p) => contains(p.value, offset));
      if (!hit || !isScalar(hit.key)) break;
      path.push(String(hit.key.value));
      if (contains(hit.key, offset)) {
        onKey = true;
        break;
      }
      node = hit.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => contains(item, offset));
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
    } else break;
  }
  return path.length || contains(doc.yaml.contents, offset) ? { path, onKey } : undefined;
}

/** Merges nested deeper than this are not followed (YAML allows no cycles; this bounds bad input). */
const MAX_MERGE_DEPTH = 8;

/** The pair for `seg`: the map's own, else the first merged map's (YAML merge order), else undefined. */
function pairIn(doc: ManifestDocument, map: YAMLMap<unknown, unknown>, seg: PathSegment, depth = 0): Pair<unknown, unknown> | undefined {
  const keys = keysOf(map);
  const own = keys.own.get(String(seg));
  if (own) return own;
  if (depth >= MAX_MERGE_DEPTH) return undefined;
  for (const merge of keys.merges) {
    const sources = isSeq(merge) ? merge.items : [merge];
    for (const source of sources) {
      const from = resolved(doc, source);
      const pair = isMap(from) ? pairIn(doc, from, seg, depth + 1) : undefined;
      if (pair) return pair;
    }
  }
  return undefined;
}

/** A map's keys, indexed on its first lookup: a finding per key of a 20,000-key map is not quadratic. */
interface MapKeys {
  /** The first pair of each key, as the linear scan finds it. */
  own: Map<string, Pair<unknown, unknown>>;
  merges: unknown[];
}
const mapKeys = new WeakMap<YAMLMap<unknown, unknown>, MapKeys>();

function keysOf(map: YAMLMap<unknown, unknown>): MapKeys {
  let keys = mapKeys.get(map);
  if (keys) return keys;
  keys = { own: new Map(), merges: [] };
  for (const p of map.items) {
    if (!isPair(p) || !isScalar(p.key)) continue;
    if (p.key.source === '<<' && typeof p.key.value === 'symbol') keys.merges.push(p.value);
    else if (!keys.own.has(String(p.key.value))) keys.own.set(String(p.key.value), p);
  }
  mapKeys.set(map, keys);
  return keys;
}

/** The anchored node an alias stands for; any other node as it is. */
function resolved(doc: ManifestDocument, node: unknown): unknown {
  return isAlias(node) ? aliasTarget(doc.yaml, node) : node;
}

function contains(node: unknown, offset: number): boolean {
  const r = (node as Node | null)?.range;
  return !!r && offset >= r[0] && offset <= r[1];
}

function shift(doc: ManifestDocument, r: readonly number[]): Offsets {
  return [doc.offset + r[0], doc.offset + r[1]];
}
