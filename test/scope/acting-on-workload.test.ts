// The HPA and PodDisruptionBudgets of other files that act on a workload in the Dry-run and
// `kdry simulate`: the nearest in the scope model, so another app's budget never applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { objectsActingOn } from '../../server/src/scope/acting-on-workload';
import { uri, workspaceOf } from './helpers';
import { unitIndex } from '../../server/src/scope/scope';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx}]}
`;
const pdb = (name: string, minAvailable: number) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ${name}}
spec:
  minAvailable: ${minAvailable}
  selector: {matchLabels: {app: web}}
`;
const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 6
`;

const names = (objects: unknown[]) => objects.map((o) => `${(o as { kind: string }).kind}/${(o as { metadata: { name: string } }).metadata.name}`).sort();

test('the HPA and the budgets beside the workload act on it; those of another folder do not', () => {
  const workspace = workspaceOf({
    'shop/web.yaml': deployment,
    'shop/pdb.yaml': pdb('web-pdb', 2),
    'shop/hpa.yaml': hpa,
    'blog/pdb.yaml': pdb('blog-pdb', 3),
  });
  const file = workspace.get(uri('shop/web.yaml'))!;
  assert.deepEqual(names(objectsActingOn(workspace, { uri: file.uri, doc: file.documents[0] })), ['HorizontalPodAutoscaler/web', 'PodDisruptionBudget/web-pdb']);
});

test('objects of the workload\'s own file are left to the engine, which reads that file already', () => {
  const workspace = workspaceOf({ 'app/all.yaml': `${deployment}---\n${pdb('web-pdb', 2)}` });
  const file = workspace.get(uri('app/all.yaml'))!;
  assert.deepEqual(objectsActingOn(workspace, { uri: file.uri, doc: file.documents[0] }), []);
});

// argo-rollouts rollout/templateref.go Resolve: the template comes from the workload the
// workloadRef names in the Rollout's namespace; the Dry-run of a Rollout in another file than its
// Deployment gets that Deployment, and the one it names now after an edit.
test("an Argo Rollout's workloadRef target of another file acts on it, the one it names", () => {
  const rollout = (target: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web}
spec:
  replicas: 3
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}
  strategy: {canary: {steps: [{setWeight: 50}]}}
`;
  const files = { 'shop/web.yaml': deployment, 'shop/web2.yaml': deployment.replace('name: web}', 'name: web2}'), 'blog/blog.yaml': deployment.replace('name: web}', 'name: blog}') };
  for (const target of ['web', 'web2']) {
    const workspace = workspaceOf({ ...files, 'shop/rollout.yaml': rollout(target) });
    const file = workspace.get(uri('shop/rollout.yaml'))!;
    assert.deepEqual(names(objectsActingOn(workspace, { uri: file.uri, doc: file.documents[0] })), [`Deployment/${target}`]);
  }
  // the nearest of that name in the scope model: beside the Rollout before another folder's
  const workspace = workspaceOf({ ...files, 'shop/rollout.yaml': rollout('web'), 'blog/web.yaml': deployment.replace('replicas: 3', 'replicas: 5') });
  const file = workspace.get(uri('shop/rollout.yaml'))!;
  assert.deepEqual(objectsActingOn(workspace, { uri: file.uri, doc: file.documents[0] }).map((o) => (o as { spec: { replicas: number } }).spec.replicas), [3]);
});

// workloadRefTargetOf is the one rule of the Dry-run, the checks, Capacity and `kdry simulate`: the
// target in the Rollout's scope (its folder here, all `kdry simulate` reads) and namespace.
test("a workloadRef target only in another folder does not act on the Rollout (kdry simulate and the checks do not see it either)", () => {
  const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: r}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
`;
  const workspace = workspaceOf({ 'apps/a/rollout.yaml': rollout, 'apps/b/web.yaml': deployment });
  const file = workspace.get(uri('apps/a/rollout.yaml'))!;
  assert.deepEqual(names(objectsActingOn(workspace, { uri: file.uri, doc: file.documents[0] })), []);
});

test("a workloadRef target is the one in the Rollout's namespace, not a nearer one without a namespace", () => {
  const rollout = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: r, namespace: prod}
spec:
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
`;
  const inProd = deployment.replace('metadata: {name: web}', 'metadata: {name: web, namespace: prod}').replace('replicas: 3', 'replicas: 7');
  const workspace = workspaceOf({ 'shop/rollout.yaml': rollout, 'shop/a.yaml': deployment, 'shop/b.yaml': inProd });
  const file = workspace.get(uri('shop/rollout.yaml'))!;
  assert.deepEqual(objectsActingOn(workspace, { uri: file.uri, doc: file.documents[0] }).map((o) => (o as { spec: { replicas: number } }).spec.replicas), [7]);
});

test("the Dry-run of a base file in an overlay's build gets that overlay's LimitRange, ResourceQuota and Namespace, not another overlay's of the same namespace name", () => {
  const limits = (cpu: string) => `apiVersion: v1\nkind: LimitRange\nmetadata: {name: bounds}\nspec:\n  limits:\n  - type: Container\n    max: {cpu: "${cpu}"}\n`;
  const files: Record<string, string> = { 'base/kustomization.yaml': 'resources: [deployment.yaml]\n', 'base/deployment.yaml': deployment };
  for (const [env, cpu] of [['prod', '4'], ['staging', '1']]) {
    files[`${env}/kustomization.yaml`] = `namespace: shop\nresources: [../base, policies.yaml]\n`;
    files[`${env}/policies.yaml`] = `${limits(cpu)}---\napiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute}\nspec:\n  hard: {pods: "${cpu}0"}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {env: ${env}}}\n`;
  }
  const ws = workspaceOf(files);
  const root = unitIndex(ws).kustomization(uri('staging/kustomization.yaml'))!;
  const acting = objectsActingOn(ws, { uri: uri('base/deployment.yaml'), doc: ws.get(uri('base/deployment.yaml'))!.documents[0] }, root) as { kind: string; metadata: { namespace?: string; labels?: Record<string, string> }; spec?: { limits?: { max: { cpu: string } }[]; hard?: { pods: string } } }[];
  assert.deepEqual(names(acting), ['LimitRange/bounds', 'Namespace/shop', 'ResourceQuota/compute']);
  assert.equal(acting.find((o) => o.kind === 'LimitRange')?.spec?.limits?.[0].max.cpu, '1');
  assert.equal(acting.find((o) => o.kind === 'LimitRange')?.metadata.namespace, 'shop');
  assert.equal(acting.find((o) => o.kind === 'ResourceQuota')?.spec?.hard?.pods, '10');
  assert.equal(acting.find((o) => o.kind === 'Namespace')?.metadata.labels?.env, 'staging');
});
