// Admission reads the objects a kustomize build applies, not the files as written: the Namespace a
// binding's namespaceSelector matches against (webhook/predicates/namespace/matcher.go
// GetNamespaceLabels reads the namespace as stored; trial T19: `kubectl apply -k overlay` is denied
// by a policy bound with `namespaceSelector: {matchLabels: {env: prod}}` when the overlay's
// `labels:` give the Namespace env: prod), and the ServiceAccount and LimitRanges the Pod admission
// plugins read in the pod's namespace (serviceaccount/admission.go getServiceAccount,
// limitranger/admission.go GetLimitRanges), which a kustomization's `namespace:` places.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace';
import { parseManifest } from '../../server/src/manifest';
import { checkFile } from '../../server/src/check';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { DENY_BINDING, policyOn } from './fixtures';

/** The admission-policy findings of `checked` in a workspace of `files` (paths under /repo). */
function admission(files: Record<string, string>, checked: string): string[] {
  const workspace = new WorkspaceIndex();
  for (const [path, text] of Object.entries(files)) workspace.set(parseManifest(text, `file:///repo/${path}`));
  const file = workspace.get(`file:///repo/${checked}`)!;
  return checkFile(file, workspace, { ...DEFAULT_SETTINGS, kubernetesVersion: '1.35' }).filter((f) => f.ruleId === 'admission-policy').map((f) => `${f.severity} ${f.message}`);
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 10
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: web, image: "nginx:1.27" }]
`;

const PROD_ONLY_BINDING = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: b }
spec:
  policyName: p
  validationActions: [Deny]
  matchResources:
    namespaceSelector: { matchLabels: { env: prod } }
`;

const baseOverlay = (overlayLabels: string) => ({
  'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
  'base/deployment.yaml': DEPLOYMENT,
  'overlay/kustomization.yaml': `namespace: shop\n${overlayLabels}resources: [ns.yaml, ../base]\n`,
  'overlay/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n',
  'policy.yaml': policyOn('object.spec.replicas <= 5', 'apps', 'deployments'),
  'binding.yaml': PROD_ONLY_BINDING,
});

test('T19: the namespaceSelector reads the labels the overlay gives the Namespace it builds', () => {
  const denied = admission(baseOverlay('labels:\n- pairs: { env: prod }\n'), 'base/deployment.yaml');
  assert.equal(denied.length, 1, denied.join('\n'));
  assert.match(denied[0], /^error In the build of `overlay`: The API server refuses this object: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: failed expression: object\.spec\.replicas <= 5$/);
  // Without the overlay's labels the Namespace it builds is not env: prod, and the binding does not match.
  assert.deepEqual(admission(baseOverlay(''), 'base/deployment.yaml'), []);
});

const POD = `apiVersion: v1
kind: Pod
metadata: { name: web }
spec:
  serviceAccountName: builder
  containers: [{ name: web, image: "nginx:1.27" }]
`;

const app = (policy: string, objects: Record<string, string>) => ({
  'app/kustomization.yaml': `namespace: team\nresources: [pod.yaml, ${Object.keys(objects).join(', ')}]\n`,
  'app/pod.yaml': POD,
  ...Object.fromEntries(Object.entries(objects).map(([name, text]) => [`app/${name}`, text])),
  'policy.yaml': policyOn(policy, '', 'pods'),
  'binding.yaml': DENY_BINDING,
});

const ACCOUNT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: builder }\nimagePullSecrets: [{ name: regcred }]\n';
const LIMITS = 'apiVersion: v1\nkind: LimitRange\nmetadata: { name: defaults }\nspec:\n  limits:\n    - type: Container\n      default: { cpu: 500m, memory: 512Mi }\n';

test('a ServiceAccount written without a namespace, placed in the pod\'s by the kustomization, gives its imagePullSecrets', () => {
  assert.deepEqual(admission(app("object.spec.imagePullSecrets.map(s, s.name) == ['regcred']", { 'sa.yaml': ACCOUNT }), 'app/pod.yaml'), []);
  const denied = admission(app('!has(object.spec.imagePullSecrets)', { 'sa.yaml': ACCOUNT }), 'app/pod.yaml');
  assert.equal(denied.length, 1, denied.join('\n'));
  assert.match(denied[0], /^error .*denied request: failed expression: !has\(object\.spec\.imagePullSecrets\)$/);
});

