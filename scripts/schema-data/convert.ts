// Converts the component schemas of one Kubernetes release's OpenAPI v3 files into the JSON Schema
// dialect kdry validates with (server/src/schema/validate-value.ts interprets it).
//
// What changes on the way from OpenAPI to kdry's schemas, and why:
// - `allOf: [{$ref}]` wrappers (OpenAPI's way to describe a reference) become `$ref` with the
//   description and default beside it; references are `#/definitions/<component name>` and are
//   resolved per release (the same name may mean different contents in two releases).
// - Objects that declare properties reject unknown fields (additionalProperties: false), as the
//   API server's strict field validation (kubectl's default) does. Maps keep their value schema.
// - IntOrString is `integer | string`; maxSurge/maxUnavailable also get format `int-or-percent`,
//   ports that may name a container port get `int-or-port-name` (see int-or-string-fields.ts).
// - Quantity is `string | number` with format `quantity`.
// - String fields with a fixed set of values get `enum` (see enums.ts).
// - Required fields the API server defaults are optional (see defaulted-fields.ts).
// - x-kubernetes-* extensions are dropped (patch strategies matter to the server, not to a file).
import { FIELD_ENUMS, FIELD_ENUMS_BY_RELEASE, enumFromDescription, enumInRelease } from './enums';
import { compareVersions } from '../../server/src/k8s/release-version';
import { INT_OR_PERCENT_FIELDS, INT_OR_PORT_NAME_FIELDS } from './int-or-string-fields';
import { REQUIRED_BUT_ACCEPTED_ABSENT } from './defaulted-fields';

export type JsonSchema = { [key: string]: unknown };

const COMPONENT_PREFIX = '#/components/schemas/';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
/** Repeated beside a format on IntOrString fields: a format needs to know the types it checks. */
const INT_OR_STRING_TYPE = { type: ['integer', 'string'] };

/** The hand-written field tables, each keyed by definition name without `io.k8s.`, then field. */
const FIELD_TABLES: Record<string, Record<string, unknown> | string[]>[] = [FIELD_ENUMS, FIELD_ENUMS_BY_RELEASE, INT_OR_PERCENT_FIELDS, INT_OR_PORT_NAME_FIELDS, REQUIRED_BUT_ACCEPTED_ABSENT];

/** Every component schema of one release, converted; `used` collects the table entries that applied. */
export function convertComponents(components: Record<string, JsonSchema>, used = new Set<string>(), version = '1.0'): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(components)) out[name] = convertDefinition(name, schema, used, version);
  return out;
}

/**
 * The table entries (`api.core.v1.Container.imagePullPolicy`) that name a field of some release:
 * an entry that applies in none has silently stopped working, and the generator refuses it.
 */
export function tableEntries(): string[] {
  return FIELD_TABLES.flatMap((table) => Object.entries(table).flatMap(([def, fields]) => (Array.isArray(fields) ? fields : Object.keys(fields)).map((f) => `${def}.${f}`)));
}

function convertDefinition(name: string, schema: JsonSchema, used: Set<string>, version: string): JsonSchema {
  if (name === INT_OR_STRING) return { description: schema.description, ...INT_OR_STRING_TYPE };
  if (name === QUANTITY) return { description: schema.description, type: ['string', 'number'], format: 'quantity' };
  const converted = convertNode(schema);
  const properties = converted.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return converted;
  const short = name.replace(/^io\.k8s\./, '');
  const present = (prop: string) => {
    if (!Object.hasOwn(properties, prop)) return false;
    used.add(`${short}.${prop}`);
    return true;
  };
  for (const [prop, values] of Object.entries(FIELD_ENUMS[short] ?? {})) if (present(prop)) properties[prop] = withEnum(properties[prop], values);
  for (const [prop, entries] of Object.entries(FIELD_ENUMS_BY_RELEASE[short] ?? {})) {
    const values = enumInRelease(entries, version, compareVersions);
    if (present(prop) && values.length) properties[prop] = withEnum(properties[prop], values);
  }
  for (const [prop, propSchema] of Object.entries(properties)) {
    const described = enumFromDescription(propSchema.description as string | undefined);
    if (described.length) properties[prop] = withEnum(propSchema, described);
  }
  const defaulted = (REQUIRED_BUT_ACCEPTED_ABSENT[short] ?? []).filter(present);
  if (defaulted.length && converted.required) converted.required = (converted.required as string[]).filter((r) => !defaulted.includes(r));
  for (const prop of (INT_OR_PERCENT_FIELDS[short] ?? []).filter(present)) properties[prop] = { ...properties[prop], ...INT_OR_STRING_TYPE, format: 'int-or-percent' };
  for (const prop of (INT_OR_PORT_NAME_FIELDS[short] ?? []).filter(present)) properties[prop] = { ...properties[prop], ...INT_OR_STRING_TYPE, format: 'int-or-port-name' };
  return converted;
}

function withEnum(schema: JsonSchema, values: string[]): JsonSchema {
  if (schema.type === 'array') return { ...schema, items: { ...(schema.items as JsonSchema), enum: values } };
  return { ...schema, enum: values };
}

function convertNode(node: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  const wrapped = node.allOf as JsonSchema[] | undefined;
  if (wrapped) {
    if (wrapped.length !== 1 || typeof wrapped[0].$ref !== 'string') throw new Error(`unexpected allOf: ${JSON.stringify(wrapped)}`);
    out.$ref = definitionRef(wrapped[0].$ref);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'allOf' || key.startsWith('x-kubernetes-')) continue;
    if (key === '$ref') out.$ref = definitionRef(value as string);
    else if (key === 'oneOf' || key === 'anyOf') throw new Error(`unexpected ${key} outside IntOrString/Quantity`);
    else if (key === 'items') out.items = convertNode(value as JsonSchema);
    else if (key === 'additionalProperties') out.additionalProperties = typeof value === 'boolean' ? value : convertNode(value as JsonSchema);
    else if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, convertNode(v)]));
    } else out[key] = value;
  }
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function definitionRef(ref: string): string {
  if (!ref.startsWith(COMPONENT_PREFIX)) throw new Error(`unexpected $ref ${ref}`);
  return `#/definitions/${ref.slice(COMPONENT_PREFIX.length)}`;
}
