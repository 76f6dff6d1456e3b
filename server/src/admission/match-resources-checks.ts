// What the API server refuses in a policy's matchConstraints or a binding's matchResources and
// paramRef.selector when the object is created, before any expression is compiled
// (pkg/apis/admissionregistration/validation/validation.go validateMatchResources,
// validateNamedRuleWithOperations, validateRuleWithOperations, validateRule, validateResources;
// apimachinery's metav1validation.ValidateLabelSelector). A refused policy or binding never exists
// in the cluster, so it judges nothing. A value of the wrong type fails decoding first: the schema
// check already reports it on the document, so it only marks the object `malformed` here.
import { isRecord, type ObjectPath } from '../manifest';
import { isQualifiedName, isValidLabelValue } from '../k8s/validation';
import { fieldPath, type PolicyCompileError } from './creation-error';

export interface CreationChecks {
  errors: PolicyCompileError[];
  /** A field of the wrong type: the API server cannot decode the object (the schema rule says where). */
  malformed: boolean;
}

/** validation.go supportedOperations and supportedScopes, as sets.List sorts them for field.NotSupported. */
const OPERATIONS = ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];

class Checks implements CreationChecks {
  errors: PolicyCompileError[] = [];
  malformed = false;

  add(path: ObjectPath, body: string): void {
    const field = fieldPath(path);
    this.errors.push({ path, field, message: `${field}: ${body}` });
  }

  /** The strings of a list field, or undefined (malformed) when it is not a list of strings. */
  strings(value: unknown): string[] | undefined {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      this.malformed = true;
      return undefined;
    }
    return value;
  }
}

function ruleChecks(checks: Checks, rule: unknown, at: ObjectPath): void {
  if (rule === null) rule = {};
  if (!isRecord(rule)) {
    checks.malformed = true;
    return;
  }
  const operations = checks.strings(rule.operations);
  if (operations?.length === 0) checks.add([...at, 'operations'], 'Required value');
  operations?.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) checks.add([...at, 'operations', i], `Unsupported value: ${JSON.stringify(op)}: supported values: ${OPERATIONS.map((o) => JSON.stringify(o)).join(', ')}`);
  });
  if (checks.strings(rule.apiGroups)?.length === 0) checks.add([...at, 'apiGroups'], 'Required value');
  const versions = checks.strings(rule.apiVersions);
  if (versions?.length === 0) checks.add([...at, 'apiVersions'], 'Required value');
  versions?.forEach((v, i) => {
    if (v === '') checks.add([...at, 'apiVersions', i], 'Required value');
  });
  if (checks.strings(rule.resources)?.length === 0) checks.add([...at, 'resources'], 'Required value');
  checks.strings(rule.resourceNames);
  if (rule.scope !== undefined && rule.scope !== null) {
    if (typeof rule.scope !== 'string') checks.malformed = true;
    else if (!SCOPES.includes(rule.scope)) checks.add([...at, 'scope'], `Unsupported value: ${JSON.stringify(rule.scope)}: supported values: ${SCOPES.map((s) => JSON.stringify(s)).join(', ')}`);
  }
}

/** metav1validation.ValidateLabelSelector, in its words. */
export function selectorChecks(checks: Checks, selector: unknown, at: ObjectPath): void {
  if (selector === undefined || selector === null) return;
  if (!isRecord(selector)) {
    checks.malformed = true;
    return;
  }
  const { matchLabels, matchExpressions } = selector;
  if (matchLabels !== undefined && matchLabels !== null) {
    if (!isRecord(matchLabels) || !Object.values(matchLabels).every((v) => typeof v === 'string')) checks.malformed = true;
    else
      for (const [key, value] of Object.entries(matchLabels)) {
        for (const msg of isQualifiedName(key)) checks.add([...at, 'matchLabels'], `Invalid value: ${JSON.stringify(key)}: ${msg}`);
        for (const msg of isValidLabelValue(value as string)) checks.add([...at, 'matchLabels'], `Invalid value: ${JSON.stringify(value)}: ${msg}`);
      }
  }
  if (matchExpressions === undefined || matchExpressions === null) return;
  if (!Array.isArray(matchExpressions)) {
    checks.malformed = true;
    return;
  }
  matchExpressions.forEach((requirement, i) => {
    // A null item decodes as the zero LabelSelectorRequirement: no key, no operator.
    const r = requirement === null ? {} : requirement;
    if (!isRecord(r) || (r.key != null && typeof r.key !== 'string') || (r.operator != null && typeof r.operator !== 'string')) {
      checks.malformed = true;
      return;
    }
    const path = [...at, 'matchExpressions', i];
    const values = checks.strings(r.values);
    if (!values) return;
    const operator = (r.operator as string | undefined) ?? '';
    if (operator === 'In' || operator === 'NotIn') {
      if (values.length === 0) checks.add([...path, 'values'], "Required value: must be specified when `operator` is 'In' or 'NotIn'");
    } else if (operator === 'Exists' || operator === 'DoesNotExist') {
      if (values.length > 0) checks.add([...path, 'values'], "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else checks.add([...path, 'operator'], `Invalid value: ${JSON.stringify(operator)}: not a valid selector operator`);
    const key = (r.key as string | undefined) ?? '';
    for (const msg of isQualifiedName(key)) checks.add([...path, 'key'], `Invalid value: ${JSON.stringify(key)}: ${msg}`);
    values.forEach((value, j) => {
      for (const msg of isValidLabelValue(value)) checks.add([...path, 'values', j], `Invalid value: ${JSON.stringify(value)}: ${msg}`);
    });
  });
}

/** validateMatchResources on `value` at `at` (spec.matchConstraints, spec.matchResources). */
function matchResourcesChecks(checks: Checks, value: unknown, at: ObjectPath): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) {
    checks.malformed = true;
    return;
  }
  for (const list of ['resourceRules', 'excludeResourceRules']) {
    const rules = value[list];
    if (rules === undefined || rules === null) continue;
    if (!Array.isArray(rules)) checks.malformed = true;
    else rules.forEach((rule, i) => ruleChecks(checks, rule, [...at, list, i]));
  }
  selectorChecks(checks, value.namespaceSelector, [...at, 'namespaceSelector']);
  selectorChecks(checks, value.objectSelector, [...at, 'objectSelector']);
}

/** A policy's spec: its matchConstraints. */
export function policyCreationChecks(spec: Record<string, unknown>): CreationChecks {
  const checks = new Checks();
  matchResourcesChecks(checks, spec.matchConstraints, ['spec', 'matchConstraints']);
  return checks;
}

/** A binding's spec: its matchResources and paramRef.selector. */
export function bindingCreationChecks(spec: Record<string, unknown>): CreationChecks {
  const checks = new Checks();
  matchResourcesChecks(checks, spec.matchResources, ['spec', 'matchResources']);
  if (isRecord(spec.paramRef)) selectorChecks(checks, spec.paramRef.selector, ['spec', 'paramRef', 'selector']);
  else if (spec.paramRef !== undefined && spec.paramRef !== null) checks.malformed = true;
  return checks;
}
