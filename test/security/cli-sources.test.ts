// What `kdry check` reads besides the files it checks, and how it fails when it cannot: CRD
// sources (--crds and a repository's `crds:`), links named on the command line, standard input.
// Each case runs the built bin over real files, FIFOs and links (hostile-repo.ts) and asserts the
// exit code and the words, and that nothing outside the roots was read.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { badDeployment, GOOD_DEPLOYMENT, hostileRepos, runKdry } from './hostile-repo';

const repo = hostileRepos();
const CRD = readFileSync(join(__dirname, '..', 'fixtures', 'crds', 'widgets.yaml'), 'utf8');
/** Two mistakes its CRD rejects (an unknown field, an enum value). */
const WIDGET = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  size: tiny\n  colour: blue\n';
const CHECK = ['check', '--no-simulation', '--kubernetes-version', '1.35'];

interface JsonFile {
  path: string;
  coverage: string;
  notChecked: string[];
  findings: { ruleId: string }[];
}

function jsonFiles(stdout: string): JsonFile[] {
  return JSON.parse(stdout).files;
}

describe('a CRD source that cannot be read fails the gate (trial D7)', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['broken YAML', { 'crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: [broken\n' }, /crd\.yaml: line \d+: Flow sequence .*; the CustomResourceDefinitions in this file were not read/],
    ['a FIFO', { 'crd.yaml': { fifo: true } }, /crd\.yaml: not a regular file \(a FIFO\); not read/],
    ['a file with no CRD', { 'crd.yaml': GOOD_DEPLOYMENT }, /crd\.yaml: holds no CustomResourceDefinition/],
    ['a folder with a FIFO', { 'crds/w.yaml': { fifo: true } }, /crds\/w\.yaml: not a regular file \(a FIFO\); not read/],
  ];
  for (const [what, entries, message] of cases) {
    test(`--crds naming ${what}: the source is named with the reason, the Widget is not reported checked, the run fails`, async () => {
      const root = repo({ ...(entries as Record<string, string>), 'widget.yaml': WIDGET });
      const source = 'crds/w.yaml' in entries ? 'crds' : 'crd.yaml';
      const r = await runKdry([...CHECK, '--format', 'json', 'widget.yaml', '--crds', source], root);
      assert.match(r.stderr, message);
      assert.notEqual(r.code, 0);
      const [widget] = jsonFiles(r.stdout);
      assert.equal(widget.coverage, 'partial');
      assert.match(widget.notChecked[0], /Widget "w" \(example\.com\/v1, document 1\) was not validated: kdry found no CustomResourceDefinition for it/);
      // Accepting unchecked files does not accept an input that could not be read.
      const allowed = await runKdry([...CHECK, '--allow-unchecked', 'widget.yaml', '--crds', source], root);
      assert.equal(allowed.code, 2, allowed.stderr);
    });
  }

  test('a readable CRD judges the Widget: full coverage, its errors found', async () => {
    const root = repo({ 'crd.yaml': CRD, 'widget.yaml': WIDGET });
    const r = await runKdry([...CHECK, '--format', 'json', 'widget.yaml', '--crds', 'crd.yaml'], root);
    assert.equal(r.code, 1);
    const [widget] = jsonFiles(r.stdout);
    assert.equal(widget.coverage, 'full');
    assert.ok(widget.findings.filter((f) => f.ruleId === 'custom-resource').length >= 2, r.stdout);
  });

  test('a custom resource with no CRD and no bundled schema is partly checked; kustomization.yaml and bundled kinds are not', async () => {
    const root = repo({
      'widget.yaml': WIDGET,
      'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- monitor.yaml\n',
      'monitor.yaml': 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: m\nspec:\n  selector: {}\n  endpoints:\n  - port: web\n',
    });
    const r = await runKdry([...CHECK, '--format', 'json', '.'], root);
    assert.equal(r.code, 1, r.stderr);
    const coverage = Object.fromEntries(jsonFiles(r.stdout).map((f) => [f.path, f.coverage]));
    assert.deepEqual(coverage, { 'kustomization.yaml': 'full', 'monitor.yaml': 'full', 'widget.yaml': 'partial' });
    assert.match(r.stderr, /1 only partly checked/);
    // The same in a chart's template: what it writes literally is never judged without a schema.
    const chart = repo({ 'chart/Chart.yaml': 'apiVersion: v2\nname: w\nversion: 0.1.0\n', 'chart/templates/widget.yaml': WIDGET.replace('name: w', 'name: {{ .Release.Name }}-w') });
    const templated = await runKdry([...CHECK, '--format', 'json', 'chart'], chart);
    assert.equal(templated.code, 1, templated.stderr);
    const [, template] = jsonFiles(templated.stdout);
    assert.equal(template.coverage, 'partial');
    assert.match(template.notChecked[0], /^Widget \(example\.com\/v1, document 1\) was not validated/);
    // The custom-resource rule turned off: the user chose not to have custom resources judged.
    const off = repo({ 'widget.yaml': WIDGET, '.kdry/config.yaml': 'rules:\n  custom-resource: "off"\n' });
    assert.equal((await runKdry([...CHECK, 'widget.yaml'], off)).code, 0);
  });
});

