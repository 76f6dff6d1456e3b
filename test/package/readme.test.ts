import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README_PATH, renderReadme } from '../../scripts/update-readme';
import { ALL_RULES } from '../../server/src/rules';

test('the README rules table is generated from the rules (run scripts/update-readme.ts)', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  assert.equal(readme, renderReadme(readme));
  for (const rule of ALL_RULES) assert.ok(readme.includes(`\`${rule.id}\``), `${rule.id} is in the README`);
});

test('the README gives a newcomer the install-and-demo command and the test command', () => {
  const readme = readFileSync(README_PATH, 'utf8');
  const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)![1];
  const commands = firstBlock.split('\n').filter((l) => l.trim()).map((l) => l.split('#')[0].trim());
  assert.deepEqual(commands, ['npm ci && npm run demo', 'npm test']);
});
