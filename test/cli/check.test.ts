import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

const root = join(__dirname, '..', '..');

test('check reports the seed mistakes on the exact line and exits 1', async () => {
  const r = await runCli(['check', 'examples/original/deployment-rolling-update.yaml'], { cwd: root });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  // `maxSurge: 0` sits on line 11 of the file, directly under spec.
  const line = readFileSync(join(root, 'examples/original/deployment-rolling-update.yaml'), 'utf8').split('\n').findIndex((l) => l.trim().startsWith('maxSurge')) + 1;
  assert.match(r.stdout, new RegExp(`^\\s+${line}:4\\s+error\\s+.*maxSurge.*misplaced-rollout-fields`, 'm'));
  assert.match(r.stdout, /problems? \(\d+ errors?/);
});

test('the corrected examples are clean', async () => {
  const r = await runCli(['check', 'examples/corrected'], { cwd: root });
  assert.equal(r.stdout.includes('no problems') ? r.code : -1, 0, r.stdout + r.stderr);
});

test('json output lists findings with 1-based positions and a summary', async () => {
  const r = await runCli(['check', '--format', 'json', 'examples/original'], { cwd: root });
  const report = JSON.parse(r.stdout);
  assert.ok(report.summary.error > 0);
  const file = report.files.find((f: { path: string }) => f.path.endsWith('deployment-rolling-update.yaml'));
  assert.ok(file.findings.every((f: { line: number; column: number }) => f.line >= 1 && f.column >= 1));
});

test('sarif output is SARIF 2.1.0 with rule metadata and real regions', async () => {
  const r = await runCli(['check', '--format', 'sarif', 'examples/original'], { cwd: root });
  const log = JSON.parse(r.stdout);
  assert.equal(log.version, '2.1.0');
  const run = log.runs[0];
  const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
  assert.ok(ruleIds.includes('misplaced-rollout-fields'));
  assert.ok(run.results.length > 0);
  for (const res of run.results) {
    assert.ok(ruleIds.includes(res.ruleId), `${res.ruleId} has metadata`);
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
    const { region, artifactLocation } = res.locations[0].physicalLocation;
    assert.ok(region.startLine >= 1 && region.startColumn >= 1 && region.endLine >= region.startLine);
    assert.ok(!artifactLocation.uri.startsWith('/'), 'paths are relative to the checkout');
  }
});

test('stdin with "-" and --max-warnings', async () => {
  const deployment = readFileSync(join(root, 'examples/corrected/deployment-nginx.yaml'), 'utf8');
  const clean = await runCli(['check', '-'], { cwd: root, stdin: deployment });
  assert.equal(clean.code, 0, clean.stdout);
  const broken = await runCli(['check', '-'], { cwd: root, stdin: deployment.replace('replicas: 3', 'replicas: "three"') });
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /<stdin>/);
});

test('I/O and usage errors: a message on stderr and exit 2, never a stack trace', async () => {
  const missing = await runCli(['check', 'no/such/file.yaml'], { cwd: root });
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/file\.yaml: no such file or directory/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);

  const dir = mkdtempSync(join(tmpdir(), 'kdry-cli-'));
  writeFileSync(join(dir, 'junk.yaml'), Buffer.from([0x00, 0xff, 0x10, 0x00, 0x41]));
  const binary = await runCli(['check', join(dir, 'junk.yaml')], { cwd: root });
  assert.equal(binary.code, 1, 'a file that cannot be checked fails the run');
  assert.match(binary.stdout, /Not checked:\n  .*junk\.yaml: binary file \(contains NUL bytes\), not YAML/);

  const usage = await runCli(['check', '--format', 'xml'], { cwd: root });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--format must be one of stylish, json, sarif/);
  assert.equal((await runCli(['frobnicate'], { cwd: root })).code, 2);
});

