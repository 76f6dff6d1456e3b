// Types of the generated module (schemas/compile.ts writes validators.js beside this file).
import type { ValidateFunction } from 'ajv';
/** One standalone validator per kind, exported under its kind key (`apps/v1/Deployment`). */
declare const validators: Record<string, ValidateFunction | undefined> & {
  /** JSON text of the schema catalog: `{ kinds: {kindKey: root}, definitions: {name: schema} }`. */
  schemaCatalogJson: string;
};
export = validators;
