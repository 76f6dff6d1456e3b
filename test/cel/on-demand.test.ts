// The CEL library is loaded when an expression is met, not when kdry starts: every run pays for
// loading it otherwise (kdry simulate never evaluates one). Checked in a fresh process, from source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

test('loading the CLI, the language server\'s checks or the engine loads no CEL; the first CRD rule does', () => {
  const script = `
    const celLoaded = () => Object.keys(require.cache).some((k) => k.includes('@bufbuild/cel/') || k.includes('/server/src/cel/environment'));
    require('./server/src/cli.ts');
    require('./server/src/check.ts');
    require('./server/src/engine/index.ts');
    console.log(celLoaded());
    const { evaluateRules } = require('./server/src/crd/validation-rules.ts');
    const schema = { type: 'object', properties: { replicas: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.replicas < 3' }] };
    const { violations } = evaluateRules([{ path: [], value: { replicas: 5 }, schema }]);
    console.log(celLoaded(), violations.length);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), ['false', 'true 1']);
});
