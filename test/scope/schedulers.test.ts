// A pod's schedulerName against the schedulers the application deploys. kube-scheduler takes only
// the pods whose schedulerName is one of its profiles (pkg/scheduler/eventhandlers.go,
// responsibleForPod -> profile.Map HandlesSchedulerName): any other pod stays Pending, no event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingsIn, onDisk, uri, webDeployment, workspaceOf } from './helpers';
import { definitionsAt } from '../../server/src/scope/links';

const withScheduler = (name: string) =>
  webDeployment(`      - name: web
        image: "nginx:1.27"
`).replace('    spec:\n      containers:', `    spec:\n      schedulerName: ${name}\n      containers:`);

// As Kubernetes' "Configure Multiple Schedulers" task deploys a second scheduler: its configuration
// is a ConfigMap's text that the scheduler's --config reads.
const schedulerConfigMap = (profiles: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: my-scheduler-config, namespace: kube-system}
data:
  my-scheduler-config.yaml: |
    apiVersion: kubescheduler.config.k8s.io/v1
    kind: KubeSchedulerConfiguration
    profiles:
${profiles}
`;

/** A KubeSchedulerConfiguration file's text declaring these profiles. */
const config = (...names: string[]) => `apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nprofiles:\n${names.map((n) => `- schedulerName: ${n}\n`).join('')}`;

test('a schedulerName no scheduler of the workspace declares: a warning that the pods stay Pending with no event', () => {
  const workspace = workspaceOf({ 'app/web.yaml': withScheduler('my-scheduler') });
  const found = findingsIn(workspace, 'app/web.yaml', 'unknown-scheduler');
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, 'warning');
  assert.equal(found[0].text, 'my-scheduler');
  assert.match(found[0].message, /^No scheduler named "my-scheduler" is deployed with the application \(the cluster's own is "default-scheduler"; no KubeSchedulerConfiguration in the workspace declares another\)/);
  assert.match(found[0].message, /they stay Pending and no event says why\.$/);
});

test('a profile of a KubeSchedulerConfiguration in a ConfigMap anywhere in the workspace (another folder, another namespace) is a deployed scheduler', () => {
  const workspace = workspaceOf({
    'platform/scheduler.yaml': schedulerConfigMap('      - schedulerName: my-scheduler\n      - schedulerName: batch-scheduler'),
    'app/web.yaml': withScheduler('batch-scheduler'),
    'app/other.yaml': withScheduler('my-schedulr').replace('name: web', 'name: other'),
  });
  assert.deepEqual(findingsIn(workspace, 'app/web.yaml', 'unknown-scheduler'), []);
  const typo = findingsIn(workspace, 'app/other.yaml', 'unknown-scheduler');
  assert.equal(typo.length, 1);
  assert.match(typo[0].message, /the KubeSchedulerConfigurations in the workspace declare "my-scheduler", "batch-scheduler"\)/);
  assert.match(typo[0].message, /Did you mean "my-scheduler"\?$/);
});

test('a KubeSchedulerConfiguration document of its own declares its profiles; a profile without schedulerName is default-scheduler', () => {
  const withUnnamedProfile = `apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
- schedulerName: no-scoring
- pluginConfig: []
`;
  const workspace = workspaceOf({ 'sched/config.yaml': withUnnamedProfile, 'app/web.yaml': withScheduler('no-scoring'), 'app/typo.yaml': withScheduler('default-schedular') });
  assert.deepEqual(findingsIn(workspace, 'app/web.yaml', 'unknown-scheduler'), []);
  const typo = findingsIn(workspace, 'app/typo.yaml', 'unknown-scheduler');
  assert.match(typo[0].message, /declare "no-scoring"\)/, 'the unnamed profile is default-scheduler, not listed twice');
  assert.match(typo[0].message, /Did you mean "default-scheduler"\?$/);
});

test('unknown-scheduler: default-scheduler and a pod bound by nodeName give nothing; broken embedded YAML declares nothing', () => {
  const pinned = `apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec:
  nodeName: node-1
  schedulerName: gone
  containers: [{name: c, image: "nginx:1.27"}]
