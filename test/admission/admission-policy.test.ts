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
  assert.deepEqual(check(deployment('nginx:1.27'), '[Warn, Deny]'), [], 'validation.go validateValidationActions refuses the binding: it judges nothing');
});

test('match constraints: resources, object selector, the binding\'s own matchResources', () => {
  assert.equal(check(deployment('nginx:1.27', 2, '{ app: web }', 'StatefulSet')).length, 1);
  assert.deepEqual(check(deployment('nginx:1.27', 2, '{ app: web }', 'DaemonSet')), [], 'daemonsets are not in resourceRules');
  assert.deepEqual(check(deployment('nginx:1.27', 2, '{ app: web, policy.example.com/skip: "yes" }')), [], 'objectSelector');
  const onlyStatefulSets = '  matchResources:\n    resourceRules:\n      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["*"], resources: ["statefulsets"] }\n';
  assert.deepEqual(check(deployment('nginx:1.27'), '[Deny]', onlyStatefulSets), []);
  // matching.go Matches: a binding's matchResources without resourceRules leaves the policy's resources as they are.
  const onlyObjectSelector = '  matchResources:\n    objectSelector: { matchLabels: { app: web } }\n';
  assert.equal(check(deployment('nginx:1.27'), '[Deny]', onlyObjectSelector).length, 1);
  assert.deepEqual(check(deployment('nginx:1.27', 2, '{ app: api }'), '[Deny]', onlyObjectSelector), [], 'its objectSelector still selects');
  // validation.go: a policy without matchConstraints.resourceRules is refused at creation, so it judges nothing.
  const noRules = findings('admission-policy', deployment('nginx:1.27'), {
    'file:///work/policy/vap.yaml': POLICY.replace(/  matchConstraints:\n    resourceRules:\n(?:      .*\n)+/, '  matchConstraints:\n'),
    'file:///work/policy/binding.yaml': binding('[Deny]'),
  });
  assert.deepEqual(noRules.filter((f) => /denied request/.test(f.message)), []);
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
  // generic/policy_dispatcher.go CollectParams: the parameter object matters only with both paramKind and paramRef.
  const paramRef = '  paramRef: { name: limits, parameterNotFoundAction: Allow }\n';
  const withParamKind = (policy: string) => policy.replace('spec:\n', 'spec:\n  paramKind: { apiVersion: v1, kind: ConfigMap }\n');
  const checkParams = (policy: string, extra: string) =>
    findings('admission-policy', deployment('nginx:1.27'), { 'file:///work/policy/vap.yaml': policy, 'file:///work/policy/binding.yaml': binding('[Deny]', extra) });
  const [both] = checkParams(withParamKind(POLICY), paramRef);
  assert.equal(both.severity, 'info');
  assert.match(both.message, /it reads parameters/);
  assert.match(checkParams(POLICY, paramRef)[0].message, /denied request: images must come/, 'paramRef without paramKind is ignored');
  assert.match(checkParams(withParamKind(POLICY), '')[0].message, /denied request: images must come/, 'paramKind without paramRef: params is null');
});

test('resource names are guessed as meta.UnsafeGuessKindToResource does', () => {
  assert.equal(guessResource('Deployment'), 'deployments');
  assert.equal(guessResource('Ingress'), 'ingresses');
  assert.equal(guessResource('NetworkPolicy'), 'networkpolicies');
  assert.equal(guessResource('ServiceEndpoints'), 'serviceendpoints', 'unpluralizedSuffixes');
});

// A policy whose expressions fail at run time, with failurePolicy `policy` (unset: the API's default Fail).
const failing = (failurePolicy: string | undefined, conditions: string[], validation = 'object.spec.replicas > 0') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: failing.example.com
spec:
${failurePolicy ? `  failurePolicy: ${failurePolicy}\n` : ''}  matchConstraints:
    resourceRules:
      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }
  matchConditions:
${conditions.map((c, i) => `    - name: c${i}\n      expression: "${c}"\n`).join('')}  validations:
    - expression: "${validation}"
