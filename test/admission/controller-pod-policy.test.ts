// A ValidatingAdmissionPolicy on pods judges the pods a workload's controller creates through the
// API server (pkg/controller/replicaset/replica_set.go manageReplicas -> controller_utils.go
// CreatePods, GetPodFromTemplate): a denial is the controller's FailedCreate, and no pod runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, slice } from '../rules/helpers';

const policy = (validation: string, extra = '', group = '""', resource = 'pods') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: pods-need-team
spec:
  matchConstraints:
    resourceRules:
      - apiGroups: [${group}]
        apiVersions: ["v1"]
        operations: ["CREATE"]
        resources: ["${resource}"]
${extra}  validations:
    - expression: ${JSON.stringify(validation)}
      message: pods need a team label
`;

const binding = (actions = '[Deny]', extra = '') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: pods-need-team
spec:
  policyName: pods-need-team
  validationActions: ${actions}
${extra}`;

const TEAM = "has(object.metadata.labels) && 'team' in object.metadata.labels";

const deployment = (labels = '{ app: web }') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: ${labels}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: pi
  namespace: shop
spec:
  completionMode: Indexed
  completions: 2
  template:
    metadata:
      labels: { app: pi }
    spec:
      restartPolicy: Never
      containers:
        - name: pi
          image: perl:5.34
`;

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: { env: prod }
`;

function check(doc: string, validation = TEAM, actions = '[Deny]', bindingExtra = '', policyExtra = '') {
  return findings('admission-policy', doc, { 'file:///work/policy/vap.yaml': policy(validation, policyExtra), 'file:///work/policy/binding.yaml': binding(actions, bindingExtra), 'file:///work/ns.yaml': NAMESPACE });
}

test("a Deployment: every pod its ReplicaSet creates is denied, FailedCreate worded as the API server's error, at the template", () => {
  const text = deployment();
  const all = check(text);
  assert.equal(all.length, 1);
  assert.equal(all[0].severity, 'error');
  assert.equal(
    all[0].message,
    "The Deployment is accepted, but every pod its ReplicaSet creates is forbidden, so none runs: the ReplicaSet records FailedCreate `Error creating: pods \"web-...\" is forbidden: ValidatingAdmissionPolicy 'pods-need-team' with binding 'pods-need-team' denied request: pods need a team label`.",
  );
  assert.equal(slice(text, all[0].range), 'template');
  assert.deepEqual(check(deployment('{ app: web, team: shop }')), [], 'a pod that passes gives nothing');
});

test('a Job: its pods carry the job-name labels and the completion index; the Job records FailedCreate', () => {
  const [denied] = check(JOB);
  assert.match(denied.message, /^The Job is accepted, but every pod it creates is forbidden, so none runs: FailedCreate `Error creating: pods "pi-\.\.\." is forbidden: ValidatingAdmissionPolicy 'pods-need-team'/);
  // job/indexed_job_utils.go addCompletionIndexAnnotation; registry/batch/job/strategy.go generateSelector.
  const labels = "object.metadata.labels['batch.kubernetes.io/job-name'] == 'pi' && object.metadata.annotations['batch.kubernetes.io/job-completion-index'] == '0'";
  assert.deepEqual(check(JOB, labels), []);
  assert.equal(check(JOB, "object.metadata.labels['batch.kubernetes.io/job-name'] == 'other'").length, 1);
});

test('the pod as GetPodFromTemplate builds it: generateName, ownerReference, namespace; the request is the controller service account\'s', () => {
  const job = (expression: string) => check(JOB, expression);
  assert.deepEqual(job("object.metadata.generateName == 'pi-' && object.metadata.ownerReferences[0].kind == 'Job' && object.metadata.ownerReferences[0].controller"), []);
  assert.deepEqual(job("object.metadata.namespace == 'shop' && request.namespace == 'shop' && !has(request.name) && request.operation == 'CREATE'"), []);
  assert.deepEqual(job("request.userInfo.username == 'system:serviceaccount:kube-system:job-controller' && 'system:serviceaccounts:kube-system' in request.userInfo.groups"), []);
  assert.equal(check(deployment(), "request.userInfo.username == 'system:serviceaccount:kube-system:job-controller'").length, 1, 'a Deployment\'s pods come from the replicaset-controller');
  // The ReplicaSet's name carries the pod-template-hash of the template as stored: noted, not guessed.
  const [noted] = check(deployment(), "object.metadata.generateName.startsWith('web-x')");
  assert.equal(noted.severity, 'info');
  assert.match(noted.message, /did not evaluate ValidatingAdmissionPolicy 'pods-need-team' \(binding 'pods-need-team'\) for the pods its ReplicaSet creates: .*it reads the pod's generateName/);
});

test("the match constraints read the pod: objectSelector on the template's labels, namespaceSelector, matchConditions", () => {
  assert.equal(check(deployment(), TEAM, '[Deny]', '  matchResources:\n    objectSelector: { matchLabels: { app: web } }\n').length, 1);
  assert.deepEqual(check(deployment(), TEAM, '[Deny]', '  matchResources:\n    objectSelector: { matchLabels: { app: other } }\n'), []);
  assert.equal(check(deployment(), TEAM, '[Deny]', '  matchResources:\n    namespaceSelector: { matchLabels: { env: prod } }\n').length, 1);
  assert.deepEqual(check(deployment(), TEAM, '[Deny]', '  matchResources:\n    namespaceSelector: { matchLabels: { env: dev } }\n'), []);
  const skipControllers = "  matchConditions:\n    - name: not-controllers\n      expression: \"!request.userInfo.username.startsWith('system:serviceaccount:kube-system:')\"\n";
  assert.deepEqual(check(deployment(), TEAM, '[Deny]', '', skipControllers), []);
});

test('Warn and Audit on the pods: the controller receives the warning; the audit log records it', () => {
  const [warn] = check(deployment(), TEAM, '[Warn]');
  assert.equal(warn.severity, 'warning');
  assert.match(warn.message, /^Each pod its ReplicaSet creates is admitted with the warning "Validation failed for ValidatingAdmissionPolicy 'pods-need-team' with binding 'pods-need-team': pods need a team label"/);
  const [audit] = check(JOB, TEAM, '[Audit]');
  assert.equal(audit.severity, 'info');
  assert.match(audit.message, /^Each pod it creates is audited/);
});

test('a policy that does not match pods, and a kind without pods, give nothing for pods', () => {
  const onDeployments = policy('object.spec.replicas <= 5', '', '"apps"', 'deployments');
  assert.deepEqual(findings('admission-policy', deployment(), { 'file:///work/policy/vap.yaml': onDeployments, 'file:///work/policy/binding.yaml': binding() }), []);
  assert.deepEqual(check('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: shop }\ndata: { a: b }\n'), []);
});
