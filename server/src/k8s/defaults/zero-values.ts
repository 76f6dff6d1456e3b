// The fields a built-in object has once the API server has decoded it, beyond what SetDefaults_
// writes: the `+default` markers of k8s.io/api (zz_generated.defaults.go, e.g. a port's protocol
// TCP) and the Go fields serialised when unset (a non-pointer struct without omitempty, e.g. a
// container's `resources: {}`, as runtime.DefaultUnstructuredConverter ToUnstructured writes them
// for CEL, cel/condition.go objectToResolveVal). The release's OpenAPI data carries both as each
// property's `default`.
import { isRecord } from '../../manifest';
import type { RawSchema, SchemaCatalog } from '../../schema/catalog';

/** Schemas nest deeper than any manifest; the bound keeps a malformed one from recursing forever. */
const MAX_DEPTH = 64;

/** Fills `value` (a copy the caller owns) in place with the defaults of `schema`. */
export function fillSchemaDefaults(value: unknown, schema: RawSchema, catalog: SchemaCatalog, depth = 0): void {
  if (depth > MAX_DEPTH) return;
  const node = catalog.resolve(schema);
  if (Array.isArray(value)) {
    if (node.items) for (const item of value) fillSchemaDefaults(item, node.items, catalog, depth + 1);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, property] of Object.entries(node.properties ?? {})) {
    const resolved = catalog.resolve(property);
    if (value[key] === undefined && resolved.default !== undefined) value[key] = structuredClone(resolved.default);
    if (value[key] !== undefined) fillSchemaDefaults(value[key], property, catalog, depth + 1);
  }
  if (isRecord(node.additionalProperties)) for (const [key, child] of Object.entries(value)) if (!node.properties?.[key]) fillSchemaDefaults(child, node.additionalProperties, catalog, depth + 1);
}
