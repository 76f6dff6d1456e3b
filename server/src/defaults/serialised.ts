// The decoded object as a policy's CEL reads it: cel/condition.go objectToResolveVal converts it with
// runtime.DefaultUnstructuredConverter.ToUnstructured, not the manifest's JSON. So:
// - a Quantity is its canonical string (resource.Quantity ToUnstructured returns String()): `cpu: 1`
//   reads as "1", `cpu: "0.5"` as "500m", `2048Mi` as "2Gi"; a resource list's values are first
//   rounded up to milli units (core/v1 defaults.go SetDefaults_ResourceList, Quantity.RoundUp(-3));
// - an empty map or list of an `omitempty` field is left out (converter.go structToUnstructured skips
//   an omitempty field when isZero, and a map or slice of length 0 is zero): `labels: {}`,
//   `args: []`, `limits: {}` are not there for has(). A field without omitempty is one the schema
//   lists as `required` (openapi-gen writes those from the json tags), and stays.
// - a non-pointer scalar field tagged omitempty (omitempty-scalars.ts, from k8s.io/api's types.go) is
//   left out when zero: `minReadySeconds: 0`, `hostNetwork: false`, `serviceAccountName: ""`; a
//   pointer field (`replicas: 0`) keeps it.
// An empty struct (`securityContext: {}`) is never zero, so it stays.
import { amountOf, formatAmount, roundUpToMilli } from '../k8s/quantity-amount';
import { definitionName, type RawSchema, type SchemaCatalog } from '../schema/catalog';
import { OMITEMPTY_SCALARS } from './omitempty-scalars';

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** Schemas nest deeper than any manifest; the bound keeps a malformed one from recursing forever. */
const MAX_DEPTH = 64;

const omittedWhenZero = new Map(Object.entries(OMITEMPTY_SCALARS).map(([definition, fields]) => [definition, new Set(fields)]));

const isQuantity = (schema: RawSchema | boolean | undefined): boolean => typeof schema === 'object' && schema.$ref !== undefined && definitionName(schema.$ref) === QUANTITY;

/** A quantity as Quantity.String prints it (rounded up to milli units in a resource list); not one: as written (validation refuses it). */
function canonicalQuantity(value: unknown, inResourceList: boolean): unknown {
  const amount = amountOf(value);
  return amount ? formatAmount(inResourceList ? roundUpToMilli(amount) : amount) : value;
}

/**
 * Rewrites `value` (a defaulted copy the caller owns) in place as ToUnstructured serialises it for
 * `schema`. A frozen object in it is a shared subtree serialised already (index.ts).
 */
export function serialiseForCel(value: unknown, schema: RawSchema, catalog: SchemaCatalog, depth = 0): void {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  const node = catalog.resolve(schema);
  if (Array.isArray(value)) {
    if (!node.items) return;
    if (isQuantity(node.items)) value.forEach((item, i) => (value[i] = canonicalQuantity(item, false)));
    else for (const item of value) serialiseForCel(item, node.items, catalog, depth + 1);
    return;
  }
  const record = value as Record<string, unknown>;
  const additional = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  // A map of quantities is a v1.ResourceList (limits, requests, overhead, a claim's storage).
  const resourceList = !node.properties && isQuantity(additional);
  const zeroOmitted = schema.$ref ? omittedWhenZero.get(definitionName(schema.$ref)) : undefined;
  for (const key of Object.keys(record)) {
    const property = node.properties?.[key] ?? additional;
    if (!property) continue;
    const v = record[key];
    if (zeroOmitted?.has(key) && (v === '' || v === false || v === 0)) {
      delete record[key];
      continue;
    }
    if (isQuantity(property)) {
      record[key] = canonicalQuantity(record[key], resourceList);
      continue;
    }
    const child = record[key];
    if (child === null || typeof child !== 'object') continue;
    if (node.properties && isEmptyOmitted(child, catalog.resolve(property)) && !node.required?.includes(key)) {
      delete record[key];
      continue;
    }
    serialiseForCel(child, property, catalog, depth + 1);
  }
}

/** A list, or a map (a schema with additionalProperties and no properties), without entries. */
function isEmptyOmitted(value: object, schema: RawSchema): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return !schema.properties && typeof schema.additionalProperties === 'object' && Object.keys(value).length === 0;
}
