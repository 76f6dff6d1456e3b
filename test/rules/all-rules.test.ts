// Every rule's own fixtures: good -> no finding of that rule; bad -> at least one, each on a real
// range of the text; and every fix offered on a bad fixture yields valid YAML that no longer has
// that finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_RULES } from '../../server/src/rules';
import { applyFix, findings } from './helpers';
import { fixesOf } from '../../server/src/findings';

test('rule ids are unique, kebab-case and documented', () => {
  const ids = ALL_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of ALL_RULES) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(r.title && r.description.length > 40 && r.remediation.length > 20, `${r.id} documents itself`);
    assert.ok(r.fixtures.good.length > 0 && r.fixtures.bad.length > 0, `${r.id} has good and bad fixtures`);
  }
});

for (const r of ALL_RULES) {
  test(`${r.id}: fixtures`, () => {
    for (const good of r.fixtures.good) assert.deepEqual(findings(r.id, good).map((f) => f.message), [], `good fixture of ${r.id}:\n${good}`);
    for (const bad of r.fixtures.bad) {
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
