import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

test('the injection grammar scopes kinds, apiVersions and suppression comments (vscode-tmgrammar-test)', () => {
  const cli = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
  const run = spawnSync(process.execPath, [cli, '--config', 'test/grammar/grammars.json', 'test/grammar/*.test.yaml'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /workload\.test\.yaml run successfuly/);
});

test('package.json contributes the injection grammar into YAML', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const grammar = pkg.contributes.grammars?.find((g: { scopeName: string }) => g.scopeName === 'kdry.injection');
  assert.ok(grammar, 'contributes.grammars has kdry.injection');
  assert.deepEqual(grammar.injectTo, ['source.yaml']);
  const file = JSON.parse(readFileSync(join(root, grammar.path), 'utf8'));
  assert.equal(file.scopeName, 'kdry.injection');
});
