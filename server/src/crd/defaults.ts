// Structural defaulting, as the API server applies it before validation and CEL rules see the
// object (apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go, Default): a missing
// property with a `default` gets it, recursively into objects, map values and list items. Nulls of
// fields that are not `nullable` are pruned first (schema/defaulting/prunenulls.go), so a default
// applies to them too. Never mutates its input.
import { propertySchema, type StructuralSchema } from '../k8s/structural-schema';

export function withDefaults(value: unknown, schema: StructuralSchema | undefined): unknown {
  if (!schema || !hasDefaults(schema)) return value;
  if (Array.isArray(value)) {
    const items = schema.items;
    return items ? value.map((v) => withDefaults(v, items)) : value;
  }
  if (value === null || typeof value !== 'object') return value;
  // No prototype: a key named `__proto__` stays a key.
  const out: Record<string, unknown> = Object.create(null);
  for (const [key, child] of Object.entries(value)) {
    const childSchema = propertySchema(schema, key);
    if (child === null && childSchema && !childSchema.nullable) {
      if (childSchema.default !== undefined) out[key] = structuredClone(childSchema.default);
      continue;
    }
    out[key] = withDefaults(child, childSchema);
  }
  for (const [key, childSchema] of Object.entries(schema.properties ?? {})) {
    if (!Object.hasOwn(out, key) && childSchema.default !== undefined && !Object.hasOwn(value, key)) out[key] = withDefaults(structuredClone(childSchema.default), childSchema);
  }
  return out;
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
