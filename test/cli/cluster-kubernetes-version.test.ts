// `kdry check` and `kdry simulate` take the release from the cluster file's kubelets when neither
// --kubernetes-version nor the config's kubernetesVersion names one, in the editor's order
// (release-in-force.ts), and say which release is in force and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { BUNDLED_RELEASES } from '../../server/src/schema';
import { RESTART_RULES_POD as POD, kubeletNode as node } from '../fixtures/kubernetes-release';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-cli-release-'));
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, '.kdry'));
  // Mid-upgrade: one node still on 1.30; the newest kubelet says 1.31.
  writeFileSync(join(dir, '.kdry', 'cluster.yaml'), node('old', 'v1.30.9') + node('new', 'v1.31.4') + node('unknown'));
  writeFileSync(join(dir, 'pod.yaml'), POD);
  return dir;
}

const dated = (stdout: string) => [...stdout.matchAll(/"restartPolicyRules" is not in Kubernetes (\S+) \(added in 1\.34\)/g)].map((m) => m[1]);

test('.kdry/cluster.yaml: the newest kubelet decides the release; stylish, JSON and SARIF say which and why', async () => {
  const dir = project();
  const stylish = await runCli(['check', 'pod.yaml'], { cwd: dir });
  assert.deepEqual(dated(stylish.stdout), ['1.31']);
  assert.match(stylish.stdout, /^Checked for Kubernetes 1\.31 \(from \.kdry\/cluster\.yaml: nodes run kubelet v1\.31\.4\)$/m);
  const json = JSON.parse((await runCli(['check', '--format', 'json', 'pod.yaml'], { cwd: dir })).stdout);
  assert.deepEqual(json.kubernetes, { version: '1.31', source: 'cluster-file', reason: 'from .kdry/cluster.yaml: nodes run kubelet v1.31.4' });
  const sarif = JSON.parse((await runCli(['check', '--format', 'sarif', 'pod.yaml'], { cwd: dir })).stdout);
  assert.deepEqual(sarif.runs[0].properties, { kubernetesVersion: '1.31', kubernetesVersionSource: 'cluster-file', kubernetesVersionReason: 'from .kdry/cluster.yaml: nodes run kubelet v1.31.4', excluded: [] });
  // The simulation checks being off does not change the release: the file is still read for it.
  assert.deepEqual(dated((await runCli(['check', '--no-simulation', 'pod.yaml'], { cwd: dir })).stdout), ['1.31']);
});

test('the order: --kubernetes-version, then kubernetesVersion in the config, then --cluster FILE over .kdry/cluster.yaml', async () => {
  const dir = project();
  writeFileSync(join(dir, 'nodes-133.yaml'), node('a', 'v1.33.1'));
  const fromCluster = await runCli(['check', '--cluster', 'nodes-133.yaml', 'pod.yaml'], { cwd: dir });
  assert.deepEqual(dated(fromCluster.stdout), ['1.33']);
  assert.match(fromCluster.stdout, /Checked for Kubernetes 1\.33 \(from nodes-133\.yaml: nodes run kubelet v1\.33\.1\)/);
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'kubernetesVersion: "1.32"\n');
  const fromConfig = await runCli(['check', '--cluster', 'nodes-133.yaml', 'pod.yaml'], { cwd: dir });
  assert.deepEqual(dated(fromConfig.stdout), ['1.32']);
  assert.match(fromConfig.stdout, /Checked for Kubernetes 1\.32 \(from kubernetesVersion in \.kdry\/config\.yaml\)/);
  const fromFlag = await runCli(['check', '--kubernetes-version', '1.30', 'pod.yaml'], { cwd: dir });
  assert.deepEqual(dated(fromFlag.stdout), ['1.30']);
  assert.match(fromFlag.stdout, /Checked for Kubernetes 1\.30 \(from --kubernetes-version\)/);
});

test('nodes that report no kubelet version, or no cluster file: the newest bundled release, and the output says so', async () => {
  const newest = BUNDLED_RELEASES[BUNDLED_RELEASES.length - 1];
  const dir = project();
  writeFileSync(join(dir, '.kdry', 'cluster.yaml'), node('unknown'));
  const r = await runCli(['check', 'pod.yaml'], { cwd: dir });
  assert.deepEqual(dated(r.stdout), []);
  assert.match(r.stdout, new RegExp(`Checked for Kubernetes ${newest.replace('.', '\\.')} \\(the newest release kdry bundles \\(no node in \\.kdry/cluster\\.yaml reports status\\.nodeInfo\\.kubeletVersion\\)\\)`));
  const bare = mkdtempSync(join(tmpdir(), 'kdry-cli-release-'));
  writeFileSync(join(bare, 'pod.yaml'), POD);
  assert.match((await runCli(['check', 'pod.yaml'], { cwd: bare })).stdout, new RegExp(`Checked for Kubernetes ${newest.replace('.', '\\.')} \\(the newest release kdry bundles\\)\n`));
});

test('a chart template that picks its apiVersion by version: the note names the cluster file as the source of the release', async () => {
  const dir = project();
  mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
  writeFileSync(
    join(dir, 'chart', 'templates', 'ingress.yaml'),
    `{{- if semverCompare ">=1.32-0" .Capabilities.KubeVersion.GitVersion -}}\napiVersion: networking.k8s.io/v1\n{{- else -}}\napiVersion: networking.k8s.io/v1\n{{- end }}\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  ingressClassName: nginx\n`,
  );
  const r = await runCli(['check', '--format', 'json', 'chart'], { cwd: dir });
  const notes = JSON.parse(r.stdout).files.flatMap((f: { findings: { ruleId: string; message: string }[] }) => f.findings).filter((f: { ruleId: string }) => f.ruleId === 'template-version-branch');
  assert.deepEqual(
    notes.map((n: { message: string }) => n.message),
    ['On Kubernetes 1.31 (from .kdry/cluster.yaml: nodes run kubelet v1.31.4) no condition before `else` holds, so it takes the `else` branch; kdry checked the document as it renders there.'],
  );
});

