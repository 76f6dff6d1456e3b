// What the API server refuses in a policy's or binding's spec when it is created, besides the
// expressions and the match rules (pkg/apis/admissionregistration/validation/validation.go):
// - validateValidatingAdmissionPolicySpec: a failurePolicy other than Fail or Ignore, no
//   matchConstraints, no matchConstraints.resourceRules ("to provide type information"), neither
//   validations nor auditAnnotations;
// - validateParamRef: name and selector together, neither, no parameterNotFoundAction (v1 defaults
//   none: zz_generated.defaults.go SetObjectDefaults_ValidatingAdmissionPolicyBinding) or another value;
// - validateValidationActions: an unknown or repeated action, Deny with Warn, none at all.
// A refused policy or binding never exists in the cluster: an error on its own document, and it judges nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';

const RULES = '  matchConstraints:\n    resourceRules:\n      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }\n';
const VALIDATIONS = '  validations:\n    - expression: "false"\n';

const policy = (spec = `${RULES}${VALIDATIONS}`) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: p
spec:
  paramKind: { apiVersion: v1, kind: ConfigMap }
${spec}`;

const binding = (spec: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: b
spec:
  policyName: p
${spec}`;

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: team }\nspec:\n  replicas: 2\n';
const PARAM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: limits, namespace: team }\ndata: {}\n';
const DENIED = "The API server refuses this object: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed expression: false";

/** [the deployment's findings, the policy's own, the binding's own]. */
function run(vap: string, bound: string): [string[], string[], string[]] {
  const files = { 'file:///work/p/vap.yaml': vap, 'file:///work/p/b.yaml': bound, 'file:///work/p/param.yaml': PARAM };
  const messages = (text: string) => findings('admission-policy', text, files).map((f) => f.message);
  return [messages(DEPLOYMENT), messages(vap), messages(bound)];
}

const refusedBinding = (errors: string[]) => errors.map((e) => `The API server refuses this binding: The ValidatingAdmissionPolicyBinding "b" is invalid: ${e}`);
const refusedPolicy = (errors: string[]) => errors.map((e) => `The API server refuses this policy: The ValidatingAdmissionPolicy "p" is invalid: ${e}`);

test('the binding as accepted: judged', () => {
  assert.deepEqual(run(policy(), binding('  validationActions: [Deny, Audit]\n  paramRef: { name: limits, parameterNotFoundAction: Allow }\n')), [[`${DENIED}; the audit log also records it (validation.policy.admission.k8s.io/validation_failure)`], [], []]);
});

test('validationActions: Deny with Warn, a repeated or unknown action, or none are refused (validateValidationActions)', () => {
  const cases: [string, string[]][] = [
    ['[Deny, Warn]', ['spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", "Warn"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)']],
    ['[Deny, Deny]', ['spec.validationActions[1]: Duplicate value: "Deny"']],
    ['[Deny, Block]', ['spec.validationActions[1]: Unsupported value: "Block": supported values: "Audit", "Deny", "Warn"']],
    ['[]', ['spec.validationActions: Required value: at least one validation action is required']],
  ];
  for (const [actions, errors] of cases) {
    assert.deepEqual(run(policy(), binding(`  validationActions: ${actions}\n  paramRef: { name: limits, parameterNotFoundAction: Allow }\n`)), [[], [], refusedBinding(errors)], actions);
  }
  // Left out, it is refused the same way.
  assert.deepEqual(run(policy(), binding('  paramRef: { name: limits, parameterNotFoundAction: Allow }\n'))[2], refusedBinding(['spec.validationActions: Required value: at least one validation action is required']));
});

test('paramRef: name with selector, neither, and parameterNotFoundAction missing or unknown are refused (validateParamRef)', () => {
  const cases: [string, string[]][] = [
    ['{ name: limits, selector: {}, parameterNotFoundAction: Deny }', ['spec.paramRef.name: Forbidden: name and selector are mutually exclusive', 'spec.paramRef.selector: Forbidden: name and selector are mutually exclusive']],
    ['{ namespace: team, parameterNotFoundAction: Deny }', ['spec.paramRef: Required value: one of name or selector must be specified']],
    ['{ name: limits }', ['spec.paramRef.parameterNotFoundAction: Required value']],
    ['{ name: limits, parameterNotFoundAction: Ignore }', ['spec.paramRef.parameterNotFoundAction: Unsupported value: "Ignore": supported values: "Deny", "Allow"']],
    ['{ name: "a/b", parameterNotFoundAction: Allow }', [`spec.paramRef.name: Invalid value: "a/b": may not contain '/'`]],
  ];
  for (const [ref, errors] of cases) {
    assert.deepEqual(run(policy(), binding(`  validationActions: [Deny]\n  paramRef: ${ref}\n`)), [[], [], refusedBinding(errors)], ref);
  }
});

test('a policy without matchConstraints, without resourceRules, with neither validations nor auditAnnotations, or with an unknown failurePolicy is refused on its own document', () => {
  const accepted = binding('  validationActions: [Deny]\n  paramRef: { name: limits, parameterNotFoundAction: Allow }\n');
  const cases: [string, string[]][] = [
    [VALIDATIONS, ['spec.matchConstraints: Required value']],
    [`  matchConstraints: { namespaceSelector: {} }\n${VALIDATIONS}`, ['spec.matchConstraints.resourceRules: Required value']],
    [RULES, ['spec.validations: Required value: validations or auditAnnotations must contain at least one item', 'spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item']],
    [`  failurePolicy: Never\n${RULES}${VALIDATIONS}`, ['spec.failurePolicy: Unsupported value: "Never": supported values: "Fail", "Ignore"']],
  ];
  for (const [spec, errors] of cases) assert.deepEqual(run(policy(spec), accepted), [[], refusedPolicy(errors), []], spec);
});
