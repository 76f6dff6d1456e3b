// A patch that cannot apply is reported where kustomize fails the build (server/src/scope/
// kustomize-problems.ts, the `kustomize-build` check): on the kustomization's entry and on the
// patch file, never skipped without a word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsIn, workspaceOf } from './helpers';

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n';
const app = (kustomization: string, files: Record<string, string> = {}) => workspaceOf({ 'app/kustomization.yaml': kustomization, 'app/deployment.yaml': deployment, ...files });
const problems = (w: ReturnType<typeof app>, path = 'app/kustomization.yaml') => findingsIn(w, path, 'kustomize-build').map((f) => [f.severity, f.text, f.message]);

test('patches that apply give no finding', () => {
  const w = app('resources: [deployment.yaml]\npatches:\n- path: replicas.yaml\n- target: {kind: Deployment, name: web}\n  patch: \'[{"op": "test", "path": "/spec/replicas", "value": 5}, {"op": "replace", "path": "/spec/replicas", "value": 3}]\'\n', {
    'app/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 5}\n',
  });
  assert.deepEqual(problems(w), []);
  assert.deepEqual(problems(w, 'app/replicas.yaml'), []);
});

test('a strategic merge patch that names no object of the build fails the build: an error on the entry and on the patch file', () => {
  const w = app('resources: [deployment.yaml]\npatchesStrategicMerge:\n- replicas.yaml\n', {
    'app/replicas.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: wbe}\nspec: {replicas: 5}\n',
  });
  const message = 'kustomize build fails: no object of the build is Deployment "wbe" ("no resource matches strategic merge patch"); a patch without a target names its object by apiVersion, kind, name and namespace.';
  assert.deepEqual(problems(w), [['error', 'replicas.yaml', message]]);
  assert.deepEqual(problems(w, 'app/replicas.yaml'), [['error', 'apiVersion', message]]);
});

test('a JSON 6902 operation that cannot apply fails the build: a test that does not hold, a path the object does not have', () => {
  const w = app('resources: [deployment.yaml]\npatches:\n- target: {kind: Deployment}\n  path: ops.yaml\npatchesJson6902:\n- target: {group: apps, version: v1, kind: Deployment, name: web}\n  patch: \'[{"op": "remove", "path": "/spec/strategy/rollingUpdate"}]\'\n', {
    'app/ops.yaml': '- {op: test, path: /spec/replicas, value: 3}\n- {op: replace, path: /spec/replicas, value: 4}\n',
  });
  assert.deepEqual(problems(w), [
    ['error', 'ops.yaml', 'kustomize build fails: the JSON patch\'s "test" at /spec/replicas does not hold (evanphx/json-patch: "testing value /spec/replicas failed") on Deployment "web".'],
    ['error', '\'[{"op": "remove", "path": "/spec/strategy/rollingUpdate"}]\'', 'kustomize build fails: the JSON patch\'s "remove" at /spec/strategy/rollingUpdate names a path the object does not have (evanphx/json-patch: "remove operation does not apply: doc is missing path") on Deployment "web".'],
  ]);
  assert.deepEqual(problems(w, 'app/ops.yaml').map(([severity, text]) => [severity, text]), [['error', '{op: test, path: /spec/replicas, value: 3}']]);
});

test('a target that selects nothing is a warning (kustomize applies the patch to nothing); said only when kdry holds the whole build', () => {
  const k = 'resources: [deployment.yaml]\npatches:\n- target: {kind: StatefulSet}\n  patch: \'[{"op": "replace", "path": "/spec/replicas", "value": 3}]\'\n';
  assert.deepEqual(problems(app(k)), [['warning', '{kind: StatefulSet}', "The patch's target selects no object of this kustomization's build: kustomize applies it to nothing, so it changes nothing."]]);
  assert.deepEqual(problems(app(k.replace('[deployment.yaml]', '[deployment.yaml, github.com/org/repo//base?ref=v1]'))), [], 'a remote base may hold the object');
  assert.deepEqual(problems(app(k.replace('[deployment.yaml]', '[deployment.yaml, ../elsewhere]'))), [], 'a folder kdry does not hold may too');
});

test('entries kustomize refuses outright: a missing patch file, a JSON patch without a target, several strategic merge patches under one target', () => {
  const w = app('resources: [deployment.yaml]\npatches:\n- path: missing.yaml\n- patch: \'[{"op": "replace", "path": "/spec/replicas", "value": 3}]\'\n- target: {kind: Deployment}\n  patch: |\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n    ---\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n');
  const found = problems(w);
  assert.deepEqual(found.map(([severity, text]) => [severity, text]), [['error', 'missing.yaml'], ['error', '\'[{"op": "replace", "path": "/spec/replicas", "value": 3}]\''], ['error', found[2][1]]]);
  assert.match(found[0][2] as string, /^kustomize build fails: the patch file "missing.yaml" does not exist\.$/);
  assert.match(found[1][2] as string, /^kustomize build fails: a JSON patch needs a `target`/);
  assert.match(found[2][2] as string, /^kustomize build fails: several strategic merge patches in one `patches` entry cannot have a `target`/);
});

test("an overlay's patch names a base's object by the base's name, a generated ConfigMap by its generator's name", () => {
  const w = workspaceOf({
    'base/kustomization.yaml': 'namePrefix: b-\nresources: [deployment.yaml]\nconfigMapGenerator:\n- name: settings\n  literals: [A=1]\n',
    'base/deployment.yaml': deployment,
    'prod/kustomization.yaml': 'resources: [../base]\npatchesStrategicMerge:\n- |-\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n  spec: {replicas: 4}\n- |-\n  apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: settings}\n  data: {B: "2"}\n',
  });
  assert.deepEqual(problems(w, 'prod/kustomization.yaml'), []);
});

