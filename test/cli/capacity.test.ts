// `kdry capacity [DIR]`: the workloads found placed together on the cluster in force (resolved as
// `kdry check --cluster` resolves it), as text and JSON; exit 1 when a pod fits on no node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { rolloutCrdWithRule } from '../fixtures/rollout-crd';
import { container, deployment } from '../simulation-checks/manifests';
import { node } from '../simulation-checks/helpers';
import type { CapacityOutput } from '../../server/src/cli/format/capacity-text';

const cpu = (amount: string) => `        resources:\n          requests:\n            cpu: "${amount}"\n`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-capacity-'));
  mkdirSync(join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('three Deployments that fit alone crowd each other out together: exit 1 with the scheduler\'s words', async () => {
  // Three 4-CPU workers: api (3 x 2 CPU) and web (3 x 1.5 CPU) spread one pod per worker, leaving
  // 4 - 2 - 1.5 = 0.5 CPU on each; worker's 2-CPU replicas find no room anywhere.
  const dir = project({
    'apps/api.yaml': deployment('api', container(cpu('2')), '', 3),
    'apps/web.yaml': deployment('web', container(cpu('1500m')), '', 3),
    'apps/worker.yaml': deployment('worker', container(cpu('2')), '', 3),
  });
  const r = await runCli(['capacity', 'apps'], { cwd: dir });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^Capacity: 3 workloads \(9 pods\) placed together on the embedded default cluster \(4 nodes, 3 zones\)/);
  assert.match(r.stdout, /Does not fit \(3 pods stay Pending\):\n {2}Deployment\/worker \(apps\/worker\.yaml\): 3 of 3 Pending: 0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 Insufficient cpu\./);
  assert.match(r.stdout, /Fills first: worker-1 \(cpu 88% requested; the first of 3 nodes with no room left for any pod of these workloads, in the order the pods filled them\)\./);
  // The default cluster's nodes are in three zones: each zone's outage is played too.
  assert.match(r.stdout, /^Zone failures \(every node of the zone unreachable at once\): /m);
  assert.match(r.stdout, /\n {2}worker-1 +zone-a +3500m\/4 +0\/16Gi +2\/110 +500m +16Gi +108\n/);
  assert.match(r.stdout, /NODE +ZONE +CPU USED/);

  const json = JSON.parse((await runCli(['capacity', 'apps', '--format', 'json'], { cwd: dir })).stdout) as CapacityOutput;
  assert.equal(json.cluster.nodes, 4);
  const requested = json.nodes.reduce((n, x) => n + x.requested.cpu, 0);
  const placedCpu = json.workloads.reduce((n, w) => n + w.placed * w.podRequests.cpu, 0);
  assert.equal(requested, placedCpu, 'what the nodes hold is what the placed pods request');
  assert.ok(json.workloads.some((w) => w.pending > 0));
  assert.deepEqual(json.written[json.workloads[0].key], { file: join('apps', 'api.yaml'), document: 0 });
});

test('the cluster in force: --cluster FILE over .kdry/cluster.yaml over the embedded default', async () => {
  const dir = project({ 'web.yaml': deployment('web', container(cpu('6')), '', 2), 'big.yaml': node('big-1', '8') + node('big-2', '8') });
  const embedded = await runCli(['capacity', 'web.yaml'], { cwd: dir });
  assert.equal(embedded.code, 1);
  assert.match(embedded.stdout, /2 of 2 Pending: 0\/4 nodes are available/);
  mkdirSync(join(dir, '.kdry'));
  writeFileSync(join(dir, '.kdry', 'cluster.yaml'), node('small-1', '2'));
  const fromProject = await runCli(['capacity', 'web.yaml'], { cwd: dir });
  assert.match(fromProject.stdout, /on the cluster in \.kdry\/cluster\.yaml \(1 node\)/);
  assert.match(fromProject.stdout, /0\/1 nodes are available: 1 Insufficient cpu\./);
  const explicit = await runCli(['capacity', 'web.yaml', '--cluster', 'big.yaml'], { cwd: dir });
  assert.equal(explicit.code, 0, explicit.stdout);
  assert.match(explicit.stdout, /Everything fits\./);
  // Each 8-CPU node holds one 6-CPU replica; losing either leaves its replacement Pending.
  assert.match(explicit.stdout, /2 of 2 nodes with replaceable pods leave pods Pending:\n {2}big-\d: 1 of 1 replacement Pending; Deployment\/web \(web\.yaml\): 1 Pending: 0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) had untolerated taint \{node\.kubernetes\.io\/unreachable: \}\./);
});

