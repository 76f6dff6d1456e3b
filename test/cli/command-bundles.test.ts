// dist/cli.js requires each command's bundle only when that command runs (scripts/build.mjs,
// server/src/cli.ts): `kdry --version` compiles no command, `kdry simulate` not the check pipeline.
// Without the code cache (KDRY_NO_CODE_CACHE=1: a bundle compiled with it is not loaded through
// Module.prototype.load; test/cli/code-cache.test.ts covers that path). Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { rolloutCrdWithRule } from '../fixtures/rollout-crd';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kdry-command-bundles-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Preloaded into the bin's process: writes the file of every CommonJS module it loads.
const hook = join(dir, 'log-loads.js');
writeFileSync(hook, `const Module = require('node:module'); const { appendFileSync } = require('node:fs');
const load = Module.prototype.load;
Module.prototype.load = function (filename) { appendFileSync(process.env.KDRY_LOAD_LOG, filename + '\\n'); return load.call(this, filename); };`);

function run(args: string[]): { status: number | null; bundles: string[]; stdout: string } {
  const log = join(dir, `${args[0]}.log`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--require', hook, join(root, 'dist', 'cli.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, KDRY_LOAD_LOG: log, KDRY_NO_CODE_CACHE: '1' }, timeout: 60_000 });
  const bundles = readFileSync(log, 'utf8').split('\n').filter((f) => f.startsWith(join(root, 'dist')));
  return { status: r.status, bundles: bundles.map((f) => f.slice(join(root, 'dist').length + 1)).sort(), stdout: r.stdout };
}

function bundlesLoaded(args: string[]): { status: number | null; bundles: string[] } {
  const { status, bundles } = run(args);
  return { status, bundles };
}

test('kdry --version loads dist/cli.js alone', () => {
  assert.deepEqual(bundlesLoaded(['--version']), { status: 0, bundles: ['cli.js'] });
});

test('kdry simulate loads its own bundle, not the check pipeline', () => {
  assert.deepEqual(bundlesLoaded(['simulate', 'examples/corrected/deployment-nginx.yaml', '--format', 'json']), { status: 0, bundles: ['cli-simulate.js', 'cli.js'] });
});

// The CEL library is dist/cel-library.js, required when a check first meets an expression: here a CRD
// rule the API server runs on the Rollout (apiextensions-apiserver's CEL validator), which refuses it.
test('kdry simulate loads the CEL library only for a workload its CRD judges with a CEL rule', () => {
  const rollout = join(dir, 'rollout.yaml');
  const crd = join(dir, 'rollouts.yaml');
  writeFileSync(crd, rolloutCrdWithRule('self.replicas <= 2', 'at most 2 replicas here'));
  writeFileSync(rollout, `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: { name: canary }
spec:
  replicas: 3
  selector: { matchLabels: { app: canary } }
  strategy: { canary: { steps: [{ setWeight: 50 }] } }
  template:
    metadata: { labels: { app: canary } }
    spec: { containers: [{ name: web, image: nginx:1.27 }] }
`);
  const r = run(['simulate', rollout, '--crds', crd]);
  assert.match(r.stdout, /the API server rejects this Rollout: spec\.replicas: Invalid value: "object": at most 2 replicas here/);
  assert.deepEqual({ status: r.status, bundles: r.bundles }, { status: 1, bundles: ['cel-library.js', 'cli-simulate.js', 'cli.js'] });
});

test('kdry check and kdry rules load the check bundle', () => {
  assert.deepEqual(bundlesLoaded(['check', 'examples/corrected/deployment-nginx.yaml']), { status: 0, bundles: ['cli-check.js', 'cli.js'] });
  assert.deepEqual(bundlesLoaded(['rules']), { status: 0, bundles: ['cli-check.js', 'cli.js'] });
});
