// The JS value of a `yaml` document tree, as its `toJS()` builds it (keep: true, objects for maps,
// `<<` merge keys), in one pass. `yaml` resolves each alias by walking the list of every anchor and
// alias of the document up to that alias (nodes/Alias.js `resolve`), so a document with many aliases
// took time quadratic in their number: 32,000 `- *b` items (219 KB) 7 s. Here the aliases are
// resolved by one walk of the tree (alias-targets.ts). Callers refuse alias bombs first (alias-ratio.ts).
//
// A tree with a node of another class (`!!set`, `!!omap`: not made by the core schema) is left to
// `toJS()`. test/manifest/tree-value.test.ts checks the agreement.
import { isAlias, isMap, isScalar, isSeq, Scalar, YAMLMap, YAMLSeq, type Document, type Node, type Pair } from 'yaml';
import { aliasTarget } from './alias-targets';

/** The tree held a node this pass does not build (see the top of this file). */
const OTHER_NODE = new (class OtherNode {})();

export function treeValue(doc: Document.Parsed): unknown {
  try {
    return new ValueBuilder(doc).value(doc.contents);
  } catch (e) {
    if (e === OTHER_NODE) return doc.toJS({ maxAliasCount: -1 });
    throw e;
  }
}

class ValueBuilder {
  /** Each anchored node's first value, set when it is created (an alias inside its own anchor gets it, as in toJS). */
  private values = new Map<Node, unknown>();

  constructor(private readonly doc: Document.Parsed) {}

  value(node: unknown): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = aliasTarget(this.doc, node);
      // Alias.toJSON's words (a merge source without its anchor is "not a map" instead, as in merge.js)
      if (!target) throw new ReferenceError(`Unresolved alias (the anchor must be set before the alias): ${node.source}`);
      return this.values.has(target) ? this.values.get(target) : this.value(target);
    }
    const first = (node as Node).anchor !== undefined && !this.values.has(node as Node);
    if (node instanceof Scalar && node.constructor === Scalar) {
      if (first) this.values.set(node, node.value);
      return node.value;
    }
    if (node instanceof YAMLSeq && node.constructor === YAMLSeq) {
      const items: unknown[] = [];
      if (first) this.values.set(node, items);
      for (const item of node.items) items.push(this.value(item));
      return items;
    }
    if (node instanceof YAMLMap && node.constructor === YAMLMap) {
      const map: Record<string, unknown> = {};
      if (first) this.values.set(node, map);
      for (const pair of node.items) this.addPair(map, pair);
      return map;
    }
    throw OTHER_NODE;
  }

  /** nodes/addPairToJSMap.js: a merge key merges; any other key is stringified and set (defined, for `__proto__` and the like). */
  private addPair(map: Record<string, unknown>, pair: Pair): void {
    if (isMergeKey(pair.key)) {
      // merge.js mergeValue: each source's entries (built again) that the map does not have yet.
      for (const source of this.mergeSources(pair.value)) {
        for (const [key, value] of this.entries(source)) {
          if (!Object.prototype.hasOwnProperty.call(map, key as PropertyKey)) Object.defineProperty(map, key as PropertyKey, { value, writable: true, enumerable: true, configurable: true });
        }
      }
      return;
    }
    const jsKey = this.value(pair.key);
    if (jsKey !== null && typeof jsKey === 'object') throw OTHER_NODE; // a collection as a key: refused before (collection-key.ts)
    const key = jsKey === null ? '' : String(jsKey);
    const value = this.value(pair.value);
    if (key in map) Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
    else map[key] = value;
  }

  /** merge.js addMergeToJSMap: a map, an alias of one, or a list of those. */
  private mergeSources(value: unknown): YAMLMap[] {
    const source = this.sourceOf(value);
    const sources = isSeq(source) ? source.items.map((item) => this.sourceOf(item)) : [source];
    return sources.map((s) => {
      if (!isMap(s)) throw new Error('Merge sources must be maps or map aliases');
      if (s.constructor !== YAMLMap) throw OTHER_NODE;
      return s;
    });
  }

  private sourceOf(value: unknown): unknown {
    return isAlias(value) ? aliasTarget(this.doc, value) : value;
  }

  /** A merge source's entries as `toJSON(null, ctx, Map)` gives them: raw keys, a later key winning, a nested merge adding what is missing. */
  private entries(source: YAMLMap): Map<unknown, unknown> {
    const entries = new Map<unknown, unknown>();
    for (const pair of source.items) {
      if (isMergeKey(pair.key)) {
        for (const nested of this.mergeSources(pair.value)) for (const [key, value] of this.entries(nested)) if (!entries.has(key)) entries.set(key, value);
      } else {
        const key = this.value(pair.key);
        entries.set(key, this.value(pair.value));
      }
    }
    return entries;
  }
}

/** merge.js isMergeKey: a plain `<<` (resolved to the merge tag's symbol, or a plain string `<<`). */
function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const value = key.value;
  if (typeof value === 'symbol') return value.description === '<<';
  return value === '<<' && (!key.type || key.type === Scalar.PLAIN);
}
