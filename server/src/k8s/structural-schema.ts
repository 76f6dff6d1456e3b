// The part of a CRD's openAPIV3Schema (apiextensions.k8s.io/v1 JSONSchemaProps) that validation,
// defaulting, CEL and hover read. Catalog schemas have the same shape (converted from the CRDs)
// plus `additionalProperties: false` on closed objects, which structural semantics implies anyway.

export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  /** FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired, FieldValueDuplicate. */
  reason?: string;
  optionalOldSelf?: boolean;
}

export interface StructuralSchema {
  type?: string;
  format?: string;
  description?: string;
  nullable?: boolean;
  default?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  maximum?: number;
  minimum?: number;
  exclusiveMaximum?: boolean;
  exclusiveMinimum?: boolean;
  multipleOf?: number;
  maxItems?: number;
  minItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  allOf?: StructuralSchema[];
  anyOf?: StructuralSchema[];
  oneOf?: StructuralSchema[];
  not?: StructuralSchema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-validations'?: ValidationRule[];
}

export function isSchema(value: unknown): value is StructuralSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema of `name` in an object: a declared property, else the map value schema. */
export function propertySchema(schema: StructuralSchema, name: string): StructuralSchema | undefined {
  const declared = schema.properties && Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
  if (declared) return declared;
  return isSchema(schema.additionalProperties) ? schema.additionalProperties : undefined;
}

/** The schema at an object path (array indexes step into items), or undefined. */
export function schemaAtPath(root: StructuralSchema, path: readonly (string | number)[]): StructuralSchema | undefined {
  let schema: StructuralSchema | undefined = root;
  for (const segment of path) {
    if (!schema) return undefined;
    if (typeof segment === 'number' || (schema.type === 'array' && /^\d+$/.test(segment))) schema = schema.items;
    else schema = propertySchema(schema, segment);
  }
  return schema;
}

/** Unknown fields are kept (not rejected) in this object. */
export function preservesUnknownFields(schema: StructuralSchema): boolean {
  return schema['x-kubernetes-preserve-unknown-fields'] === true;
}
