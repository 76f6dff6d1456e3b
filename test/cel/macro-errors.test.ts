// cel-go's macro expansion errors: a call that matches a macro by name, argument count and receiver
// style, with arguments the macro cannot expand, does not parse (parser/parser.go expandMacro).
// Wording from parser/macro.go (MakeHas, makeQuantifier, MakeMap, MakeFilter) and
// ext/comprehensions.go extractIterVars (the accumulator's name `__result__` too: cel-go v0.22.0 for
// the two-variable macros, v0.22.1 for the others); from cel-go v0.17 (Kubernetes 1.29) every one is at its
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

test('a macro variable named __result__ (1.33 on): "iteration variable overwrites accumulator variable" at it (parser/macro.go makeQuantifier, MakeMap, MakeFilter)', () => {
  // cel-go v0.22.1 "Harden legacy macros": `if v == accu || v == AccumulatorName` (AccumulatorName = "__result__").
  const overwrites = 'iteration variable overwrites accumulator variable';
  for (const release of ['1.33', '1.35', '1.37']) {
    assert.equal(display('[1].all(__result__, __result__ > 0)', release), caret('[1].all(__result__, __result__ > 0)', 9, overwrites), release);
    assert.equal(display('[1].exists(__result__, true)', release), caret('[1].exists(__result__, true)', 12, overwrites));
    assert.equal(display('[1].exists_one(__result__, true)', release), caret('[1].exists_one(__result__, true)', 16, overwrites));
    assert.equal(display('[1].map(__result__, 1) == []', release), caret('[1].map(__result__, 1) == []', 9, overwrites));
    assert.equal(display('[1].map(__result__, true, 1) == []', release), caret('[1].map(__result__, true, 1) == []', 9, overwrites));
    assert.equal(display('[1].filter(__result__, true) == []', release), caret('[1].filter(__result__, true) == []', 12, overwrites));
  }
  // Nested: the inner macro's variable, at it; a name that only contains it is fine.
  assert.equal(display('[[1]].all(x, x.exists(__result__, true))'), caret('[[1]].all(x, x.exists(__result__, true))', 23, overwrites));
  assert.equal(display('[1].all(__result, __result > 0)'), undefined);
  assert.equal(display('[1].all(result__, true)'), undefined);
  // Not a name is still the first check.
  assert.equal(display('[1].all(__result__.a, true)'), caret('[1].all(__result__.a, true)', 19, 'argument must be a simple name'));
});

test('before 1.33 (cel-go v0.22.0 and older) the one-variable macros take __result__ as their variable', () => {
  for (const release of ['1.29', '1.31', '1.32']) {
    assert.equal(display('[1].all(__result__, __result__ > 0)', release), undefined, release);
    assert.equal(display('[1].map(__result__, 1) == [1]', release), undefined, release);
  }
});

test('two-variable comprehensions refuse __result__ as either variable from 1.32, after the duplicate check (ext/comprehensions.go extractIterVars)', () => {
  const stored = (source: string, release = '1.32') => analyseExpression(source, undefined, false, celEnvironment(release, 'stored')).errorDisplay;
  const overwrites = 'iteration variable overwrites accumulator variable';
  assert.equal(stored("{'a': 1}.all(__result__, v, true)"), caret("{'a': 1}.all(__result__, v, true)", 14, overwrites));
  assert.equal(stored("{'a': 1}.exists(k, __result__, true)"), caret("{'a': 1}.exists(k, __result__, true)", 20, overwrites));
  assert.equal(stored('[1].transformList(i, __result__, i) == []', '1.35'), caret('[1].transformList(i, __result__, i) == []', 22, overwrites));
  assert.equal(stored("{'a': 1}.transformMap(__result__, v, true, v) == {}", '1.35'), caret("{'a': 1}.transformMap(__result__, v, true, v) == {}", 23, overwrites));
  // extractIterVars checks for the same name twice first.
  assert.equal(stored("{'a': 1}.all(__result__, __result__, true)"), caret("{'a': 1}.all(__result__, __result__, true)", 26, 'duplicate variable name: __result__'));
});

test('optMap takes __result__ as its name: cel-go checks only the comprehension macros (cel/library.go optMap)', () => {
  assert.equal(display('optional.of(1).optMap(__result__, __result__ + 1) == optional.of(2)'), undefined);
});

test('a stored expression with __result__ as a macro variable is not run', () => {
  const refused = compileExpression('object.spec.items.all(__result__, true)', celEnvironment('1.35', 'stored'));
  assert.ok('unsupported' in refused);
  assert.equal(refused.unsupported, 'the API server of Kubernetes 1.35 does not compile it: <input>:1:23: iteration variable overwrites accumulator variable');
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
