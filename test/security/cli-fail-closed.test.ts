// `kdry check` as a CI gate: it never says "clean" about what it did not check. Files too large,
// binary, cut after 2,000 documents, or switched off by a config above the repository are listed
// in every format, and the run fails unless --allow-unchecked says otherwise.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { badDeployment, GOOD_DEPLOYMENT, hostileRepos, runKdry } from './hostile-repo';

const repo = hostileRepos();

describe('files kdry does not check fail the run and are listed in every format', () => {
  // The reproductions from the issue: an invalid Deployment padded past 2 MB, a file with a NUL
  // byte, and 2,001 documents with the bad one last. Before: "no problems", exit 0.
  const padded = badDeployment() + `# ${'x'.repeat(2 * 1024 * 1024)}\n`;
  const many = Array.from({ length: 2000 }, (_, i) => GOOD_DEPLOYMENT.replace('name: web', `name: web-${i}`)).join('---\n') + '---\n' + badDeployment('last');
  const root = repo({ 'k8s/padded.yaml': padded, 'k8s/nul.yaml': Buffer.from('apiVersion: v1\nkind: ConfigMap\n\0\n'), 'k8s/many.yaml': many, 'k8s/ok.yaml': GOOD_DEPLOYMENT });

  test('stylish: a "Not checked" and a "Partly checked" list, the summary says so, exit 1', async () => {
    // Without the simulation checks: 2,000 Deployments placed together on the embedded cluster crowd each other out
    // (resource-crowding), which is beside the point of these counts.
    const r = await runKdry(['check', '--no-simulation', 'k8s'], root);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /Not checked:\n {2}k8s\/nul\.yaml: binary file \(contains NUL bytes\), not YAML\n {2}k8s\/padded\.yaml: This file is 2\.0 MB; kdry checks files up to 2 MB/);
    assert.match(r.stdout, /Partly checked:\n {2}k8s\/many\.yaml: This file has more than 2000 YAML documents; kdry checked the first 2000/);
    assert.doesNotMatch(r.stdout, /no problems\n/);
    assert.match(r.stdout, /2 problems \(0 errors, 0 warnings, 2 info\) in 2 files checked \(2 not checked, 1 only partly checked\)/);
    assert.match(r.stderr, /2 files not checked and 1 only partly checked .* --allow-unchecked accepts them/);
  });

  test('json: each file says how much of it was checked, and why not', async () => {
    const r = await runKdry(['check', '--format', 'json', 'k8s'], root);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout);
    const coverage = Object.fromEntries(report.files.map((f: { path: string; coverage: string; notChecked: string[] }) => [f.path, [f.coverage, f.notChecked.length]]));
    assert.deepEqual(coverage, { 'k8s/many.yaml': ['partial', 1], 'k8s/ok.yaml': ['full', 0], 'k8s/padded.yaml': ['none', 1], 'k8s/nul.yaml': ['none', 1] });
    assert.deepEqual([report.summary.notChecked, report.summary.partlyChecked], [2, 1]);
  });

  test('sarif: toolExecutionNotifications name each file, at error level unless allowed', async () => {
    const r = await runKdry(['check', '--format', 'sarif', 'k8s'], root);
    assert.equal(r.code, 1);
    const [invocation] = JSON.parse(r.stdout).runs[0].invocations;
    const notes = invocation.toolExecutionNotifications.map((n: { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [n.locations[0].physicalLocation.artifactLocation.uri, n.level, n.message.text.split(':')[0]]);
    assert.deepEqual(notes.sort(), [
      ['k8s/many.yaml', 'error', 'Partly checked'],
      ['k8s/nul.yaml', 'error', 'Not checked'],
      ['k8s/padded.yaml', 'error', 'Not checked'],
    ]);
    const allowed = JSON.parse((await runKdry(['check', '--format', 'sarif', '--allow-unchecked', 'k8s'], root)).stdout);
    assert.ok(allowed.runs[0].invocations[0].toolExecutionNotifications.every((n: { level: string }) => n.level === 'warning'));
  });

  test('--allow-unchecked accepts them (still listed); what was checked still decides', async () => {
    const r = await runKdry(['check', '--allow-unchecked', 'k8s'], root);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Not checked:/);
    const bad = repo({ 'a.yaml': badDeployment(), 'b.yaml': Buffer.from('\0') });
    assert.equal((await runKdry(['check', '--allow-unchecked', '.'], bad)).code, 1, 'errors in what was checked still fail');
  });

  test('the too-large file is decided before it is parsed: an 18 MB file within the heap cap', async () => {
    const big = repo({ 'big.yaml': badDeployment() + `data: "${'y'.repeat(18 * 1024 * 1024)}"\n` });
    const r = await runKdry(['check', 'big.yaml'], big);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /Not checked:\n {2}big\.yaml: This file is 18\.0 MB/);
  });
});

