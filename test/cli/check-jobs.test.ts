// `kdry check --jobs N` (worker threads, check-pool.ts) prints exactly what one thread prints:
// the same findings, places, fixable flags and exit code in every format, on inputs with
// cross-document and simulation findings split across files and threads, and kustomize patches
// whose kustomization another thread reads. A worker that cannot answer fails the run. One job
// takes slices too: the pool's path is compared with a plain check of each file as well.
// Through the bundled bin (npm run build first), as the worker is a bundle of its own.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkFile, fileGuard } from '../../server/src/check';
import { defaultJobs, inWorker, PARALLEL_MIN_BYTES, parseFiles, sliceFiles } from '../../server/src/cli/check-pool';
import { EngineThread } from '../../server/src/cli/check-engine-thread';
import { runSimulationJob, simulationJob } from '../../server/src/simulation-checks';
import { loadCluster } from '../../server/src/workspace/cluster-file';
import { fixesOf, type Finding } from '../../server/src/findings';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { parseManifest as parse } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { isKustomization } from '../../server/src/workspace/kustomize';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';
import { renderedChart } from '../../scripts/bench/inputs/chart';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function check(args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--jobs 1, 2 and 3 print byte-identical reports (json; stylish and sarif with 1 and 2) on mixed files, a chart, the examples and the test fixtures', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-jobs-'));
  // Workloads in one file, Services selecting them in another: the cross-document rules must see both.
  for (let i = 0; i < 4; i++) writeFileSync(join(dir, `apps-${i}.yaml`), mixedFile(100, 40 + i));
  writeFileSync(join(dir, 'chart.yaml'), renderedChart(12));
  const inputs = [dir, join(root, 'examples'), join(root, 'test', 'fixtures')];
  for (const format of ['json', 'stylish', 'sarif']) {
    const one = check([...inputs, '--format', format, '--jobs', '1', '--allow-unchecked']);
    assert.ok(one.stdout.length > 1000, one.stderr);
    // The simulation checks' verdicts are computed on the threads too: some must be in the report.
    assert.match(one.stdout, /rollout-cannot-finish/);
    assert.match(one.stdout, /service-selects-nothing/);
    for (const jobs of format === 'json' ? ['2', '3'] : ['2']) {
      const many = check([...inputs, '--format', format, '--jobs', jobs, '--allow-unchecked']);
      assert.equal(many.stderr, one.stderr);
      assert.equal(many.code, one.code);
      assert.equal(many.stdout, one.stdout, `--jobs ${jobs} --format ${format}`);
    }
  }
});

test('the engine thread answers what the simulation job answers on this thread: the verdicts of the workloads sent as the threads parsed them (Argo Rollouts included), a workloadRef Rollout\'s and the placements', async () => {
  const rollout = readFileSync(join(root, 'server', 'src', 'simulation-checks', 'fixtures', 'rollout-cannot-finish', 'bad-3.yaml'), 'utf8');
  // A Rollout whose pod template is another object's: its verdict depends on that object, so the job sends both.
  const byReference = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: by-reference\nspec:\n  replicas: 2\n  selector:\n    matchLabels: { app: web }\n  workloadRef: { apiVersion: apps/v1, kind: Deployment, name: web }\n  strategy:\n    canary:\n      steps: [{ setWeight: 50 }]\n';
  const web = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers: [{ name: web, image: nginx:1.27, resources: { requests: { cpu: 100m } } }]\n';
  // Files of several slices each, parsed on two threads: the worker's workloads are sent once it answers.
  const files = [0, 1, 2].map((i) => ({ uri: `file:///apps/apps-${i}.yaml`, text: mixedFile(300, 3 + i) + (i === 1 ? `---\n${rollout}---\n${byReference}---\n${web}` : '') }));
  const { nodes } = await loadCluster(undefined);
  const target = { key: 'default', nodes, release: DEFAULT_SETTINGS.kubernetesVersion };
  const engine = new EngineThread({ clusterKey: target.key, nodes, release: target.release });
  const workspace = new WorkspaceIndex();
  const parsed = await parseFiles(files, [], DEFAULT_SETTINGS, workspace, 2, engine);
  const { job } = simulationJob(workspace, parsed.map((p) => p.manifest.uri), target);
  const answer = await engine.answer(job);
  const here = runSimulationJob(job)!;
  assert.deepEqual(answer, here);
  const verdicts = Object.values(here.verdicts);
  assert.ok(verdicts.length > 300, `the files have workloads (${verdicts.length})`);
  assert.ok(verdicts.some((v) => v.name === 'by-reference' && v.kind === 'Rollout'));
  assert.ok(verdicts.some((v) => v.argoRollout !== undefined));
  assert.ok(Object.values(here.placements).some((p) => p !== undefined && p.length > 100), 'a folder of workloads placed together');
});