describe('a repository\'s config names CRDs inside the project only (trial D8)', () => {
  for (const entry of ['../outside', '/etc', '/']) {
    test(`crds: ${entry} is refused before anything is read`, async () => {
      const parent = repo({ 'outside/crd.yaml': CRD, 'checkout/.kdry/config.yaml': `crds:\n  - ${entry}\n`, 'checkout/widget.yaml': WIDGET });
      const r = await runKdry([...CHECK, 'widget.yaml'], join(parent, 'checkout'));
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`crds: ${entry.replace(/[./]/g, '\\$&')} is outside the project folder .*checkout; a repository's config may name CRDs inside it only`));
      assert.equal(r.stdout, '', 'nothing was checked');
    });
  }

  test('crds: a link inside the project to a folder outside is refused; a folder inside is read', async () => {
    const parent = repo({ 'outside/crd.yaml': CRD, 'checkout/crds': { link: '../outside' }, 'checkout/.kdry/config.yaml': 'crds: crds\n', 'checkout/widget.yaml': WIDGET });
    const r = await runKdry([...CHECK, '--format', 'json', 'widget.yaml'], join(parent, 'checkout'));
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /crds: resolves to .*outside, outside the project folder .*checkout/);
    assert.doesNotMatch(r.stdout, /custom-resource/, 'the CRD outside was not read');
    const inside = repo({ 'crds/w.yaml': CRD, '.kdry/config.yaml': 'crds: crds\n', 'widget.yaml': WIDGET });
    const ok = await runKdry([...CHECK, '--format', 'json', 'widget.yaml'], inside);
    assert.equal(ok.code, 1);
    assert.equal(jsonFiles(ok.stdout)[0].coverage, 'full');
  });

  test('links inside a --crds folder are not followed, even to a CRD inside it; a FIFO there is not opened', async () => {
    const root = repo({ 'crds/real/w.yaml': CRD, 'crds/alias.yaml': { link: 'real/w.yaml' }, 'crds/linked': { link: 'real' }, 'crds/pipe.yaml': { fifo: true }, 'widget.yaml': WIDGET });
    const r = await runKdry([...CHECK, 'widget.yaml', '--crds', 'crds'], root);
    assert.equal(r.code, 1, 'the Widget is still judged by crds/real/w.yaml');
    assert.match(r.stderr, /crds\/alias\.yaml: a symbolic link; not followed/);
    assert.match(r.stderr, /crds\/linked: a symbolic link to a folder in a CRD folder; not followed/);
    assert.match(r.stderr, /crds\/pipe\.yaml: not a regular file \(a FIFO\); not read/);
    assert.match(r.stdout, /Unknown field "colour"/);
  });
});