`;
  const workspace = workspaceOf({
    'app/default.yaml': withScheduler('default-scheduler'),
    'app/pinned.yaml': pinned,
    'app/broken.yaml': schedulerConfigMap('      - schedulerName: [unclosed\n      - &a {x: *a}'),
    'app/web.yaml': withScheduler('unclosed'),
  });
  assert.deepEqual(findingsIn(workspace, 'app/default.yaml', 'unknown-scheduler'), []);
  assert.deepEqual(findingsIn(workspace, 'app/pinned.yaml', 'unknown-scheduler'), []);
  assert.equal(findingsIn(workspace, 'app/web.yaml', 'unknown-scheduler').length, 1);
});

test('unknown-scheduler: an alias bomb in well-formed ConfigMap text is refused, not expanded; its profiles declare nothing', () => {
  // Parses without error, so only toJS's maxAliasCount stands between it and 10^9 strings.
  const levels = ['      - schedulerName: bombed', '        bomb: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 9; i++) levels.push(`        b${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  const workspace = workspaceOf({ 'app/bomb.yaml': schedulerConfigMap(levels.join('\n')), 'app/web.yaml': withScheduler('bombed') });
  const found = findingsIn(workspace, 'app/web.yaml', 'unknown-scheduler');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /no KubeSchedulerConfiguration in the workspace declares another/);
});

test('a ConfigMap a kustomization generates from a file (configMapGenerator files:) declares the profiles of its text', () => {
  const files = {
    'platform/kustomization.yaml': 'configMapGenerator:\n- name: my-scheduler-config\n  namespace: kube-system\n  files: [my-scheduler-config.conf]\n',
    'platform/my-scheduler-config.conf': config('my-scheduler'),
    'app/web.yaml': withScheduler('my-scheduler'),
    'app/typo.yaml': withScheduler('my-schedular').replace('name: web', 'name: typo'),
  };
  onDisk(files, (workspace, uriOf) => {
    assert.deepEqual(findingsIn(workspace, uriOf('app/web.yaml'), 'unknown-scheduler'), []);
    assert.match(findingsIn(workspace, uriOf('app/typo.yaml'), 'unknown-scheduler')[0].message, /declare "my-scheduler"\)/);
    const file = workspace.get(uriOf('app/web.yaml'))!;
    const [place] = definitionsAt(workspace, file, file.text.indexOf('schedulerName: my-scheduler') + 'schedulerName: '.length + 1);
    assert.equal(place.uri, uriOf('platform/kustomization.yaml'));
    assert.match(workspace.get(place.uri)!.text.slice(place.range[0], place.range[1]), /^name: my-scheduler-config/);
  });
});

test('go to definition from a schedulerName lands on the profile that declares it: the ConfigMap key whose text holds it, or the profile of a KubeSchedulerConfiguration', () => {
  const workspace = workspaceOf({
    'platform/scheduler.yaml': schedulerConfigMap('      - schedulerName: my-scheduler'),
    'sched/config.yaml': config('default-scheduler', 'no-scoring'),
    'app/web.yaml': withScheduler('my-scheduler'),
    'app/other.yaml': withScheduler('no-scoring'),
  });
  const at = (path: string, name: string) => {
    const file = workspace.get(uri(path))!;
    return definitionsAt(workspace, file, file.text.indexOf(`schedulerName: ${name}`) + 'schedulerName: '.length + 1).map((p) => [p.uri, workspace.get(p.uri)!.text.slice(p.range[0], p.range[1])]);
  };
  assert.deepEqual(at('app/web.yaml', 'my-scheduler'), [[uri('platform/scheduler.yaml'), 'my-scheduler-config.yaml']]);
  assert.deepEqual(at('app/other.yaml', 'no-scoring'), [[uri('sched/config.yaml'), 'no-scoring']]);
});

