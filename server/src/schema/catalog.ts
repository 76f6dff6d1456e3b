// The generated schemas as data, for everything that reads them rather than validates with them:
// hover, completion and the wording of schema errors. Parsed once, on first use.
import { inflateRawSync } from 'node:zlib';
import { SCHEMA_CATALOG } from './generated/validators';

/** A JSON Schema node as the generator writes it (draft-07, `$ref` into the catalog definitions). */
export interface RawSchema {
  $ref?: string;
  description?: string;
  type?: string | string[];
  format?: string;
  enum?: string[];
  default?: unknown;
  required?: string[];
  properties?: Record<string, RawSchema>;
  additionalProperties?: RawSchema | boolean;
  items?: RawSchema;
}

interface Catalog {
  kinds: Record<string, RawSchema>;
  definitions: Record<string, RawSchema>;
}

let catalog: Catalog | undefined;

function loadCatalog(): Catalog {
  catalog ??= JSON.parse(inflateRawSync(Buffer.from(SCHEMA_CATALOG, 'base64')).toString('utf8')) as Catalog;
  return catalog;
}

/** Kind keys with a schema (`apps/v1/Deployment`, ...). */
export function schemaKinds(): string[] {
  return Object.keys(loadCatalog().kinds);
}

/** The kind's root schema, or undefined for kinds without one. */
export function kindSchema(kindKey: string): RawSchema | undefined {
  return Object.hasOwn(loadCatalog().kinds, kindKey) ? loadCatalog().kinds[kindKey] : undefined;
}

/**
 * The schema with its `$ref` followed: the definition's keywords, overridden by the ones written
 * beside the reference (a field's own description and default are more specific than its type's).
 */
export function resolveSchema(schema: RawSchema): RawSchema {
  let resolved = schema;
  for (let depth = 0; resolved.$ref && depth < 8; depth++) {
    const { $ref, ...beside } = resolved;
    const target = loadCatalog().definitions[$ref.slice('#/definitions/'.length)];
    if (!target) return beside;
    resolved = { ...target, ...beside };
  }
  return resolved;
}

/** The schema of the value at `path` below `schema`, or undefined when the path leaves it. */
export function descend(schema: RawSchema, path: readonly (string | number)[]): RawSchema | undefined {
  let node: RawSchema | undefined = resolveSchema(schema);
  for (const segment of path) {
    node = childSchema(node, segment);
    if (!node) return undefined;
    node = resolveSchema(node);
  }
  return node;
}

function childSchema(schema: RawSchema, segment: string | number): RawSchema | undefined {
  if (typeof segment === 'number' || /^\d+$/.test(segment)) {
    if (schema.items) return schema.items;
    if (typeof segment === 'number') return undefined;
  }
  if (schema.properties && Object.hasOwn(schema.properties, segment)) return schema.properties[segment];
  if (typeof schema.additionalProperties === 'object') return schema.additionalProperties;
  return undefined;
}
