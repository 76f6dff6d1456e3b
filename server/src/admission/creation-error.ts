// An error the API server gives when a policy or binding is created (field.Error), shared by the
// expression checks (policy-compile.ts) and the match checks (match-resources-checks.ts).
import type { ObjectPath } from '../manifest';

export interface PolicyCompileError {
  /** Where in the policy document: the expression's value. */
  path: ObjectPath;
  /** The API server's field path: `spec.validations[0].expression`. */
  field: string;
  /** field.Error's text: `spec.validations[0].expression: Invalid value: "...": compilation failed: ...`, or `...: Required value`. */
  message: string;
}

/** field.Path's text: `spec.matchConstraints.resourceRules[0].operations`. */
export function fieldPath(path: ObjectPath): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
}
