// dist/cli.js requires each command's bundle only when that command runs (scripts/build.mjs,
// server/src/cli.ts): `kdry --version` compiles no command, `kdry simulate` not the check pipeline.
// Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kdry-command-bundles-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// Preloaded into the bin's process: writes the file of every CommonJS module it loads.
const hook = join(dir, 'log-loads.js');
writeFileSync(hook, `const Module = require('node:module'); const { appendFileSync } = require('node:fs');
const load = Module.prototype.load;
Module.prototype.load = function (filename) { appendFileSync(process.env.KDRY_LOAD_LOG, filename + '\\n'); return load.call(this, filename); };`);

function bundlesLoaded(args: string[]): { status: number | null; bundles: string[] } {
  const log = join(dir, `${args[0]}.log`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--require', hook, join(root, 'dist', 'cli.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, KDRY_LOAD_LOG: log }, timeout: 60_000 });
  const bundles = readFileSync(log, 'utf8').split('\n').filter((f) => f.startsWith(join(root, 'dist')));
  return { status: r.status, bundles: bundles.map((f) => f.slice(join(root, 'dist').length + 1)).sort() };
}

test('kdry --version loads dist/cli.js alone', () => {
  assert.deepEqual(bundlesLoaded(['--version']), { status: 0, bundles: ['cli.js'] });
});

test('kdry simulate loads its own bundle, not the check pipeline', () => {
  assert.deepEqual(bundlesLoaded(['simulate', 'examples/corrected/deployment-nginx.yaml', '--format', 'json']), { status: 0, bundles: ['cli-simulate.js', 'cli.js'] });
});

test('kdry check and kdry rules load the check bundle', () => {
  assert.deepEqual(bundlesLoaded(['check', 'examples/corrected/deployment-nginx.yaml']), { status: 0, bundles: ['cli-check.js', 'cli.js'] });
  assert.deepEqual(bundlesLoaded(['rules']), { status: 0, bundles: ['cli-check.js', 'cli.js'] });
});