`;

function checkFailing(policy: string, actions = '[Deny]') {
  return findings('admission-policy', deployment('nginx:1.27'), {
    'file:///work/policy/vap.yaml': policy,
    'file:///work/policy/binding.yaml': binding(actions).replace('images.example.com', 'failing.example.com'),
  });
}

// validating/validator.go Validate with policyDecisionActionForError: an expression's error is a Deny
// decision under failurePolicy Fail (the default, also in dispatcher.go addConfigError), admitted under Ignore.
test('failurePolicy: an evaluation error denies under Fail (the default), is admitted under Ignore', () => {
  const dividing = 'object.spec.replicas / 0 > 1';
  for (const policy of [undefined, 'Fail']) {
    const [denied, ...rest] = checkFailing(failing(policy, ['true'], dividing));
    assert.equal(rest.length, 0);
    assert.equal(denied.severity, 'error');
    assert.equal(denied.message.includes("ValidatingAdmissionPolicy 'failing.example.com' with binding 'images-binding' denied request: expression 'object.spec.replicas / 0 > 1' resulted in error: division by zero"), true, denied.message);
  }
  // dispatcher.go Dispatch: the error decision follows validationActions like a failed validation.
  const [warned] = checkFailing(failing('Fail', ['true'], dividing), '[Warn]');
  assert.equal(warned.severity, 'warning');
  assert.match(warned.message, /Validation failed for ValidatingAdmissionPolicy 'failing\.example\.com' with binding 'images-binding': expression .* resulted in error: division by zero/);
  assert.deepEqual(checkFailing(failing('Ignore', ['true'], dividing)), []);
});

// webhook/matchconditions/matcher.go Match: all conditions run; a false one means no match whatever the
// errors; otherwise errors deny under Fail (utilerrors.NewAggregate of them) and skip the policy under Ignore.
test('failurePolicy: an error in a matchCondition denies under Fail, skips the policy under Ignore, and a false condition wins', () => {
  const erring = 'object.spec.replicas / 0 == 1';
  const [denied] = checkFailing(failing(undefined, [erring, 'true']));
  assert.equal(denied.severity, 'error');
  assert.match(denied.message, /denied request: expression 'object\.spec\.replicas \/ 0 == 1' resulted in error: division by zero$/);
  const [both] = checkFailing(failing('Fail', [erring, "object.metadata.missingKey == 'x'"]));
  assert.match(both.message, /denied request: \[expression .* resulted in error: division by zero, expression 'object\.metadata\.missingKey == 'x'' resulted in error: no such key: missingKey\]$/);
  const [twice] = checkFailing(failing('Fail', [erring, erring]));
  assert.match(twice.message, /denied request: expression 'object\.spec\.replicas \/ 0 == 1' resulted in error: division by zero$/, 'utilerrors aggregate.Error says a repeated message once, without brackets');
  assert.deepEqual(checkFailing(failing('Ignore', [erring])), [], 'Ignore: the policy does not apply');
  assert.deepEqual(checkFailing(failing('Fail', [erring, 'false'])), [], 'a false condition after the error: no match');
  assert.deepEqual(checkFailing(failing('Fail', ['true'], 'object.spec.replicas > 0')), [], 'conditions true and a passing validation');
});

// validation.go ValidateValidatingAdmissionPolicy: a policy with an expression that does not compile is
// refused when it is created, so it never judges a request (activation.go's "compilation error: " is
// only for a stored policy): the error is on the policy, none on the documents it would match.
test('failurePolicy: a policy whose expression does not compile is refused and judges nothing', () => {
  for (const failurePolicy of [undefined, 'Fail', 'Ignore']) {
    assert.deepEqual(checkFailing(failing(failurePolicy, ['true'], 'object.spec.replicas >')), []);
    // In a matchCondition too; cel-go's macro expansion refuses a non-name variable.
    assert.deepEqual(checkFailing(failing(failurePolicy, ['object.spec.template.spec.containers.all(c.name, true)'])), []);
    // A blank expression is refused too (field.Required), not evaluated.
    assert.deepEqual(checkFailing(failing(failurePolicy, ['true'], ' ')), []);
  }
  const [refused, ...rest] = findings('admission-policy', failing('Fail', ['true'], 'object.spec.replicas >'));
  assert.equal(rest.length, 0);
  assert.match(refused.message, /^The API server refuses this policy: .*spec\.validations\[0\]\.expression: Invalid value: "object\.spec\.replicas >": compilation failed: /);
});

// generic/policy_dispatcher.go CollectParams with paramRef.name: the object of paramKind with that name, in
// paramRef.namespace or else the request's namespace; kdry takes it from the workspace when it is there.
test('parameters: the object paramRef names, found in the workspace, is `params`; one the workspace lacks is noted', () => {
  const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicas.example.com
spec:
  paramKind: { apiVersion: v1, kind: ConfigMap }
  matchConstraints:
    resourceRules:
      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }
  validations:
    - expression: "object.spec.replicas <= int(params.data.maxReplicas)"
      messageExpression: "'at most ' + params.data.maxReplicas + ' replicas'"
`;
  const limits = (namespace: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: limits\n  namespace: ${namespace}\ndata:\n  maxReplicas: "3"\n`;
  const inTeam = deployment('nginx:1.27', 8).replace('  name: web\n', '  name: web\n  namespace: team\n');
  const run = (files: Record<string, string>, ref = '{ name: limits, parameterNotFoundAction: Allow }') =>
    findings('admission-policy', inTeam, {
      'file:///work/policy/vap.yaml': policy,
      'file:///work/policy/binding.yaml': binding('[Deny]', `  paramRef: ${ref}\n`).replace('images.example.com', 'replicas.example.com'),
      ...files,
    });
  const [denied] = run({ 'file:///work/limits.yaml': limits('team') });
  assert.equal(denied.severity, 'error');
  assert.match(denied.message, /ValidatingAdmissionPolicy 'replicas\.example\.com' with binding 'images-binding' denied request: at most 3 replicas$/);
  assert.equal(run({ 'file:///work/limits.yaml': limits('other') }, '{ name: limits, namespace: other, parameterNotFoundAction: Allow }')[0].severity, 'error', 'paramRef.namespace');
  const [elsewhere] = run({ 'file:///work/limits.yaml': limits('other') });
  assert.equal(elsewhere.severity, 'info');
  assert.match(elsewhere.message, /it reads parameters \(paramKind\/paramRef\) from the cluster: no ConfigMap "limits" in namespace "team" in the workspace gives them/);
});

// generic/policy_dispatcher.go CollectParams reads the scope of paramKind: a cluster-scoped kind's object is
// read cluster-wide (paramRef.namespace set is "paramRef.namespace must not be provided for a cluster-scoped
// `paramKind`"); a namespaced kind with neither paramRef.namespace nor the request's namespace is "cannot use
// namespaced paramRef in policy binding that matches cluster-scoped resources". Both are configuration errors
// (validating/dispatcher.go addConfigError: "failed to configure binding: ", a denial under Fail only).
test("parameters: the paramKind's scope (a workspace CRD's spec.scope, the release's catalog) decides where the object is read; a namespace that cannot be is a configuration error", () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: replicalimits.rules.example.com }
spec:
  group: rules.example.com
  scope: Cluster
  names: { kind: ReplicaLimit, plural: replicalimits, singular: replicalimit }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, properties: { maxReplicas: { type: integer } } } }
`;
  const policy = (failurePolicy = 'Fail') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replicas.example.com
spec:
  failurePolicy: ${failurePolicy}
  paramKind: { apiVersion: rules.example.com/v1, kind: ReplicaLimit }
  matchConstraints:
    resourceRules:
      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }
  validations:
    - expression: "object.spec.replicas <= params.maxReplicas"
      messageExpression: "'at most ' + string(params.maxReplicas) + ' replicas'"
