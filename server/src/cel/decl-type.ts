// The CEL type of a structural schema node as the API server declares it to validation rules
// (k8s.io/apiserver/pkg/cel/common/schemas.go SchemaDeclType, types.go DeclType), with the sizes
// the cost estimator reads: MaxElements (the most characters of a string, items of a list,
// entries of a map a request can hold) and MinSerializedSize (the fewest JSON bytes a value takes).
// Worked example: a list of strings without maxItems holds at most (3 MiB - 2) / (2 + 1) =
// 1,048,575 items (each item at least `""` and a comma); a string with `maxLength: 16` at most
// 16 x 4 = 64 "elements" (maxLength counts code points, the estimate bytes).
import type { StructuralSchema } from '../k8s/structural-schema';

/** k8s.io/apiserver/pkg/cel/limits.go */
export const MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024;
const MAX_DURATION_SIZE_JSON = 32;
const JSON_DATE_SIZE = 12;
const MAX_DATETIME_SIZE_JSON = 32;
const MIN_DURATION_SIZE_JSON = 3;
const MIN_DATETIME_SIZE_JSON = 21;
const MIN_STRING_SIZE = 2;
const MIN_BOOL_SIZE = 4;
const MIN_NUMBER_SIZE = 1;

export type DeclKind = 'object' | 'map' | 'list' | 'string' | 'bytes' | 'int' | 'double' | 'bool' | 'duration' | 'timestamp' | 'dyn';

export interface DeclType {
  kind: DeclKind;
  /** An object's fields by their CEL name (Escape()d property names). */
  fields?: Map<string, DeclType>;
  /** The original property name of each CEL field name. */
  fieldNames?: Map<string, string>;
  /** An object with x-kubernetes-preserve-unknown-fields (kdry does not judge its undeclared fields). */
  preservesUnknown?: boolean;
  /** Properties the API server does not expose to CEL (no type): kdry does not call them undefined. */
  hidden?: Set<string>;
  /** A list's items or a map's values. */
  elem?: DeclType;
  maxElements: number;
  minSerializedSize: number;
}

/** A bound the schema sets: a finite number, else none (a CRD is user input). */
const bound = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const isObject = (value: unknown): value is StructuralSchema => typeof value === 'object' && value !== null && !Array.isArray(value);

const STRING_KEY: DeclType = { kind: 'string', maxElements: 0, minSerializedSize: MIN_STRING_SIZE };

/** The declared type of `schema`, or undefined when the API server does not expose it to CEL. */
export function declTypeOf(schema: unknown, isResourceRoot = false): DeclType | undefined {
  if (!isObject(schema)) return undefined;
  const maxLength = bound(schema.maxLength);
  if (schema['x-kubernetes-int-or-string'] === true) {
    return { kind: 'dyn', maxElements: maxLength !== undefined ? maxElementsFromMaxLength(maxLength) : MAX_REQUEST_SIZE_BYTES - 2, minSerializedSize: 1 };
  }
  switch (schema.type) {
    case 'array': {
      const items = declTypeOf(schema.items, isObject(schema.items) && schema.items['x-kubernetes-embedded-resource'] === true);
      if (!items) return undefined;
      const declared = bound(schema.maxItems);
      const maxItems = declared !== undefined ? Math.max(0, declared) : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (items.minSerializedSize + 1));
      return { kind: 'list', elem: items, maxElements: maxItems, minSerializedSize: 2 };
    }
    case 'object':
      return objectType(schema, isResourceRoot);
    case 'string':
      return stringType(schema);
    case 'boolean':
      return { kind: 'bool', maxElements: 0, minSerializedSize: MIN_BOOL_SIZE };
    case 'number':
      return { kind: 'double', maxElements: 0, minSerializedSize: MIN_NUMBER_SIZE };
    case 'integer':
      return { kind: 'int', maxElements: 0, minSerializedSize: MIN_NUMBER_SIZE };
  }
  return undefined;
}

