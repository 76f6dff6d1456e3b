// `kdry check --jobs N` (worker threads, check-pool.ts) prints exactly what one thread prints:
// the same findings, places, fixable flags and exit code, on inputs with cross-document findings
// split across files and threads, and kustomize patches whose kustomization another thread reads.
// Through the bundled bin (npm run build first), as the worker is a bundle of its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFile } from '../../server/src/check';
import { parseFiles } from '../../server/src/cli/check-pool';
import { fixesOf, type Finding } from '../../server/src/findings';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { parseManifest as parse } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';
import { renderedChart } from '../../scripts/bench/inputs/chart';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');

function check(args: string[]) {
  const r = spawnSync(process.execPath, [cli, 'check', ...args], { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--jobs 1, 2 and 3 print the same report (json and stylish) on mixed files, a chart and kustomize fixtures', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-jobs-'));
  // Workloads in one file, Services selecting them in another: the cross-document rules must see both.
  for (let i = 0; i < 4; i++) writeFileSync(join(dir, `apps-${i}.yaml`), mixedFile(150, 40 + i));
  writeFileSync(join(dir, 'chart.yaml'), renderedChart(12));
  const inputs = [dir, join(root, 'test', 'fixtures', 'kustomize'), join(root, 'test', 'fixtures', 'lsp')];
  for (const format of ['json', 'stylish']) {
    const one = check([...inputs, '--format', format, '--jobs', '1', '--allow-unchecked']);
    assert.ok(one.stdout.length > 1000, one.stderr);
    for (const jobs of ['2', '3']) {
      const many = check([...inputs, '--format', format, '--jobs', jobs, '--allow-unchecked']);
      assert.equal(many.stderr, one.stderr);
      assert.equal(many.code, one.code);
      assert.equal(many.stdout, one.stdout, `--jobs ${jobs} --format ${format}`);
    }
  }
});

test('files parsed and checked on other threads give the findings, and on request the fixes, of a check on this one', async () => {
  const files = [0, 1, 2].map((i) => ({ uri: `file:///apps/apps-${i}.yaml`, text: mixedFile(60, 7 + i) }));
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

test('--jobs takes a whole number of threads', () => {
  const r = check(['--jobs', '0', root]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--jobs takes a whole number of threads/);
});