`;
  const limits = 'apiVersion: rules.example.com/v1\nkind: ReplicaLimit\nmetadata: { name: limits }\nmaxReplicas: 3\n';
  const inTeam = deployment('nginx:1.27', 8).replace('  name: web\n', '  name: web\n  namespace: team\n');
  const run = (ref: string, failurePolicy?: string) =>
    findings('admission-policy', inTeam, {
      'file:///work/crds/replicalimit.yaml': crd,
      'file:///work/policy/vap.yaml': policy(failurePolicy),
      'file:///work/policy/binding.yaml': binding('[Audit]', `  paramRef: ${ref}\n`).replace('images.example.com', 'replicas.example.com'),
      'file:///work/limits.yaml': limits,
    });
  const [read] = run('{ name: limits, parameterNotFoundAction: Allow }');
  assert.equal(read.severity, 'info', 'Audit: the cluster-scoped object without a namespace is params for an object in team');
  assert.match(read.message, /^Audit \(validation\.policy\.admission\.k8s\.io\/validation_failure\): .* at most 3 replicas$/);
  const [refused, ...rest] = run('{ name: limits, namespace: team, parameterNotFoundAction: Allow }');
  assert.equal(rest.length, 0);
  assert.equal(refused.severity, 'error', 'a configuration error denies whatever the validationActions');
  assert.match(refused.message, /ValidatingAdmissionPolicy 'replicas\.example\.com' with binding 'images-binding' denied request: failed to configure binding: paramRef\.namespace must not be provided for a cluster-scoped `paramKind`$/);
  assert.deepEqual(run('{ name: limits, namespace: team, parameterNotFoundAction: Allow }', 'Ignore'), [], 'Ignore: the configuration error admits');

  // A namespaced paramKind (ConfigMap, from the release's catalog) and a cluster-scoped object (a Namespace).
  const namespacePolicy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: names.example.com
spec:
  paramKind: { apiVersion: v1, kind: ConfigMap }
  matchConstraints:
    resourceRules:
      - { apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["namespaces"] }
  validations:
    - expression: "object.metadata.name != params.data.forbidden"
`;
  const onNamespace = (ref: string) =>
    findings('admission-policy', 'apiVersion: v1\nkind: Namespace\nmetadata: { name: team }\n', {
      'file:///work/policy/vap.yaml': namespacePolicy,
      'file:///work/policy/binding.yaml': binding('[Deny]', `  paramRef: ${ref}\n`).replace('images.example.com', 'names.example.com'),
      'file:///work/names.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: names }\ndata: { forbidden: team }\n',
      'file:///work/names-ops.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: names, namespace: ops }\ndata: { forbidden: team }\n',
    });
  const [clusterScoped] = onNamespace('{ name: names, parameterNotFoundAction: Allow }');
  assert.match(clusterScoped.message, /denied request: failed to configure binding: cannot use namespaced paramRef in policy binding that matches cluster-scoped resources$/);
  assert.match(onNamespace('{ name: names, namespace: ops, parameterNotFoundAction: Allow }')[0].message, /denied request: failed expression: object\.metadata\.name != params\.data\.forbidden$/, 'paramRef.namespace names where to read it');
});