describe('fail closed: a worker that cannot answer fails the run', () => {
  const files = [{ uri: 'file:///a.yaml', text: 'kind: Service\n' }];
  const request = () => ({ files, slices: sliceFiles(files), next: new SharedArrayBuffer(4), kustomizations: [], settings: DEFAULT_SETTINGS });
  const worker = (name: string, body: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'kdry-worker-')), `${name}.js`);
    writeFileSync(file, `const { parentPort } = require('node:worker_threads');\n${body}\n`);
    return file;
  };
  test('a worker that throws', async () => {
    await assert.rejects(inWorker(request(), worker('throws', `parentPort.on('message', () => { throw new Error('boom'); });`)), /boom/);
  });
  test('a worker that exits without answering', async () => {
    await assert.rejects(inWorker(request(), worker('exits', `parentPort.on('message', () => process.exit(0));`)), /exited \(0\) before answering/);
  });
  test('a worker that answers with an error', async () => {
    await assert.rejects(inWorker(request(), worker('error', `parentPort.on('message', () => parentPort.postMessage({ error: 'could not check' }));`)), /kdry check worker: could not check/);
  });
  test('an engine thread that throws', async () => {
    const engine = new EngineThread({ clusterKey: 'none', nodes: [], release: DEFAULT_SETTINGS.kubernetesVersion }, worker('engine-throws', `parentPort.on('message', (m) => { if (m.job) throw new Error('engine boom'); });`));
    engine.send([['kind: Deployment\n', { kind: 'Deployment' }]]);
    await assert.rejects(engine.answer({ clusterKey: 'none', nodes: [], release: DEFAULT_SETTINGS.kubernetesVersion, workloads: [], scopes: [] }), /engine boom/);
  });
  test('an engine thread whose engine fails answers with the error', async () => {
    const engine = new EngineThread({ clusterKey: 'none', nodes: [], release: DEFAULT_SETTINGS.kubernetesVersion });
    // Not an object: the engine cannot read it.
    await assert.rejects(engine.answer({ clusterKey: 'none', nodes: [], release: DEFAULT_SETTINGS.kubernetesVersion, workloads: [{ key: 'k', source: 's', object: null as never }], scopes: [] }), /kdry check engine thread: /);
  });
  test('the real worker answers the same request', async () => {
    const answer = await inWorker(request());
    assert.deepEqual(answer.slices.map((s) => s.slice), [0]);
  });
});

test('files parsed and checked on other threads, in slices, give the findings, and on request the fixes, of a check on this one', async () => {
  // The first file is several slices, checked on different threads and put back together.
  const files = [0, 1, 2].map((i) => ({ uri: `file:///apps/apps-${i}.yaml`, text: mixedFile(i === 0 ? 300 : 60, 7 + i) }));
  assert.ok(sliceFiles(files).filter((s) => s.file === 0).length > 2, 'the large file is cut');
  const workspace = new WorkspaceIndex();
  const parsed = await parseFiles(files, [], DEFAULT_SETTINGS, workspace, 3);
  const fresh = new WorkspaceIndex();
  for (const f of files) fresh.set(parse(f.text, f.uri));
  const built = (findings: Finding[]) => findings.map((f) => ({ ...f, fixes: fixesOf(f) }));
  let fixes = 0;
  for (const [i, { manifest, cache }] of parsed.entries()) {
    assert.ok(cache, 'checked on some thread');
    const expected = built(checkFile(fresh.get(files[i].uri)!, fresh));
    assert.deepEqual(built(checkFile(manifest, workspace, DEFAULT_SETTINGS, cache)), expected, files[i].uri);
    fixes += expected.reduce((n, f) => n + f.fixes.length, 0);
  }
  assert.ok(fixes > 20, `the files have fixes (${fixes})`);
});

