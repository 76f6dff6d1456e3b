// kustomize as it builds, for the Dry-run (server/src/scope/kustomize-build.ts): namespace,
// namePrefix/nameSuffix with the references kustomize rewrites, commonLabels/labels, replicas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtObject } from '../../server/src/scope/kustomize-build';
import { objectsActingOn } from '../../server/src/scope/acting-on-workload';
import { inEditor, uri, workspaceOf } from './helpers';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: runner
      containers:
      - name: web
        image: "nginx:1.27"
        resources: {requests: {cpu: 500m}}
        envFrom:
        - configMapRef: {name: web-config}
        - secretRef: {name: made-elsewhere}
`;
const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';
const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {A: "1"}\n';
const hpa = 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 4\n';
const pdb = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 1\n  selector: {matchLabels: {app: web}}\n';

const kustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop
namePrefix: prod-
nameSuffix: -v2
commonLabels: {team: checkout}
labels:
- pairs: {tier: frontend}
replicas:
- {name: web, count: 5}
resources: [deployment.yaml, service.yaml, config.yaml, hpa.yaml, pdb.yaml, quota.yaml]
`;

function app(files: Record<string, string> = {}) {
  return workspaceOf({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': deployment, 'app/service.yaml': service, 'app/config.yaml': config, 'app/hpa.yaml': hpa, 'app/pdb.yaml': pdb, ...files });
}
const built = (workspace: ReturnType<typeof app>, path: string) => builtObject(workspace, uri(path), workspace.get(uri(path))!.documents[0].value) as Record<string, any>;

test('names: prefix and suffix on the object and on the references to objects of the same build only', () => {
  const w = built(app(), 'app/deployment.yaml');
  assert.equal(w.metadata.name, 'prod-web-v2');
  assert.equal(w.metadata.namespace, 'shop');
  const refs = w.spec.template.spec.containers[0].envFrom;
  assert.equal(refs[0].configMapRef.name, 'prod-web-config-v2', 'the ConfigMap is in the build: its reference is rewritten');
  assert.equal(refs[1].secretRef.name, 'made-elsewhere', 'a Secret outside the build keeps its name');
  assert.equal(w.spec.template.spec.serviceAccountName, 'runner');
  assert.equal(built(app(), 'app/hpa.yaml').spec.scaleTargetRef.name, 'prod-web-v2');
});

test('labels: commonLabels go into selectors and templates; labels without includeSelectors into metadata only', () => {
  const w = built(app(), 'app/deployment.yaml');
  assert.deepEqual(w.metadata.labels, { team: 'checkout', tier: 'frontend' });
  assert.deepEqual(w.spec.selector.matchLabels, { app: 'web', team: 'checkout' });
  assert.deepEqual(w.spec.template.metadata.labels, { app: 'web', team: 'checkout' });
  assert.deepEqual(built(app(), 'app/service.yaml').spec.selector, { app: 'web', team: 'checkout' });
  assert.deepEqual(built(app(), 'app/pdb.yaml').spec.selector.matchLabels, { app: 'web', team: 'checkout' });
  const withTemplates = app({ 'app/kustomization.yaml': kustomization.replace('- pairs: {tier: frontend}', '- pairs: {tier: frontend}\n  includeTemplates: true') });
  assert.deepEqual(built(withTemplates, 'app/deployment.yaml').spec.template.metadata.labels, { app: 'web', team: 'checkout', tier: 'frontend' });
  assert.deepEqual(built(withTemplates, 'app/deployment.yaml').spec.selector.matchLabels, { app: 'web', team: 'checkout' });
});

test('replicas: the count by the object\'s name (Deployment, ReplicaSet, ReplicationController, StatefulSet); a file in no kustomization is as written', () => {
  assert.equal(built(app(), 'app/deployment.yaml').spec.replicas, 5);
  const plain = workspaceOf({ 'other/deployment.yaml': deployment });
  const value = plain.get(uri('other/deployment.yaml'))!.documents[0].value;
  assert.equal(builtObject(plain, uri('other/deployment.yaml'), value), value);
});

test('the Dry-run gets the unit\'s quota and Namespace with the HPA and budget, as built', () => {
  const quota = 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute}\nspec:\n  hard: {requests.cpu: "2"}\n';
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: restricted}\n';
  const workspace = app({ 'app/quota.yaml': quota, 'namespaces/shop.yaml': ns });
  const file = workspace.get(uri('app/deployment.yaml'))!;
  const objects = objectsActingOn(workspace, { uri: file.uri, doc: file.documents[0] }) as Record<string, any>[];
  assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}/${o.metadata.namespace ?? ''}`).sort(), [
    'HorizontalPodAutoscaler/prod-web-v2/shop',
    'Namespace/shop/',
    'PodDisruptionBudget/prod-web-v2/shop',
    'ResourceQuota/prod-compute-v2/shop',
  ]);
});

test('in the editor, the Dry-run of a file of the kustomization runs the built objects with the unit\'s quota (kdry/simulate over stdio)', async () => {
  const quota = 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute}\nspec:\n  hard: {requests.cpu: 1500m}\n';
  const files: Record<string, string> = { 'kustomization.yaml': kustomization, 'deployment.yaml': deployment, 'service.yaml': service, 'config.yaml': config, 'hpa.yaml': hpa, 'pdb.yaml': pdb, 'quota.yaml': quota };
  await inEditor(Object.fromEntries(Object.entries(files).map(([name, text]) => [`app/${name}`, text])), async (client, uriOf) => {
    const r = await client.request<{ result?: { workload: { name: string }; summary: { peakPods: number }; steps: { events?: { message: string }[] }[] }; error?: string }>('kdry/simulate', { uri: uriOf('app/deployment.yaml') });
    assert.ok(r.result, r.error);
    assert.equal(r.result.workload.name, 'prod-web-v2');
    // replicas: 5 from the kustomization (the HPA's maxReplicas 4 comes later); the quota of the unit (1500m, 500m a pod) admits 3.
    assert.equal(r.result.summary.peakPods, 3);
    const refused = r.result.steps.flatMap((s) => s.events ?? []).filter((e) => /forbidden/.test(e.message));
    assert.match(refused[0].message, /pods "prod-web-v2-\w+-\w+" is forbidden: exceeded quota: prod-compute-v2/);
  });
});

test('checks count the replicas kustomize writes: a budget of minAvailable 2 over `replicas: 2` blocks every eviction', async () => {
  const { findingsIn } = await import('./helpers');
  const budget = pdb.replace('minAvailable: 1', 'minAvailable: 2');
  const two = kustomization.replace('{name: web, count: 5}', '{name: web, count: 2}').replace(' hpa.yaml,', '');
  const written = workspaceOf({ 'app/kustomization.yaml': two.replace('replicas:\n- {name: web, count: 2}\n', ''), 'app/deployment.yaml': deployment.replace('replicas: 2', 'replicas: 5'), 'app/pdb.yaml': budget });
  assert.deepEqual(findingsIn(written, 'app/pdb.yaml', 'pdb-blocks-eviction'), [], '5 replicas as written: 3 may go');
  const built = workspaceOf({ 'app/kustomization.yaml': two, 'app/deployment.yaml': deployment.replace('replicas: 2', 'replicas: 5'), 'app/pdb.yaml': budget });
  const [f] = findingsIn(built, 'app/pdb.yaml', 'pdb-blocks-eviction');
  assert.ok(f, 'replicas: 2 from the kustomization');
  assert.match(f.message, /Deployment "web": 2/);
});

test('a Service of a kustomization with commonLabels does not select the look-alike pods of another folder', async () => {
  const { templatesSelectedBy } = await import('../../server/src/scope/workspace-lookup');
  const files = (k: string) =>
    workspaceOf({ 'a/kustomization.yaml': k, 'a/service.yaml': service, 'b/deployment.yaml': deployment });
  const selected = (w: ReturnType<typeof files>) => {
    const file = w.get(uri('a/service.yaml'))!;
    return templatesSelectedBy(w, { uri: file.uri, doc: file.documents[0] }).templates.map((t) => t.entry.uri);
  };
  assert.deepEqual(selected(files('resources: [service.yaml]\n')), [uri('b/deployment.yaml')], 'as written, the labels match across folders');
  assert.deepEqual(selected(files('commonLabels: {app.kubernetes.io/part-of: a}\nresources: [service.yaml]\n')), [], 'built, the selector also asks for app.kubernetes.io/part-of=a');
  assert.deepEqual(selected(files('labels:\n- pairs: {app.kubernetes.io/part-of: a}\nresources: [service.yaml]\n')), [uri('b/deployment.yaml')], 'plain labels leave the selector alone');
});

test('a name from outside a kustomization with namePrefix names its object by the prefixed name; inside, as written', async () => {
  const { findingsIn } = await import('./helpers');
  const prefixed = 'namePrefix: prod-\nresources: [config.yaml, deployment.yaml]\n';
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec:\n  containers:\n  - name: sh\n    image: "busybox:1.36"\n    envFrom:\n    - configMapRef: {name: ${name}}\n`;
  const workspace = (ref: string) => workspaceOf({ 'app/kustomization.yaml': prefixed, 'app/config.yaml': config, 'app/deployment.yaml': deployment, 'tools/pod.yaml': pod(ref) });
  const [missing] = findingsIn(workspace('web-config'), 'tools/pod.yaml', 'missing-reference');
  assert.match(missing?.message ?? '', /ConfigMap "web-config" is not in scope/, 'kustomize names it prod-web-config');
  assert.deepEqual(findingsIn(workspace('prod-web-config'), 'tools/pod.yaml', 'missing-reference'), []);
  assert.deepEqual(
    findingsIn(workspace('web-config'), 'app/deployment.yaml', 'missing-reference').map((f) => f.text),
    ['runner', 'made-elsewhere'],
    'inside the unit the reference is rewritten with the object: web-config resolves',
  );
});