test('a folder of thousands of non-Kubernetes YAML files is checked quietly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-cli-'));
  mkdirSync(join(dir, 'ci'));
  for (let i = 0; i < 2000; i++) writeFileSync(join(dir, 'ci', `workflow-${i}.yml`), `name: build ${i}\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n`);
  writeFileSync(join(dir, 'blob.yaml'), Buffer.from([0, 1, 2, 3]));
  const r = await runCli(['check', dir], { cwd: root });
  assert.equal(r.code, 1, 'the binary file found in the walk is listed, not dropped');
  assert.match(r.stdout, /blob\.yaml: binary file/);
  assert.match(r.stdout, /2000 files checked \(1 not checked\), no problems found in what was checked/);
  const allowed = await runCli(['check', '--allow-unchecked', dir], { cwd: root });
  assert.equal(allowed.code, 0, allowed.stderr);
});

test('settings from .kdry/config.yaml turn a rule off', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-cli-'));
  mkdirSync(join(dir, '.kdry'));
  writeFileSync(join(dir, 'deploy.yaml'), readFileSync(join(root, 'examples/original/deployment-rolling-update.yaml')));
  const before = await runCli(['check', 'deploy.yaml'], { cwd: dir });
  assert.match(before.stdout, /misplaced-rollout-fields/);
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'rules:\n  misplaced-rollout-fields: "off"\n');
  const after = await runCli(['check', 'deploy.yaml'], { cwd: dir });
  assert.doesNotMatch(after.stdout, /misplaced-rollout-fields/);
  writeFileSync(join(dir, '.kdry', 'config.yaml'), 'rules:\n  misplaced-rollout-fields: loud\n');
  const bad = await runCli(['check', 'deploy.yaml'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /rules\.misplaced-rollout-fields must be off, warning or error/);
});

test('kustomize patches are checked as partial objects: only what they set, and the rules that allow it', async () => {
  const r = await runCli(['check', '--format', 'json', 'test/fixtures/kustomize'], { cwd: root });
  const report = JSON.parse(r.stdout);
  const found = report.files.flatMap((f: { path: string; findings: { ruleId: string; line: number }[] }) =>
    f.findings.map((x) => `${f.path.split('/').pop()}:${x.line} ${x.ruleId}`),
  );
  // No "missing selector/template/image", no finding on `readinessProbe: null` or `$patch`/`$setElementOrder`;
  // but the typo, the bad enum and the bad label in the patches are still reported.
  assert.deepEqual(found.sort(), ['replicas.yaml:7 invalid-label', 'resources.yaml:12 schema', 'resources.yaml:13 schema']);
  // A patch checked on its own is still a patch: the kustomization beside it is read.
  const alone = await runCli(['check', 'test/fixtures/kustomize/overlays/prod/drop-probe.yaml'], { cwd: root });
  assert.equal(alone.code, 0, alone.stdout + alone.stderr);
  // Without a kustomization saying so, the same document is a (broken) Deployment.
  const dir = mkdtempSync(join(tmpdir(), 'kdry-patch-'));
  writeFileSync(join(dir, 'drop-probe.yaml'), readFileSync(join(root, 'test/fixtures/kustomize/overlays/prod/drop-probe.yaml')));
  const plain = await runCli(['check', join(dir, 'drop-probe.yaml')], { cwd: root });
  assert.equal(plain.code, 1);
  assert.match(plain.stdout, /missing the required field "selector"/);
  // A kustomization in a folder above (up to the working directory) counts too.
  mkdirSync(join(dir, 'patches'));
  writeFileSync(join(dir, 'patches', 'drop-probe.yaml'), readFileSync(join(dir, 'drop-probe.yaml')));
  // (with the Deployment it patches among the resources: kustomize fails a build whose patch matches nothing)
  writeFileSync(join(dir, 'deployment.yaml'), readFileSync(join(root, 'test/fixtures/kustomize/base/deployment.yaml')));
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n- deployment.yaml\npatches:\n- path: patches/drop-probe.yaml\n');
  const below = await runCli(['check', 'patches/drop-probe.yaml'], { cwd: dir });
  assert.equal(below.code, 0, below.stdout + below.stderr);
});
