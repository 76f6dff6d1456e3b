// What an admission policy reads of the request's namespace and of the authorizer, and what the
// binding's validationActions do together:
// - `namespaceObject` (generic/policy_dispatcher.go Dispatch: the request's Namespace, null for a
//   Namespace or a cluster-scoped object; cel/condition.go CreateNamespaceObject for the validations
//   and messageExpressions; matchconditions/matcher.go Match binds none);
// - namespaceSelector on the namespace as stored (pkg/apis/core/v1/defaults.go SetDefaults_Namespace
//   adds `kubernetes.io/metadata.name`; predicates/namespace/matcher.go GetNamespaceLabels reads a
//   Namespace's own labels);
// - `authorizer`, which only the cluster can answer (cel/activation.go newActivation);
// - Warn with Audit (validating/dispatcher.go Dispatch acts on each action).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';

const quoted = (e: string) => JSON.stringify(e);

function policy(validations: string[], opts: { matchConditions?: string[]; variables?: [string, string][]; resources?: string; auditAnnotations?: [string, string][] } = {}): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: ns.example.com
spec:
  matchConstraints:
    resourceRules:
      - { apiGroups: ["*"], apiVersions: ["*"], operations: ["CREATE"], resources: ${opts.resources ?? '["deployments"]'} }
${opts.matchConditions ? `  matchConditions:\n${opts.matchConditions.map((c, i) => `    - name: c${i}\n      expression: ${quoted(c)}\n`).join('')}` : ''}${opts.variables ? `  variables:\n${opts.variables.map(([n, e]) => `    - name: ${n}\n      expression: ${quoted(e)}\n`).join('')}` : ''}  validations:
${validations.map((e) => `    - expression: ${quoted(e)}\n`).join('')}${opts.auditAnnotations ? `  auditAnnotations:\n${opts.auditAnnotations.map(([k, e]) => `    - key: ${k}\n      valueExpression: ${quoted(e)}\n`).join('')}` : ''}`;
}

const binding = (actions = '[Deny]', matchResources = '') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: ns-binding
spec:
  policyName: ns.example.com
  validationActions: ${actions}
${matchResources}`;

const deployment = (namespace?: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`;

const TEAM = `apiVersion: v1
kind: Namespace
metadata:
  name: team
  labels: { env: prod }
  annotations: { owner: alice }
  ownerReferences: [{ apiVersion: v1, kind: ConfigMap, name: x, uid: "1" }]
`;

function check(doc: string, vap: string, opts: { actions?: string; matchResources?: string; namespace?: string | null } = {}) {
  const files: Record<string, string> = { 'file:///work/policy/vap.yaml': vap, 'file:///work/policy/binding.yaml': binding(opts.actions, opts.matchResources) };
  if (opts.namespace !== null) files['file:///work/ns.yaml'] = opts.namespace ?? TEAM;
  return findings('admission-policy', doc, files).map((f): [string, string] => [f.severity ?? "", f.message]);
}

const DENIED = "The API server refuses this object: ValidatingAdmissionPolicy 'ns.example.com' with binding 'ns-binding' denied request: ";

test('namespaceObject is the workspace Namespace as the API server stores it, cleaned as CreateNamespaceObject does', () => {
  const holds = [
    "namespaceObject.metadata.name == 'team'",
    "namespaceObject.metadata.labels.env == 'prod'",
    // SetDefaults_Namespace and PrepareForCreate.
    "namespaceObject.metadata.labels['kubernetes.io/metadata.name'] == 'team'",
    "namespaceObject.status.phase == 'Active'",
    "namespaceObject.spec.finalizers == ['kubernetes']",
    "namespaceObject.metadata.annotations.owner == 'alice'",
  ];
  assert.deepEqual(check(deployment('team'), policy(holds)), []);
  assert.deepEqual(check(deployment('team'), policy(["namespaceObject.metadata.labels.env == 'dev'"])), [['error', `${DENIED}failed expression: namespaceObject.metadata.labels.env == 'dev'`]]);
});

test('namespaceObject: the fields the cluster sets on create are not judged; a namespace the workspace lacks is noted, not guessed', () => {
  const [version] = check(deployment('team'), policy(["namespaceObject.metadata.resourceVersion != ''"]));
  assert.equal(version![0], 'info');
  assert.match(version![1], /reads namespaceObject\.metadata\.resourceVersion, which the cluster sets when it creates namespace "team"/);
  const [missing] = check(deployment('team'), policy(["namespaceObject.metadata.labels.env == 'prod'", 'object.spec.replicas > 5']), { namespace: null });
  assert.equal(missing![0], 'error', 'the validation that does not read namespaceObject is judged');
  assert.match(missing![1], /failed expression: object\.spec\.replicas > 5/);
  const notes = check(deployment('team'), policy(["namespaceObject.metadata.labels.env == 'prod'"]), { namespace: null });
  assert.deepEqual(notes.map((n) => n[0]), ['info']);
  assert.match(notes[0]![1], /reads namespaceObject, the Namespace "team", which the workspace does not hold/);
  // CEL's logic absorbs the unknown as cel-go absorbs an error.
  assert.deepEqual(check(deployment('team'), policy(["object.spec.replicas < 5 || namespaceObject.metadata.labels.env == 'prod'"]), { namespace: null }), []);
  // A namespaced document that names no namespace is applied in kubectl's: unknown.
  assert.match(check(deployment(), policy(["namespaceObject.metadata.name == 'team'"]))[0]![1], /names no namespace/);
});

test('namespaceObject is null for a cluster-scoped object, for a Namespace, and in matchConditions', () => {
  const clusterRole = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\nrules: []\n';
  assert.deepEqual(check(clusterRole, policy(['namespaceObject == null'], { resources: '["clusterroles"]' })), []);
  assert.deepEqual(check(TEAM, policy(['namespaceObject == null'], { resources: '["namespaces"]' })), []);
  // matcher.go Match passes no namespace: the condition is false, the policy does not apply.
  assert.deepEqual(check(deployment('team'), policy(['false'], { matchConditions: ['namespaceObject != null'] })), []);
});

test('auditAnnotations read the namespace too', () => {
  const [note] = check(deployment('team'), policy(['true'], { auditAnnotations: [['env', 'namespaceObject.metadata.labels.env']] }));
  assert.equal(note![1], `ValidatingAdmissionPolicy 'ns.example.com' records the audit annotation "ns.example.com/env": "prod"`);
});

test('namespaceSelector matches the labels of the namespace as stored, a Namespace by its own', () => {
  const selector = (labels: string) =>
    `  matchResources:\n    namespaceSelector: { matchLabels: ${labels} }\n    resourceRules:\n      - { apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"] }\n`;
  const byName = selector("{ 'kubernetes.io/metadata.name': team }");
  assert.equal(check(deployment('team'), policy(['false']), { matchResources: byName }).length, 1, 'SetDefaults_Namespace gives every namespace its name label');
  assert.deepEqual(check(deployment('team'), policy(['false']), { matchResources: selector('{ env: dev }') }), []);
  const nsPolicy = policy(['false'], { resources: '["namespaces"]' });
  assert.equal(check(TEAM, nsPolicy, { matchResources: selector('{ env: prod }') }).length, 1, 'a Namespace is matched by its own labels');
  assert.deepEqual(check(TEAM, nsPolicy, { matchResources: selector('{ env: dev }') }), []);
});