test('find references and rename of an object of a kustomization with namePrefix/nameSuffix reach a reference from outside by its built name, and rename writes it built', async () => {
  const { findingsIn } = await import('./helpers');
  const { referencesAt, renameAt } = await import('../../server/src/scope/links');
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec:\n  containers:\n  - name: sh\n    image: "busybox:1.36"\n    envFrom:\n    - configMapRef: {name: ${name}}\n`;
  const files = {
    'app/kustomization.yaml': 'namePrefix: prod-\nnameSuffix: -v1\nresources: [config.yaml, deployment.yaml]\n',
    'app/config.yaml': config,
    'app/deployment.yaml': deployment,
    'tools/pod.yaml': pod('prod-web-config-v1'),
    // A plain ConfigMap web-config elsewhere and a pod naming it: not this object.
    'other/config.yaml': config,
    'other/pod.yaml': pod('web-config'),
  };
  const workspace = workspaceOf(files);
  const file = workspace.get(uri('app/config.yaml'))!;
  const at = file.text.indexOf('web-config') + 2;
  const text = (p: { uri: string; range: [number, number] }) => [p.uri, workspace.get(p.uri)!.text.slice(p.range[0], p.range[1])];
  assert.deepEqual(referencesAt(workspace, file, at).map(text).sort(), [[uri('app/deployment.yaml'), 'web-config'], [uri('tools/pod.yaml'), 'prod-web-config-v1']].sort());

  const edits = renameAt(workspace, file, at, 'web-settings')!;
  assert.deepEqual(
    edits.map((e) => [e.uri, e.newText]).sort(),
    [[uri('app/config.yaml'), 'web-settings'], [uri('app/deployment.yaml'), 'web-settings'], [uri('tools/pod.yaml'), 'prod-web-settings-v1']].sort(),
    'inside the unit kustomize rewrites the reference; outside it is written as built; other/ is untouched',
  );
  const renamed = Object.fromEntries(Object.entries(files).map(([path, t]) => {
    const mine = edits.filter((e) => e.uri === uri(path)).sort((a, b) => b.range[0] - a.range[0]);
    return [path, mine.reduce((acc, e) => acc.slice(0, e.range[0]) + e.newText + acc.slice(e.range[1]), t)];
  }));
  const after = workspaceOf(renamed);
  assert.deepEqual(findingsIn(after, 'tools/pod.yaml', 'missing-reference'), [], 'the outside reference still resolves');
  assert.ok(!findingsIn(after, 'app/deployment.yaml', 'missing-reference').some((f) => f.text === 'web-settings'));
});

test('stacked namePrefixes compose (base a- under overlay b- builds b-a-web-config): outside references resolve and rename by every built name', async () => {
  const { findingsIn } = await import('./helpers');
  const { referencesAt, renameAt } = await import('../../server/src/scope/links');
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec:\n  containers:\n  - name: sh\n    image: "busybox:1.36"\n    envFrom:\n    - configMapRef: {name: ${name}}\n`;
  const files = {
    'base/kustomization.yaml': 'namePrefix: a-\nresources: [config.yaml]\n',
    'base/config.yaml': config,
    'overlay/kustomization.yaml': 'namePrefix: b-\nnameSuffix: -v1\nresources: [../base]\n',
    'tools/built.yaml': pod('b-a-web-config-v1'),
    'tools/base-only.yaml': pod('a-web-config'),
    'tools/wrong-order.yaml': pod('a-b-web-config-v1'),
  };
  const workspace = workspaceOf(files);
  assert.deepEqual(findingsIn(workspace, 'tools/built.yaml', 'missing-reference'), [], 'the overlay\'s build');
  assert.deepEqual(findingsIn(workspace, 'tools/base-only.yaml', 'missing-reference'), [], 'the base built alone');
  assert.equal(findingsIn(workspace, 'tools/wrong-order.yaml', 'missing-reference').length, 1, 'the inner prefix goes next to the name');

  const file = workspace.get(uri('base/config.yaml'))!;
  const at = file.text.indexOf('web-config') + 2;
  const text = (p: { uri: string; range: [number, number] }) => [p.uri, workspace.get(p.uri)!.text.slice(p.range[0], p.range[1])];
  assert.deepEqual(referencesAt(workspace, file, at).map(text).sort(), [[uri('tools/base-only.yaml'), 'a-web-config'], [uri('tools/built.yaml'), 'b-a-web-config-v1']].sort());
  const edits = renameAt(workspace, file, at, 'web-settings')!;
  assert.deepEqual(
    edits.map((e) => [e.uri, e.newText]).sort(),
    [[uri('base/config.yaml'), 'web-settings'], [uri('tools/base-only.yaml'), 'a-web-settings'], [uri('tools/built.yaml'), 'b-a-web-settings-v1']].sort(),
  );
});

