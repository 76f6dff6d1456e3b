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

test('columns count code points, as cel-go does (common/error.go: Column()+1 over runes)', () => {
  // Not a parser_test.go case: two emoji are 2 code points but 4 UTF-16 units, so '<EOF>' is at column 7, not 9.
  assert.equal(analyseExpression("'😁😁' +", undefined).syntaxError, `<input>:1:7: Syntax error: mismatched input '<EOF>' expecting ${EXPR_START}`);
});

test("past cel-go's recursion limit kdry keeps its own parser's words and says so", () => {
  // cel-go stops at 250 nested rules ("expression recursion limit exceeded: 250"), which kdry does not word.
  const analysis = analyseExpression('('.repeat(300) + '1', undefined);
  assert.ok(analysis.syntaxError, 'kdry rejects it');
  assert.equal(analysis.syntaxErrorWording, 'kdry');
});

test('a CRD rule and messageExpression that do not parse: compilation failed, as the API server says (schema/cel/compilation.go compileRule)', () => {
  const errors = checkDefinition({
    spec: {
      group: 'example.com',
      names: { kind: 'W' },
      versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.a + +', message: 'x' }, { rule: 'self.a > 0', messageExpression: "'a is ' + $" }] } } } } }],
    },
  }).map(definitionErrorText);
  assert.deepEqual(errors, [
    `spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.a + +", Message:"x", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:10: Syntax error: mismatched input '+' expecting ${EXPR_START}`,
    `spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[1].messageExpression: Invalid value: apiextensions.ValidationRule{Rule:"self.a > 0", Message:"", MessageExpression:"'a is ' + $", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: messageExpression compilation failed: ERROR: <input>:1:11: Syntax error: token recognition error at: '$'`,
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

test('the bundles started by every process leave cel-go\'s grammar out: dist/cel-go-syntax.js, required beside them on a syntax error (npm run build first)', () => {
  const dist = join(__dirname, '../../dist');
  for (const bundle of ['cli.js', 'server.js', 'check-worker.js']) {
    const text = readFileSync(join(dist, bundle), 'utf8');
    assert.doesNotMatch(text, /token recognition error/, bundle);
    assert.match(text, /require\("\.\/cel-go-syntax\.js"\)/, bundle);
  }
  assert.match(readFileSync(join(dist, 'cel-go-syntax.js'), 'utf8'), /token recognition error/);
});
