// Every rule's own fixtures: good -> no finding of that rule; bad -> at least one, each on a real
// range of the text; and every fix offered on a bad fixture yields valid YAML that no longer has
// that finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { ALL_RULES } from '../../server/src/rules';
import { RULE_FIXTURES_ROOT, ruleFixtures } from '../../server/src/rules/fixture-files';
import { applyFix, findings } from './helpers';
import { fixesOf } from '../../server/src/findings';

test('rule ids are unique, kebab-case and documented', () => {
  const ids = ALL_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of ALL_RULES) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(r.title && r.description.length > 40 && r.remediation.length > 20, `${r.id} documents itself`);
    const fixtures = ruleFixtures(r.id);
    assert.ok(fixtures.good.length > 0 && fixtures.bad.length > 0, `${r.id} has good and bad fixtures`);
  }
});

test('every fixture folder belongs to a rule and holds only good-N.yaml and bad-N.yaml, numbered from 1', () => {
  assert.deepEqual(readdirSync(RULE_FIXTURES_ROOT).sort(), ALL_RULES.map((r) => r.id).sort());
  for (const id of readdirSync(RULE_FIXTURES_ROOT)) {
    const { good, bad } = ruleFixtures(id);
    const expected = [...good.map((_, i) => `good-${i + 1}.yaml`), ...bad.map((_, i) => `bad-${i + 1}.yaml`)].sort();
    assert.deepEqual(readdirSync(`${RULE_FIXTURES_ROOT}/${id}`).sort(), expected, id);
  }
});

for (const r of ALL_RULES) {
  test(`${r.id}: fixtures`, () => {
    const fixtures = ruleFixtures(r.id);
    for (const good of fixtures.good) assert.deepEqual(findings(r.id, good).map((f) => f.message), [], `good fixture of ${r.id}:\n${good}`);
    for (const bad of fixtures.bad) {
      const found = findings(r.id, bad);
      assert.ok(found.length > 0, `bad fixture of ${r.id} has a finding:\n${bad}`);
      for (const f of found) {
        assert.equal(f.ruleId, r.id);
        assert.ok(f.range[0] >= 0 && f.range[1] > f.range[0] && f.range[1] <= bad.length, `non-empty range inside the text: ${f.range}`);
        for (const fix of fixesOf(f)) {
          const fixed = applyFix(bad, fix);
          const after = findings(r.id, fixed).map((x) => x.message);
          assert.ok(!after.includes(f.message), `fix "${fix.title}" removes "${f.message}":\n${fixed}`);
        }
      }
    }
  });
}
