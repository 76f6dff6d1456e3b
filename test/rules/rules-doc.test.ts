import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BUILTIN_CHECKS } from '../../server/src/builtin-checks';
import { ALL_RULES } from '../../server/src/rules';
import { ruleExample } from '../../server/src/rules/fixture-files';
import { generateRulesDoc, RULES_DOC_PATH } from '../../scripts/generate-rules-doc';

/** The `## id` section of the page, up to the next section. */
function sectionOf(doc: string, id: string): string {
  const start = doc.indexOf(`\n## ${id}\n`);
  assert.ok(start >= 0, `section for ${id}`);
  const next = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, next < 0 ? undefined : next);
}

test('docs/rules.md is what scripts/generate-rules-doc.ts generates from ALL_RULES and BUILTIN_CHECKS', () => {
  assert.equal(readFileSync(RULES_DOC_PATH, 'utf8'), generateRulesDoc(), 'run: node --import tsx scripts/generate-rules-doc.ts');
});

test('every rule has its section with severity, kinds, description, remediation and a bad example', () => {
  const doc = generateRulesDoc();
  for (const r of ALL_RULES) {
    const section = sectionOf(doc, r.id);
    assert.ok(section.includes(r.title) && section.includes(`Severity: ${r.severity}`), r.id);
    assert.ok(section.includes(r.description) && section.includes(r.remediation), r.id);
    assert.ok(section.includes('```yaml\n' + ruleExample(r.id).trimEnd() + '\n```'), r.id);
    assert.ok(section.includes('kdry reports:'), `${r.id}: the example produces a finding`);
  }
});

test('every built-in check has its section with severity, description, remediation, and what kdry reports on its example', () => {
  const doc = generateRulesDoc();
  for (const c of BUILTIN_CHECKS) {
    assert.ok(doc.includes(`| [\`${c.id}\`](#${c.id}) | ${c.severity} | ${c.title} |`), `${c.id} in the table`);
    const section = sectionOf(doc, c.id);
    assert.ok(section.includes(c.title) && section.includes(`Severity: ${c.severity}`), c.id);
    assert.ok(section.includes(c.description) && section.includes(c.remediation), c.id);
    if (c.example) assert.match(section, new RegExp(`kdry reports:\\n\\n- on \`[^\`]+\` \\(${c.severity}\\): `), `${c.id}: the example produces its finding`);
  }
});
