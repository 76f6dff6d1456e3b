// The compiled validators, one per kind: ajv standalone code generated at build time by
// schemas/compile.ts and shipped deflated (see there why). Instantiated once, on first use.
import { inflateRawSync } from 'node:zlib';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { VALIDATORS_CODE } from './generated/validators';
import { KUBERNETES_FORMATS, FORMATS_PARAMETER } from './formats';

export type SchemaError = ErrorObject;

let validators: Record<string, ValidateFunction> | undefined;

function loadValidators(): Record<string, ValidateFunction> {
  if (validators) return validators;
  const code = inflateRawSync(Buffer.from(VALIDATORS_CODE, 'base64')).toString('utf8');
  const module = { exports: {} as Record<string, ValidateFunction> };
  // The same instantiation ajv performs for code it compiles at runtime; this code was compiled at build time.
  new Function('module', 'exports', FORMATS_PARAMETER, code)(module, module.exports, KUBERNETES_FORMATS);
  validators = module.exports;
  return validators;
}

/** Validates `value` against the kind's schema; undefined when kdry has no schema for the kind. */
export function runValidator(kindKey: string, value: unknown): SchemaError[] | undefined {
  const all = loadValidators();
  const validate = Object.hasOwn(all, kindKey) ? all[kindKey] : undefined;
  if (typeof validate !== 'function') return undefined;
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
