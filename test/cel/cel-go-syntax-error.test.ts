// Syntax errors worded as cel-go words them (parser/parser.go SyntaxError, common/error.go
// ToDisplayString), from the parser antlr-ng generates from cel-go's CEL.g4. Every expected text is
// the first error of a case in google/cel-go parser/parser_test.go (testCases, the `I:` input and
// the first line of its `E:`), unless the test says otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyseExpression } from '../../server/src/cel/static-analysis';
import { celGoSyntaxErrors } from '../../server/src/cel/cel-go-syntax-error';
import { displayErrors } from '../../server/src/cel/display-errors';
import { checkDefinition, definitionErrorText } from '../../server/src/crd/definition-checks';

const EXPR_START = "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";

const PARSER_TEST_CASES: [input: string, firstError: string][] = [
  ['*@a | b', `<input>:1:1: Syntax error: extraneous input '*' expecting ${EXPR_START}`],
  ['a | b', "<input>:1:3: Syntax error: token recognition error at: '| '"],
  ['{', "<input>:1:2: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '}', '(', '.', ',', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}"],
  ['TestAllTypes(){}', "<input>:1:15: Syntax error: mismatched input '{' expecting <EOF>"],
  ['1 + $', "<input>:1:5: Syntax error: token recognition error at: '$'"],
  ['1 + 2\n3 +', "<input>:2:1: Syntax error: mismatched input '3' expecting <EOF>"],
  ['1 + +', `<input>:1:5: Syntax error: mismatched input '+' expecting ${EXPR_START}`],
  ['{"a": 1}."a"', `<input>:1:10: Syntax error: no viable alternative at input '."a"'`],
  ['func{{a}}', "<input>:1:6: Syntax error: extraneous input '{' expecting {'}', ',', '?', IDENTIFIER, ESC_IDENTIFIER}"],
  ['{a}', "<input>:1:3: Syntax error: mismatched input '}' expecting ':'"],
  // Two errors at 1:3: the sort is stable, so the one ANTLR reported first.
  ['--', "<input>:1:3: Syntax error: no viable alternative at input '-'"],
  // parser.go's rewording of a reserved word after a dot.
  ['self.true == 1', "<input>:1:6: Syntax error: mismatched input 'true' expecting IDENTIFIER"],
  ['"\\xFh"', `<input>:1:1: Syntax error: token recognition error at: '"\\xFh'`],
  ['in', `<input>:1:1: Syntax error: mismatched input 'in' expecting ${EXPR_START}`],
  ["      '😁' in ['😁', '😑', '😦']\n\t\t\t&& in.😁", `<input>:2:7: Syntax error: extraneous input 'in' expecting ${EXPR_START}`],
];

test("cel-go parser_test.go cases: kdry's parser rejects them and kdry gives cel-go's first error, word for word", () => {
  for (const [input, expected] of PARSER_TEST_CASES) {
    const analysis = analyseExpression(input, undefined);
    assert.equal(analysis.syntaxError, expected, input);
    assert.equal(analysis.syntaxErrorWording, 'cel-go', input);
  }
});

/**
 * A parser_test.go `E:` text as cel-go prints it: the test file indents every line with tabs, which
 * its test.Compare ignores; cel-go's own output starts each snippet line with " | ".
 */
function upstream(e: string): string {
  return e.trim().split('\n').map((line) => line.trim()).map((line) => (line.startsWith('|') ? ` ${line}` : line)).join('\n');
}