// JobManagedBy (pkg/features/kube_features.go: beta, on by default from 1.32) makes the built-in Job
// controller leave a Job another controller manages alone (pkg/controller/job/job_controller.go syncJob).
test('simulate: the --cluster file kubelets give the release when none is named, and the timeline says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-cli-release-'));
  writeFileSync(join(dir, 'nodes.yaml'), node('a', 'v1.31.4') + node('b', 'v1.31.4'));
  writeFileSync(join(dir, 'job.yaml'), 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: work}\nspec:\n  managedBy: kueue.x-k8s.io/multikueue\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n');
  const old = await runCli(['simulate', 'job.yaml', '--cluster', 'nodes.yaml'], { cwd: dir });
  assert.equal(old.code, 0, old.stdout + old.stderr);
  assert.match(old.stdout, /^Kubernetes 1\.31 \(from nodes\.yaml: nodes run kubelet v1\.31\.4\)$/m);
  assert.match(old.stdout, /Created pod: work-/);
  const json = JSON.parse((await runCli(['simulate', 'job.yaml', '--cluster', 'nodes.yaml', '--format', 'json'], { cwd: dir })).stdout);
  assert.deepEqual(json.kubernetes, { version: '1.31', reason: 'from nodes.yaml: nodes run kubelet v1.31.4' });
  const named = await runCli(['simulate', 'job.yaml', '--cluster', 'nodes.yaml', '--kubernetes-version', '1.35'], { cwd: dir });
  assert.equal(named.code, 1);
  assert.match(named.stdout, /^Kubernetes 1\.35 \(from --kubernetes-version\)$/m);
  assert.match(named.stdout, /so the built-in Job controller leaves it to that controller/);
});

// The simulation checks of `kdry check` simulate the release the schema checks use. A Job that
// another controller manages: from 1.32 (JobManagedBy on) the built-in controller leaves it alone,
// so its activeDeadlineSeconds is not the engine's to judge; in 1.31 the built-in controller runs
// it (the API server drops managedBy: pkg/registry/batch/job/strategy.go dropJobDisabledFields).
const MANAGED_JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: reindex
spec:
  managedBy: kueue.x-k8s.io/multikueue
  completions: 10
  parallelism: 2
  activeDeadlineSeconds: 200
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: reindex
        image: registry.example/reindex:3.0.0
        command: ["sh", "-c", "reindex --all && sleep 60"]
`;

test('check: the simulation checks follow the release in force (.kdry/cluster.yaml kubelets, else --kubernetes-version)', async () => {
  const dir = project();
  writeFileSync(join(dir, 'job.yaml'), MANAGED_JOB);
  const deadline = (stdout: string) => JSON.parse(stdout).files.flatMap((f: { findings: { ruleId: string }[] }) => f.findings).filter((f: { ruleId: string }) => f.ruleId === 'job-deadline-exceeded');
  const fromCluster = await runCli(['check', '--format', 'json', 'job.yaml'], { cwd: dir });
  assert.equal(JSON.parse(fromCluster.stdout).kubernetes.version, '1.31');
  assert.equal(deadline(fromCluster.stdout).length, 1, fromCluster.stdout);
  const named = await runCli(['check', '--format', 'json', '--kubernetes-version', '1.35', 'job.yaml'], { cwd: dir });
  assert.deepEqual(deadline(named.stdout), []);
});

test('simulate: without --cluster, the cluster in force is the config\'s clusterFile, else .kdry/cluster.yaml: its nodes and its kubelets\' release', async () => {
  const dir = project();
  writeFileSync(join(dir, 'job.yaml'), 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: work}\nspec:\n  managedBy: kueue.x-k8s.io/multikueue\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n');
  const fromProject = await runCli(['simulate', 'job.yaml'], { cwd: dir });
  assert.equal(fromProject.code, 0, fromProject.stdout + fromProject.stderr);
  assert.match(fromProject.stdout, /^Kubernetes 1\.31 \(from \.kdry\/cluster\.yaml: nodes run kubelet v1\.31\.4\)$/m);
  // The pod runs on a node of .kdry/cluster.yaml, not of the embedded default cluster.
  assert.match(fromProject.stdout, /^Simulating Job\/work on \.kdry\/cluster\.yaml \(3 nodes\)$/m);
  assert.match(fromProject.stdout, /Successfully assigned default\/work-\S+ to (old|new|unknown)\n/);
  writeFileSync(join(dir, 'nodes-133.yaml'), node('a', 'v1.33.1'));
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'clusterFile: nodes-133.yaml\n');
  const fromConfig = await runCli(['simulate', 'job.yaml'], { cwd: dir });
  assert.match(fromConfig.stdout, /^Kubernetes 1\.33 \(from nodes-133\.yaml: nodes run kubelet v1\.33\.1\)$/m);
  // 1.33 leaves the managed Job to its controller; the nodes are the config's.
  assert.match(fromConfig.stdout, /^Simulating Job\/work on nodes-133\.yaml \(1 nodes\)$/m);
  // --cluster still comes first.
  writeFileSync(join(dir, 'nodes-132.yaml'), node('b', 'v1.32.0'));
  assert.match((await runCli(['simulate', 'job.yaml', '--cluster', 'nodes-132.yaml'], { cwd: dir })).stdout, /^Kubernetes 1\.32 \(from nodes-132\.yaml: nodes run kubelet v1\.32\.0\)$/m);
});