test('a Component\'s target patch is judged in the builds of the kustomizations that name it, never alone (kusttarget.go accumulateComponents; trial T3)', () => {
  const component = 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- path: annotations.yaml\n  target: {kind: Deployment}\n';
  const files = {
    'components/monitoring/kustomization.yaml': component,
    'components/monitoring/annotations.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: not-important}\nspec:\n  template:\n    metadata:\n      annotations: {prometheus.io/scrape: "true"}\n',
  };
  const named = workspaceOf({ ...files, 'app/kustomization.yaml': 'resources: [deployment.yaml]\ncomponents: [../components/monitoring]\n', 'app/deployment.yaml': deployment });
  assert.deepEqual(problems(named, 'components/monitoring/kustomization.yaml'), []);
  assert.deepEqual(problems(workspaceOf(files), 'components/monitoring/kustomization.yaml'), [], 'named by no kustomization: nothing to judge it in');
  // Named by a kustomization whose build has no Deployment: the patch changes nothing there.
  const none = workspaceOf({ ...files, 'app/kustomization.yaml': 'resources: [cm.yaml]\ncomponents: [../components/monitoring]\n', 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' });
  assert.deepEqual(problems(none, 'components/monitoring/kustomization.yaml').map(([severity, text]) => [severity, text]), [['warning', '{kind: Deployment}']]);
});

test('a replicas: entry that names no object of a kind the transformer knows fails the build (ReplicaCountTransformer.go Transform; trial T4)', () => {
  const message = (name: string) => `kustomize build fails: resource with name ${name} does not match a config with the following GVK [Deployment.[noVer].[noGrp] StatefulSet.[noVer].[noGrp] ReplicaSet.[noVer].[noGrp] ReplicationController.[noVer].[noGrp]].`;
  assert.deepEqual(problems(app('resources: [deployment.yaml]\nreplicas:\n- {name: webb, count: 3}\n')), [['error', '{name: webb, count: 3}', message('webb')]]);
  assert.deepEqual(problems(app('resources: [deployment.yaml]\nnamePrefix: prod-\nreplicas:\n- {name: web, count: 3}\n- {name: prod-web, count: 3}\n')), [], 'the name before and after a prefix both match (GetMatchingResourcesByAnyId)');
  // An Argo Rollout is not among replicas.go's kinds: the same error, as kubectl kustomize gives it.
  const rollout = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: web}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "nginx:1.27"}]\n';
  const withRollout = (extra: Record<string, string>, config = '') => workspaceOf({ 'app/kustomization.yaml': `resources: [rollout.yaml]\nreplicas:\n- {name: web, count: 5}\n${config}`, 'app/rollout.yaml': rollout, ...extra });
  assert.deepEqual(problems(withRollout({})), [['error', '{name: web, count: 5}', message('web')]]);
  // With configurations naming the Rollout's spec/replicas it builds, and the count is written.
  const configured = withRollout({ 'app/rollout-transform.yaml': 'replicas:\n- path: spec/replicas\n  kind: Rollout\n' }, 'configurations: [rollout-transform.yaml]\n');
  assert.deepEqual(problems(configured), []);
});

test('an overlay inside its base\'s folder, a kustomization listing `.`, a loop: kustomize refuses the build (fileloader.go errIfArgEqualOrHigher; trial T17)', () => {
  const cycle = (w: ReturnType<typeof workspaceOf>, path: string) => problems(w, path).map(([severity, text, message]) => [severity, text, String(message).replace(/'\/repo\//g, "'")]);
  const nested = workspaceOf({ 'k8s/kustomization.yaml': 'resources: [deployment.yaml]\n', 'k8s/deployment.yaml': deployment, 'k8s/overlays/staging/kustomization.yaml': 'namespace: staging\nresources: [../..]\nreplicas: [{name: web, count: 3}]\n' });
  assert.deepEqual(cycle(nested, 'k8s/overlays/staging/kustomization.yaml'), [['error', '../..', "kustomize build fails: cycle detected: candidate root 'k8s' contains visited root 'k8s/overlays/staging'."]], 'the cycle alone: the replicas entry is not judged in a build that fails');
  assert.deepEqual(problems(nested, 'k8s/kustomization.yaml'), [], 'the base builds');
  const self = workspaceOf({ 'a/kustomization.yaml': 'resources: [deployment.yaml, .]\n', 'a/deployment.yaml': deployment });
  assert.deepEqual(cycle(self, 'a/kustomization.yaml'), [['error', '.', "kustomize build fails: cycle detected: candidate root 'a' contains visited root 'a'."]]);
  const loop = workspaceOf({ 'a/kustomization.yaml': 'resources: [../b]\n', 'b/kustomization.yaml': 'resources: [../a]\n' });
  assert.deepEqual(cycle(loop, 'a/kustomization.yaml'), [['error', '../b', "kustomize build fails: cycle detected: candidate root 'a' contains visited root 'a'."]], 'reported on the entry that leads into the loop');
});

test('a patches entry written as a bare path: kustomize 5 refuses the kustomization; the patch file is not checked as a whole object (trial L9)', () => {
  const w = workspaceOf({
    'app/kustomization.yaml': 'resources: [deployment.yaml]\npatches:\n- patch.yaml\n',
    'app/deployment.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n',
    'app/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {minReadySeconds: 5}\n',
  });
  const [problem, ...rest] = findingsIn(w, 'app/kustomization.yaml', 'kustomize-build');
  assert.equal(rest.length, 0);
  assert.match(problem.message, /cannot unmarshal string into Go struct field Kustomization\.patches of type types\.Patch; write `- path: patch\.yaml`/);
  assert.deepEqual(findingsIn(w, 'app/patch.yaml', 'schema'), []);
});
