// `kdry check` runs the simulation-backed rules on the cluster in force, resolved as the editor
// resolves it: --cluster FILE, else clusterFile in .kdry/config.yaml or .kdry/cluster.yaml in the
// project folder (workspace/cluster-file.ts clusterFileIn), else the embedded default cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';
import { deployment, container } from '../simulation-checks/manifests';
import { node } from '../simulation-checks/helpers';

const web = deployment('web', container(`        resources:\n          requests:\n            cpu: "6"\n`), '', 2);

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-check-cluster-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'web.yaml'), web);
  return dir;
}

test('the embedded default cluster: a 6-CPU request fits no 4-CPU worker', async () => {
  const dir = project();
  const r = await runCli(['check', 'web.yaml'], { cwd: dir });
  assert.match(r.stdout, /2 of 2 replicas can never be scheduled on the embedded default cluster \(4 nodes\): 0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role.kubernetes.io\/control-plane: \}, 3 Insufficient cpu\..*unschedulable-replicas/);
  assert.equal(r.code, 0, 'a warning');
});

test('--cluster FILE, else .kdry/cluster.yaml, else clusterFile from the config: the nodes decide', async () => {
  const dir = project();
  writeFileSync(join(dir, 'big.yaml'), node('big-1', '8') + node('big-2', '8'));
  writeFileSync(join(dir, 'small.yaml'), node('small-1', '2'));
  assert.doesNotMatch((await runCli(['check', '--cluster', 'big.yaml', 'web.yaml'], { cwd: dir })).stdout, /unschedulable-replicas/, 'fits on 8-CPU nodes');
  mkdirSync(join(dir, '.kdry'));
  writeFileSync(join(dir, '.kdry', 'cluster.yaml'), node('small-1', '2'));
  const fromProject = await runCli(['check', 'web.yaml'], { cwd: dir });
  assert.match(fromProject.stdout, /on the cluster in \.kdry\/cluster\.yaml \(1 nodes\): 0\/1 nodes are available: 1 Insufficient cpu\./);
  assert.doesNotMatch((await runCli(['check', '--cluster', 'big.yaml', 'web.yaml'], { cwd: dir })).stdout, /unschedulable-replicas/, '--cluster wins over .kdry/cluster.yaml');
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'clusterFile: big.yaml\n');
  assert.doesNotMatch((await runCli(['check', 'web.yaml'], { cwd: dir })).stdout, /unschedulable-replicas/, 'clusterFile wins over .kdry/cluster.yaml');
});

test('--no-simulation and simulationChecks: false turn the simulation-backed rules off', async () => {
  const dir = project();
  assert.doesNotMatch((await runCli(['check', '--no-simulation', 'web.yaml'], { cwd: dir })).stdout, /unschedulable-replicas/);
  mkdirSync(join(dir, '.kdry'));
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'simulationChecks: false\n');
  assert.doesNotMatch((await runCli(['check', 'web.yaml'], { cwd: dir })).stdout, /unschedulable-replicas/);
});

test('a cluster file that cannot be read is an input error naming the file and field', async () => {
  const dir = project();
  writeFileSync(join(dir, 'broken.yaml'), 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nstatus:\n  allocatable:\n    cpu: four\n');
  const r = await runCli(['check', '--cluster', 'broken.yaml', 'web.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /broken\.yaml.*cpu.*"four" is not a quantity/);
});
