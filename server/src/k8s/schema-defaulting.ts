// OpenAPI `default`s applied as the API server applies them to a decoded object
// (apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go, Default): a property that
// is missing gets a copy of its default, and the walk goes on into objects, map values
// (additionalProperties), list items and the defaults it inserted. A null of a property that is
// not nullable takes the default (isNonNullableNull) or, without one, is dropped
// (prunenulls.go, PruneNonNullableNullsWithoutDefaults). One walk for both schema kinds kdry holds:
// a CRD's structural schema (crd/defaults.ts) and the release's OpenAPI data of built-in kinds
// (defaults/zero-values.ts); each supplies its nodes through DefaultingNode.

/** What the walk reads of one schema node; an adapter builds one per schema object and keeps it. */
export interface DefaultingNode {
  /** The node of the object's property `key`: declared, else additionalProperties; undefined when it has none. */
  property(key: string): DefaultingNode | undefined;
  /** The node of a list's items. */
  readonly items: DefaultingNode | undefined;
  /** The properties with a `default`, in the schema's order, and their defaults. */
  readonly defaults: readonly (readonly [string, unknown])[];
  /** The node's own `default` (a null property that is not nullable takes it). */
  readonly default: unknown;
  readonly nullable: boolean;
  /** Some `default` at or below the node: a subtree without one is left as it is. */
  readonly defaultsBelow: boolean;
  /** Copies defaulted under this node, per value (withSchemaDefaults only). */
  remembered?: WeakMap<object, unknown>;
}

/** Schemas may refer to themselves and defaults may hold their own type: the walk stops this deep. */
const MAX_DEPTH = 64;

/**
 * `value` with the defaults of `node`, never mutating it: objects are copied on their first
 * change only, so a subtree that gets no default is the same object, and large subtrees are
 * remembered per node (a keystroke patched into a large resource, manifest/incremental.ts, leaves
 * every other subtree the same object: it is defaulted once).
 */
export function withSchemaDefaults(value: unknown, node: DefaultingNode | undefined): unknown {
  return defaulted(value, node, false, 0);
}

/**
 * Applies the defaults of `node` to `value` in place: a copy the caller owns. A frozen object in it
 * is a subtree defaulted already (shared between copies) and is left as it is.
 */
export function fillSchemaDefaults(value: unknown, node: DefaultingNode | undefined): void {
  defaulted(value, node, true, 0);
}

/** Collections defaulted so far: a subtree's count is its size. */
let visited = 0;
/** Walks cut at MAX_DEPTH so far: a subtree that was cut is not remembered (it may be met higher up). */
let cut = 0;
/** A subtree of fewer collections is defaulted again rather than remembered: an entry costs more than that. */
const REMEMBERED_FROM_NODES = 16;

function defaulted(value: unknown, node: DefaultingNode | undefined, owned: boolean, depth: number): unknown {
  if (!node || value === null || typeof value !== 'object' || !node.defaultsBelow || Object.isFrozen(value)) return value;
  if (depth > MAX_DEPTH) {
    cut++;
    return value;
  }
  if (owned) return defaultedNode(value, node, true, depth);
  const known = node.remembered?.get(value);
  if (known !== undefined) return known;
  const [visitedBefore, cutBefore] = [visited++, cut];
  const result = defaultedNode(value, node, false, depth);
  // A copy is always remembered, so that rules on it see the same object on the next keystroke.
  if (cut === cutBefore && (result !== value || visited - visitedBefore >= REMEMBERED_FROM_NODES)) (node.remembered ??= new WeakMap()).set(value, result);
  return result;
}

/** `owned`: change `value` itself; else copy it on its first change (or return it unchanged). */
function defaultedNode(value: object, node: DefaultingNode, owned: boolean, depth: number): unknown {
  if (Array.isArray(value)) {
    const items = node.items;
    if (!items) return value;
    let out: unknown[] | undefined = owned ? value : undefined;
    for (let i = 0; i < value.length; i++) {
      const item = defaulted(value[i], items, owned, depth + 1);
      if (item !== value[i]) (out ??= value.slice())[i] = item;
    }
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined = owned ? record : undefined;
  for (const key of Object.keys(record)) {
    const child = record[key];
    const childNode = node.property(key);
    if (child === null && childNode && !childNode.nullable) {
      out ??= copyUpTo(record, key);
      if (childNode.default === undefined) delete out[key];
      else out[key] = defaulted(copyOf(childNode.default), childNode, true, depth + 1);
      continue;
    }
    const result = defaulted(child, childNode, owned, depth + 1);
    if (result !== child) out ??= copyUpTo(record, key);
    if (out) out[key] = result;
  }
  for (const [key, fallback] of node.defaults) {
    if (Object.hasOwn(record, key)) continue;
    out ??= copyUpTo(record);
    out[key] = defaulted(copyOf(fallback), node.property(key), true, depth + 1);
  }
  return out ?? value;
}

/** A new object with the entries of `record` before `upTo` (all of them without it). No prototype: a key named `__proto__` stays a key. */
function copyUpTo(record: Record<string, unknown>, upTo?: string): Record<string, unknown> {
  const fresh: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(record)) {
    if (key === upTo) break;
    fresh[key] = record[key];
  }
  return fresh;
}

/** A default is inserted as a copy (runtime.DeepCopyJSONValue): the schema's own value is never handed out. */
function copyOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
