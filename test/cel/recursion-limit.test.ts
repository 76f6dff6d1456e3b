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

// parser.go Visit: checkAndIncrementRecursionDepth on each select, member call, index, relation,
// arithmetic operator and ternary visited inside another; a left-recursive chain trips it, not the
// grammar's listener (the generated parser exits `member` and `calc` before re-entering them).
test('a chain of 250 field selections under == passes the visitor depth of 250, one fewer does not; so does a sum of 251 terms', () => {
  const chain = (n: number) => `self${'.a'.repeat(n)} == 1`;
  assert.equal(analyseExpression(chain(249), undefined).syntaxError, undefined);
  const refused = analyseExpression(chain(250), undefined);
  assert.equal(refused.syntaxError, 'max recursion depth exceeded');
  assert.equal(refused.errorDisplay, 'ERROR: <input>:-1:0: max recursion depth exceeded');
  const sum = (terms: number) => Array(terms).fill('1').join(' + ');
  assert.equal(analyseExpression(`${sum(250)} > 0`, undefined).syntaxError, undefined, '249 + and one >');
  assert.equal(analyseExpression(`${sum(252)} > 0`, undefined).syntaxError, 'max recursion depth exceeded');
  // && and || are balanced, not nested: 300 of them pass.
  assert.equal(analyseExpression(Array(300).fill('self.a').join(' && '), undefined).syntaxError, undefined);
});