test('a LimitRange written without a namespace, placed in the pod\'s by the kustomization, fills the container\'s resources', () => {
  assert.deepEqual(admission(app("object.spec.containers[0].resources.limits.cpu == '500m' && object.status.qosClass == 'Guaranteed'", { 'lr.yaml': LIMITS }), 'app/pod.yaml'), []);
  // Outside the kustomization (no namespace: kubectl's context namespace), the cluster's LimitRanges decide: not judged.
  const files = { ...app("object.status.qosClass == 'BestEffort'", {}), 'other/lr.yaml': LIMITS };
  const [noted, ...rest] = admission(files, 'app/pod.yaml');
  assert.deepEqual(rest, []);
  assert.match(noted, /^info /);
});

/** Two overlays of one base, each applying the base with `namespace: shop` and its own objects (`kubectl apply -k overlays/<env>`, each to its cluster). */
const twoOverlays = (base: Record<string, string>, own: (env: string) => Record<string, string>, policy: string) => ({
  ...Object.fromEntries(Object.entries(base).map(([name, text]) => [`base/${name}`, text])),
  'base/kustomization.yaml': `resources: [${Object.keys(base).join(', ')}]\n`,
  ...Object.fromEntries(
    ['prod', 'staging'].flatMap((env) => [
      [`overlays/${env}/kustomization.yaml`, `namespace: shop\nresources: [../../base, ${Object.keys(own(env)).join(', ')}]\n`],
      ...Object.entries(own(env)).map(([name, text]) => [`overlays/${env}/${name}`, text]),
    ]),
  ),
  'policy.yaml': policy,
});

test('two overlays building Namespace "shop" with different labels: each build is matched by its own Namespace', () => {
  const ns = (env: string) => ({ 'ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: { name: shop, labels: { env: ${env} } }\n` });
  const files = { ...twoOverlays({ 'deployment.yaml': DEPLOYMENT }, ns, policyOn('object.spec.replicas <= 5', 'apps', 'deployments')), 'binding.yaml': PROD_ONLY_BINDING };
  const denied = admission(files, 'base/deployment.yaml');
  assert.equal(denied.length, 1, denied.join('\n'));
  assert.match(denied[0], /^error In the build of `overlays\/prod`: The API server refuses this object: ValidatingAdmissionPolicy 'p' with binding 'b' denied request/);
  // namespaceObject too: each build reads its own Namespace's labels.
  const read = { ...twoOverlays({ 'deployment.yaml': DEPLOYMENT }, ns, policyOn("namespaceObject.metadata.labels.env == 'staging'", 'apps', 'deployments')), 'binding.yaml': DENY_BINDING };
  const [onlyProd, ...rest] = admission(read, 'base/deployment.yaml');
  assert.deepEqual(rest, []);
  assert.match(onlyProd, /^error In the build of `overlays\/prod`: .*failed expression: namespaceObject\.metadata\.labels\.env == 'staging'$/);
});

test('two overlays each with their own ServiceAccount and LimitRange in namespace "shop": the pod meets its build\'s', () => {
  const own = (env: string) => ({
    'sa.yaml': ACCOUNT.replace('regcred', `regcred-${env}`),
    'lr.yaml': LIMITS.replace('cpu: 500m', env === 'prod' ? 'cpu: "1"' : 'cpu: 250m'),
  });
  const files = { ...twoOverlays({ 'pod.yaml': POD }, own, policyOn("object.spec.imagePullSecrets.map(s, s.name) == ['regcred-prod'] && object.spec.containers[0].resources.limits.cpu == '1'", '', 'pods')), 'binding.yaml': DENY_BINDING };
  const [onlyStaging, ...rest] = admission(files, 'base/pod.yaml');
  assert.deepEqual(rest, []);
  assert.match(onlyStaging, /^error In the build of `overlays\/staging`: .*denied request: failed expression/);
});