test("an overlay's configMapGenerator with behavior: replace drops the base's profiles: the overlay's build deploys only its own", () => {
  const files = {
    'platform/base/kustomization.yaml': 'configMapGenerator:\n- name: scheduler-config\n  files: [config.yaml]\n',
    'platform/base/config.yaml': config('bin-packing', 'spread'),
    'platform/prod/kustomization.yaml': 'resources: [../base]\nconfigMapGenerator:\n- name: scheduler-config\n  behavior: replace\n  files: [config.yaml]\n',
    'platform/prod/config.yaml': config('spread'),
    'app/spread.yaml': withScheduler('spread'),
    'app/packed.yaml': withScheduler('bin-packing').replace('name: web', 'name: packed'),
  };
  onDisk(files, (workspace, uriOf) => {
    assert.deepEqual(findingsIn(workspace, uriOf('app/spread.yaml'), 'unknown-scheduler'), []);
    const dropped = findingsIn(workspace, uriOf('app/packed.yaml'), 'unknown-scheduler');
    assert.equal(dropped.length, 1, 'the base declares bin-packing, but the only build of it replaces that ConfigMap');
    assert.match(dropped[0].message, /declare "spread"\)/);
    const file = workspace.get(uriOf('app/spread.yaml'))!;
    const places = definitionsAt(workspace, file, file.text.indexOf('schedulerName: spread') + 'schedulerName: '.length + 1);
    assert.deepEqual(places.map((p) => p.uri), [uriOf('platform/prod/kustomization.yaml')], "F12 lands on the overlay's replacing generator");
  });
});

test('two bases of one build that each generate a ConfigMap of the same name (told apart by their prefixes) both deploy their profiles', () => {
  const files = {
    'platform/kustomization.yaml': 'resources: [gpu, batch]\n',
    'platform/gpu/kustomization.yaml': 'namePrefix: gpu-\nconfigMapGenerator:\n- name: scheduler-config\n  files: [config.conf]\n',
    'platform/gpu/config.conf': config('gpu-scheduler'),
    'platform/batch/kustomization.yaml': 'namePrefix: batch-\nconfigMapGenerator:\n- name: scheduler-config\n  files: [config.conf]\n',
    'platform/batch/config.conf': config('batch-scheduler'),
    'app/gpu.yaml': withScheduler('gpu-scheduler'),
    'app/batch.yaml': withScheduler('batch-scheduler').replace('name: web', 'name: batch'),
  };
  onDisk(files, (workspace, uriOf) => {
    assert.deepEqual(findingsIn(workspace, uriOf('app/gpu.yaml'), 'unknown-scheduler'), []);
    assert.deepEqual(findingsIn(workspace, uriOf('app/batch.yaml'), 'unknown-scheduler'), []);
    const file = workspace.get(uriOf('app/batch.yaml'))!;
    const places = definitionsAt(workspace, file, file.text.indexOf('schedulerName: batch') + 'schedulerName: '.length + 1);
    assert.deepEqual(places.map((p) => p.uri), [uriOf('platform/batch/kustomization.yaml')]);
  });
});

test('two overlays that build one base: its generated profile is declared in one place (hover and F12 list it once)', () => {
  const files = {
    'platform/base/kustomization.yaml': 'configMapGenerator:\n- name: sched\n  files: [config.yaml]\n',
    'platform/base/config.yaml': config('my-scheduler'),
    'platform/overlays/staging/kustomization.yaml': 'resources: [../../base]\n',
    'platform/overlays/prod/kustomization.yaml': 'resources: [../../base]\n',
    'app/web.yaml': withScheduler('my-scheduler'),
  };
  onDisk(files, (workspace, uriOf) => {
    assert.deepEqual(findingsIn(workspace, uriOf('app/web.yaml'), 'unknown-scheduler'), []);
    const file = workspace.get(uriOf('app/web.yaml'))!;
    const places = definitionsAt(workspace, file, file.text.indexOf('schedulerName: my-scheduler') + 'schedulerName: '.length + 1);
    assert.deepEqual(places.map((p) => p.uri), [uriOf('platform/base/kustomization.yaml')]);
  });
});