test('authorizer and authorizer.requestResource are not judged: noted once, never a false error', () => {
  const authz = [
    "authorizer.group('apps').resource('deployments').namespace('team').check('create').allowed()",
    "authorizer.requestResource.check('create').allowed()",
    "authorizer.serviceAccount('team', 'deployer').group('').resource('pods').check('get').allowed()",
  ];
  const all = check(deployment('team'), policy(authz));
  assert.deepEqual(all.map((f) => f[0]), ['info']);
  assert.match(all[0]![1], /reads authorizer, which asks the cluster's authorizer about the requesting user: only the cluster can answer/);
  // CEL's logic absorbs it where the rest decides.
  assert.deepEqual(check(deployment('team'), policy(["object.spec.replicas < 5 || authorizer.requestResource.check('create').allowed()"])), []);
  assert.equal(check(deployment('team'), policy(["object.spec.replicas > 5 && authorizer.requestResource.check('create').allowed()"]))[0]![0], 'error');
  // In a matchCondition or a variable too.
  assert.equal(check(deployment('team'), policy(['false'], { matchConditions: ["authorizer.requestResource.check('create').allowed()"] }))[0]![0], 'info');
  assert.equal(check(deployment('team'), policy(['variables.ok'], { variables: [['ok', "authorizer.requestResource.check('create').allowed()"]] }))[0]![0], 'info');
});

// validator.go Validate runs auditAnnotations with OptionalVariableBindings{VersionedParams} only:
// `authorizer` is declared there but not bound, so an annotation that reads it fails at run time,
// a denial under Fail (dispatcher.go: an auditAnnotation's error denies) and left out under Ignore.
test('an auditAnnotation that reads authorizer fails as the API server runs it: denied under Fail, left out under Ignore', () => {
  const reads = policy(['true'], { auditAnnotations: [['who', "authorizer.requestResource.check('create').allowed() ? 'allowed' : 'denied'"]] });
  const all = check(deployment('team'), reads);
  assert.deepEqual(all.map((f) => f[0]), ['error']);
  assert.equal(
    all[0]![1],
    `The API server refuses this object: ValidatingAdmissionPolicy 'ns.example.com' with binding 'ns-binding' denied request: expression 'authorizer.requestResource.check('create').allowed() ? 'allowed' : 'denied'' resulted in error: no such attribute(s): authorizer (kdry's words: the API server binds no authorizer when it evaluates auditAnnotations, validator.go Validate; its own message also gives cel-go's expression id)`,
  );
  assert.deepEqual(check(deployment('team'), reads.replace('spec:\n', 'spec:\n  failurePolicy: Ignore\n')), []);
  // Where CEL's logic does not reach it, nothing fails.
  assert.deepEqual(check(deployment('team'), policy(['true'], { auditAnnotations: [['who', "'x' == 'x' || authorizer.requestResource.check('create').allowed() ? 'set' : null"]] })).map((f) => f[0]), ['info']);
});

test('Warn with Audit: the warning says the audit log records the failure too; Audit alone names the annotation', () => {
  const failing = policy(['object.spec.replicas > 5']);
  const [warn] = check(deployment('team'), failing, { actions: '[Warn, Audit]' });
  assert.deepEqual(warn, [
    'warning',
    `kubectl prints "Warning: Validation failed for ValidatingAdmissionPolicy 'ns.example.com' with binding 'ns-binding': failed expression: object.spec.replicas > 5"; the audit log also records it (validation.policy.admission.k8s.io/validation_failure)`,
  ]);
  assert.equal(check(deployment('team'), failing, { actions: '[Warn]' })[0]![1].includes('audit'), false);
  assert.match(check(deployment('team'), failing, { actions: '[Deny, Audit]' })[0]![1], /denied request: .*; the audit log also records it/);
  const [audit] = check(deployment('team'), failing, { actions: '[Audit]' });
  assert.deepEqual(audit, ['info', `Audit (validation.policy.admission.k8s.io/validation_failure): Validation failed for ValidatingAdmissionPolicy 'ns.example.com' with binding 'ns-binding': failed expression: object.spec.replicas > 5`]);
});
