// Schema facts for hover and completion: what a field is, what it may contain.
//
// schemaAt('apps/v1/Deployment', ['spec', 'strategy', 'type']) ->
//   { description: 'Type of deployment. Can be "Recreate" or ...', type: 'string',
//     enum: ['Recreate', 'RollingUpdate'] }
// Paths are object paths as manifest/pathAtOffset returns them (array indexes as numbers; a
// numeric string also steps into an array). Map values (labels, resources.limits) resolve to the
// map's value schema. undefined: unknown kind or a path the schema does not have.
import { schemaCatalog, type RawSchema, type SchemaCatalog } from './catalog';

/** A field's schema, one level deep: its own facts, and short facts about its children. */
export interface SchemaInfo {
  description?: string;
  /** JSON type: object, array, string, integer, number, boolean; unions as 'integer | string'. */
  type?: string;
  /** Kubernetes format: int32, int64, date-time, quantity, int-or-percent, int-or-port-name. */
  format?: string;
  /** Allowed values of a string field. */
  enum?: string[];
  default?: unknown;
  /** Property names the API server requires in this object. */
  required?: string[];
  /** Declared properties of an object (unknown fields are rejected). */
  properties?: Record<string, SchemaFieldInfo>;
  /** Schema of every value of a map (labels: string; resources.limits: quantity). */
  additionalProperties?: SchemaFieldInfo;
  /** Schema of the items of an array. */
  items?: SchemaFieldInfo;
}

/** Short facts about a child field (no further nesting; call schemaAt on its path for more). */
export interface SchemaFieldInfo {
  description?: string;
  type?: string;
  format?: string;
  enum?: string[];
  default?: unknown;
}

export interface PropertyCompletion {
  name: string;
  description?: string;
  type?: string;
  required: boolean;
}

/** `release`: the target release's schemas (default: the newest bundled release), read with their descriptions. */
export function schemaAt(kindKey: string, path: readonly (string | number)[], release: SchemaCatalog = schemaCatalog()): SchemaInfo | undefined {
  const catalog = release.described;
  const root = catalog.kindSchema(kindKey);
  const schema = root && catalog.descend(root, path);
  if (!schema) return undefined;
  const info: SchemaInfo = fieldInfo(schema);
  if (schema.required?.length) info.required = [...schema.required];
  if (schema.properties) {
    info.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, child]) => [name, fieldInfo(catalog.resolve(child))]));
  }
  if (typeof schema.additionalProperties === 'object') info.additionalProperties = fieldInfo(catalog.resolve(schema.additionalProperties));
  if (schema.items) info.items = fieldInfo(catalog.resolve(schema.items));
  return info;
}

/** The keys that may appear in the object at `path`, required ones first, then by name. */
export function propertiesAt(kindKey: string, path: readonly (string | number)[], catalog: SchemaCatalog = schemaCatalog()): PropertyCompletion[] {
  return propertyCompletions(schemaAt(kindKey, path, catalog));
}

/** The keys of a described object, required ones first, then by name (built-in kinds and custom resources alike). */
export function propertyCompletions(info: SchemaInfo | undefined): PropertyCompletion[] {
  if (!info?.properties) return [];
  const required = new Set(info.required ?? []);
  return Object.entries(info.properties)
    .map(([name, field]) => ({ name, description: field.description, type: field.type, required: required.has(name) }))
    .sort((a, b) => Number(b.required) - Number(a.required) || a.name.localeCompare(b.name));
}

export function typeName(type: string | string[] | undefined): string | undefined {
  return Array.isArray(type) ? type.join(' | ') : type;
}

function fieldInfo(schema: RawSchema): SchemaFieldInfo {
  const info: SchemaFieldInfo = {};
  if (schema.description !== undefined) info.description = schema.description;
  const type = typeName(schema.type);
  if (type !== undefined) info.type = type;
  if (schema.format !== undefined) info.format = schema.format;
  if (schema.enum) info.enum = [...schema.enum];
  if (schema.default !== undefined) info.default = schema.default;
  return info;
}