test('patches of a kustomization are not placed; a cluster file that cannot be read is exit 2', async () => {
  const dir = project({
    'base/kustomization.yaml': 'resources:\n- web.yaml\npatches:\n- path: more.yaml\n',
    'base/web.yaml': deployment('web', container(cpu('1')), '', 1),
    'base/more.yaml': deployment('web', container(cpu('1')), '', 9),
    'broken.yaml': 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nstatus:\n  allocatable:\n    cpu: four\n',
  });
  const r = await runCli(['capacity', 'base', '--format', 'json'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as CapacityOutput;
  assert.deepEqual(json.workloads.map((w) => [w.name, w.placed]), [['web', 1]]);
  const broken = await runCli(['capacity', 'base', '--cluster', 'broken.yaml'], { cwd: dir });
  assert.equal(broken.code, 2);
  assert.match(broken.stderr, /broken\.yaml.*"four" is not a quantity/);
});

test('an Argo Rollout its schema rejects is not placed (the API server never stores it); crds: in the config judges it', async () => {
  const rollout = (replicas: number, extra = '') => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: canary
spec:
  replicas: ${replicas}${extra}
  strategy:
    canary:
      steps:
        - setWeight: 50
  selector:
    matchLabels: { app: canary }
  template:
    metadata:
      labels: { app: canary }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources: { requests: { cpu: "3" } }
`;
  const dir = project({ 'apps/rollout.yaml': rollout(3, '\n  progressDeadlineAbort: "yes"'), 'apps/api.yaml': deployment('api', container(cpu('1')), '', 1) });
  const r = await runCli(['capacity', 'apps', '--format', 'json'], { cwd: dir });
  const json = JSON.parse(r.stdout) as CapacityOutput;
  assert.deepEqual(json.workloads.map((w) => w.name), ['api'], 'the rejected Rollout takes no room');
  assert.deepEqual(json.refused, [{ kind: 'Rollout', name: 'canary', file: join('apps', 'rollout.yaml'), document: 0, errors: ['spec.progressDeadlineAbort: the API server rejects this Rollout: spec.progressDeadlineAbort: Invalid value: "yes": spec.progressDeadlineAbort in body must be of type boolean: "string" (from kdry\'s bundled Argo Rollouts schema)'] }]);
  const text = await runCli(['capacity', 'apps'], { cwd: dir });
  assert.match(text.stdout, /Not placed: Rollout\/canary \(apps\/rollout\.yaml\): spec\.progressDeadlineAbort: the API server rejects this Rollout/);

  // Accepted by the bundled schema, its pods are placed; a CRD named by the config's crds: caps the replicas with a CEL rule.
  writeFileSync(join(dir, 'apps', 'rollout.yaml'), rollout(3));
  assert.deepEqual((JSON.parse((await runCli(['capacity', 'apps', '--format', 'json'], { cwd: dir })).stdout) as CapacityOutput).workloads.map((w) => w.name), ['api', 'canary']);
  mkdirSync(join(dir, '.kdry'));
  mkdirSync(join(dir, 'vendor'));
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'crds: vendor/rollouts.yaml\n');
  writeFileSync(join(dir, 'vendor', 'rollouts.yaml'), rolloutCrdWithRule('self.replicas <= 2', 'at most 2 replicas here'));
  const capped = JSON.parse((await runCli(['capacity', 'apps', '--format', 'json'], { cwd: dir })).stdout) as CapacityOutput;
  assert.deepEqual(capped.workloads.map((w) => w.name), ['api']);
  assert.deepEqual(capped.refused[0].errors, ['spec.replicas: the API server rejects this Rollout: spec.replicas: Invalid value: "object": at most 2 replicas here (schema from the CRD in `vendor/rollouts.yaml`)']);
});

test('places the pods for the release in force: a sidecar adds to its pod only from 1.29 (SidecarContainers)', async () => {
  // One 4-CPU node on kubelet v1.28: a 2-CPU pod and a pod with a 1.5-CPU sidecar and a 1-CPU app.
  // 1.28 drops the sidecar's restartPolicy (pkg/api/pod/util.go dropDisabledFields): 2 + max(1.5, 1) = 3.5 CPU fits;
  // from 1.29 AggregateContainerRequests (component-helpers/resource/helpers.go) adds it: 2 + 2.5 = 4.5 does not.
  const sidecar = `      initContainers:\n      - name: proxy\n        image: registry.example/proxy:1.0.0\n        restartPolicy: Always\n${cpu('1500m')}`;
  const dir = project({
    'apps/batch.yaml': deployment('batch', container(cpu('2')), '', 1),
    'apps/web.yaml': deployment('web', sidecar + container(cpu('1')), '', 1),
    '.kdry/cluster.yaml': node('only', '4', '16Gi', '').replace('status:\n', 'status:\n  nodeInfo:\n    kubeletVersion: v1.28.15\n'),
  });
  const old = await runCli(['capacity', 'apps'], { cwd: dir });
  assert.equal(old.code, 0, old.stdout + old.stderr);
  assert.match(old.stdout, /^Kubernetes 1\.28 \(from \.kdry\/cluster\.yaml: nodes run kubelet v1\.28\.15\)$/m);
  const named = await runCli(['capacity', '--format', 'json', '--kubernetes-version', '1.35', 'apps'], { cwd: dir });
  assert.equal(named.code, 1);
  const output = JSON.parse(named.stdout) as CapacityOutput;
  assert.deepEqual(output.kubernetes, { version: '1.35', reason: 'from --kubernetes-version' });
  assert.deepEqual(output.workloads.map((w) => [w.name, w.pending]), [['batch', 0], ['web', 1]]);
});