test('the pool\'s path (parseFiles in slices, then checkFile with its cache) gives what a plain checkFile of parseManifest gives: examples, test fixtures, a file of many slices, a List', async () => {
  // The byte-identical --jobs test compares the pool with itself (one job takes slices too): this is
  // its independent reference, the pipeline with no slices, no restored files and no cache.
  const yamlUnder = (dir: string): string[] => readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile() && /\.ya?ml$/.test(e.name)).map((e) => join(e.parentPath, e.name));
  const paths = [...yamlUnder(join(root, 'examples')), ...yamlUnder(join(root, 'test', 'fixtures'))].sort();
  const dir = mkdtempSync(join(tmpdir(), 'kdry-pool-reference-'));
  const list = join(dir, 'list.yaml');
  writeFileSync(list, 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata: { name: web }\n    spec:\n      selector: { app: web }\n      ports: [{ port: 80, targetPort: http }]\n  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: { name: web }\n    spec:\n      selector: { matchLabels: { app: nope } }\n      template:\n        metadata: { labels: { app: web } }\n        spec:\n          containers: [{ name: web, image: nginx:latest }]\n');
  const large = join(dir, 'large.yaml');
  writeFileSync(large, mixedFile(300, 17));
  const files = [...paths, list, large].map((path) => ({ path, uri: pathToFileURL(path).href, text: readFileSync(path, 'utf8') })).filter((f) => !fileGuard({ uri: f.uri, text: f.text, documents: [] }));
  assert.ok(sliceFiles(files).filter((s) => s.file === files.length - 1).length > 2, 'the large file is several slices');
  for (const what of ['kind: Kustomization', 'patches:', 'kind: CustomResourceDefinition', 'kind: List'])
    assert.ok(files.some((f) => f.text.includes(what)), `the inputs hold ${what}`);

  const workspace = new WorkspaceIndex();
  const parsed = await parseFiles(files, files.filter((f) => isKustomization(f.path)), DEFAULT_SETTINGS, workspace, 1);
  const reference = new WorkspaceIndex();
  for (const f of files) reference.set(parse(f.text, f.uri));
  const built = (findings: Finding[]) => findings.map((f) => ({ ...f, fixes: fixesOf(f) }));
  let findings = 0;
  for (const [i, { manifest, cache }] of parsed.entries()) {
    const expected = built(checkFile(reference.get(files[i].uri)!, reference));
    assert.deepEqual(built(checkFile(manifest, workspace, DEFAULT_SETTINGS, cache)), expected, files[i].path);
    findings += expected.length;
  }
  assert.ok(findings > 100, `the inputs have findings (${findings})`);
});

test('the default: one thread per two cores on inputs large enough to share, else one', () => {
  const large = [{ uri: 'file:///a.yaml', text: 'x'.repeat(PARALLEL_MIN_BYTES) }];
  const small = [{ uri: 'file:///a.yaml', text: 'x'.repeat(PARALLEL_MIN_BYTES - 1) }];
  assert.deepEqual([1, 2, 3, 4, 8].map((cores) => defaultJobs(large, cores)), [1, 1, 1, 2, 4]);
  assert.deepEqual([1, 2, 4, 8].map((cores) => defaultJobs(small, cores)), [1, 1, 1, 1]);
});

test('--jobs takes a whole number of threads', () => {
  const r = check(['--jobs', '0', root]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--jobs takes a whole number of threads/);
});