describe('a chart template document kdry cannot check makes the file partly checked', () => {
  test('kind chosen by a template action: listed as partly checked, info finding, exit 1 by default', async () => {
    const root = repo({ 'templates/deploy.yaml': 'apiVersion: apps/v1\nkind: {{ .Values.kind }}\nmetadata:\n  name: x\nspec:\n  replica: 1\n', 'templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  ports:\n  - port: 80\n' });
    const r = await runKdry(['check', 'templates'], root);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, /templates\/deploy\.yaml\n {2}1:1 {2}info {5}This template's kind or apiVersion comes from a template action.* {2}template-not-checked/);
    assert.match(r.stdout, /Partly checked:\n {2}templates\/deploy\.yaml: This template's kind/);
    assert.doesNotMatch(r.stdout, /svc\.yaml/);
  });

  test('a rule setting or a suppression comment cannot turn the "partly checked" off', async () => {
    const root = repo({ '.kdry/config.yaml': 'rules:\n  template-not-checked: "off"\n', 'deploy.yaml': '# kdry-disable-next-line\napiVersion: apps/v1\nkind: {{ .Values.kind }}\n' }, { git: true });
    const r = await runKdry(['check', 'deploy.yaml'], root);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Partly checked:\n {2}deploy\.yaml/);
  });
});

describe('settings come from the repository, not from above it, and the one used is shown', () => {
  test('a parent folder\'s config that disables checks is not read: the errors are found', async () => {
    // The reproduction: `enable: false` in a .kdry/config.yaml above the repository turned 4 errors
    // into "1 file checked, no problems", exit 0.
    const outer = repo({ '.kdry/config.yaml': 'enable: false\n' });
    const inner = join(outer, 'checkout');
    mkdirSync(join(inner, '.git'), { recursive: true });
    writeFileSync(join(inner, 'deploy.yaml'), badDeployment());
    mkdirSync(join(inner, 'sub'));
    for (const cwd of [inner, join(inner, 'sub')]) {
      const r = await runKdry(['check', join(inner, 'deploy.yaml')], cwd);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stdout, /2 problems \(2 errors/);
      assert.doesNotMatch(r.stdout, /Settings from/);
    }
    // Outside any repository only the working directory is searched.
    const loose = repo({ 'work/deploy.yaml': badDeployment(), '.kdry/config.yaml': 'enable: false\n' });
    assert.equal((await runKdry(['check', 'deploy.yaml'], join(loose, 'work'))).code, 1);
  });

  test('the repository\'s own config is used and shown; one that disables checks fails the gate', async () => {
    const root = repo({ '.kdry/config.yaml': 'rules:\n  schema: warning\n', 'sub/deploy.yaml': badDeployment() }, { git: true });
    const r = await runKdry(['check', 'deploy.yaml'], join(root, 'sub'));
    assert.match(r.stdout, new RegExp(`^Settings from ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\.kdry/config\\.yaml\\n`));
    assert.equal(r.code, 0, 'the errors became warnings, as the config says');
    const sarif = JSON.parse((await runKdry(['check', '--format', 'sarif', 'deploy.yaml'], join(root, 'sub'))).stdout);
    assert.match(sarif.runs[0].invocations[0].toolConfigurationNotifications[0].message.text, /^Settings from .*\.kdry\/config\.yaml$/);

    writeFileSync(join(root, '.kdry/config.yaml'), 'enable: false\n');
    const off = await runKdry(['check', 'sub/deploy.yaml'], root);
    assert.equal(off.code, 1, 'nothing was checked: not a pass');
    assert.match(off.stdout, /^Settings from \.kdry\/config\.yaml, which disables every check \(enable: false\)/);
    assert.match(off.stdout, /Not checked:\n {2}sub\/deploy\.yaml: checks are disabled by \.kdry\/config\.yaml \(enable: false\)/);
    const json = JSON.parse((await runKdry(['check', '--format', 'json', 'sub/deploy.yaml'], root)).stdout);
    assert.deepEqual([json.config, json.checksDisabled], ['.kdry/config.yaml', true]);
  });
});

test('a file that is not UTF-8 gets an error finding where the bad bytes start', async () => {
  const text = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]);
  const root = repo({ 'cm.yaml': text });
  const r = await runKdry(['check', 'cm.yaml'], root);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /6:10 {2}error {4}This file is not valid UTF-8 from here on: kubectl refuses it .* {2}invalid-utf8/);
});
