// `exclude:` in .kdry/config.yaml and `kdry check --exclude`: the files a glob leaves out are not
// read (a broken fixture does not fail the gate), the report counts them per glob in every format,
// a file named outright is still checked, and a glob reaching outside the project is refused.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from './run-cli';

const GOOD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\ndata:\n  a: b\n';
const BROKEN = 'apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'kdry-exclude-'));
  mkdirSync(join(root, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('kdry check exclude', () => {
  it('a folder walk leaves out what the config excludes, and says so', async () => {
    const root = project({
      '.kdry/config.yaml': 'exclude:\n  - vendor/**\n  - "**/testdata/**"\n',
      'app.yaml': GOOD,
      'vendor/upstream/a.yaml': BROKEN,
      'vendor/b.yaml': BROKEN,
      'charts/x/testdata/bad.yaml': BROKEN,
    });
    const run = await runCli(['check', '--no-simulation', '.'], { cwd: root });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /2 files excluded by \.kdry\/config\.yaml exclude: vendor\/\*\*/);
    assert.match(run.stdout, /1 file excluded by \.kdry\/config\.yaml exclude: \*\*\/testdata\/\*\*/);
    const json = JSON.parse((await runCli(['check', '--no-simulation', '--format', 'json', '.'], { cwd: root })).stdout);
    assert.deepEqual(json.excluded, [
      { pattern: 'vendor/**', from: '.kdry/config.yaml exclude:', files: 2 },
      { pattern: '**/testdata/**', from: '.kdry/config.yaml exclude:', files: 1 },
    ]);
    assert.deepEqual(
      json.files.map((f: { path: string }) => f.path),
      ['app.yaml'],
    );
  });

  it('without the glob the same folder fails (the broken file is read)', async () => {
    const root = project({ 'app.yaml': GOOD, 'vendor/b.yaml': BROKEN });
    assert.equal((await runCli(['check', '--no-simulation', '.'], { cwd: root })).code, 1);
  });

  it('gitignore-like: a folder name leaves out everything below it, a slashless glob matches at any depth', async () => {
    const root = project({
      '.kdry/config.yaml': 'exclude: [vendor, "*.gen.yaml"]\n',
      'app.yaml': GOOD,
      'vendor/deep/x.yaml': BROKEN,
      'a/b/c.gen.yaml': BROKEN,
      'vendored/keep.yaml': GOOD,
    });
    const json = JSON.parse((await runCli(['check', '--no-simulation', '--format', 'json', '.'], { cwd: root })).stdout);
    assert.deepEqual(json.files.map((f: { path: string }) => f.path).sort(), ['app.yaml', 'vendored/keep.yaml']);
    assert.deepEqual(json.excluded.map((e: { files: number }) => e.files), [1, 1]);
  });

  it('config globs are relative to the project folder, also when run from below it', async () => {
    const root = project({ '.kdry/config.yaml': 'exclude: deploy/fixtures/**\n', 'deploy/app.yaml': GOOD, 'deploy/fixtures/bad.yaml': BROKEN });
    const run = await runCli(['check', '--no-simulation', '.'], { cwd: join(root, 'deploy') });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /1 file excluded by \.\.\/\.kdry\/config\.yaml exclude: deploy\/fixtures\/\*\*/);
  });

  it('--exclude is repeatable and relative to the working directory; it also filters a glob argument', async () => {
    const root = project({ 'k8s/app.yaml': GOOD, 'k8s/gen/x.yaml': BROKEN, 'k8s/ci/y.yaml': BROKEN });
    const run = await runCli(['check', '--no-simulation', '--format', 'json', '--exclude', 'k8s/gen/**', '--exclude', 'k8s/ci/*.yaml', 'k8s/**/*.yaml'], { cwd: root });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(JSON.parse(run.stdout).excluded, [
      { pattern: 'k8s/gen/**', from: '--exclude', files: 1 },
      { pattern: 'k8s/ci/*.yaml', from: '--exclude', files: 1 },
    ]);
  });

  it('a file named on the command line is checked even when a glob matches it', async () => {
    const root = project({ '.kdry/config.yaml': 'exclude: vendor/**\n', 'vendor/b.yaml': BROKEN });
    const run = await runCli(['check', '--no-simulation', '--format', 'json', 'vendor/b.yaml'], { cwd: root });
    assert.equal(run.code, 1);
    const json = JSON.parse(run.stdout);
    assert.deepEqual(json.excluded, []);
    assert.equal(json.files[0].path, 'vendor/b.yaml');
  });

  it('SARIF carries the counts in the run properties', async () => {
    const root = project({ 'app.yaml': GOOD, 'gen/x.yaml': BROKEN });
    const sarif = JSON.parse((await runCli(['check', '--no-simulation', '--format', 'sarif', '--exclude', 'gen', '.'], { cwd: root })).stdout);
    assert.deepEqual(sarif.runs[0].properties.excluded, [{ pattern: 'gen', from: '--exclude', files: 1 }]);
  });

  for (const bad of ['../outside/**', '/etc/**', 'a/../../b']) {
    it(`a glob reaching outside the project is a configuration error: ${bad}`, async () => {
      const root = project({ '.kdry/config.yaml': `exclude: ${JSON.stringify(bad)}\n`, 'app.yaml': GOOD });
      const run = await runCli(['check', '--no-simulation', '.'], { cwd: root });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /exclude: .* (absolute|reaches outside)/);
      const flag = await runCli(['check', '--no-simulation', '--exclude', bad, '.'], { cwd: project({ 'app.yaml': GOOD }) });
      assert.equal(flag.code, 2);
      assert.match(flag.stderr, /--exclude .* (absolute|reaches outside the working directory)/);
    });
  }

  it('exclude must be a glob or a list of globs', async () => {
    const root = project({ '.kdry/config.yaml': 'exclude: {a: 1}\n', 'app.yaml': GOOD });
    const run = await runCli(['check', '--no-simulation', '.'], { cwd: root });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /exclude must be a glob, or a list of globs/);
  });
});
