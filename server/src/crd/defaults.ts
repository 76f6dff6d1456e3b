// Structural defaulting, as the API server applies it before validation and CEL rules see the
// object (apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go, Default): a missing
// property with a `default` gets it, recursively into objects, map values and list items. Nulls of
// fields that are not `nullable` are pruned first (schema/defaulting/prunenulls.go), so a default
// applies to them too. Never mutates its input.
import { propertySchema, type StructuralSchema } from '../k8s/structural-schema';

export function withDefaults(value: unknown, schema: StructuralSchema | undefined): unknown {
  if (!schema || !hasDefaults(schema) || value === null || typeof value !== 'object') return value;
  // The result depends on nothing else: a keystroke patched into a large resource
  // (manifest/incremental.ts) leaves every other subtree the same object, defaulted once.
  // Small subtrees left as they are (most) are not remembered: an entry costs more than defaulting
  // them again. A copy is, so that rules on it see the same object on the next keystroke.
  const byValue = defaultedBySchema.get(schema);
  const known = byValue?.get(value);
  if (known !== undefined) return known;
  const visitedBefore = visited++;
  const defaulted = defaultedNode(value, schema);
  if (defaulted !== value || visited - visitedBefore >= REMEMBERED_FROM_NODES) {
    if (byValue) byValue.set(value, defaulted);
    else defaultedBySchema.set(schema, new WeakMap([[value, defaulted]]));
  }
  return defaulted;
}

/** The defaulted copy of a collection (or `value` itself when nothing is defaulted), per schema node. */
const defaultedBySchema = new WeakMap<StructuralSchema, WeakMap<object, unknown>>();
/** Collections defaulted so far: a subtree's count is its size. */
let visited = 0;
/** A subtree of fewer collections is defaulted again rather than remembered. */
const REMEMBERED_FROM_NODES = 16;

function defaultedNode(value: object, schema: StructuralSchema): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return value;
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const defaulted = withDefaults(v, items);
      if (defaulted !== v) (out ??= value.slice())[i] = defaulted;
    });
    return out ?? value;
  }
  // Copied on the first change only: on every keystroke most nodes get no default. No prototype:
  // a key named `__proto__` stays a key.
  let out: Record<string, unknown> | undefined;
  /** The entries before `upTo` (all of them without it). */
  const copy = (upTo?: string) => {
    const fresh: Record<string, unknown> = Object.create(null);
    for (const [k, v] of Object.entries(value)) {
      if (k === upTo) break;
      fresh[k] = v;
    }
    return fresh;
  };
  for (const [key, child] of Object.entries(value)) {
    const childSchema = propertySchema(schema, key);
    if (child === null && childSchema && !childSchema.nullable) {
      out ??= copy(key);
      if (childSchema.default !== undefined) out[key] = structuredClone(childSchema.default);
      continue;
    }
    const defaulted = withDefaults(child, childSchema);
    if (defaulted !== child) out ??= copy(key);
    if (out) out[key] = defaulted;
  }
  for (const [key, childSchema] of Object.entries(schema.properties ?? {})) {
    if (childSchema.default === undefined || Object.hasOwn(value, key) || (out && Object.hasOwn(out, key))) continue;
    out ??= copy();
    out[key] = withDefaults(structuredClone(childSchema.default), childSchema);
  }
  return out ?? value;
}

const withDefaultsBelow = new WeakMap<StructuralSchema, boolean>();

/**
 * Some `default` at or below the schema: only those subtrees are copied (a null of a field without
 * one is skipped by validation anyway). Kept per schema object, so computed once per CRD version.
 */
function hasDefaults(schema: StructuralSchema): boolean {
  let known = withDefaultsBelow.get(schema);
  if (known === undefined) {
    withDefaultsBelow.set(schema, false); // a cycle (never in a real CRD) ends here
    const children = [...Object.values(schema.properties ?? {}), ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties] : []), ...(schema.items ? [schema.items] : [])];
    known = Object.values(schema.properties ?? {}).some((p) => p.default !== undefined) || children.some(hasDefaults);
    withDefaultsBelow.set(schema, known);
  }
  return known;
}
