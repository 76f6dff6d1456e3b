// cel-go parser/parser.go recursionListener (maxRecursionDepth 250): an expression kdry's own parser
// reads but that nests a grammar rule past 250 is refused, as the API server refuses the CRD.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseExpression } from '../../server/src/cel/static-analysis';
import { mayExceedRecursionLimit } from '../../server/src/cel/recursion-limit';

const nested = (n: number) => `${'('.repeat(n)}self.a${')'.repeat(n)} == 1`;

test('250 nested parentheses pass the limit of 250 expr rules, 249 do not', () => {
  assert.equal(analyseExpression(nested(249), undefined).syntaxError, undefined);
  const refused = analyseExpression(nested(250), undefined);
  assert.equal(refused.syntaxError, 'expression recursion limit exceeded: 250');
  assert.equal(refused.errorDisplay, 'ERROR: <input>:-1:0: expression recursion limit exceeded: 250');
});

test("an ordinary rule is not handed to cel-go's grammar", () => {
  assert.equal(mayExceedRecursionLimit("self.spec.replicas <= 5 && self.metadata.name.startsWith('a')", undefined), false);
  assert.equal(mayExceedRecursionLimit(nested(10), undefined), false);
  assert.equal(mayExceedRecursionLimit(nested(247), undefined), true);
});
