// Rules that judge what a workload's pods will be (pod-security, hpa-resource-requests,
// admission-policy) judge the object each build that applies the file makes, not the base file
// as written: kustomize's patches, `namespace:` and labels reach the API server
// (api/internal/target/kusttarget.go accumulateTarget, an overlay's transforms after its base's).
// Pod Security admission judges the pod the controller creates from the applied template
// (k8s.io/pod-security-admission admission/admission.go EvaluatePod); the HPA controller reads the
// requests of the running pods (pkg/controller/podautoscaler/replica_calculator.go
// GetResourceReplicas -> calculatePodRequests).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsIn, workspaceOf } from '../scope/helpers';

const base = {
  'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
  'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 10
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`,
};
const namespace = (name: string, level: string, extra = '') => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: {pod-security.kubernetes.io/enforce: ${level}${extra}}\n`;
const overlay = (ns: string, patch?: string) => ({
  [`${ns}/kustomization.yaml`]: `namespace: ${ns}\nresources: [../base, namespace.yaml]\n${patch ? 'patches:\n- path: patch.yaml\n' : ''}`,
  ...(patch ? { [`${ns}/patch.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n${patch}` } : {}),
});
const RESTRICTED_PATCH = '      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}\n      containers:\n      - name: web\n        securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}\n';
const PRIVILEGED_PATCH = '      hostNetwork: true\n      containers:\n      - name: web\n        securityContext: {privileged: true}\n';

test('pod-security judges the pods the overlay builds: its patch that sets what restricted asks admits them (trial T2)', () => {
  const ws = workspaceOf({ ...base, ...overlay('prod', RESTRICTED_PATCH), 'prod/namespace.yaml': namespace('prod', 'restricted') });
  assert.deepEqual(findingsIn(ws, 'base/deployment.yaml', 'pod-security'), []);
});

test('pod-security: an overlay patch that breaks baseline is reported on the base, naming the build (trial T2)', () => {
  const ws = workspaceOf({ ...base, ...overlay('prod', PRIVILEGED_PATCH), 'prod/namespace.yaml': namespace('prod', 'baseline') });
  const [f, ...rest] = findingsIn(ws, 'base/deployment.yaml', 'pod-security');
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'error', 'the Namespace is in the build');
  assert.ok(f.message.startsWith('In the build of `prod`: The Deployment is accepted'), f.message);
  assert.ok(f.message.includes('violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "web" must not set securityContext.privileged=true)'), f.message);
  assert.ok(f.message.endsWith('Namespace "prod" enforces baseline:latest (label pod-security.kubernetes.io/enforce: baseline).'), f.message);
});

test('pod-security: two overlays build the base differently, each judged in its own namespace and said so', () => {
  const ws = workspaceOf({
    ...base,
    ...overlay('prod', RESTRICTED_PATCH),
    'prod/namespace.yaml': namespace('prod', 'restricted'),
    ...overlay('staging'),
    'staging/namespace.yaml': namespace('staging', 'restricted'),
  });
  const found = findingsIn(ws, 'base/deployment.yaml', 'pod-security');
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.ok(found[0].message.startsWith('In the build of `staging`: '), found[0].message);
  assert.ok(found[0].message.includes('Namespace "staging" enforces restricted:latest'), found[0].message);
  assert.equal(found[0].text, 'name', 'the container the file writes is shown by its name');
});

test('pod-security: the Namespace as the overlay builds it (a patch on its labels sets the level)', () => {
  const ws = workspaceOf({
    ...base,
    'prod/kustomization.yaml': 'namespace: prod\nresources: [../base, namespace.yaml]\npatches:\n- path: ns-patch.yaml\n',
    'prod/namespace.yaml': namespace('prod', 'privileged'),
    'prod/ns-patch.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: {pod-security.kubernetes.io/enforce: restricted}\n',
  });
  const found = findingsIn(ws, 'base/deployment.yaml', 'pod-security');
  assert.equal(found.length, 1);
  assert.ok(found[0].message.endsWith('Namespace "prod" enforces restricted:latest (label pod-security.kubernetes.io/enforce: restricted).'), found[0].message);
});

test('admission policies and pod-security see the same namespace: the overlay\'s, with the labels the overlay gives it (trial T19)', () => {
  const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: demo-policy.example.com}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <= 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: demo-binding-test.example.com}
spec:
  policyName: demo-policy.example.com
  validationActions: [Deny]
  matchResources:
    namespaceSelector: {matchLabels: {env: prod}}
`;
  const ws = workspaceOf({ ...base, ...overlay('shop'), 'shop/namespace.yaml': namespace('shop', 'restricted', ', env: prod'), 'policy.yaml': policy });
  const admission = findingsIn(ws, 'base/deployment.yaml', 'admission-policy');
  assert.equal(admission.length, 1, JSON.stringify(admission));
  assert.match(admission[0].message, /^In the build of `shop`: The API server refuses this object: .*denied request: failed expression: object\.spec\.replicas <= 5/);
  const psa = findingsIn(ws, 'base/deployment.yaml', 'pod-security');
  assert.ok(psa[0].message.includes('Namespace "shop" enforces restricted:latest'), psa[0].message);
});

test('hpa-resource-requests reads the requests the overlay patches in (trial T2, r18)', () => {
  const files = {
    'base/kustomization.yaml': 'resources: [deployment.yaml, hpa.yaml]\n',
    'base/deployment.yaml': base['base/deployment.yaml'],
    'base/hpa.yaml': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
`,
    'prod/kustomization.yaml': 'namespace: prod\nresources: [../base]\npatches:\n- path: requests.yaml\n',
    'prod/requests.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        resources: {requests: {cpu: 100m}}\n',
  };
  assert.deepEqual(findingsIn(workspaceOf(files), 'base/hpa.yaml', 'hpa-resource-requests'), []);
  // A second overlay without the patch: its build's autoscaler cannot compute utilization, and says which build.
  const two = workspaceOf({ ...files, 'dev/kustomization.yaml': 'namespace: dev\nresources: [../base]\n' });
  const found = findingsIn(two, 'base/hpa.yaml', 'hpa-resource-requests');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /^In the build of `dev`: Deployment "web".*container "web" requests no cpu/);
});

