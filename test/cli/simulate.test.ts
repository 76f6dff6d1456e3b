import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runCli } from './run-cli';
import { parseAllDocuments } from 'yaml';
import { parseDuration } from '../../server/src/cli/simulate-command';
import { podsAtStep, simulate, type SimulationResult } from '../../server/src/engine';

const root = join(__dirname, '..', '..');

test('simulate prints the rolling update step by step in kubectl words', async () => {
  const r = await runCli(['simulate', 'examples/rollout/nginx-1.16.yaml', '--from', 'examples/corrected/deployment-rolling-update.yaml'], { cwd: root });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /Scaled up replica set nginx-\w+ from 0 to 1/);
  assert.match(r.stdout, /Scaled down replica set nginx-\w+ from 3 to 2/);
  assert.match(r.stdout, /deployment\.apps\/nginx\s+3\/3/);
  assert.match(r.stdout, /Placement/);
});

test('simulate --format json is the engine timeline, deterministic', async () => {
  const args = ['simulate', 'examples/corrected/statefulset-web.yaml', '--format', 'json'];
  const a = await runCli(args, { cwd: root });
  const b = await runCli(args, { cwd: root });
  assert.equal(a.stdout, b.stdout);
  const result = JSON.parse(a.stdout);
  assert.deepEqual(podsAtStep(result, result.steps.length - 1).map((p) => p.name).sort(), ['web-0', 'web-1', 'web-2']);
});

test('simulate --format json is compact: one line, pods as changes after the first step, every pod derivable', async () => {
  const a = await runCli(['simulate', 'examples/rollout/nginx-1.16.yaml', '--from', 'examples/corrected/deployment-rolling-update.yaml', '--format', 'json'], { cwd: root });
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout.trimEnd().includes('\n'), false, 'one line');
  const compact: SimulationResult = JSON.parse(a.stdout);
  assert.ok(!compact.steps[0].podsDelta && compact.steps.slice(1).every((s) => s.podsDelta), 'a full first step, then changes');
  const changes = compact.steps.slice(1).flatMap((s) => s.pods);
  assert.ok(changes.some((c) => Object.keys(c).length < 4), 'a known pod lists only what changed');
  // The same run recorded in full steps (as before the compact format): every step decodes to it.
  const load = (file: string) => parseAllDocuments(readFileSync(join(root, file), 'utf8')).map((d) => d.toJS());
  const full = simulate({ objects: load('examples/rollout/nginx-1.16.yaml'), before: load('examples/corrected/deployment-rolling-update.yaml')[0], snapshotMode: 'full', kubernetesVersionReason: 'the newest release kdry bundles' });
  assert.equal(compact.steps.length, full.steps.length);
  for (const [i, step] of full.steps.entries()) assert.deepEqual(podsAtStep(compact, i), step.pods, `step ${i}`);
  assert.deepEqual({ ...compact, steps: compact.steps.map(({ pods: _p, podsDelta: _d, removedPods: _r, ...rest }) => rest) }, JSON.parse(JSON.stringify({ ...full, steps: full.steps.map(({ pods: _p, podsDelta: _d, removedPods: _r, ...rest }) => rest) })), 'every other field as in the full run');
});

test('simulate: unknown workload, missing cluster file, bad duration -> message and exit 2', async () => {
  const unknown = await runCli(['simulate', 'examples/corrected/statefulset-web.yaml', '--workload', 'nope'], { cwd: root });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no workload named "nope"; the file has: StatefulSet\/web/);
  const cluster = await runCli(['simulate', 'examples/corrected/statefulset-web.yaml', '--cluster', 'missing.yaml'], { cwd: root });
  assert.equal(cluster.code, 2);
  assert.match(cluster.stderr, /missing\.yaml/);
  assert.doesNotMatch(cluster.stderr, /\n\s+at /);
  assert.throws(() => parseDuration('soon'), /--window takes a duration/);
  assert.equal(parseDuration('1y'), 365 * 86400);
});

