// A JSON Schema node as scripts/schema-data/convert.ts writes it (draft-07 subset, `$ref` into the release's definitions).
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

export const DEFINITION_REF_PREFIX = '#/definitions/';
