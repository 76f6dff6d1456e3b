// cel-go common/stdlib: `matches` is declared global, matches(string, string), as well as the member
// form; the Gateway API's safe-upgrades policy calls the global one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, CostMeter, type Evaluation } from '../../server/src/cel/environment';
import { PER_CALL_LIMIT } from '../../server/src/cel/cost';
import { celEnvironment } from '../../server/src/cel/release-environment';

function run(expr: string, release?: string): Evaluation {
  const program = compileExpression(expr, release === undefined ? undefined : celEnvironment(release, 'new'));
  assert.ok(!('unsupported' in program), `${expr} compiles: ${JSON.stringify(program)}`);
  return program.evaluate({}, new CostMeter(PER_CALL_LIMIT));
}

test('the global matches(s, re) is evaluated as the member form, RE2 semantics', () => {
  assert.deepEqual(run("matches('v1.2.0', '^v1')"), { kind: 'value', value: true });
  assert.deepEqual(run("!matches('v1.2.0', 'v0')"), { kind: 'value', value: true });
  assert.deepEqual(run("matches('abc', 'b') == 'abc'.matches('b')"), { kind: 'value', value: true });
  assert.deepEqual(run("matches('v0.0.0-dev', 'v0')", '1.30'), { kind: 'value', value: true });
});

test('a pattern that is not RE2 is an error at run time, as cel-go (the literal validator looks at argument 0)', () => {
  const r = run("matches('a', 'a' + '(')");
  assert.equal(r.kind, 'error');
});