// --fail pods:exit: the batch Job's containers (restartPolicy OnFailure) exit 1 and restart in
// place; job_controller.go pastBackoffLimitOnFailure fails the Job once the restarts reach
// backoffLimit (4).
test('simulate --fail pods:exit=1 makes a Job fail; a malformed fault is a usage error', async () => {
  const r = await runCli(['simulate', 'examples/corrected/job-batch.yaml', '--fail', 'pods:exit=1'], { cwd: root });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /Failed=True\/BackoffLimitExceeded/);
  assert.match(r.stdout, /job\.batch\/batch-report\s+Failed\s/);
  const bad = await runCli(['simulate', 'examples/corrected/job-batch.yaml', '--fail', 'pods:exit=300'], { cwd: root });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail pods:exit=300: exit takes a code from 1 to 255/);
});

test('simulate --then scales in the middle of the rollout; a malformed change is a usage error', async () => {
  const r = await runCli(['simulate', 'examples/rollout/nginx-1.16.yaml', '--from', 'examples/corrected/deployment-rolling-update.yaml', '--then', 'at=3s,replicas=10'], { cwd: root });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Scaled up replica set nginx-\w+ from 2 to 7/);
  assert.match(r.stdout, /note: at t=3 s: spec\.replicas set to 10/);
  const bad = await runCli(['simulate', 'examples/corrected/job-batch.yaml', '--then', 'replicas=3'], { cwd: root });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--then replicas=3: at=DURATION is required/);
});

