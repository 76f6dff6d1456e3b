// What the API server refuses in a policy's or a binding's spec when it is created, besides the
// expressions (policy-compile.ts): pkg/apis/admissionregistration/validation/validation.go
// validateValidatingAdmissionPolicySpec (failurePolicy, matchConstraints and its resourceRules,
// validations or auditAnnotations) and validateValidatingAdmissionPolicyBindingSpec (validateParamRef,
// validateMatchResources, validateValidationActions), in their order, on the object as the API server
// decodes it (v1's zz_generated.defaults.go defaults failurePolicy and matchPolicy, not a paramRef's
// parameterNotFoundAction). A refused policy or binding never exists in the cluster, so it judges nothing.
import { isRecord } from '../manifest';
import { Checks, goSlice, matchResourcesChecks, pathSegmentErrors, selectorChecks, type CreationChecks } from './match-resources-checks';

/** validation.go supportedFailurePolicies, sorted as sets.List gives them. */
const FAILURE_POLICIES = ['Fail', 'Ignore'];
/** validation.go validValidationActions, sorted as sets.List gives them. */
const VALIDATION_ACTIONS = ['Audit', 'Deny', 'Warn'];
/** validateParamRef's supported parameterNotFoundAction values, in its order. */
const NOT_FOUND_ACTIONS = ['Deny', 'Allow'];

const quoted = (values: string[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/** A policy's spec. */
export function policyCreationChecks(spec: Record<string, unknown>): CreationChecks {
  const checks = new Checks();
  const { failurePolicy, matchConstraints } = spec;
  if (failurePolicy !== undefined && failurePolicy !== null) {
    if (typeof failurePolicy !== 'string') checks.malformed = true;
    else if (!FAILURE_POLICIES.includes(failurePolicy)) checks.add(['spec', 'failurePolicy'], `Unsupported value: ${JSON.stringify(failurePolicy)}: supported values: ${quoted(FAILURE_POLICIES)}`);
  }
  if (matchConstraints === undefined || matchConstraints === null) checks.add(['spec', 'matchConstraints'], 'Required value');
  else {
    matchResourcesChecks(checks, matchConstraints, ['spec', 'matchConstraints']);
    // "at least one resourceRule must be defined to provide type information"
    const rules = isRecord(matchConstraints) ? matchConstraints.resourceRules : undefined;
    if (isRecord(matchConstraints) && (rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0))) checks.add(['spec', 'matchConstraints', 'resourceRules'], 'Required value');
  }
  if (isEmptyList(checks, spec.validations) && isEmptyList(checks, spec.auditAnnotations)) {
    for (const list of ['validations', 'auditAnnotations']) checks.add(['spec', list], 'Required value: validations or auditAnnotations must contain at least one item');
  }
  return checks;
}

/** A binding's spec. */
export function bindingCreationChecks(spec: Record<string, unknown>): CreationChecks {
  const checks = new Checks();
  if (isRecord(spec.paramRef)) paramRefChecks(checks, spec.paramRef);
  else if (spec.paramRef !== undefined && spec.paramRef !== null) checks.malformed = true;
  matchResourcesChecks(checks, spec.matchResources, ['spec', 'matchResources']);
  validationActionsChecks(checks, spec.validationActions);
  return checks;
}

/** An unset list or one without items (a list of the wrong type is malformed: the schema check reports it). */
function isEmptyList(checks: Checks, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (!Array.isArray(value)) {
    checks.malformed = true;
    return false;
  }
  return value.length === 0;
}

/** validateParamRef: name or selector, not both, and a parameterNotFoundAction (no default in v1). */
function paramRefChecks(checks: Checks, paramRef: Record<string, unknown>): void {
  const { name, selector, parameterNotFoundAction: action } = paramRef;
  if ((name != null && typeof name !== 'string') || (action != null && typeof action !== 'string')) {
    checks.malformed = true;
    return;
  }
  const hasName = typeof name === 'string' && name.length > 0;
  const hasSelector = selector !== undefined && selector !== null;
  if (hasName) {
    for (const msg of pathSegmentErrors(name)) checks.add(['spec', 'paramRef', 'name'], `Invalid value: ${JSON.stringify(name)}: ${msg}`);
    if (hasSelector) checks.add(['spec', 'paramRef', 'name'], 'Forbidden: name and selector are mutually exclusive');
  }
  if (hasSelector) {
    selectorChecks(checks, selector, ['spec', 'paramRef', 'selector']);
    if (hasName) checks.add(['spec', 'paramRef', 'selector'], 'Forbidden: name and selector are mutually exclusive');
  }
  if (!hasName && !hasSelector) checks.add(['spec', 'paramRef'], 'Required value: one of name or selector must be specified');
  if (typeof action !== 'string' || action === '') checks.add(['spec', 'paramRef', 'parameterNotFoundAction'], 'Required value');
  else if (!NOT_FOUND_ACTIONS.includes(action)) checks.add(['spec', 'paramRef', 'parameterNotFoundAction'], `Unsupported value: ${JSON.stringify(action)}: supported values: ${quoted(NOT_FOUND_ACTIONS)}`);
}

/** validateValidationActions: known actions, each once, not both Deny and Warn, at least one. */
function validationActionsChecks(checks: Checks, value: unknown): void {
  const actions = checks.strings(value);
  if (!actions) return;
  const at = ['spec', 'validationActions'];
  actions.forEach((action, i) => {
    if (!VALIDATION_ACTIONS.includes(action)) checks.add([...at, i], `Unsupported value: ${JSON.stringify(action)}: supported values: ${quoted(VALIDATION_ACTIONS)}`);
    if (actions.indexOf(action) < i) checks.add([...at, i], `Duplicate value: ${JSON.stringify(action)}`);
  });
  if (actions.includes('Deny') && actions.includes('Warn')) {
    checks.add(at, `Invalid value: ${goSlice('admissionregistration.ValidationAction', actions)}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)`);
  }
  if (actions.length === 0) checks.add(at, 'Required value: at least one validation action is required');
}
