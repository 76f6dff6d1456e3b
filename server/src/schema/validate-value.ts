// Validates a plain value against a release's schema by walking both together. The schemas are
// a small draft-07 subset (scripts/schema-data/convert.ts writes them): $ref, type, enum, format, required,
// properties, additionalProperties, items. Interpreting that subset over the shared definitions
// costs nothing to load, where compiled validators for every kind of seven releases would be
// megabytes of code. Errors have the shape of ajv's (keyword, instancePath, params), with every
// error collected (ajv's allErrors); a value of the wrong type is not checked any further.
import type { SchemaCatalog } from './catalog';
import { KUBERNETES_FORMATS } from './formats';
import type { RawSchema } from './raw-schema';
import { GATED_FIELDS } from './feature-gates';
import { describesDeprecation } from './deprecation';

const deprecation = new WeakMap<RawSchema, boolean>();

function isDeprecated(node: RawSchema): boolean {
  let known = deprecation.get(node);
  if (known === undefined) deprecation.set(node, (known = describesDeprecation(node.description)));
  return known;
}

export interface SchemaError {
  /** `deprecated` and `featureGate` are notes on fields that are set, not errors. */
  keyword: 'type' | 'enum' | 'format' | 'required' | 'additionalProperties' | 'deprecated' | 'featureGate';
  /** JSON pointer of the value (for `required` and `additionalProperties`: of the object). */
  instancePath: string;
  params: {
    type?: string | string[];
    allowedValues?: unknown[];
    format?: string;
    missingProperty?: string;
    additionalProperty?: string;
    /** On an enum error: the gated field (`definition.field`) whose value it is. */
    gated?: string;
    /** additionalProperties, featureGate: the definition the object is an instance of, when it is one. */
    definition?: string;
    /** deprecated, featureGate: the field that is set. */
    property?: string;
    /** deprecated: what the description says. */
    description?: string;
  };
  message?: string;
}

export function validateValue(catalog: SchemaCatalog, schema: RawSchema, value: unknown, definition?: string): SchemaError[] {
  const errors: SchemaError[] = [];
  const walk: Walk = { catalog, nodes: nodesOf(catalog), errors, path: [] };
  visit(walk, prepared(walk, schema), value, definition);
  return errors;
}

/**
 * One walk's state. `path` holds the escaped segments down to the value being visited: its JSON
 * pointer is joined only for an error, not built for each of the ~100 values of every document.
 */
interface Walk {
  catalog: SchemaCatalog;
  nodes: Map<RawSchema, SchemaNode>;
  errors: SchemaError[];
  path: string[];
  /** The gated field being entered (`definition.field`), for an enum error on its own value. */
  gated?: string;
}

/**
 * A schema node as the walk reads it, prepared once per node and release: its `$ref` followed, the
 * definition it names, and each property with whether it is deprecated or behind a feature gate
 * (one map lookup per key of a value, instead of four). The nodes below it are linked once
 * prepared, so the walk looks up only the key of each value, not its schema as well.
 */
interface SchemaNode {
  schema: RawSchema;
  definition: string | undefined;
  fields: Map<string, Field> | undefined;
  items?: SchemaNode;
  additionalProperties?: SchemaNode;
}

interface Field {
  schema: RawSchema;
  deprecated: boolean;
  gated: boolean;
  /** The key as a JSON pointer segment. */
  segment: string;
  node?: SchemaNode;
}

/** GATED_FIELDS by definition, then field. */
const gatedByDefinition = new Map<string, Set<string>>();
for (const field of Object.keys(GATED_FIELDS)) {
  const dot = field.lastIndexOf('.');
  const definition = field.slice(0, dot);
  let fields = gatedByDefinition.get(definition);
  if (!fields) gatedByDefinition.set(definition, (fields = new Set()));
  fields.add(field.slice(dot + 1));
}

const nodesByCatalog = new WeakMap<SchemaCatalog, Map<RawSchema, SchemaNode>>();