// kubectl drain (staging/src/k8s.io/kubectl/pkg/drain/drain.go evictPods) against the budget in
// the workload's folder: the eviction API refuses (eviction.go checkAndDecrement) and kubectl
// retries every 5 s.
test('simulate --fail drain:NODE reads the PodDisruptionBudget and HPA beside the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-drain-'));
  try {
    writeFileSync(join(dir, 'web.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n');
    writeFileSync(join(dir, 'pdb.yaml'), 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web}\nspec:\n  minAvailable: 3\n  selector: {matchLabels: {app: web}}\n');
    writeFileSync(join(dir, 'hpa.yaml'), 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 6\n');
    const r = await runCli(['simulate', 'web.yaml', '--fail', 'drain:worker-1'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /kubectl drain worker-1: node\/worker-1 cordoned/);
    assert.match(r.stdout, /kubectl drain worker-1: error when evicting pods\/"web-\w+-\w+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./);
    assert.match(r.stdout, /horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web\s+cpu: <unknown>\/80%\s+2\s+6\s+3/);
    const bad = await runCli(['simulate', 'web.yaml', '--fail', 'drain:'], { cwd: dir });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--fail drain:: a node name is needed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('simulate builds the folder as kustomize does: namespace, namePrefix, replicas; the unit\'s ResourceQuota refuses pods', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-kustomize-'));
  try {
    writeFileSync(join(dir, 'kustomization.yaml'), 'namespace: shop\nnamePrefix: prod-\nreplicas:\n- {name: web, count: 5}\nresources: [web.yaml, quota.yaml, hpa.yaml]\n');
    writeFileSync(join(dir, 'web.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx, resources: {requests: {cpu: 500m}}}]}\n');
    writeFileSync(join(dir, 'quota.yaml'), 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute}\nspec:\n  hard: {requests.cpu: "2"}\n');
    writeFileSync(join(dir, 'hpa.yaml'), 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n  maxReplicas: 6\n');
    const r = await runCli(['simulate', 'web.yaml'], { cwd: dir });
    // 5 replicas from the kustomization, 4 admitted by the quota of the same unit (2 CPU / 500m).
    assert.match(r.stdout, /deployment\.apps\/prod-web\s+4\/5/);
    assert.match(r.stdout, /Error creating: pods "prod-web-\w+-\w+" is forbidden: exceeded quota: prod-compute, requested: requests\.cpu=500m, used: requests\.cpu=2, limited: requests\.cpu=2/);
    assert.match(r.stdout, /horizontalpodautoscaler\.autoscaling\/prod-web\s+Deployment\/prod-web/);
    assert.match(r.stdout, /Successfully assigned shop\/prod-web-\w+-\w+ to worker-/, 'in the kustomization\'s namespace');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('simulate reads the whole kustomization: one in a folder above, its resources in other folders, an overlay\'s base; a patch runs the object it patches as the overlay builds it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-kustomize-tree-'));
  const write = (path: string, text: string) => (mkdirSync(join(dir, path, '..'), { recursive: true }), writeFileSync(join(dir, path), text));
  try {
    const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "nginx:1.25", resources: {requests: {cpu: 500m}}}]}\n';
    write('base/kustomization.yaml', 'namePrefix: shop-\nresources: [workloads/web.yaml, policy/quota.yaml]\n');
    write('base/workloads/web.yaml', web);
    write('base/policy/quota.yaml', 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute}\nspec:\n  hard: {requests.cpu: "1"}\n');
    write('prod/kustomization.yaml', 'namePrefix: prod-\nresources: [../base]\npatches:\n- path: replicas.yaml\nimages:\n- {name: nginx, newTag: "1.27"}\n');
    write('prod/replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n');
    const base = await runCli(['simulate', 'base/workloads/web.yaml'], { cwd: dir });
    assert.match(base.stdout, /deployment\.apps\/shop-web\s+1\/1/, 'the kustomization of the folder above names it');
    const prod = await runCli(['simulate', 'prod/replicas.yaml'], { cwd: dir });
    // The base's quota of another folder (1 CPU, 500m a pod) admits 2 of the overlay's 3.
    assert.match(prod.stdout, /deployment\.apps\/prod-shop-web\s+2\/3/, prod.stdout + prod.stderr);
    assert.match(prod.stdout, /exceeded quota: prod-shop-compute/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The target release as kdry check resolves it: --kubernetes-version over .kdry/config.yaml's
// kubernetesVersion. JobManagedBy (kube_features.go: on by default from 1.32) makes the built-in
// Job controller skip a Job another controller manages (job_controller.go syncJob).
test('simulate takes the release from --kubernetes-version, else from the config file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-release-'));
  try {
    mkdirSync(join(dir, '.kdry'));
    writeFileSync(join(dir, '.kdry', 'config.yaml'), 'kubernetesVersion: "1.31"\n');
    writeFileSync(join(dir, 'job.yaml'), 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: work}\nspec:\n  managedBy: kueue.x-k8s.io/multikueue\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n');
    const fromConfig = await runCli(['simulate', 'job.yaml'], { cwd: dir });
    assert.equal(fromConfig.code, 0, fromConfig.stdout + fromConfig.stderr);
    assert.match(fromConfig.stdout, /Created pod: work-/);
    const fromFlag = await runCli(['simulate', 'job.yaml', '--kubernetes-version', '1.35'], { cwd: dir });
    assert.equal(fromFlag.code, 1);
    assert.match(fromFlag.stdout, /spec\.managedBy is "kueue\.x-k8s\.io\/multikueue", so the built-in Job controller leaves it to that controller/);
    const bad = await runCli(['simulate', 'job.yaml', '--kubernetes-version', 'latest'], { cwd: dir });
    assert.equal(bad.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules lists every rule with its severity', async () => {
  const r = await runCli(['rules'], { cwd: root });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^selector-mismatch\s+error/m);
  assert.match(r.stdout, /^misplaced-rollout-fields\s+/m);
});

test('the bundled bin runs and exits with the documented codes', () => {
  const bin = join(root, 'dist', 'cli.js');
  const ok = spawnSync(process.execPath, [bin, 'check', 'examples/corrected'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  const usage = spawnSync(process.execPath, [bin, 'simulate'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /simulate takes exactly one file/);
});

test('rules --format markdown prints docs/rules.md', async () => {
  const r = await runCli(['rules', '--format', 'markdown'], { cwd: root });
  assert.equal(r.stdout, readFileSync(join(root, 'docs', 'rules.md'), 'utf8'));
});

test('simulate a JSON 6902 patch file runs the workload its target selects, and --kustomization runs a base file as that overlay builds it (as the editor\'s Dry-run lenses do)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-kustomize-overlay-'));
  const write = (path: string, text: string) => (mkdirSync(join(dir, path, '..'), { recursive: true }), writeFileSync(join(dir, path), text));
  try {
    write('base/kustomization.yaml', 'resources: [web.yaml]\n');
    write('base/web.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: "nginx:1.27"}]}\n');
    write('staging/kustomization.yaml', 'namePrefix: staging-\nresources: [../base]\npatches:\n- path: ops.yaml\n  target: {kind: Deployment, name: web}\n');
    write('staging/ops.yaml', '- {op: replace, path: /spec/replicas, value: 3}\n');
    write('prod/kustomization.yaml', 'namePrefix: prod-\nresources: [../base]\nreplicas:\n- {name: web, count: 4}\n');
    const patch = await runCli(['simulate', 'staging/ops.yaml'], { cwd: dir });
    assert.equal(patch.code, 0, patch.stdout + patch.stderr);
    assert.match(patch.stdout, /deployment\.apps\/staging-web\s+3\/3/);
    const overlay = await runCli(['simulate', 'base/web.yaml', '--kustomization', 'prod'], { cwd: dir });
    assert.match(overlay.stdout, /deployment\.apps\/prod-web\s+4\/4/, overlay.stdout + overlay.stderr);
    assert.match((await runCli(['simulate', 'base/web.yaml'], { cwd: dir })).stdout, /deployment\.apps\/web\s+1\/1/, 'without it, kustomize build base/');
    // A folder or file that holds no kustomization (base/web.yaml is a resource).
    const elsewhere = await runCli(['simulate', 'base/web.yaml', '--kustomization', 'base/web.yaml'], { cwd: dir });
    assert.equal(elsewhere.code, 2);
    assert.match(elsewhere.stderr, /kdry: --kustomization base\/web\.yaml: no kustomization\.yaml, kustomization\.yml or Kustomization there/);
    // A path that does not exist is refused as missing, not read as its folder's kustomization (prod's).
    for (const missing of ['prod/kustomization.yml', 'prod/staging']) {
      const refused = await runCli(['simulate', 'base/web.yaml', '--kustomization', missing], { cwd: dir });
      assert.equal(refused.code, 2, refused.stdout + refused.stderr);
      assert.match(refused.stderr, new RegExp(`kdry: --kustomization ${missing}: no such file or folder`));
    }
    write('other/kustomization.yaml', 'resources: []\n');
    const unrelated = await runCli(['simulate', 'base/web.yaml', '--kustomization', 'other/kustomization.yaml'], { cwd: dir });
    assert.equal(unrelated.code, 2);
    assert.match(unrelated.stderr, /--kustomization other\/kustomization\.yaml: kustomize build .*other does not build .*base\/web\.yaml/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// argo-rollouts rollout/templateref.go Resolve: the Rollout's template is its workloadRef's
// Deployment, found in another file of the folder as `kdry check` finds it (a file with no
// `resources:` in it, so only the Deployment's kind makes kdry read it).
test('simulate a workloadRef Rollout whose Deployment is in another file of the folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-workload-ref-'));
  try {
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, 'deploy.yaml'), `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`);
    writeFileSync(join(dir, 'rollout.yaml'), `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: web-rollout}
spec:
  replicas: 2
  workloadRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  strategy:
    canary:
      steps: [{setWeight: 50}, {pause: {duration: 1h}}]
`);
    const plain = await runCli(['simulate', 'rollout.yaml'], { cwd: dir });
    assert.equal(plain.code, 0, plain.stdout + plain.stderr);
    assert.match(plain.stdout, /the Rollout is created beside Deployment web, which was running settled/);
    assert.doesNotMatch(plain.stdout, /not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