test('a template that matches a selector only through the labels its kustomization adds is selected', async () => {
  const { templatesSelectedBy } = await import('../../server/src/scope/workspace-lookup');
  const unlabelled = deployment.replace('selector: {matchLabels: {app: web}}', 'selector: {matchLabels: {tier: fe}}').replace('metadata: {labels: {app: web}}', 'metadata: {labels: {tier: fe}}');
  const selected = (w: ReturnType<typeof workspaceOf>, path: string) => {
    const file = w.get(uri(path))!;
    return templatesSelectedBy(w, { uri: file.uri, doc: file.documents[0] }).templates.map((t) => t.entry.uri);
  };
  const sameUnit = workspaceOf({ 'app/kustomization.yaml': 'commonLabels: {app: web}\nresources: [deployment.yaml, service.yaml]\n', 'app/deployment.yaml': unlabelled, 'app/service.yaml': service });
  assert.deepEqual(selected(sameUnit, 'app/service.yaml'), [uri('app/deployment.yaml')], 'built, the template carries app=web');
  const otherFolder = workspaceOf({ 'app/kustomization.yaml': 'commonLabels: {app: web}\nresources: [deployment.yaml]\n', 'app/deployment.yaml': unlabelled, 'tools/service.yaml': service });
  assert.deepEqual(selected(otherFolder, 'tools/service.yaml'), [uri('app/deployment.yaml')]);
  const plain = workspaceOf({ 'app/deployment.yaml': unlabelled, 'tools/service.yaml': service });
  assert.deepEqual(selected(plain, 'tools/service.yaml'), []);
});

