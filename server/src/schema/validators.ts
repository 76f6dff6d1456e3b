// The compiled validators, one per kind, generated at build time by schemas/compile.ts.
import type { ErrorObject } from 'ajv';
import generated from './generated/validators.js';

export type SchemaError = ErrorObject;

/** Validates `value` against the kind's schema; undefined when kdry has no schema for the kind. */
export function runValidator(kindKey: string, value: unknown): SchemaError[] | undefined {
  const validate = Object.hasOwn(generated, kindKey) ? generated[kindKey] : undefined;
  if (typeof validate !== 'function') return undefined;
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
