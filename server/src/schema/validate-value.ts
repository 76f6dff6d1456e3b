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

/** Field descriptions that say the field is deprecated ("Deprecated: Use serviceAccountName instead."). */
const DEPRECATED = /(?:^|\. )(?:Deprecated|DEPRECATED)[:.]|is a deprecated alias for/;
const deprecation = new WeakMap<RawSchema, boolean>();

function isDeprecated(node: RawSchema): boolean {
  let known = deprecation.get(node);
  if (known === undefined) deprecation.set(node, (known = !!node.description && DEPRECATED.test(node.description)));
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
  visit(catalog, schema, value, '', definition, errors);
  return errors;
}

function visit(catalog: SchemaCatalog, node: RawSchema, value: unknown, pointer: string, definition: string | undefined, errors: SchemaError[]): void {
  if (node.$ref) definition = node.$ref.slice(node.$ref.lastIndexOf('/') + 1);
  const schema = catalog.resolve(node);
  if (schema.type !== undefined && !hasType(value, schema.type)) {
    errors.push({ keyword: 'type', instancePath: pointer, params: { type: schema.type } });
    return;
  }
  if (schema.enum && !schema.enum.includes(value as string)) errors.push({ keyword: 'enum', instancePath: pointer, params: { allowedValues: schema.enum } });
  if (schema.format) {
    const format = KUBERNETES_FORMATS[schema.format];
    if (format && typeof value === format.type && !format.validate(value as never)) errors.push({ keyword: 'format', instancePath: pointer, params: { format: schema.format } });
  }
  if (Array.isArray(value)) {
    if (schema.items) for (let i = 0; i < value.length; i++) visit(catalog, schema.items, value[i], `${pointer}/${i}`, undefined, errors);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(object, name)) errors.push({ keyword: 'required', instancePath: pointer, params: { missingProperty: name } });
  }
  const { properties, additionalProperties } = schema;
  if (!properties && additionalProperties === undefined) return;
  for (const key of Object.keys(object)) {
    const child = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (child) {
      if (isDeprecated(child)) errors.push({ keyword: 'deprecated', instancePath: pointer, params: { property: key, description: child.description } });
      if (definition && Object.hasOwn(GATED_FIELDS, `${definition}.${key}`)) errors.push({ keyword: 'featureGate', instancePath: pointer, params: { property: key, definition } });
      visit(catalog, child, object[key], `${pointer}/${escape(key)}`, undefined, errors);
    }
    else if (additionalProperties === false) errors.push({ keyword: 'additionalProperties', instancePath: pointer, params: { additionalProperty: key, ...(definition ? { definition } : {}) } });
    else if (additionalProperties && additionalProperties !== true) visit(catalog, additionalProperties, object[key], `${pointer}/${escape(key)}`, undefined, errors);
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
