// An unknown value (a settled error: settled-error.ts) read inside a macro's loop keeps its outcome.
// cel-es's celErrorMerge builds the loop's error from the first error's message and drops its cause,
// so a loop that meets one such value used to report a plain error: for an admission policy, a
// denial where kdry cannot know the value (cel-go: the comprehension returns the error value itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, CostMeter } from '../../server/src/cel/environment';
import { lazyCelMap, settledError } from '../../server/src/cel/lazy-map';
import { toCel } from '../../server/src/cel/values';

test('one unknown value met inside all(), exists() or map() is unsupported, not an error', () => {
  const item = lazyCelMap(['name', 'size'], (key) => (key === 'name' ? settledError({ kind: 'unsupported', reason: 'the name is chosen by the cluster' }) : 1n));
  const list = toCel([{ name: 'a', size: 2 }]) as unknown[];
  for (const expression of ["o.all(v, v.name != 'x')", "o.exists(v, v.name == 'x')", "o.map(v, v.name).size() == 2", "o.filter(v, v.name == 'x').size() == 0"]) {
    const program = compileExpression(expression);
    assert.ok(!('unsupported' in program));
    const result = program.evaluate({ o: [...list, item] as never }, new CostMeter(1_000_000));
    assert.deepEqual(result, { kind: 'unsupported', reason: 'the name is chosen by the cluster' }, expression);
  }
  // A genuine error in the loop stays an error.
  const program = compileExpression("o.all(v, v.missing == 'x')");
  assert.ok(!('unsupported' in program));
  assert.equal(program.evaluate({ o: list as never }, new CostMeter(1_000_000)).kind, 'error');
});