function objectType(schema: StructuralSchema, isResourceRoot: boolean): DeclType {
  const additional = isObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
  if (additional) {
    const values = declTypeOf(additional, additional['x-kubernetes-embedded-resource'] === true);
    if (!values) return { kind: 'map', elem: { kind: 'dyn', maxElements: 0, minSerializedSize: 1 }, maxElements: Number.MAX_SAFE_INTEGER, minSerializedSize: 2 };
    const declared = bound(schema.maxProperties);
    const maxProperties = declared !== undefined ? Math.max(0, declared) : Math.floor((MAX_REQUEST_SIZE_BYTES - 2) / (values.minSerializedSize + 6));
    return { kind: 'map', elem: values, maxElements: maxProperties, minSerializedSize: 2 };
  }
  // apiVersion, kind, metadata.name and metadata.generateName are readable at a resource's root (WithTypeAndObjectMeta).
  const properties: Record<string, unknown> = { ...(isObject(schema.properties) ? schema.properties : {}) };
  if (isResourceRoot) {
    properties.kind = { type: 'string' };
    properties.apiVersion = { type: 'string' };
    properties.metadata = { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } };
  }
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  const fields = new Map<string, DeclType>();
  const fieldNames = new Map<string, string>();
  const hidden = new Set<string>();
  let minSerializedSize = 2;
  for (const [name, property] of Object.entries(properties)) {
    const type = declTypeOf(property, isObject(property) && property['x-kubernetes-embedded-resource'] === true);
    if (!type) {
      hidden.add(escapeFieldName(name) ?? name).add(name);
      continue;
    }
    const celName = escapeFieldName(name);
    if (celName !== undefined) {
      fields.set(celName, type);
      fieldNames.set(celName, name);
    }
    if (required.has(name) && isObject(property) && property.default === undefined) minSerializedSize += name.length + type.minSerializedSize + 4;
  }
  return { kind: 'object', fields, fieldNames, hidden, preservesUnknown: schema['x-kubernetes-preserve-unknown-fields'] === true, maxElements: 0, minSerializedSize };
}

function stringType(schema: StructuralSchema): DeclType {
  switch (schema.format) {
    case 'byte':
      return { kind: 'bytes', maxElements: bound(schema.maxLength) !== undefined ? Math.max(0, schema.maxLength!) : MAX_REQUEST_SIZE_BYTES - 2, minSerializedSize: MIN_STRING_SIZE };
    case 'duration':
      return { kind: 'duration', maxElements: MAX_DURATION_SIZE_JSON, minSerializedSize: MIN_DURATION_SIZE_JSON };
    case 'date':
      return { kind: 'timestamp', maxElements: JSON_DATE_SIZE, minSerializedSize: JSON_DATE_SIZE };
    case 'date-time':
      return { kind: 'timestamp', maxElements: MAX_DATETIME_SIZE_JSON, minSerializedSize: MIN_DATETIME_SIZE_JSON };
  }
  let maxElements = MAX_REQUEST_SIZE_BYTES - 2;
  if (bound(schema.maxLength) !== undefined) maxElements = maxElementsFromMaxLength(schema.maxLength!);
  else if (Array.isArray(schema.enum) && schema.enum.length) maxElements = Math.max(0, ...schema.enum.map((v) => (typeof v === 'string' ? v.length : 0)));
  return { kind: 'string', maxElements, minSerializedSize: MIN_STRING_SIZE };
}

/** maxLength counts code points, the estimate bytes: up to 4 per code point (estimateMaxElementsFromMaxLength). */
function maxElementsFromMaxLength(maxLength: number): number {
  return Math.max(0, maxLength) * 4;
}

/** A map's keys: strings of no declared size. */
export function mapKeyType(): DeclType {
  return STRING_KEY;
}

const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/**
 * A property name as CEL rules spell it (k8s.io/apiserver/pkg/cel/escaping.go Escape): `x-y` is
 * `x__dash__y`, `namespace` is `__namespace__`; undefined for a name CEL cannot spell.
 */
export function escapeFieldName(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  let ok = true;
  const escaped = name.replace(/__|[-./]|[^a-zA-Z0-9\-./_]/g, (s) => {
    switch (s) {
      case '__':
        return '__underscores__';
      case '.':
        return '__dot__';
      case '-':
        return '__dash__';
      case '/':
        return '__slash__';
      default:
        ok = false;
        return '';
    }
  });
  return ok ? escaped : undefined;
}

/**
 * How many times a rule at a node can run for one object (apiextensions validation CELSchemaContext
 * MaxCardinality): 1 at the root, times maxItems or maxProperties of each list or map above it;
 * undefined when one of them has no bound.
 */
export function childCardinality(parent: number | undefined, bound: number | undefined): number | undefined {
  if (parent === undefined || bound === undefined) return undefined;
  return parent * Math.max(0, bound);
}

/** The cardinality assumed for a node under an unbounded list or map (compilation.go maxCardinality). */
export function unboundedCardinality(type: DeclType): number {
  return Math.floor(MAX_REQUEST_SIZE_BYTES / (type.minSerializedSize + 1));
}
