// `kdry check --crds PATH` (repeatable, file or folder), `crds:` in .kdry/config.yaml, and CRDs
// among the checked files: custom resources are judged by them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

const CRD = join(__dirname, '..', 'fixtures', 'crds', 'widgets.yaml');
const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: small
  maxReplicas: 3
  colour: blue
`;

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-crds-'));
  mkdirSync(join(dir, 'crds'));
  copyFileSync(CRD, join(dir, 'crds', 'widgets.yaml'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'widget.yaml'), WIDGET);
  return dir;
}

test('--crds with a folder: the custom resource is judged by the CRD, which is not reported itself', async () => {
  const dir = project();
  const r = await runCli(['check', 'app', '--crds', 'crds'], { cwd: dir });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /8:3\s+error\s+Unknown field "colour" in spec\..*schema from the CRD in `crds\/widgets\.yaml`/);
  assert.doesNotMatch(r.stdout, /crds\/widgets\.yaml\n/, 'the CRD file is not among the checked files');
});

test('without the CRD the custom resource is not judged, and its file is partly checked; --crds takes files and repeats', async () => {
  const dir = project();
  const alone = await runCli(['check', 'app'], { cwd: dir });
  assert.equal(alone.code, 1, alone.stdout);
  assert.match(alone.stdout, /Partly checked:\n  app\/widget\.yaml: Widget "w" \(example\.com\/v1, document 1\) was not validated: kdry found no CustomResourceDefinition for it/);
  assert.doesNotMatch(alone.stdout, /colour/);
  const other = join(dir, 'other.yaml');
  writeFileSync(other, 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n');
  const r = await runCli(['check', 'app', '--crds', 'other.yaml', '--crds', 'crds/widgets.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /Unknown field "colour"/);
  // A --crds file that holds no CRD is named: the user meant it to judge something.
  assert.match(r.stderr, /kdry: other\.yaml: holds no CustomResourceDefinition/);
});

test('crds: in .kdry/config.yaml, relative to the project', async () => {
  const dir = project();
  // The config is looked up from the working directory up to the repository root (see config.ts).
  mkdirSync(join(dir, '.git'));
  mkdirSync(join(dir, '.kdry'));
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'crds:\n  - crds\n');
  const r = await runCli(['check', 'widget.yaml'], { cwd: join(dir, 'app') });
  assert.match(r.stdout, /Unknown field "colour"/, r.stdout + r.stderr);
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'crds: 3\n');
  const bad = await runCli(['check', 'widget.yaml'], { cwd: join(dir, 'app') });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /crds must be a file or folder, or a list of them/);
});

test('a CRD among the checked files counts; a missing --crds path is an I/O error (exit 2)', async () => {
  const dir = project();
  const r = await runCli(['check', '.'], { cwd: dir });
  assert.match(r.stdout, /Unknown field "colour"/);
  // Missing: an I/O error naming it, and the Widget it would have judged is not called checked (exit 1 for that comes first).
  const missing = await runCli(['check', 'app', '--crds', 'nowhere'], { cwd: dir });
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /kdry: nowhere: no such file or directory/);
  assert.match(missing.stdout, /app\/widget\.yaml: Widget "w" .* was not validated/);
  assert.equal((await runCli(['check', 'app', '--allow-unchecked', '--crds', 'nowhere'], { cwd: dir })).code, 2);
});

test('a CRD among the checked files is checked itself as the API server checks it on create (crd-definition); one given with --crds is not', async () => {
  const dir = project();
  const bad = readFileSync(join(__dirname, '..', '..', 'server', 'src', 'rules', 'fixtures', 'crd-definition', 'bad-1.yaml'), 'utf8');
  writeFileSync(join(dir, 'crds', 'gpupools.yaml'), bad);
  const r = await runCli(['check', 'crds'], { cwd: dir });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  // On the rule's line (27 in bad-1.yaml), in the API server's words.
  assert.match(r.stdout, /27:\d+\s+error\s+The API server refuses this CustomResourceDefinition: spec\.versions\[0\]\.schema\.openAPIV3Schema\.properties\[spec\]\.properties\[tags\]\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x/);
  const judgedOnly = await runCli(['check', 'app', '--crds', 'crds'], { cwd: dir });
  assert.doesNotMatch(judgedOnly.stdout, /refuses this CustomResourceDefinition/);
});

// The trial's U6: a tool's own configuration and kustomize's local-config objects reach no API server
// (kustomize api/resource/factory.go Factory.DropLocalNodes), so there is no CRD to name: not "partly checked".
test('tool configurations and local-config objects are said to be no cluster objects, not partly checked; a CRD for their kind still judges them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-tools-'));
  writeFileSync(join(dir, 'kind.yaml'), 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n');
  writeFileSync(join(dir, 'kubeadm.yaml'), 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.34.0\n');
  writeFileSync(join(dir, 'skaffold.yaml'), 'apiVersion: skaffold/v4beta11\nkind: Config\nmetadata: {name: app}\n');
  writeFileSync(join(dir, 'fn.yaml'), 'apiVersion: fn.kpt.dev/v1alpha1\nkind: SetLabels\nmetadata:\n  name: set\n  annotations: {config.kubernetes.io/local-config: "true"}\nlabels: {app: x}\n');
  const clean = await runCli(['check', '--no-simulation', '.'], { cwd: dir });
  assert.equal(clean.code, 0, clean.stdout);
  assert.doesNotMatch(clean.stdout, /Partly checked/);
  assert.match(clean.stdout, /Cluster \(kind\.x-k8s\.io\/v1alpha4\) is kind's cluster configuration \(`kind create cluster --config`\), read by that tool: no API server receives it, so kdry does not validate it\./);
  assert.match(clean.stdout, /SetLabels \(fn\.kpt\.dev\/v1alpha1\) is marked config\.kubernetes\.io\/local-config, which kustomize and kpt leave out of what they apply/);
  assert.match(clean.stdout, /4 problems \(0 errors, 0 warnings, 4 info\)/);

  // local-config "false" is applied: back to a custom resource without a schema.
  writeFileSync(join(dir, 'fn.yaml'), readFileSync(join(dir, 'fn.yaml'), 'utf8').replace('"true"', '"false"'));
  const applied = await runCli(['check', '--no-simulation', 'fn.yaml'], { cwd: dir });
  assert.equal(applied.code, 1);
  assert.match(applied.stdout, /Partly checked:\n  fn\.yaml: SetLabels "set" \(fn\.kpt\.dev\/v1alpha1, document 1\) was not validated/);

  // With a CRD for the kind, the CRD judges it.
  const crd = readFileSync(CRD, 'utf8').replaceAll('example.com', 'kind.x-k8s.io').replaceAll('widgets', 'clusters').replaceAll('Widget', 'Cluster').replaceAll('widget', 'cluster');
  writeFileSync(join(dir, 'crd.yaml'), crd);
  const judged = await runCli(['check', '--no-simulation', 'kind.yaml', '--crds', 'crd.yaml'], { cwd: dir });
  assert.doesNotMatch(judged.stdout, /no API server receives it/);
  assert.match(judged.stdout, /no matches for kind "Cluster" in version "kind\.x-k8s\.io\/v1alpha4"/, judged.stdout);
});

test("a file checked alone: the CRDs its kustomization lists under resources judge it, as kubectl apply -k creates them with it (trial 18's defect 8)", async () => {
  const dir = project();
  writeFileSync(join(dir, 'app', 'kustomization.yaml'), 'resources:\n- ../crds/widgets.yaml\n- widget.yaml\n');
  const r = await runCli(['check', 'app/widget.yaml'], { cwd: dir });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /8:3\s+error\s+Unknown field "colour" in spec\..*schema from the CRD in `crds\/widgets\.yaml`/);
  assert.doesNotMatch(r.stdout, /Partly checked/);
  // Without the kustomization's entry the Widget is not judged (partly checked), as before.
  writeFileSync(join(dir, 'app', 'kustomization.yaml'), 'resources:\n- widget.yaml\n');
  const without = await runCli(['check', 'app/widget.yaml'], { cwd: dir });
  assert.match(without.stdout, /Partly checked/);
});
