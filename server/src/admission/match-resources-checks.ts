// What the API server refuses in a policy's matchConstraints, a binding's matchResources or a label
// selector when the object is created, before any expression is compiled
// (pkg/apis/admissionregistration/validation/validation.go validateMatchResources,
// validateNamedRuleWithOperations, validateRuleWithOperations, validateRule, validateResources:
// empty lists, '*' beside other values, overlapping resources, resourceNames, matchPolicy;
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
/** validation.go supportedMatchPolicies. */
const MATCH_POLICIES = ['Equivalent', 'Exact'];

export class Checks implements CreationChecks {
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

/** A typed Go slice as field.Invalid prints it (%#v): `[]string{"*", "pods"}`. */
export function goSlice(type: string, values: string[]): string {
  return `[]${type}{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** validation.go validateRule's "if '*' is present, must not specify other ..." for one list. */
function wildcardAlone(checks: Checks, values: string[] | undefined, at: ObjectPath, type: string, what: string): void {
  if (values && values.length > 1 && values.includes('*')) checks.add(at, `Invalid value: ${goSlice(type, values)}: if '*' is present, must not specify other ${what}`);
}

/**
 * validation.go validateResources (subresources allowed, as validateRuleWithOperations asks): an
 * empty entry; `deployments/status` after `deployments/*`, or after the same subresource of every
 * resource (star, slash, status); the double wildcard beside anything; and `*` beside a resource
 * without a subresource. Upstream's flag for the last keeps only the latest entry without a
 * slash (`hasResourceWithoutSubresource = resSub != "*"`), so `[pods, "*"]` passes where `["*", pods]` does not.
 */
function resourcesChecks(checks: Checks, resources: string[], at: ObjectPath): void {
  if (resources.length === 0) checks.add(at, 'Required value');
  const wildcardSub = new Set<string>();
  const wildcardRes = new Set<string>();
  let single = false;
  let withoutSub = false;
  resources.forEach((resSub, i) => {
    if (resSub === '') {
      checks.add([...at, i], 'Required value');
      return;
    }
    if (resSub === '*') single = true;
    const slash = resSub.indexOf('/');
    if (slash < 0) {
      withoutSub = resSub !== '*';
      return;
    }
    const [res, sub] = [resSub.slice(0, slash), resSub.slice(slash + 1)];
    if (wildcardSub.has(res)) checks.add([...at, i], `Invalid value: ${JSON.stringify(resSub)}: if '${res}/*' is present, must not specify ${resSub}`);
    if (wildcardRes.has(sub)) checks.add([...at, i], `Invalid value: ${JSON.stringify(resSub)}: if '*/${sub}' is present, must not specify ${resSub}`);
    if (sub === '*') wildcardSub.add(res);
    if (res === '*') wildcardRes.add(sub);
  });
  if (resources.length > 1 && resources.includes('*/*')) checks.add(at, `Invalid value: ${goSlice('string', resources)}: if '*/*' is present, must not specify other resources`);
  if (single && withoutSub) checks.add(at, `Invalid value: ${goSlice('string', resources)}: if '*' is present, must not specify other resources without subresources`);
}

/** apimachinery path.ValidatePathSegmentName (IsValidPathSegmentName). */
export function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  return ['/', '%'].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** validateNamedRuleWithOperations, then validateRuleWithOperations and validateRule, in their order. */
function ruleChecks(checks: Checks, rule: unknown, at: ObjectPath): void {
  if (rule === null) rule = {};
  if (!isRecord(rule)) {
    checks.malformed = true;
    return;
  }
  const names = checks.strings(rule.resourceNames);
  names?.forEach((name, i) => {
    for (const msg of pathSegmentErrors(name)) checks.add([...at, 'resourceNames', i], `Invalid value: ${JSON.stringify(name)}: ${msg}`);
    if (names.indexOf(name) < i) checks.add([...at, 'resourceNames', i], `Duplicate value: ${JSON.stringify(name)}`);
  });
  const operations = checks.strings(rule.operations);
  if (operations?.length === 0) checks.add([...at, 'operations'], 'Required value');
  wildcardAlone(checks, operations, [...at, 'operations'], 'admissionregistration.OperationType', 'operations');
  operations?.forEach((op, i) => {
    if (!OPERATIONS.includes(op)) checks.add([...at, 'operations', i], `Unsupported value: ${JSON.stringify(op)}: supported values: ${OPERATIONS.map((o) => JSON.stringify(o)).join(', ')}`);
  });
  const groups = checks.strings(rule.apiGroups);
  if (groups?.length === 0) checks.add([...at, 'apiGroups'], 'Required value');
  wildcardAlone(checks, groups, [...at, 'apiGroups'], 'string', 'API groups');
  const versions = checks.strings(rule.apiVersions);
  if (versions?.length === 0) checks.add([...at, 'apiVersions'], 'Required value');
  wildcardAlone(checks, versions, [...at, 'apiVersions'], 'string', 'API versions');
  versions?.forEach((v, i) => {
    if (v === '') checks.add([...at, 'apiVersions', i], 'Required value');
  });
  const resources = checks.strings(rule.resources);
  if (resources) resourcesChecks(checks, resources, [...at, 'resources']);
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
export function matchResourcesChecks(checks: Checks, value: unknown, at: ObjectPath): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) {
    checks.malformed = true;
    return;
  }
  // The API server defaults an unset matchPolicy to Equivalent, so only a wrong value is refused.
  const { matchPolicy } = value;
  if (matchPolicy !== undefined && matchPolicy !== null) {
    if (typeof matchPolicy !== 'string') checks.malformed = true;
    else if (!MATCH_POLICIES.includes(matchPolicy)) checks.add([...at, 'matchPolicy'], `Unsupported value: ${JSON.stringify(matchPolicy)}: supported values: ${MATCH_POLICIES.map((m) => JSON.stringify(m)).join(', ')}`);
  }
  selectorChecks(checks, value.namespaceSelector, [...at, 'namespaceSelector']);
  selectorChecks(checks, value.objectSelector, [...at, 'objectSelector']);
  for (const list of ['resourceRules', 'excludeResourceRules']) {
    const rules = value[list];
    if (rules === undefined || rules === null) continue;
    if (!Array.isArray(rules)) checks.malformed = true;
    else rules.forEach((rule, i) => ruleChecks(checks, rule, [...at, list, i]));
  }
}
