// kustomize as it builds, completed (server/src/scope/kustomize-build.ts): patches (strategic merge
// and JSON 6902, inline and files, with targets; the legacy fields), `images:`, and overlay chains
// (a base's transforms first, then the overlay's). Expected values are upstream's where a
// kustomize test shows them (cited per test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtObject } from '../../server/src/scope/kustomize-build';
import { strategicMerge } from '../../server/src/scope/kustomize-strategic-merge';
import { splitImage } from '../../server/src/scope/kustomize-images';
import { unitIndex } from '../../server/src/scope/scope';
import { patchTypeOf } from '../../server/src/k8s/patch-merge-keys';
import { parseSelectorString } from '../../server/src/k8s/labels';
import { inEditor, uri, workspaceOf } from './helpers';

type Workspace = ReturnType<typeof workspaceOf>;
/** The first object of `path` as `kustomize build` of `root` (a folder with a kustomization) builds it. */
function build(workspace: Workspace, path: string, root?: string, index = 0): Record<string, any> {
  const unit = root === undefined ? undefined : unitIndex(workspace).kustomization(uri(`${root}/kustomization.yaml`));
  if (root !== undefined) assert.ok(unit, `${root} is a kustomization`);
  return builtObject(workspace, uri(path), workspace.get(uri(path))!.documents[index].value, unit) as Record<string, any>;
}

// api/krusty/multiplepatch_test.go TestSimpleMultiplePatches, as written upstream.
const upstreamBase = {
  'base/kustomization.yaml': 'namePrefix: b-\ncommonLabels:\n  team: foo\nresources:\n- deployment.yaml\n- service.yaml\nconfigMapGenerator:\n- name: configmap-in-base\n  literals:\n  - foo=bar\n',
  'base/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts:
        - name: nginx-persistent-storage
          mountPath: /tmp/ps
      - name: sidecar
        image: sidecar:latest
      volumes:
      - configMap:
          name: configmap-in-base
        name: configmap-in-base
`,
  'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  ports:\n  - port: 80\n',
  'overlay/kustomization.yaml': 'namePrefix: a-\ncommonLabels:\n  env: staging\npatchesStrategicMerge:\n- deployment-patch1.yaml\n- deployment-patch2.yaml\nresources:\n- ../base\nconfigMapGenerator:\n- name: configmap-in-overlay\n  literals:\n  - hello=world\n',
  'overlay/deployment-patch1.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  template:
    spec:
      containers:
      - name: nginx
        image: nginx:latest
        env:
        - name: ENVKEY
          value: ENVVALUE
      volumes:
      - name: nginx-persistent-storage
        gcePersistentDisk:
          pdName: nginx-persistent-storage
      - configMap:
          name: configmap-in-overlay
        name: configmap-in-overlay
`,
  'overlay/deployment-patch2.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\nspec:\n  template:\n    spec:\n      containers:\n      - name: nginx\n        env:\n        - name: ANOTHERENV\n          value: FOO\n',
};

test('an overlay chain with patchesStrategicMerge builds as kustomize does (upstream TestSimpleMultiplePatches)', () => {
  const workspace = workspaceOf(upstreamBase);
  const d = build(workspace, 'base/deployment.yaml', 'overlay');
  assert.equal(d.metadata.name, 'a-b-nginx', "the base's prefix first, then the overlay's");
  assert.deepEqual(d.metadata.labels, { env: 'staging', team: 'foo' });
  assert.deepEqual(d.spec.selector.matchLabels, { env: 'staging', team: 'foo' });
  assert.deepEqual(d.spec.template.metadata.labels, { env: 'staging', team: 'foo' });
  const [nginx, sidecar] = d.spec.template.spec.containers;
  assert.deepEqual(nginx, {
    name: 'nginx',
    image: 'nginx:latest',
    volumeMounts: [{ name: 'nginx-persistent-storage', mountPath: '/tmp/ps' }],
    // The later patch's element first (kyaml merge2, ListIncreaseDirection prepend).
    env: [{ name: 'ANOTHERENV', value: 'FOO' }, { name: 'ENVKEY', value: 'ENVVALUE' }],
  });
  assert.deepEqual(sidecar, { name: 'sidecar', image: 'sidecar:latest' });
  // The generated names with upstream's content hashes (multiplepatch_test.go expects exactly these).
  assert.deepEqual(d.spec.template.spec.volumes, [
    { name: 'nginx-persistent-storage', gcePersistentDisk: { pdName: 'nginx-persistent-storage' } },
    { name: 'configmap-in-overlay', configMap: { name: 'a-configmap-in-overlay-dc6fm46dhm' } },
    { name: 'configmap-in-base', configMap: { name: 'a-b-configmap-in-base-798k5k7g9f' } },
  ]);
  assert.deepEqual(build(workspace, 'base/service.yaml', 'overlay').spec.selector, { env: 'staging', team: 'foo' });
});