describe('links named on the command line are treated as links found in a folder (trial D8)', () => {
  test('a link to a folder outside, named outright: not walked, listed as not checked', async () => {
    const parent = repo({ 'outside/creds.yaml': badDeployment('secret'), 'checkout/conf.yaml': { link: '../outside' }, 'checkout/confdir': { link: '../outside' } });
    const r = await runKdry([...CHECK, 'conf.yaml', 'confdir'], join(parent, 'checkout'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /conf\.yaml: a symbolic link to a folder \(.*outside\); not followed \(name the folder itself to check it\)/);
    assert.match(r.stdout, /confdir: a symbolic link to a folder/);
    assert.doesNotMatch(r.stdout, /creds\.yaml|secret/, 'nothing behind the link was read');
  });

  test('a link to a folder inside the checkout, named outright, is not walked either; in a walk, one out is listed', async () => {
    const root = repo({ 'k8s/web.yaml': badDeployment(), 'current': { link: 'k8s' }, 'app/up': { link: '../..' } });
    const named = await runKdry([...CHECK, 'current'], root);
    assert.equal(named.code, 1);
    assert.match(named.stdout, /current: a symbolic link to a folder/);
    assert.doesNotMatch(named.stdout, /imagePullPolice/);
    const walked = await runKdry([...CHECK, '--format', 'json', '.'], root);
    const files = jsonFiles(walked.stdout);
    assert.deepEqual(files.map((f) => [f.path, f.coverage]), [['k8s/web.yaml', 'full'], ['app/up', 'none']]);
    assert.match(files[1].notChecked[0], /a symbolic link to a folder \(.*\) outside .*; not followed/);
  });
});

describe('standard input is read within the file cap (trial D9)', () => {
  test('kdry check - < /dev/zero stops at 20 MB: listed as not checked, exit 1, within the heap cap', async () => {
    const r = await runKdry([...CHECK, '-'], repo({}), { stdinFrom: '/dev/zero' });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /<stdin>: more than 20 MB arrived; kdry reads up to 20 MB and stopped reading/);
  });

  test('a manifest on standard input is still checked; NUL bytes are refused as in a file', async () => {
    const root = repo({});
    const r = await runKdry([...CHECK, '-'], root, { stdin: badDeployment() });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /<stdin>\n.*imagePullPolice/s);
    const binary = await runKdry([...CHECK, '-'], root, { stdin: 'a: 1\n\0' });
    assert.match(binary.stdout, /<stdin>: binary file \(contains NUL bytes\), not YAML/);
  });
});

describe('SARIF says the run did not succeed when it checked less than asked', () => {
  interface Invocation {
    executionSuccessful: boolean;
    toolExecutionNotifications: { descriptor: { id: string }; level: string; message: { text: string } }[];
  }
  const invocation = (stdout: string): Invocation => JSON.parse(stdout).runs[0].invocations[0];

  test('a file not checked: executionSuccessful false; accepted by --allow-unchecked: true; all checked: true', async () => {
    const root = repo({ 'pipe.yaml': { fifo: true }, 'web.yaml': GOOD_DEPLOYMENT });
    assert.equal(invocation((await runKdry([...CHECK, '--format', 'sarif', '.'], root)).stdout).executionSuccessful, false);
    assert.equal(invocation((await runKdry([...CHECK, '--format', 'sarif', '--allow-unchecked', '.'], root)).stdout).executionSuccessful, true);
    assert.equal(invocation((await runKdry([...CHECK, '--format', 'sarif', 'web.yaml'], root)).stdout).executionSuccessful, true);
  });

  test('a CRD source that could not be read is an error notification', async () => {
    const root = repo({ 'crd.yaml': { fifo: true }, 'widget.yaml': WIDGET });
    const run = invocation((await runKdry([...CHECK, '--format', 'sarif', '--allow-unchecked', 'widget.yaml', '--crds', 'crd.yaml'], root)).stdout);
    assert.equal(run.executionSuccessful, false);
    assert.ok(run.toolExecutionNotifications.some((n) => n.descriptor.id === 'input-error' && n.level === 'error' && /crd\.yaml: not a regular file/.test(n.message.text)));
  });
});

describe('the cluster file a repository names stays inside it', () => {
  test('clusterFile: ../outside/nodes.yaml is refused as outside, not called a link; an absolute one too', async () => {
    const nodes = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\nstatus:\n  allocatable: {cpu: "4", memory: 8Gi, pods: "110"}\n';
    const parent = repo({ 'outside/nodes.yaml': nodes, 'checkout/web.yaml': GOOD_DEPLOYMENT, 'checkout/.kdry/config.yaml': 'clusterFile: ../outside/nodes.yaml\n' });
    const checkout = join(parent, 'checkout');
    const r = await runKdry(['check', 'web.yaml'], checkout);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Cluster file nodes\.yaml: outside .*checkout; not read/);
    assert.doesNotMatch(r.stderr, /symbolic link/);
    const absolute = repo({ 'web.yaml': GOOD_DEPLOYMENT, '.kdry/config.yaml': `clusterFile: ${join(parent, 'outside', 'nodes.yaml')}\n` });
    const a = await runKdry(['check', 'web.yaml'], absolute);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /nodes\.yaml: outside .*; not read/);
  });
});
