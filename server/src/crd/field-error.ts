// Schema violations worded as the API server's field.Error (k8s.io/apimachinery/pkg/util/validation/field/errors.go):
// `spec.replicas: Invalid value: "two": spec.replicas in body must be of type integer: "string"`.
import type { ObjectPath } from '../manifest';
import { fieldPath } from '../schema/field-path';
import type { StructuralSchema } from '../k8s/structural-schema';

/** field.ErrorType, plus the strict decoder's unknown field (kubectl's default field validation is Strict). */
export type ErrorType = 'Invalid' | 'TypeInvalid' | 'Required' | 'NotSupported' | 'TooLong' | 'TooMany' | 'Duplicate' | 'Forbidden' | 'UnknownField';

export interface Violation {
  type: ErrorType;
  path: ObjectPath;
  /** The offending value (for Required and UnknownField: undefined). */
  value?: unknown;
  /** What the API server says after the value: `must be of type integer: "string"`. */
  detail: string;
  /** The schema of the object holding the field (unknown and required fields: for did-you-mean). */
  parent?: StructuralSchema;
  /** Supported values of an enum. */
  allowed?: unknown[];
  /** Where to underline when not at `path` (ObjectMeta's label errors name the map; kdry marks the label). */
  at?: { path: ObjectPath; key?: boolean };
  /** The CEL rule (x-kubernetes-validations) that failed, if the violation is one. */
  rule?: string;
  /** The rule did not run: the API server cannot compile it ("rule compile error"). */
  ruleDoesNotCompile?: boolean;
}

/** The errors that stop the CEL rules from running (strategy.go hasBlockingErr). */
export const BLOCKING: ReadonlySet<ErrorType> = new Set(['NotSupported', 'Required', 'TooLong', 'TooMany', 'TypeInvalid']);

/** The text kubectl prints for the violation. */
export function fieldErrorText(v: Violation): string {
  // A rule on the object's root has a nil field path, which field.Path's String prints as "<nil>".
  const at = fieldPath(v.path) || '<nil>';
  switch (v.type) {
    case 'UnknownField':
      return `strict decoding error: unknown field "${at}"`;
    case 'Required':
      return `${at}: Required value${v.detail ? `: ${v.detail}` : ''}`;
    case 'NotSupported':
      return `${at}: Unsupported value: ${goValue(v.value)}: supported values: ${(v.allowed ?? []).map(goValue).join(', ')}`;
    case 'TooLong':
      return `${at}: Too long: ${v.detail}`;
    case 'TooMany':
      return `${at}: Too many: ${v.detail}`;
    case 'Duplicate':
      return `${at}: Duplicate value: ${goValue(v.value)}`;
    case 'Forbidden':
      return `${at}: Forbidden: ${v.detail}`;
    default:
      return `${at}: Invalid value: ${goValue(v.value)}: ${v.detail}`;
  }
}

/** A value as Go's %#v prints it in field errors: strings quoted, numbers bare, objects by type, map keys sorted (fmt sorts maps). */
export function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[]interface {}{${value.map(goValue).join(', ')}}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `map[string]interface {}{${keys.map((k) => `${JSON.stringify(k)}:${goValue((value as Record<string, unknown>)[k])}`).join(', ')}}`;
  }
  return String(value);
}

/** The JSON type name the OpenAPI validator reports for a value. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
