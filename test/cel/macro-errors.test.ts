// cel-go's macro expansion errors: a call that matches a macro by name, argument count and receiver
// style, with arguments the macro cannot expand, does not parse (parser/parser.go expandMacro).
// Wording from parser/macro.go (MakeHas, makeQuantifier, MakeMap, MakeFilter) and
// ext/comprehensions.go extractIterVars; from cel-go v0.17 (Kubernetes 1.29) every one is at its
// argument (ExprHelper.NewError); in v0.16 (Kubernetes 1.28) MakeMap, MakeFilter and MakeHas
// returned `&common.Error{Message: ...}` without a location, which expandMacro put at the call ('(').
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { celEnvironment } from '../../server/src/cel/release-environment';
import { analyseExpression } from '../../server/src/cel/static-analysis';
import { compileExpression } from '../../server/src/cel/environment';

const display = (source: string, release = '1.35') => analyseExpression(source, undefined, false, celEnvironment(release, 'new')).errorDisplay;
const caret = (source: string, column: number, message: string) => `ERROR: <input>:1:${column}: ${message}\n | ${source}\n | ${'.'.repeat(column - 1)}^`;

test('map and filter with a variable that is not a name: "argument is not an identifier" at it (MakeMap, MakeFilter), not an undeclared reference', () => {
  assert.equal(display('self.map(x.y, x) == []'), caret('self.map(x.y, x) == []', 11, 'argument is not an identifier'));
  assert.equal(display('self.map(1, true, 2) == []'), caret('self.map(1, true, 2) == []', 10, 'argument is not an identifier'));
  assert.equal(display('self.filter(x + 1, true) == []'), caret('self.filter(x + 1, true) == []', 15, 'argument is not an identifier'));
  assert.equal(analyseExpression('self.map(x.y, x) == []', undefined, false, celEnvironment('1.35', 'new')).refusedBy, 'macro-expansion');
});

test('all, exists, exists_one with a variable that is not a name: "argument must be a simple name" (makeQuantifier)', () => {
  assert.equal(display('[1, 2].all(1, true)'), caret('[1, 2].all(1, true)', 12, 'argument must be a simple name'));
  assert.equal(display('self.exists(a.b, true)'), caret('self.exists(a.b, true)', 14, 'argument must be a simple name'));
  assert.equal(display("self.exists_one('x', true)"), caret("self.exists_one('x', true)", 17, 'argument must be a simple name'));
});

test('has() of anything but a field selection: "invalid argument to has() macro" (MakeHas)', () => {
  assert.equal(display('has(self)'), caret('has(self)', 5, 'invalid argument to has() macro'));
  assert.equal(display('has(self.a)'), undefined);
});

test('two-variable comprehensions (1.32 on): a variable that is not a name, or the same name twice (extractIterVars)', () => {
  assert.equal(display("{'a': 1}.all(k, k, true)"), caret("{'a': 1}.all(k, k, true)", 17, 'duplicate variable name: k'));
  assert.equal(display('self.transformList(i, v.w, v) == []'), caret('self.transformList(i, v.w, v) == []', 24, 'argument must be a simple name'));
  // Before 1.32 there is no such macro: the call is an undeclared function.
  assert.match(display("{'a': 1}.all(k, k, true)", '1.31') ?? '', /undeclared reference to 'all'/);
});

test('Kubernetes 1.28 (cel-go v0.16): map, filter and has() errors at the call\'s \'(\', quantifiers\' at the argument', () => {
  assert.equal(display('self.map(x.y, x) == []', '1.28'), caret('self.map(x.y, x) == []', 9, 'argument is not an identifier'));
  assert.equal(display('has(self)', '1.28'), caret('has(self)', 4, 'invalid argument to has() macro'));
  assert.equal(display('self.all(x.y, true)', '1.28'), caret('self.all(x.y, true)', 11, 'argument must be a simple name'));
});

test('a stored expression (admission policy, custom resource) with such a macro is not run, with the parser\'s error', () => {
  const refused = compileExpression('object.spec.items.map(i.name, i) == []', celEnvironment('1.35', 'stored'));
  assert.ok('unsupported' in refused);
  assert.equal(refused.unsupported, 'the API server of Kubernetes 1.35 does not compile it: <input>:1:24: argument is not an identifier');
});