test("in an overlay, a Service of the overlay selects the base's pods: both get the overlay's commonLabels, the template the base's too", async () => {
  const { templatesSelectedBy } = await import('../../server/src/scope/workspace-lookup');
  const selected = (w: ReturnType<typeof workspaceOf>, path: string) => {
    const file = w.get(uri(path))!;
    return templatesSelectedBy(w, { uri: file.uri, doc: file.documents[0] }).templates.map((t) => t.entry.uri);
  };
  const overlay = workspaceOf({
    'base/kustomization.yaml': 'commonLabels: {team: foo}\nresources: [deployment.yaml]\n',
    'base/deployment.yaml': deployment,
    'prod/kustomization.yaml': 'commonLabels: {env: prod}\nresources: [../base, service.yaml]\n',
    'prod/service.yaml': service,
  });
  assert.deepEqual(selected(overlay, 'prod/service.yaml'), [uri('base/deployment.yaml')]);
  // The other way round: a base's Service asks for team=foo, which the overlay's own Deployment never gets.
  const reversed = workspaceOf({
    'base/kustomization.yaml': 'commonLabels: {team: foo}\nresources: [service.yaml]\n',
    'base/service.yaml': service,
    'prod/kustomization.yaml': 'commonLabels: {env: prod}\nresources: [../base, deployment.yaml]\n',
    'prod/deployment.yaml': deployment,
  });
  assert.deepEqual(selected(reversed, 'base/service.yaml'), []);
});

