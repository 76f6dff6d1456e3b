// Generates one JSON Schema (draft-07) per workload kind from the extracted Kubernetes 1.33
// OpenAPI v3 component schemas (schemas/openapi/). Run: node --import tsx schemas/generate.ts
//
// What changes on the way from OpenAPI to JSON Schema, and why:
// - `allOf: [{$ref}]` wrappers (OpenAPI's way to describe a reference) become `$ref` with the
//   description and default beside it; references point into the file's own `definitions`.
// - Objects that declare properties reject unknown fields (additionalProperties: false), as the
//   API server's strict field validation (kubectl's default) does. Maps keep their value schema.
// - IntOrString is `integer | string`; maxSurge/maxUnavailable also get format `int-or-percent`,
//   ports that may name a container port get `int-or-port-name` (see int-or-string-fields.ts).
// - Quantity is `string | number` with format `quantity`.
// - String fields with a fixed set of values get `enum` (see enums.ts).
// - Required fields the API server defaults are optional (see defaulted-fields.ts).
// - The kind's apiVersion and kind accept exactly the kind's values and are required.
// - x-kubernetes-* extensions are dropped (patch strategies matter to the server, not to a file).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXTRACT_DIR, OPENAPI_SOURCES, extractFileName } from './extract-openapi';
import { KIND_SCHEMA_FILES, SCHEMA_DIR_NAME, type KindSchemaFile } from './kinds';
import { FIELD_ENUMS, enumFromDescription } from './enums';
import { INT_OR_PERCENT_FIELDS, INT_OR_PORT_NAME_FIELDS } from './int-or-string-fields';
import { REQUIRED_BUT_DEFAULTED } from './defaulted-fields';

export type JsonSchema = { [key: string]: unknown };

const COMPONENT_PREFIX = '#/components/schemas/';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
/** Repeated beside a format on IntOrString fields: a format needs to know the types it checks. */
const INT_OR_STRING_TYPE = { type: ['integer', 'string'] };
export const SCHEMA_DIR = join(import.meta.dirname, SCHEMA_DIR_NAME);

/** Every component schema of the three extracts, by name (identical duplicates merged). */
export function loadComponents(): Record<string, JsonSchema> {
  const all: Record<string, JsonSchema> = {};
  for (const source of OPENAPI_SOURCES) {
    const doc = JSON.parse(readFileSync(join(EXTRACT_DIR, extractFileName(source)), 'utf8'));
    for (const [name, schema] of Object.entries(doc.components.schemas as Record<string, JsonSchema>)) {
      if (all[name] && JSON.stringify(all[name]) !== JSON.stringify(schema)) throw new Error(`${name} differs between OpenAPI files`);
      all[name] = schema;
    }
  }
  return all;
}

/** The generated schemas, keyed by file name under schemas/k8s-1.33/. */
export function generateSchemas(components = loadComponents()): Map<string, JsonSchema> {
  checkFieldTables(components);
  const definitions = new Map<string, JsonSchema>();
  for (const [name, schema] of Object.entries(components)) definitions.set(name, convertDefinition(name, schema));
  const out = new Map<string, JsonSchema>();
  for (const kind of KIND_SCHEMA_FILES) out.set(kind.file, kindSchema(kind, definitions));
  return out;
}

function kindSchema(kind: KindSchemaFile, definitions: Map<string, JsonSchema>): JsonSchema {
  const root = structuredClone(definitions.get(kind.component)!);
  const properties = root.properties as Record<string, JsonSchema>;
  properties.apiVersion = { ...properties.apiVersion, enum: [kind.apiVersion] };
  properties.kind = { ...properties.kind, enum: [kind.kind] };
  root.required = ['apiVersion', 'kind', ...((root.required as string[] | undefined) ?? [])];
  const used = reachableDefinitions(root, definitions);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: `${kind.apiVersion} ${kind.kind} (Kubernetes 1.33)`,
    ...root,
    definitions: Object.fromEntries(used.map((name) => [name, definitions.get(name)!])),
  };
}

function reachableDefinitions(root: JsonSchema, definitions: Map<string, JsonSchema>): string[] {
  const seen = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = value.slice('#/definitions/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          walk(definitions.get(name));
        }
      } else walk(value);
    }
  };
  walk(root);
  return [...seen].sort();
}

function convertDefinition(name: string, schema: JsonSchema): JsonSchema {
  if (name === INT_OR_STRING) return { description: schema.description, ...INT_OR_STRING_TYPE };
  if (name === QUANTITY) return { description: schema.description, type: ['string', 'number'], format: 'quantity' };
  const converted = convertNode(schema);
  const properties = converted.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return converted;
  const short = name.replace(/^io\.k8s\./, '');
  for (const [prop, values] of Object.entries(FIELD_ENUMS[short] ?? {})) properties[prop] = withEnum(properties[prop], values);
  for (const [prop, propSchema] of Object.entries(properties)) {
    const described = enumFromDescription(propSchema.description as string | undefined);
    if (described.length) properties[prop] = withEnum(propSchema, described);
  }
  const defaulted = REQUIRED_BUT_DEFAULTED[short];
  if (defaulted) converted.required = (converted.required as string[]).filter((r) => !defaulted.includes(r));
  for (const prop of INT_OR_PERCENT_FIELDS[short] ?? []) properties[prop] = { ...properties[prop], ...INT_OR_STRING_TYPE, format: 'int-or-percent' };
  for (const prop of INT_OR_PORT_NAME_FIELDS[short] ?? []) properties[prop] = { ...properties[prop], ...INT_OR_STRING_TYPE, format: 'int-or-port-name' };
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

/** The hand-written field tables must name fields that exist, or they silently stop applying. */
function checkFieldTables(components: Record<string, JsonSchema>): void {
  const tables = [FIELD_ENUMS, INT_OR_PERCENT_FIELDS, INT_OR_PORT_NAME_FIELDS, REQUIRED_BUT_DEFAULTED];
  for (const table of tables) {
    for (const [def, fields] of Object.entries(table)) {
      const properties = components[`io.k8s.${def}`]?.properties as Record<string, unknown> | undefined;
      if (!properties) throw new Error(`field table names unknown definition io.k8s.${def}`);
      for (const field of Array.isArray(fields) ? fields : Object.keys(fields)) {
        if (!(field in properties)) throw new Error(`field table names unknown field ${def}.${field}`);
      }
    }
  }
}

/** The exact bytes written for a schema (the currency test compares these). */
export function serializeSchema(schema: JsonSchema): string {
  return JSON.stringify(schema, null, 1) + '\n';
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [file, schema] of generateSchemas()) {
    const text = serializeSchema(schema);
    writeFileSync(join(SCHEMA_DIR, file), text);
    console.log(`${SCHEMA_DIR_NAME}/${file}: ${Object.keys(schema.definitions as object).length} definitions, ${text.length} bytes`);
  }
}