test('the object kustomize builds is admitted: the kustomization\'s namespace, name prefix and labels; the kustomization itself is never sent', () => {
  const nsSelector = '  matchResources:\n    namespaceSelector: { matchLabels: { env: prod } }\n    resourceRules:\n      - { apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"] }\n';
  const kustomized = (kustomization: string, extra = '') =>
    findings('admission-policy', deployment('registry.example.com/web:1'), {
      'file:///work/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [test.yaml]\n${kustomization}`,
      'file:///work/policy/vap.yaml': POLICY,
      'file:///work/policy/binding.yaml': binding('[Deny]', extra),
      'file:///work/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { env: prod }\n',
    });
  // kustomize's namespace transformer sets metadata.namespace; the namespaceSelector then reads Namespace "shop".
  assert.deepEqual(kustomized('namespace: shop\n', nsSelector), []);
  const tooMany = findings('admission-policy', deployment('registry.example.com/web:1', 8), {
    'file:///work/kustomization.yaml': 'namespace: shop\nresources: [test.yaml]\n',
    'file:///work/policy/vap.yaml': POLICY,
    'file:///work/policy/binding.yaml': binding('[Deny]', nsSelector),
    'file:///work/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: { env: prod }\n',
  });
  assert.deepEqual(tooMany.map((f) => f.severity), ['error']);
  assert.match(tooMany[0].message, /denied request: at most 5 replicas, not 8/);
  // Without the kustomization the namespace is kubectl's context: noted, not judged.
  assert.match(check(deployment('registry.example.com/web:1', 8), '[Deny]', nsSelector)[0].message, /the document names none/);
  // namePrefix: the policy reads the built name (object.metadata.name.size() < 20).
  assert.match(kustomized('namePrefix: a-rather-long-prefix-\n')[0]?.message ?? '', /denied request: failed expression: request.operation == 'CREATE' && object.metadata.name.size\(\) < 20/);
  // commonLabels reach the objectSelector.
  assert.deepEqual(findings('admission-policy', deployment('nginx:1.27'), {
    'file:///work/kustomization.yaml': 'resources: [test.yaml]\ncommonLabels: { policy.example.com/skip: "yes" }\n',
    'file:///work/policy/vap.yaml': POLICY,
    'file:///work/policy/binding.yaml': binding('[Deny]'),
  }), []);
  // The Kustomization is read by kustomize, not applied: a policy on every resource says nothing of it.
  const everything = '  matchResources:\n    resourceRules:\n      - { apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"] }\n';
  const onKustomization = findings('admission-policy', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [dep.yaml]\n', {
    'file:///work/policy/vap.yaml': POLICY.replace('      - apiGroups: ["apps"]\n        apiVersions: ["v1"]\n        operations: ["CREATE", "UPDATE"]\n        resources: ["deployments", "statefulsets"]\n', '      - { apiGroups: ["*"], apiVersions: ["*"], operations: ["*"], resources: ["*"] }\n'),
    'file:///work/policy/binding.yaml': binding('[Deny]', everything),
  });
  assert.deepEqual(onKustomization, []);
});
