// Generators with `behavior: merge` and `replace` in overlays (server/src/scope/
// kustomize-generator-behavior.ts, resmap/reswrangler.go appendReplaceOrMerge): the base's object
// changed, named as the base builds it, the hash over the merged data; checked against upstream's
// expected names (api/krusty/generatormergeandreplace_test.go TestMergeAndReplaceGenerators,
// examples/issue 1442).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtObject, generatedIn } from '../../server/src/scope/kustomize-build';
import { kustomizeHash } from '../../server/src/scope/kustomize-hash';
import { unitIndex } from '../../server/src/scope/scope';
import { findingsIn, uri, workspaceOf } from './helpers';

/** upstream makeBaseWithGenerators, and TestMergeAndReplaceGenerators's overlay. */
const upstream: Record<string, string> = {
  'app/kustomization.yaml': `namePrefix: team-foo-
commonLabels: {app: mynginx, org: example.com, team: foo}
commonAnnotations: {note: This is a test annotation}
resources: [deployment.yaml]
configMapGenerator:
- name: configmap-in-base
  literals: [foo=bar]
secretGenerator:
- name: secret-in-base
  literals: [username=admin, password=somepw]
`,
  'app/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx, labels: {app: nginx}}
spec:
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
      - name: nginx
        image: nginx
        envFrom: [{secretRef: {name: secret-in-base}}]
      volumes:
      - configMap: {name: configmap-in-base}
        name: configmap-in-base
      - configMap: {name: configmap-in-overlay}
        name: configmap-in-overlay
`,
  'overlay/kustomization.yaml': `namePrefix: staging-
commonLabels: {env: staging, team: override-foo}
resources: [../app]
configMapGenerator:
- name: configmap-in-overlay
  literals: [hello=world]
- name: configmap-in-base
  behavior: replace
  literals: [foo=override-bar]
secretGenerator:
- name: secret-in-base
  behavior: merge
  literals: [proxy=haproxy]
`,
};

test('an overlay\'s replace and merge change the base\'s generated objects, named and hashed as kustomize builds them (TestMergeAndReplaceGenerators)', () => {
  const w = workspaceOf(upstream);
  const overlay = unitIndex(w).kustomization(uri('overlay/kustomization.yaml'))!;
  const spec = (builtObject(w, uri('app/deployment.yaml'), w.get(uri('app/deployment.yaml'))!.documents[0].value, overlay) as any).spec.template.spec;
  assert.deepEqual(spec.volumes.map((v: any) => v.configMap.name), ['staging-team-foo-configmap-in-base-hc6g9dk6g9', 'staging-configmap-in-overlay-dc6fm46dhm']);
  assert.equal(spec.containers[0].envFrom[0].secretRef.name, 'staging-team-foo-secret-in-base-k2k4692t9g');
  const replaced = generatedIn(w, overlay, 'ConfigMap', 'configmap-in-base')!.object.value as any;
  assert.deepEqual(replaced.data, { foo: 'override-bar' }, 'replace keeps only its own data');
  assert.deepEqual(replaced.metadata.labels, { app: 'mynginx', org: 'example.com', team: 'override-foo', env: 'staging' }, 'labels: the old ones, then its own, then the overlay\'s');
  const merged = generatedIn(w, overlay, 'Secret', 'secret-in-base')!.object.value as any;
  assert.deepEqual(merged.data, { username: 'YWRtaW4=', password: 'c29tZXB3', proxy: 'aGFwcm94eQ==' });
  // The base alone builds its own (TestBaseWithGeneratorsAlone).
  const base = (builtObject(w, uri('app/deployment.yaml'), w.get(uri('app/deployment.yaml'))!.documents[0].value) as any).spec.template.spec;
  assert.equal(base.volumes[0].configMap.name, 'team-foo-configmap-in-base-798k5k7g9f');
  assert.equal(base.containers[0].envFrom[0].secretRef.name, 'team-foo-secret-in-base-bgd6bkgdm2');
});

test('a merge two levels up keeps the prefix of the level between (upstream examples/issue 1442)', () => {
  const w = workspaceOf({
    'a/kustomization.yaml': 'configMapGenerator:\n- name: cm\n  literals: [FOO=BAR]\n',
    'b/kustomization.yaml': 'resources: [../a]\nnamePrefix: renamed-\n',
    'c/kustomization.yaml': 'resources: [../b]\nconfigMapGenerator:\n- name: cm\n  behavior: merge\n  literals: [HELLO=WORLD]\n',
  });
  const built = generatedIn(w, unitIndex(w).kustomization(uri('c/kustomization.yaml'))!, 'ConfigMap', 'cm')!;
  // The example's expected name (renamed-cm-27kg5g5b5c) is from kustomize 3, whose hash still covered the name; today's does not (kustomize-hash.ts).
  assert.equal(built.name, `renamed-cm-${kustomizeHash(built.object.value)}`);
  assert.deepEqual((built.object.value as any).data, { FOO: 'BAR', HELLO: 'WORLD' });
});

test('the keys a key reference sees are those of the merged object; an overlay\'s replace drops the base\'s', () => {
  const pod = (key: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: "busybox:1.36"\n    env:\n    - {name: X, valueFrom: {configMapKeyRef: {name: settings, key: ${key}}}}\n`;
  const files = (behavior: string, key: string) => workspaceOf({
    'base/kustomization.yaml': 'configMapGenerator:\n- name: settings\n  literals: [LOG_LEVEL=info]\n',
    'overlay/kustomization.yaml': `resources: [../base, pod.yaml]\nconfigMapGenerator:\n- name: settings\n  behavior: ${behavior}\n  literals: [REGION=eu]\n`,
    'overlay/pod.yaml': pod(key),
  });
  assert.deepEqual(findingsIn(files('merge', 'LOG_LEVEL'), 'overlay/pod.yaml', 'missing-config-key'), [], 'merge: the base\'s key is there');
  assert.deepEqual(findingsIn(files('merge', 'REGION'), 'overlay/pod.yaml', 'missing-config-key'), []);
  const [gone] = findingsIn(files('replace', 'LOG_LEVEL'), 'overlay/pod.yaml', 'missing-config-key');
  assert.match(gone?.message ?? '', /has no key "LOG_LEVEL" \(it has "REGION"\)/);
});