test("without a root the file is built by the kustomization that lists it (kustomize build base/): the overlay's patches are not applied", () => {
  const d = build(workspaceOf(upstreamBase), 'base/deployment.yaml');
  assert.equal(d.metadata.name, 'b-nginx');
  assert.equal(d.spec.template.spec.containers[0].image, 'nginx');
  assert.deepEqual(d.spec.template.spec.volumes[0].configMap, { name: 'b-configmap-in-base-798k5k7g9f' });
});

test('a base is built by its own kustomization even when the overlay that names it sits deeper (overlays/prod/ below base/\'s depth)', () => {
  const deeper = Object.fromEntries(Object.entries(upstreamBase).map(([path, text]) => [path.replace(/^overlay\//, 'overlays/staging/'), path === 'overlay/kustomization.yaml' ? text.replace('../base', '../../base') : text]));
  const workspace = workspaceOf(deeper);
  assert.equal(build(workspace, 'base/deployment.yaml').metadata.name, 'b-nginx');
  assert.equal(build(workspace, 'base/deployment.yaml', 'overlays/staging').metadata.name, 'a-b-nginx');
});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {tier: frontend}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
      - {name: migrate, image: "registry.example:5000/tools/migrate:1.0"}
      containers:
      - name: web
        image: "nginx:1.25"
        ports: [{containerPort: 80}]
      - name: log
        image: "fluent-bit@sha256:aaaa"
`;

test('patches: a JSON 6902 patch with a target, inline and from a file; a strategic merge patch selected by label', () => {
  const kustomization = `resources: [deployment.yaml]
patches:
- target: {kind: Deployment, name: "w.*"}
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 4
    - op: add
      path: /spec/template/spec/containers/0/args
      value: ["--verbose"]
- target: {group: apps, version: v1, kind: Deployment, labelSelector: "tier in (frontend),!canary"}
  patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: ignored-with-a-target}
    spec:
      template:
        spec:
          containers:
          - name: web
            resources: {requests: {cpu: 250m}}
          - name: log
            $patch: delete
- target: {kind: Deployment, labelSelector: "tier=backend"}
  patch: '[{"op": "replace", "path": "/spec/replicas", "value": 9}]'
- path: scale.yaml
  target: {kind: Deployment}
`;
  const workspace = workspaceOf({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': deployment, 'app/scale.yaml': '- op: add\n  path: /spec/minReadySeconds\n  value: 10\n' });
  const d = build(workspace, 'app/deployment.yaml');
  assert.equal(d.spec.replicas, 4, 'the tier=backend patch does not select it');
  assert.equal(d.spec.minReadySeconds, 10, 'a JSON 6902 patch file');
  assert.equal(d.metadata.name, 'web');
  assert.deepEqual(d.spec.template.spec.containers, [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], args: ['--verbose'], resources: { requests: { cpu: '250m' } } }]);
});

test('patches: without a target a strategic merge patch applies to the object it names, by its name before the prefix too; the legacy patchesJson6902', () => {
  const kustomization = `namePrefix: prod-
resources: [deployment.yaml]
patches:
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
    spec: {replicas: 7}
- patch: |-
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: other}
    spec: {replicas: 1}
patchesJson6902:
- target: {group: apps, version: v1, kind: Deployment, name: prod-web}
  path: json-patch.yaml
`;
  const workspace = workspaceOf({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': deployment, 'app/json-patch.yaml': '- {op: remove, path: /spec/template/spec/initContainers}\n' });
  const d = build(workspace, 'app/deployment.yaml');
  assert.equal(d.spec.replicas, 7);
  assert.equal(d.metadata.name, 'prod-web');
  assert.equal(d.spec.template.spec.initContainers, undefined, 'patchesJson6902 runs after the prefix: its target names prod-web');
});

test('a patch that cannot apply (a JSON 6902 test that fails, a path that is not there) leaves the object as it was', () => {
  const kustomization = 'resources: [deployment.yaml]\npatches:\n- target: {kind: Deployment}\n  patch: \'[{"op": "test", "path": "/spec/replicas", "value": 3}, {"op": "replace", "path": "/spec/replicas", "value": 1}]\'\n- target: {kind: Deployment}\n  patch: \'[{"op": "replace", "path": "/spec/paused/x", "value": 1}]\'\n';
  const d = build(workspaceOf({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': deployment }), 'app/deployment.yaml');
  assert.equal(d.spec.replicas, 2);
});

test('images: newName, newTag and digest, as the image tag transformer rewrites them (containers and initContainers)', () => {
  const kustomization = `resources: [deployment.yaml]
images:
- {name: nginx, newName: mirror.example/nginx, newTag: "1.27"}
- {name: fluent-bit, newTag: "3.0"}
- {name: "registry.example:5000/tools/migrate", digest: "sha256:bbbb"}
- {name: web, newTag: "2"}
`;
  const d = build(workspaceOf({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': deployment }), 'app/deployment.yaml');
  assert.deepEqual(d.spec.template.spec.containers.map((c: { image: string }) => c.image), ['mirror.example/nginx:1.27', 'fluent-bit:3.0']);
  assert.equal(d.spec.template.spec.initContainers[0].image, 'registry.example:5000/tools/migrate@sha256:bbbb', "a registry's port is not a tag; a digest drops the tag");
  // api/internal/image/image_test.go TestSplit.
  assert.deepEqual(splitImage('localhost:5000/nginx:1.0@sha256:cc'), { name: 'localhost:5000/nginx', tag: '1.0', digest: 'sha256:cc' });
  assert.deepEqual(splitImage('nginx'), { name: 'nginx', tag: '', digest: '' });
});

test("an overlay's images and replicas act on the base's objects after the base's own", () => {
  const workspace = workspaceOf({
    'base/kustomization.yaml': 'resources: [deployment.yaml]\nimages:\n- {name: nginx, newTag: "1.26"}\nreplicas:\n- {name: web, count: 3}\n',
    'base/deployment.yaml': deployment,
    'prod/kustomization.yaml': 'namePrefix: prod-\nresources: [../base]\nimages:\n- {name: nginx, newName: mirror.example/nginx}\nreplicas:\n- {name: web, count: 6}\n',
  });
  const d = build(workspace, 'base/deployment.yaml', 'prod');
  assert.equal(d.spec.template.spec.containers[0].image, 'mirror.example/nginx:1.26');
  assert.equal(d.spec.replicas, 6, "the overlay's replicas: names the object by its name in the base");
  assert.equal(d.metadata.name, 'prod-web');
});

test('strategic merge: null removes a field, $patch replace and delete, a list of scalars merged as a set, a custom resource\'s lists replaced', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', finalizers: ['a', 'b'] }, spec: { nodeSelector: { zone: 'a', disk: 'ssd' }, containers: [{ name: 'c', image: 'x', args: ['1', '2'] }] } };
  const type = patchTypeOf('v1', 'Pod');
  const merged = strategicMerge(pod, { metadata: { finalizers: ['c', 'a'] }, spec: { nodeSelector: { disk: null }, containers: [{ name: 'c', args: ['3'] }] } }, type)!;
  assert.deepEqual((merged.metadata as any).finalizers, ['c', 'a', 'b']);
  assert.deepEqual((merged.spec as any).nodeSelector, { zone: 'a' });
  assert.deepEqual((merged.spec as any).containers, [{ name: 'c', image: 'x', args: ['3'] }], 'args is not merged by key: replaced');
  assert.deepEqual((strategicMerge(pod, { spec: { nodeSelector: { $patch: 'replace', pool: 'b' } } }, type)!.spec as any).nodeSelector, { pool: 'b' });
  assert.deepEqual((strategicMerge(pod, { spec: { containers: [{ $patch: 'replace' }, { name: 'd', image: 'y' }] } }, type)!.spec as any).containers, [{ name: 'd', image: 'y' }]);
  assert.equal(strategicMerge(pod, { $patch: 'delete' }, type), undefined);
  assert.equal(pod.metadata.finalizers.length, 2, 'the original is not changed');
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { steps: [{ setWeight: 20 }, { pause: {} }] } };
  assert.deepEqual(strategicMerge(rollout, { spec: { steps: [{ setWeight: 50 }] } }, patchTypeOf('argoproj.io/v1alpha1', 'Rollout')), { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', spec: { steps: [{ setWeight: 50 }] } });
});

test('commonLabels reach the affinity and topology spread selectors of Deployments and StatefulSets (commonlabels.go), where they have matchLabels', () => {
  const spread = deployment.replace(
    '      containers:\n',
    `      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
          - topologyKey: kubernetes.io/hostname
            labelSelector: {matchLabels: {app: web}}
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 1
            podAffinityTerm:
              topologyKey: zone
              labelSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}
      containers:
`,
  );
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: client}}\n    - namespaceSelector: {}\n';
  const workspace = workspaceOf({ 'app/kustomization.yaml': 'commonLabels: {team: shop}\nresources: [deployment.yaml, policy.yaml]\n', 'app/deployment.yaml': spread, 'app/policy.yaml': policy });
  const spec = build(workspace, 'app/deployment.yaml').spec.template.spec;
  assert.deepEqual(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels, { app: 'web', team: 'shop' });
  assert.deepEqual(spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector, { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] }, 'no matchLabels: none created');
  assert.deepEqual(spec.topologySpreadConstraints[0].labelSelector.matchLabels, { app: 'web', team: 'shop' });
  const np = build(workspace, 'app/policy.yaml').spec;
  assert.deepEqual(np.ingress[0].from, [{ podSelector: { matchLabels: { app: 'client', team: 'shop' } } }, { namespaceSelector: {} }]);
});

test('a label selector string parses as kubectl -l does', () => {
  assert.deepEqual(parseSelectorString('app=web, tier in (a, b),!canary,env!=dev,x'), [
    { key: 'app', operator: 'In', values: ['web'] },
    { key: 'tier', operator: 'In', values: ['a', 'b'] },
    { key: 'canary', operator: 'DoesNotExist' },
    { key: 'env', operator: 'NotIn', values: ['dev'] },
    { key: 'x', operator: 'Exists' },
  ]);
  assert.equal(parseSelectorString('app=(web'), undefined);
});

test("in the editor, a patch of an overlay gets a Dry-run of the object it patches, as the overlay builds it (code lens and kdry/simulate over stdio)", async () => {
  const files: Record<string, string> = {
    'base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'base/deployment.yaml': deployment,
    'prod/kustomization.yaml': 'namePrefix: prod-\nresources: [../base]\npatches:\n- path: replicas.yaml\nimages:\n- {name: nginx, newTag: "1.27"}\n',
    'prod/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 5\n',
  };
  await inEditor(files, async (client, uriOf) => {
    const patch = uriOf('prod/replicas.yaml');
    const lenses = await client.request<{ command?: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: patch } });
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Dry-run']);
    const r = await client.request<{ result?: { workload: { name: string }; summary: { peakPods: number } }; error?: string }>('kdry/simulate', { uri: patch });
    assert.ok(r.result, r.error);
    assert.equal(r.result.workload.name, 'prod-web');
    assert.equal(r.result.summary.peakPods, 5, "the overlay's patch sets 5 replicas");
  });
});

test("a target's or an image's pattern is a Go regular expression run in linear time: a catastrophic one cannot stall the build", () => {
  const long = `${'a'.repeat(64)}b`;
  const hostile = deployment.replace('name: web\n  labels', `name: ${long}\n  labels`).replace('image: "nginx:1.25"', `image: "${'a'.repeat(64)}!"`);
  const kustomization = 'resources: [deployment.yaml]\npatches:\n- target: {kind: Deployment, name: "(a+)+"}\n  patch: \'[{"op": "replace", "path": "/spec/replicas", "value": 9}]\'\n- target: {kind: Deployment, name: "(a+)+b"}\n  patch: \'[{"op": "add", "path": "/spec/paused", "value": true}]\'\nimages:\n- {name: "(a+)+", newTag: "2"}\n';
  const d = build(workspaceOf({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': hostile }), 'app/deployment.yaml');
  assert.equal(d.spec.replicas, 2, '(a+)+ does not match the whole name');
  assert.equal(d.spec.paused, true, '(a+)+b does');
  assert.equal(d.spec.template.spec.containers[0].image, `${'a'.repeat(64)}!`);
});

test("components act on everything their kustomization has built so far, in order, before its own transforms (accumulateComponents)", () => {
  const component = (tag: string) => `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages:\n- {name: nginx, newTag: "${tag}"}\npatches:\n- target: {kind: Deployment}\n  patch: '[{"op": "add", "path": "/metadata/labels/ran-${tag}", "value": "yes"}]'\n`;
  const workspace = workspaceOf({
    'app/kustomization.yaml': 'namePrefix: prod-\nresources: [deployment.yaml]\ncomponents: [../first, ../second]\n',
    'app/deployment.yaml': deployment,
    'first/kustomization.yaml': component('first'),
    'second/kustomization.yaml': `${component('second')}resources: [worker.yaml]\n`,
    'second/worker.yaml': deployment.replace('name: web\n  labels', 'name: worker\n  labels'),
  });
  const web = build(workspace, 'app/deployment.yaml');
  assert.equal(web.spec.template.spec.containers[0].image, 'nginx:second', 'the later component last');
  assert.deepEqual(web.metadata.labels, { tier: 'frontend', 'ran-first': 'yes', 'ran-second': 'yes' });
  assert.equal(web.metadata.name, 'prod-web');
  // The second component's own Deployment comes after the first component ran: only the second acts on it.
  const worker = build(workspace, 'second/worker.yaml', 'app');
  assert.equal(worker.spec.template.spec.containers[0].image, 'nginx:second');
  assert.equal(worker.metadata.name, 'prod-worker');
  assert.deepEqual(worker.metadata.labels, { tier: 'frontend', 'ran-second': 'yes' });
  const [first] = build(workspace, 'app/deployment.yaml').spec.template.spec.initContainers;
  assert.equal(first.image, 'registry.example:5000/tools/migrate:1.0', 'images name nginx only');
});