test("every error with its source line and caret, as cel-go's Errors.ToDisplayString prints them (parser_test.go E: texts)", () => {
  const cases: [input: string, expected: string][] = [
    ['{', `ERROR: <input>:1:2: Syntax error: mismatched input '<EOF>' expecting {'[', '{', '}', '(', '.', ',', '-', '!', '?', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}
		 | {
		 | .^`],
    ['1 + +', `ERROR: <input>:1:5: Syntax error: mismatched input '+' expecting ${EXPR_START}
		| 1 + +
		| ....^
		ERROR: <input>:1:6: Syntax error: mismatched input '<EOF>' expecting ${EXPR_START}
		| 1 + +
		| .....^`],
    ['"\\xFh"', `ERROR: <input>:1:1: Syntax error: token recognition error at: '"\\xFh'
		| "\\xFh"
		| ^
		ERROR: <input>:1:6: Syntax error: token recognition error at: '"'
		| "\\xFh"
		| .....^
		ERROR: <input>:1:7: Syntax error: mismatched input '<EOF>' expecting ${EXPR_START}
		| "\\xFh"
		| ......^`],
    // Two errors at 1:3 keep the order ANTLR reported them in (sort.SliceStable).
    ['--', `ERROR: <input>:1:3: Syntax error: no viable alternative at input '-'
		| --
		| ..^
	    ERROR: <input>:1:3: Syntax error: mismatched input '<EOF>' expecting ${EXPR_START}
		| --
		| ..^`],
    // Tabs are shown as spaces; a code point of more than one UTF-8 byte gets a wide dot or caret.
    ["      '😁' in ['😁', '😑', '😦']\n\t\t\t&& in.😁", `ERROR: <input>:2:7: Syntax error: extraneous input 'in' expecting ${EXPR_START}
		|    && in.😁
		| ......^
	    ERROR: <input>:2:10: Syntax error: token recognition error at: '😁'
		|    && in.😁
		| .........＾
		ERROR: <input>:2:11: Syntax error: no viable alternative at input '.'
		|    && in.😁
		| .........．^`],
  ];
  for (const [input, expected] of cases) {
    const want = upstream(expected).replace(/\n \|    && in/g, '\n |    && in');
    assert.equal(displayErrors(input, celGoSyntaxErrors(input)!), want, input);
    assert.equal(analyseExpression(input, undefined).errorDisplay, want, input);
  }
});

test("cel-go's parser limits: error recovery attempts and the number of errors reported (parser_test.go, with its newTestParser options)", () => {
  // newTestParser: MaxRecursionDepth(32), ErrorRecoveryLimit(4), ErrorRecoveryLookaheadTokenLimit(4).
  const testParser = { maxRecursionDepth: 32, errorReportingLimit: 100, errorRecoveryLimit: 4, errorRecoveryLookaheadTokenLimit: 4 };
  assert.equal(displayErrors('a ? b ((?))', celGoSyntaxErrors('a ? b ((?))', testParser)!), upstream(`ERROR: <input>:1:9: Syntax error: mismatched input '?' expecting ${EXPR_START}
		| a ? b ((?))
		| ........^
	    ERROR: <input>:1:10: Syntax error: mismatched input ')' expecting ${EXPR_START}
		| a ? b ((?))
		| .........^
	    ERROR: <input>:1:12: Syntax error: error recovery attempt limit exceeded: 4
		| a ? b ((?))
		| ...........^`));
  const input = `'3# < 10" '& tru ^^`;
  assert.equal(displayErrors(input, celGoSyntaxErrors(input, { ...testParser, errorReportingLimit: 2 })!), upstream(`ERROR: <input>:1:12: Syntax error: token recognition error at: '& '
		 | '3# < 10" '& tru ^^
		 | ...........^
		ERROR: <input>:1:18: Syntax error: token recognition error at: '^'
		 | '3# < 10" '& tru ^^
		 | .................^
		ERROR: <input>:1:19: Syntax error: More than 2 syntax errors
		 | '3# < 10" '& tru ^^
		 | ..................^`));
});

test('past 100 errors cel-go says how many more there were (common/errors.go ToDisplayString, maxErrorsToReport)', () => {
  const errors = Array.from({ length: 103 }, (_, i) => ({ line: 1, column: 0, message: `e${i}` }));
  const shown = displayErrors('x', errors).split('\n');
  assert.equal(shown.length, 100 * 3 + 1);
  assert.equal(shown.at(-1), '3 more errors were truncated');
  assert.deepEqual(shown.slice(0, 3), ['ERROR: <input>:1:1: e0', ' | x', ' | ^']);
});