test('a generator that creates what the build already has, or merges into what it has not, fails the build as kustomize reports', () => {
  const w = workspaceOf({
    'base/kustomization.yaml': 'configMapGenerator:\n- name: settings\n  literals: [A=1]\n',
    'overlay/kustomization.yaml': 'resources: [../base]\nconfigMapGenerator:\n- name: settings\n  literals: [B=2]\n- name: nowhere\n  behavior: merge\n  literals: [C=3]\nsecretGenerator:\n- name: nowhere\n  behavior: replace\n  literals: [C=3]\n',
    'same/kustomization.yaml': 'configMapGenerator:\n- name: test\n  namespace: default\n  literals: [key=value]\n- name: test\n  literals: [key=value]\n',
  });
  const found = findingsIn(w, 'overlay/kustomization.yaml', 'kustomize-build').map((f) => [f.severity, f.text, f.message]);
  assert.deepEqual(found, [
    ['error', 'settings', 'kustomize build fails: ConfigMap "settings" is already in the build (made by the generator of ../base): a generator without `behavior: merge` or `replace` cannot make it again ("id exists; can not use behavior: \'unspecified\', behavior must be merge or replace").'],
    ['error', 'merge', 'kustomize build fails: there is no ConfigMap "nowhere" in the build for `behavior: merge` to change ("id does not exist; cannot merge or replace").'],
    ['error', 'replace', 'kustomize build fails: there is no Secret "nowhere" in the build for `behavior: replace` to change ("id does not exist; cannot merge or replace").'],
  ]);
  // Two generators of one kustomization, one namespaced `default`, one not: the same id (TestConfigMapGeneratingIntoSameNamespace).
  assert.match(findingsIn(w, 'same/kustomization.yaml', 'kustomize-build')[0]?.message ?? '', /ConfigMap "test" is already in the build \(made by configMapGenerator\[0\]\)/);
  // An entry that says `behavior: create` is named so (GenerationBehavior.String).
  const explicit = workspaceOf({ 'app/kustomization.yaml': 'configMapGenerator:\n- name: x\n  literals: [A=1]\n- name: x\n  behavior: create\n  literals: [A=2]\n' });
  assert.match(findingsIn(explicit, 'app/kustomization.yaml', 'kustomize-build')[0]?.message ?? '', /\("id exists; can not use behavior: 'create', behavior must be merge or replace"\)/);
  assert.deepEqual(findingsIn(w, 'base/kustomization.yaml', 'kustomize-build'), []);
});

test('a merge into a resource file\'s ConfigMap: a key reference sees the merged keys, and the name keeps no hash (the old object had none)', () => {
  const w = workspaceOf({
    'base/kustomization.yaml': 'resources: [settings.yaml]\n',
    'base/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {LOG_LEVEL: info}\n',
    'overlay/kustomization.yaml': 'resources: [../base, pod.yaml]\nconfigMapGenerator:\n- name: settings\n  behavior: merge\n  literals: [REGION=eu]\n',
    'overlay/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: "busybox:1.36"\n    env:\n    - {name: X, valueFrom: {configMapKeyRef: {name: settings, key: REGION}}}\n    - {name: Y, valueFrom: {configMapKeyRef: {name: settings, key: LOG_LEVEL}}}\n    - {name: Z, valueFrom: {configMapKeyRef: {name: settings, key: ZONE}}}\n',
  });
  const found = findingsIn(w, 'overlay/pod.yaml', 'missing-config-key');
  assert.deepEqual(found.map((f) => f.text), ['ZONE']);
  assert.match(found[0].message, /\(it has "LOG_LEVEL", "REGION"\)/);
  const overlay = unitIndex(w).kustomization(uri('overlay/kustomization.yaml'))!;
  const pod = builtObject(w, uri('overlay/pod.yaml'), w.get(uri('overlay/pod.yaml'))!.documents[0].value, overlay) as any;
  assert.equal(pod.spec.containers[0].env[0].valueFrom.configMapKeyRef.name, 'settings');
  assert.deepEqual(findingsIn(w, 'overlay/kustomization.yaml', 'kustomize-build'), []);
});

test('a create and later merges of the same name in one kustomization: each merge entry merges its own data, in order (one generator an entry: kusttarget.go runGenerators)', () => {
  const w = workspaceOf({
    'app/kustomization.yaml': 'configMapGenerator:\n- name: settings\n  literals: [A=1, B=1]\n- name: settings\n  behavior: merge\n  literals: [B=2]\n- name: settings\n  behavior: merge\n  literals: [C=3]\n',
  });
  const app = unitIndex(w).kustomization(uri('app/kustomization.yaml'))!;
  const built = generatedIn(w, app, 'ConfigMap', 'settings')!;
  assert.deepEqual((built.object.value as any).data, { A: '1', B: '2', C: '3' });
  assert.equal(built.name, `settings-${kustomizeHash({ apiVersion: 'v1', kind: 'ConfigMap', data: { A: '1', B: '2', C: '3' } })}`);
  assert.deepEqual(findingsIn(w, 'app/kustomization.yaml', 'kustomize-build'), []);
});
