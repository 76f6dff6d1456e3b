// ValidatingAdmissionPolicy + binding of the workspace, evaluated against the documents they
// match (k8s.io/apiserver/pkg/admission/plugin/policy/validating and matching).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';
import { guessResource } from '../../server/src/admission/evaluate';

const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: images.example.com
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: ["apps"]
        apiVersions: ["v1"]
        operations: ["CREATE", "UPDATE"]
        resources: ["deployments", "statefulsets"]
    objectSelector:
      matchExpressions:
        - { key: policy.example.com/skip, operator: DoesNotExist }
  variables:
    - name: containers
      expression: "object.spec.template.spec.containers"
  validations:
    - expression: "variables.containers.all(c, c.image.startsWith('registry.example.com/'))"
      message: images must come from registry.example.com
    - expression: "object.spec.replicas <= 5"
      messageExpression: "'at most 5 replicas, not ' + string(object.spec.replicas)"
    - expression: "request.operation == 'CREATE' && object.metadata.name.size() < 20"
`;

const binding = (actions: string, extra = '') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: images-binding
spec:
  policyName: images.example.com
  validationActions: ${actions}
${extra}`;

const deployment = (image: string, replicas = 2, labels = '{ app: web }', kind = 'Deployment') => `apiVersion: apps/v1
kind: ${kind}
metadata:
  name: web
  labels: ${labels}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: ${image}
`;

function check(doc: string, actions = '[Deny]', extra = '') {
  return findings('admission-policy', doc, { 'file:///work/policy/vap.yaml': POLICY, 'file:///work/policy/binding.yaml': binding(actions, extra) });
}

test('Deny: an error worded as the API server, message and messageExpression', () => {
  const all = check(deployment('nginx:1.27', 8));
  assert.deepEqual(all.map((f) => f.severity), ['error', 'error']);
  assert.match(all[0].message, /ValidatingAdmissionPolicy 'images\.example\.com' with binding 'images-binding' denied request: images must come from registry\.example\.com/);
  assert.match(all[1].message, /denied request: at most 5 replicas, not 8/);
  assert.deepEqual(check(deployment('registry.example.com/web:1')), []);
});

test('Warn is a warning, Audit information; no action, no finding', () => {
  const [warn] = check(deployment('nginx:1.27'), '[Warn]');
  assert.equal(warn.severity, 'warning');
  assert.match(warn.message, /Warning: Validation failed for ValidatingAdmissionPolicy 'images\.example\.com' with binding 'images-binding': images must come/);
  assert.equal(check(deployment('nginx:1.27'), '[Audit]')[0].severity, 'info');
  assert.equal(check(deployment('nginx:1.27'), '[Warn, Deny]')[0].severity, 'error');
});

test('match constraints: resources, object selector, the binding\'s own matchResources', () => {
  assert.equal(check(deployment('nginx:1.27', 2, '{ app: web }', 'StatefulSet')).length, 1);
  assert.deepEqual(check(deployment('nginx:1.27', 2, '{ app: web }', 'DaemonSet')), [], 'daemonsets are not in resourceRules');
  assert.deepEqual(check(deployment('nginx:1.27', 2, '{ app: web, policy.example.com/skip: "yes" }')), [], 'objectSelector');
  const onlyStatefulSets = '  matchResources:\n    resourceRules:\n      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["*"], resources: ["statefulsets"] }\n';
  assert.deepEqual(check(deployment('nginx:1.27'), '[Deny]', onlyStatefulSets), []);
});

test('a namespace selector the workspace cannot answer, or parameters, are noted, not guessed', () => {
  const nsSelector = '  matchResources:\n    namespaceSelector: { matchLabels: { env: prod } }\n    resourceRules:\n      - { apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"] }\n';
  const inTeam = deployment('nginx:1.27').replace('  name: web\n', '  name: web\n  namespace: team\n');
  const [note] = check(inTeam, '[Deny]', nsSelector);
  assert.equal(note.severity, 'info');
  assert.match(note.message, /namespaceSelector needs the labels of namespace "team"/);
  const withNamespace = findings('admission-policy', inTeam, {
    'file:///work/policy/vap.yaml': POLICY,
    'file:///work/policy/binding.yaml': binding('[Deny]', nsSelector),
    'file:///work/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels: { env: prod }\n',
  });
  assert.equal(withNamespace[0].severity, 'error');
  const params = check(deployment('nginx:1.27'), '[Deny]', '  paramRef: { name: limits }\n');
  assert.match(params[0].message, /it reads parameters/);
});

test('resource names are guessed as meta.UnsafeGuessKindToResource does', () => {
  assert.equal(guessResource('Deployment'), 'deployments');
  assert.equal(guessResource('Ingress'), 'ingresses');
  assert.equal(guessResource('NetworkPolicy'), 'networkpolicies');
});
