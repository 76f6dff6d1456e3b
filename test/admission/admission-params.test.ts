// The parameter objects a binding evaluates its policy with (generic/policy_dispatcher.go
// CollectParams), read from the workspace: paramRef.selector, parameterNotFoundAction, and a param
// written in another served version of its group. Each case a policy with its binding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';

const POLICY = (paramKind = 'v1, kind: ConfigMap', failurePolicy = 'Fail') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicas.example.com
spec:
  failurePolicy: ${failurePolicy}
  paramKind: { apiVersion: ${paramKind} }
  matchConstraints:
    resourceRules:
      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }
  validations:
    - expression: "object.spec.replicas <= int(params.data.maxReplicas)"
      messageExpression: "params.metadata.name + ' allows at most ' + params.data.maxReplicas + ' replicas'"
`;

const binding = (paramRef: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replicas-binding
spec:
  policyName: replicas.example.com
  validationActions: [Deny]
  paramRef: ${paramRef}
`;

const limits = (name: string, max: number, labels = '{ tier: limits }') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
  namespace: team
  labels: ${labels}
data:
  maxReplicas: "${max}"
`;

const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: team\nspec:\n  replicas: 4\n';
const DENIED = "ValidatingAdmissionPolicy 'replicas.example.com' with binding 'replicas-binding' denied request: ";

function run(paramRef: string, files: Record<string, string>, policy = POLICY()) {
  return findings('admission-policy', DEPLOYMENT, { 'file:///work/policy/vap.yaml': policy, 'file:///work/policy/binding.yaml': binding(paramRef), ...files });
}

// CollectParams with paramRef.selector: every object of the paramKind in the namespace whose labels
// match; dispatcher.go Dispatch runs the policy once per object.
test('paramRef.selector: the policy runs once per matching param of the workspace', () => {
  const files = { 'file:///work/a.yaml': limits('strict', 2), 'file:///work/b.yaml': limits('loose', 10), 'file:///work/c.yaml': limits('other', 1, '{ tier: other }') };
  const all = run('{ selector: { matchLabels: { tier: limits } }, parameterNotFoundAction: Allow }', files);
  assert.deepEqual(all.map((f) => [f.severity, f.message]), [['error', `The API server refuses this object: ${DENIED}strict allows at most 2 replicas`]]);
  const everything = run('{ selector: {}, parameterNotFoundAction: Allow }', files);
  assert.deepEqual(everything.map((f) => f.message), [`The API server refuses this object: ${DENIED}strict allows at most 2 replicas`, `The API server refuses this object: ${DENIED}other allows at most 1 replicas`], 'an empty selector selects every object');
  const [none] = run('{ selector: { matchLabels: { tier: none } }, parameterNotFoundAction: Allow }', files);
  assert.equal(none.severity, 'info', 'none in the workspace: the cluster may have some');
  assert.match(none.message, /from the cluster: no ConfigMap that paramRef\.selector matches in namespace "team" in the workspace gives them/);
  // validation.go validateParamRef refuses a binding with both name and selector: it judges nothing (its own document says why).
  assert.deepEqual(run('{ name: strict, selector: {}, parameterNotFoundAction: Allow }', files), []);
});

// CollectParams: no params and parameterNotFoundAction Deny is the configuration error "no params found
// for policy binding with `Deny` parameterNotFoundAction" (addConfigError: under Fail only). The workspace
// cannot prove the cluster lacks the object: a warning that says what would prevent the denial.
test('parameterNotFoundAction Deny with no param in the workspace: a warning with the denial the API server gives unless the cluster has one', () => {
  for (const ref of ['{ name: strict, parameterNotFoundAction: Deny }', '{ selector: { matchLabels: { tier: limits } }, parameterNotFoundAction: Deny }']) {
    const [warning, ...rest] = run(ref, {});
    assert.equal(rest.length, 0);
    assert.equal(warning.severity, 'warning');
    assert.match(warning.message, /^Unless the cluster has a ConfigMap (("strict")|(that paramRef\.selector matches)) in namespace "team", which the workspace does not, the API server refuses this object: /);
    assert.ok(warning.message.endsWith(`${DENIED}failed to configure binding: no params found for policy binding with \`Deny\` parameterNotFoundAction`), warning.message);
  }
  assert.deepEqual(run('{ name: strict, parameterNotFoundAction: Deny }', {}, POLICY('v1, kind: ConfigMap', 'Ignore')), [], 'Ignore: the configuration error admits');
  assert.equal(run('{ name: strict, parameterNotFoundAction: Deny }', { 'file:///work/a.yaml': limits('strict', 2) })[0].severity, 'error', 'found: evaluated');
});

const crd = (strategy: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: replicalimits.rules.example.com }
spec:
  group: rules.example.com
  scope: Namespaced
  names: { kind: ReplicaLimit, plural: replicalimits, singular: replicalimit }
${strategy === 'None' ? '' : `  conversion: { strategy: ${strategy} }\n`}  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, properties: { data: { type: object, x-kubernetes-preserve-unknown-fields: true } } } }
    - name: v1beta1
      served: true
      storage: false
      schema: { openAPIV3Schema: { type: object, properties: { data: { type: object, x-kubernetes-preserve-unknown-fields: true } } } }
`;

// policy_source.go reads params through an informer on paramKind's version; the API server converts
// objects stored in another version (a CRD's strategy None rewrites only apiVersion).
test('a param written in another served version of its group is read through paramKind\'s version', () => {
  const param = 'apiVersion: rules.example.com/v1\nkind: ReplicaLimit\nmetadata: { name: strict, namespace: team }\ndata: { maxReplicas: "2" }\n';
  const policy = POLICY('rules.example.com/v1beta1, kind: ReplicaLimit').replace("params.metadata.name + ' allows", "params.apiVersion + ' allows");
  const [denied] = run('{ name: strict, parameterNotFoundAction: Allow }', { 'file:///work/crd.yaml': crd('None'), 'file:///work/param.yaml': param }, policy);
  assert.equal(denied.severity, 'error');
  assert.ok(denied.message.endsWith(`${DENIED}rules.example.com/v1beta1 allows at most 2 replicas`), denied.message);
  const [webhook] = run('{ name: strict, parameterNotFoundAction: Allow }', { 'file:///work/crd.yaml': crd('Webhook'), 'file:///work/param.yaml': param }, policy);
  assert.equal(webhook.severity, 'info');
  assert.match(webhook.message, /its parameter ReplicaLimit "strict" is written as rules\.example\.com\/v1 and read as rules\.example\.com\/v1beta1: the CRD converts it with its conversion webhook, which kdry cannot run/);
});
