// The fields a built-in object has once the API server has decoded it, beyond what SetDefaults_
// writes: the `+default` markers of k8s.io/api (zz_generated.defaults.go, e.g. a port's protocol
// TCP) and the Go fields serialised when unset (a non-pointer struct without omitempty, e.g. a
// container's `resources: {}`, as runtime.DefaultUnstructuredConverter ToUnstructured writes them
// for CEL, cel/condition.go objectToResolveVal). The release's OpenAPI data carries both as each
// property's `default`.
import { isRecord } from '../manifest';
import type { RawSchema, SchemaCatalog } from '../schema/catalog';

/** Schemas nest deeper than any manifest; the bound keeps a malformed one from recursing forever. */
const MAX_DEPTH = 64;

/** What the walk needs of a schema node, resolved once per node and release (a walk meets each node per list item). */
interface Plan {
  /** The properties with a default: [key, default]. */
  defaults: [string, unknown][];
  /** Every property's schema, to descend into what the value holds. */
  properties: Map<string, RawSchema>;
  items?: RawSchema;
  additional?: RawSchema;
}

const plans = new WeakMap<SchemaCatalog, WeakMap<RawSchema, Plan>>();

function planOf(schema: RawSchema, catalog: SchemaCatalog): Plan {
  let byNode = plans.get(catalog);
  if (!byNode) plans.set(catalog, (byNode = new WeakMap()));
  let plan = byNode.get(schema);
  if (!plan) {
    const node = catalog.resolve(schema);
    const properties = new Map(Object.entries(node.properties ?? {}));
    const defaults: [string, unknown][] = [];
    for (const [key, property] of properties) {
      const value = catalog.resolve(property).default;
      if (value !== undefined) defaults.push([key, value]);
    }
    plan = { defaults, properties, ...(node.items ? { items: node.items } : {}), ...(isRecord(node.additionalProperties) ? { additional: node.additionalProperties } : {}) };
    byNode.set(schema, plan);
  }
  return plan;
}

/** Fills `value` (a copy the caller owns) in place with the defaults of `schema`. */
export function fillSchemaDefaults(value: unknown, schema: RawSchema, catalog: SchemaCatalog, depth = 0): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return;
  const plan = planOf(schema, catalog);
  if (Array.isArray(value)) {
    if (plan.items) for (const item of value) fillSchemaDefaults(item, plan.items, catalog, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [key, fallback] of plan.defaults) if (record[key] === undefined) record[key] = typeof fallback === 'object' && fallback !== null ? structuredClone(fallback) : fallback;
  for (const key in record) {
    const child = record[key];
    if (child === null || typeof child !== 'object') continue;
    const property = plan.properties.get(key) ?? plan.additional;
    if (property) fillSchemaDefaults(child, property, catalog, depth + 1);
  }
}