test('commonAnnotations go on every object and on the pod templates of the workload kinds (builtinpluginconsts/commonannotations.go)', () => {
  const cron = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: tick}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: "busybox:1.36"}]\n';
  const w = workspaceOf({
    'app/kustomization.yaml': 'commonAnnotations: {owner: team-a}\nresources: [deployment.yaml, service.yaml, cron.yaml]\n',
    'app/deployment.yaml': deployment.replace('metadata: {name: web}', 'metadata: {name: web, annotations: {kept: "yes"}}'),
    'app/service.yaml': service,
    'app/cron.yaml': cron,
  });
  const web = built(w, 'app/deployment.yaml');
  assert.deepEqual(web.metadata.annotations, { kept: 'yes', owner: 'team-a' });
  assert.deepEqual(web.spec.template.metadata.annotations, { owner: 'team-a' });
  assert.deepEqual(built(w, 'app/service.yaml').metadata.annotations, { owner: 'team-a' });
  assert.equal(built(w, 'app/service.yaml').spec.annotations, undefined);
  const tick = built(w, 'app/cron.yaml');
  assert.deepEqual(tick.spec.jobTemplate.metadata.annotations, { owner: 'team-a' });
  assert.deepEqual(tick.spec.jobTemplate.spec.template.metadata.annotations, { owner: 'team-a' });
});