function nodesOf(catalog: SchemaCatalog): Map<RawSchema, SchemaNode> {
  let nodes = nodesByCatalog.get(catalog);
  if (!nodes) nodesByCatalog.set(catalog, (nodes = new Map()));
  return nodes;
}

function prepared(walk: Walk, raw: RawSchema): SchemaNode {
  let node = walk.nodes.get(raw);
  if (node) return node;
  const schema = walk.catalog.resolve(raw);
  const definition = raw.$ref ? raw.$ref.slice(raw.$ref.lastIndexOf('/') + 1) : undefined;
  const gated = definition === undefined ? undefined : gatedByDefinition.get(definition);
  const fields = schema.properties ? new Map(Object.entries(schema.properties).map(([key, child]): [string, Field] => [key, { schema: child, deprecated: isDeprecated(child), gated: gated?.has(key) === true, segment: escape(key) }])) : undefined;
  walk.nodes.set(raw, (node = { schema, definition, fields }));
  return node;
}

function pointerOf(path: readonly string[]): string {
  let pointer = '';
  for (const segment of path) pointer += `/${segment}`;
  return pointer;
}

function visit(walk: Walk, node: SchemaNode, value: unknown, rootDefinition: string | undefined): void {
  // The root is validated as its kind's definition (validateDocument names it); below it, as the `$ref` says.
  const definition = node.definition ?? rootDefinition;
  const rootGated = node.definition === undefined && rootDefinition !== undefined ? gatedByDefinition.get(rootDefinition) : undefined;
  const { errors, path } = walk;
  const { schema } = node;
  const gated = walk.gated;
  walk.gated = undefined;
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    errors.push({ keyword: 'type', instancePath: pointerOf(path), params: { type: schema.type } });
    return;
  }
  if (schema.enum && !schema.enum.includes(value as string)) errors.push({ keyword: 'enum', instancePath: pointerOf(path), params: { allowedValues: schema.enum, ...(gated ? { gated } : {}) } });
  if (schema.format) {
    const format = KUBERNETES_FORMATS[schema.format];
    if (format && typeof value === format.type && !format.validate(value as never)) errors.push({ keyword: 'format', instancePath: pointerOf(path), params: { format: schema.format } });
  }
  if (Array.isArray(value)) {
    if (!schema.items) return;
    const items = (node.items ??= prepared(walk, schema.items));
    for (let i = 0; i < value.length; i++) {
      path.push(String(i));
      visit(walk, items, value[i], undefined);
      path.pop();
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  if (schema.required) {
    for (const name of schema.required) {
      if (!Object.hasOwn(object, name)) errors.push({ keyword: 'required', instancePath: pointerOf(path), params: { missingProperty: name } });
    }
  }
  const { fields } = node;
  const { additionalProperties } = schema;
  if (!fields && additionalProperties === undefined) return;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    const field = fields?.get(key);
    if (field) {
      if (field.deprecated) errors.push({ keyword: 'deprecated', instancePath: pointerOf(path), params: { property: key, description: field.schema.description } });
      if ((field.gated || rootGated?.has(key)) && definition) {
        errors.push({ keyword: 'featureGate', instancePath: pointerOf(path), params: { property: key, definition } });
        walk.gated = `${definition}.${key}`;
      }
      path.push(field.segment);
      visit(walk, (field.node ??= prepared(walk, field.schema)), object[key], undefined);
      path.pop();
    }
    else if (additionalProperties === false) errors.push({ keyword: 'additionalProperties', instancePath: pointerOf(path), params: { additionalProperty: key, ...(definition ? { definition } : {}) } });
    else if (additionalProperties && additionalProperties !== true) {
      path.push(escape(key));
      visit(walk, (node.additionalProperties ??= prepared(walk, additionalProperties)), object[key], undefined);
      path.pop();
    }
  }
}

function hasType(value: unknown, type: string | string[]): boolean {
  if (typeof type === 'string') return isType(value, type);
  for (const t of type) if (isType(value, t)) return true;
  return false;
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    default:
      return true;
  }
}

function escape(key: string): string {
  return key.includes('~') || key.includes('/') ? key.replace(/~/g, '~0').replace(/\//g, '~1') : key;
}