// The LimitRanger and ResourceQuota admission plugins judge the pod the controller creates from the
// template as applied (plugin/pkg/admission/limitranger/admission.go PodValidateLimitFunc,
// plugin/pkg/admission/resourcequota/controller.go checkRequest), in the namespace the build gives it.
const limitRange = (ns: string, max: string) => `apiVersion: v1\nkind: LimitRange\nmetadata: {name: bounds, namespace: ${ns}}\nspec:\n  limits:\n  - type: Container\n    max: {cpu: "${max}"}\n`;
const quota = (ns: string, cpu: string) => `apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute, namespace: ${ns}}\nspec:\n  hard: {requests.cpu: "${cpu}"}\n`;
const limits = (cpu: string) => `      containers:\n      - name: web\n        resources: {requests: {cpu: 100m}, limits: {cpu: "${cpu}"}}\n`;
const limitsOverlay = (ns: string, cpu?: string, extra = '') => ({
  [`${ns}/kustomization.yaml`]: `namespace: ${ns}\nresources: [../base, policy.yaml]\n${cpu ? 'patches:\n- path: patch.yaml\n' : ''}${extra}`,
  ...(cpu ? { [`${ns}/patch.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n${limits(cpu)}` } : {}),
});
const baseWithLimit = (cpu: string) => ({
  'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
  'base/deployment.yaml': base['base/deployment.yaml'].replace('replicas: 10', 'replicas: 1').replace('        image: nginx:1.27\n', `        image: nginx:1.27\n        resources: {requests: {cpu: 100m}, limits: {cpu: "${cpu}"}}\n`),
});

test('limit-range judges the pods each overlay builds in its namespace: a patch lowering the limit passes, one raising it is named by its build', () => {
  // The base's limit 2 is over prod's max 1, but prod patches it to 500m: admitted.
  const fixed = workspaceOf({ ...baseWithLimit('2'), ...limitsOverlay('prod', '500m'), 'prod/policy.yaml': limitRange('prod', '1') });
  assert.deepEqual(findingsIn(fixed, 'base/deployment.yaml', 'limit-range'), []);
  // staging applies the base's limit 2 to its own max 1; prod patches in 3 against max 4: only staging's pods are forbidden.
  const two = workspaceOf({ ...baseWithLimit('2'), ...limitsOverlay('prod', '3'), 'prod/policy.yaml': limitRange('prod', '4'), ...limitsOverlay('staging'), 'staging/policy.yaml': limitRange('staging', '1') });
  const found = findingsIn(two, 'base/deployment.yaml', 'limit-range');
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.match(found[0].message, /^In the build of `staging`: .*maximum cpu usage per Container is 1, but limit is 2/);
});

test('resource-quota counts the replicas and requests each overlay builds, in its namespace', () => {
  // 10 replicas of 100m fit prod's 1 cpu only if prod lowers the replicas; staging's 20 do not fit its 1.
  const files: Record<string, string> = {
    ...baseWithLimit('200m'),
    ...limitsOverlay('prod', undefined, 'replicas:\n- {name: web, count: 5}\n'),
    'prod/policy.yaml': quota('prod', '1'),
    ...limitsOverlay('staging', undefined, 'replicas:\n- {name: web, count: 20}\n'),
    'staging/policy.yaml': quota('staging', '1'),
  };
  const found = findingsIn(workspaceOf(files), 'base/deployment.yaml', 'resource-quota');
  assert.equal(found.length, 1, JSON.stringify(found));
  assert.match(found[0].message, /^In the build of `staging`: Only 10 of the 20 pods fit the quota/);
  // An overlay patch raising the request makes prod's 5 pods overflow too (5 x 300m > 1).
  const raised = workspaceOf({ ...files, 'prod/kustomization.yaml': files['prod/kustomization.yaml'] + 'patches:\n- path: patch.yaml\n', 'prod/patch.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        resources: {requests: {cpu: 300m}}\n` });
  const both = findingsIn(raised, 'base/deployment.yaml', 'resource-quota').map((f) => `${f.message.split(' fit the quota')[0]} fit the quota`);
  assert.deepEqual(both.sort(), ['In the build of `prod`: Only 3 of the 5 pods fit the quota', 'In the build of `staging`: Only 10 of the 20 pods fit the quota'].sort());
});

/** Two overlays that both apply the base in namespace "shop", each with its own objects there (`kubectl apply -k <env>`, to its own cluster). */
const sameNamespace = (objects: (env: string) => string, extra = '') =>
  Object.fromEntries(['prod', 'staging'].flatMap((env) => [[`${env}/kustomization.yaml`, `namespace: shop\nresources: [../base, policy.yaml]\n${extra}`], [`${env}/policy.yaml`, objects(env)]]));

test('two overlays with their own LimitRange, ResourceQuota or Namespace of one namespace name: each build meets its own', () => {
  const limited = findingsIn(workspaceOf({ ...baseWithLimit('2'), ...sameNamespace((env) => limitRange('shop', env === 'prod' ? '4' : '1')) }), 'base/deployment.yaml', 'limit-range');
  assert.equal(limited.length, 1, JSON.stringify(limited));
  assert.match(limited[0].message, /^In the build of `staging`: .*maximum cpu usage per Container is 1, but limit is 2/);
  // 5 replicas of 100m: prod's quota of 1 cpu holds them, staging's 300m does not.
  const quotas = findingsIn(workspaceOf({ ...baseWithLimit('200m'), ...sameNamespace((env) => quota('shop', env === 'prod' ? '1' : '300m'), 'replicas:\n- {name: web, count: 5}\n') }), 'base/deployment.yaml', 'resource-quota');
  assert.equal(quotas.length, 1, JSON.stringify(quotas));
  assert.match(quotas[0].message, /^In the build of `staging`: Only 3 of the 5 pods fit the quota/);
  const secured = findingsIn(workspaceOf({ ...base, ...sameNamespace((env) => namespace('shop', env === 'prod' ? 'restricted' : 'privileged')) }), 'base/deployment.yaml', 'pod-security');
  assert.ok(secured.length > 0 && secured.every((f) => f.message.startsWith('In the build of `prod`: ')), JSON.stringify(secured));
});