test('namespace: RoleBinding subjects named default get the namespace; a subject naming a ServiceAccount of the build gets its built name and namespace (namespace.go roleBindingHack, nameref.go setMapping)', () => {
  const account = 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: runner}\n';
  const binding = (kind: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata: {name: runner-binding}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects:\n- {kind: ServiceAccount, name: runner, namespace: default}\n- {kind: ServiceAccount, name: default, namespace: other}\n- {kind: ServiceAccount, name: outside, namespace: other}\n- {kind: User, name: jane}\n`;
  const w = workspaceOf({
    'app/kustomization.yaml': 'namespace: shop\nnamePrefix: prod-\nresources: [account.yaml, binding.yaml, cluster-binding.yaml]\n',
    'app/account.yaml': account,
    'app/binding.yaml': binding('RoleBinding'),
    'app/cluster-binding.yaml': binding('ClusterRoleBinding'),
  });
  for (const path of ['app/binding.yaml', 'app/cluster-binding.yaml']) {
    const b = built(w, path);
    assert.deepEqual(b.subjects, [
      { kind: 'ServiceAccount', name: 'prod-runner', namespace: 'shop' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'shop' },
      { kind: 'ServiceAccount', name: 'outside', namespace: 'other' },
      { kind: 'User', name: 'jane' },
    ], path);
  }
  assert.equal(built(w, 'app/cluster-binding.yaml').metadata.namespace, undefined, 'a ClusterRoleBinding has no namespace of its own');
});

test('labels a component adds (commonLabels, labels with includeSelectors) are seen by the selector lookups and the checks, as an overlay\'s are', async () => {
  const { templatesSelectedBy } = await import('../../server/src/scope/workspace-lookup');
  const { findingsIn } = await import('./helpers');
  const component = (labels: string) => `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n${labels}`;
  const files = (labels: string) =>
    workspaceOf({ 'a/kustomization.yaml': 'resources: [service.yaml]\ncomponents: [../variant]\n', 'variant/kustomization.yaml': component(labels), 'a/service.yaml': service, 'b/deployment.yaml': deployment });
  const selected = (w: ReturnType<typeof files>) => {
    const file = w.get(uri('a/service.yaml'))!;
    return templatesSelectedBy(w, { uri: file.uri, doc: file.documents[0] }).templates.map((t) => t.entry.uri);
  };
  assert.deepEqual(selected(files('commonAnnotations: {x: y}\n')), [uri('b/deployment.yaml')], 'as written, the labels match across folders');
  assert.deepEqual(selected(files('commonLabels: {variant: blue}\n')), [], "built, the component's label is in the selector");
  assert.deepEqual(selected(files('labels:\n- pairs: {variant: blue}\n  includeSelectors: true\n')), []);
  assert.deepEqual(selected(files('labels:\n- pairs: {variant: blue}\n')), [uri('b/deployment.yaml')], 'plain labels leave the selector alone');
  assert.match(findingsIn(files('commonLabels: {variant: blue}\n'), 'a/service.yaml', 'service-selects-nothing')[0]?.message ?? '', /variant/);

  // The component's label on the template: a Service that asks for it selects the workload.
  const unlabelled = deployment.replace('selector: {matchLabels: {app: web}}', 'selector: {matchLabels: {tier: fe}}').replace('metadata: {labels: {app: web}}', 'metadata: {labels: {tier: fe}}');
  const w = workspaceOf({
    'app/kustomization.yaml': 'resources: [deployment.yaml]\ncomponents: [../variant]\n',
    'variant/kustomization.yaml': component('commonLabels: {app: web}\n'),
    'app/deployment.yaml': unlabelled,
    'tools/service.yaml': service,
  });
  const file = w.get(uri('tools/service.yaml'))!;
  assert.deepEqual(templatesSelectedBy(w, { uri: file.uri, doc: file.documents[0] }).templates.map((t) => t.entry.uri), [uri('app/deployment.yaml')]);
  assert.deepEqual(findingsIn(w, 'tools/service.yaml', 'service-selects-nothing'), []);
});
