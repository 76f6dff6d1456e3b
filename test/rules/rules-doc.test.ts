import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ALL_RULES } from '../../server/src/rules';
import { generateRulesDoc, RULES_DOC_PATH } from '../../scripts/generate-rules-doc';

test('docs/rules.md is what scripts/generate-rules-doc.ts generates from ALL_RULES', () => {
  assert.equal(readFileSync(RULES_DOC_PATH, 'utf8'), generateRulesDoc(), 'run: node --import tsx scripts/generate-rules-doc.ts');
});

test('every rule has its section with severity, kinds, description, remediation and a bad example', () => {
  const doc = generateRulesDoc();
  for (const r of ALL_RULES) {
    const start = doc.indexOf(`\n## ${r.id}\n`);
    assert.ok(start >= 0, `section for ${r.id}`);
    const next = doc.indexOf('\n## ', start + 1);
    const section = doc.slice(start, next < 0 ? undefined : next);
    assert.ok(section.includes(r.title) && section.includes(`Severity: ${r.severity}`), r.id);
    assert.ok(section.includes(r.description) && section.includes(r.remediation), r.id);
    assert.ok(section.includes('```yaml\n' + r.fixtures.bad[0].trimEnd() + '\n```'), r.id);
    assert.ok(section.includes('kdry reports:'), `${r.id}: the example produces a finding`);
  }
});
