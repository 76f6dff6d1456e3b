// cel-go parser/parser.go Parse: more than ExpressionSizeCodePointLimit (100,000) code points is
// "expression code point size exceeds limit: size: N, limit 100000", and the CRD is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseExpression } from '../../server/src/cel/static-analysis';
import { compileExpression } from '../../server/src/cel/environment';

/** A rule of exactly `codePoints` code points (padded with spaces). */
const ruleOfSize = (codePoints: number) => "self.s == 'x'".padEnd(codePoints, ' ');

test('a rule over 100,000 code points is refused by the parser, at no location', () => {
  const source = ruleOfSize(100_001);
  const analysis = analyseExpression(source, undefined);
  assert.equal(analysis.syntaxError, 'expression code point size exceeds limit: size: 100001, limit 100000');
  assert.equal(analysis.errorDisplay, 'ERROR: <input>:-1:0: expression code point size exceeds limit: size: 100001, limit 100000');
  assert.match((compileExpression(source) as { unsupported: string }).unsupported, /code point size exceeds limit/);
});

test('the limit counts code points, not UTF-16 units: 100,000 exactly parses', () => {
  assert.equal(analyseExpression(ruleOfSize(100_000), undefined).syntaxError, undefined);
  const astral = `'${'😀'.repeat(60_000)}' != ''`; // 120,000 UTF-16 units, 60,006 code points
  assert.equal(analyseExpression(astral, undefined).syntaxError, undefined);
});