test('the 100 errors shown are the first 100 reported, then sorted: ReportErrorAtID drops the later ones before ToDisplayString sorts', () => {
  // 100 errors on line 2, then one on line 1: cel-go never kept the 101st, so line 1 is not shown.
  const errors = [...Array.from({ length: 100 }, (_, i) => ({ line: 2, column: 0, message: `e${i}` })), { line: 1, column: 0, message: 'late' }];
  const shown = displayErrors('x\ny', errors).split('\n');
  assert.equal(shown[0], 'ERROR: <input>:2:1: e0');
  assert.ok(!shown.includes('ERROR: <input>:1:1: late'));
  assert.equal(shown.at(-1), '1 more errors were truncated');
});

test('columns count code points, as cel-go does (common/error.go: Column()+1 over runes)', () => {
  // Not a parser_test.go case: two emoji are 2 code points but 4 UTF-16 units, so '<EOF>' is at column 7, not 9.
  assert.equal(analyseExpression("'😁😁' +", undefined).syntaxError, `<input>:1:7: Syntax error: mismatched input '<EOF>' expecting ${EXPR_START}`);
});

test("past cel-go's recursion limit: its internal error, at no location (parser.go recursionListener, common.NoLocation)", () => {
  // 300 nested '(' pass cel-go's 250 nested rules of one kind before the missing ')' is seen.
  const analysis = analyseExpression('('.repeat(300) + '1', undefined);
  assert.equal(analysis.syntaxErrorWording, 'cel-go');
  assert.equal(analysis.errorDisplay, 'ERROR: <input>:-1:0: expression recursion limit exceeded: 250');
});

test('a CRD rule and messageExpression that do not parse: compilation failed and every error with its caret, as the API server says (schema/cel/compilation.go compileRule: issues.String())', () => {
  const errors = checkDefinition({
    spec: {
      group: 'example.com',
      names: { kind: 'W' },
      versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.a + +', message: 'x' }, { rule: 'self.a > 0', messageExpression: "'a is ' + $" }] } } } } }],
    },
  }).map(definitionErrorText);
  assert.deepEqual(errors, [
    `spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.a + +", Message:"x", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:10: Syntax error: mismatched input '+' expecting ${EXPR_START}
 | self.a + +
 | .........^
ERROR: <input>:1:11: Syntax error: mismatched input '<EOF>' expecting ${EXPR_START}
 | self.a + +
 | ..........^`,
    `spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[1].messageExpression: Invalid value: apiextensions.ValidationRule{Rule:"self.a > 0", Message:"", MessageExpression:"'a is ' + $", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: messageExpression compilation failed: ERROR: <input>:1:11: Syntax error: token recognition error at: '$'
 | 'a is ' + $
 | ..........^
ERROR: <input>:1:12: Syntax error: mismatched input '<EOF>' expecting ${EXPR_START}
 | 'a is ' + $
 | ...........^`,
  ]);
});

test("cel-go's grammar (the ANTLR runtime) is loaded only when kdry's parser rejects an expression", () => {
  const script = `
    const { analyseExpression } = require(${JSON.stringify(join(__dirname, '../../server/src/cel/static-analysis'))});
    const loaded = () => Object.keys(require.cache).some((k) => k.includes('antlr4ng') || k.includes('cel-go-grammar'));
    analyseExpression('self.a > 1', undefined);
    const before = loaded();
    analyseExpression('self.a >', undefined);
    console.log(JSON.stringify([before, loaded()]));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').pop()!), [false, true]);
});

test('the bundles holding the CEL library leave cel-go\'s grammar out: dist/cel-go-syntax.js, required beside them on a syntax error (npm run build first)', () => {
  const dist = join(__dirname, '../../dist');
  // check-worker.js holds no CEL: it runs cli-check.js, whose CEL library is cel-library.js (scripts/build.mjs).
  assert.match(readFileSync(join(dist, 'check-worker.js'), 'utf8'), /require\("\.\/cli-check\.js"\)/);
  for (const bundle of ['cel-library.js', 'server-main.js']) {
    const text = readFileSync(join(dist, bundle), 'utf8');
    assert.doesNotMatch(text, /token recognition error/, bundle);
    assert.match(text, /require\("\.\/cel-go-syntax\.js"\)/, bundle);
  }
  assert.match(readFileSync(join(dist, 'cel-go-syntax.js'), 'utf8'), /token recognition error/);
});
