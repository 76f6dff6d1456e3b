// cel-go's compile-time literal validators (cel/validator.go) as the API server runs them on a CRD's
// x-kubernetes-validations rules: k8s.io/apiserver/pkg/cel/environment/base.go adds
// cel.ASTValidators(ValidateDurationLiterals, ValidateTimestampLiterals, ValidateRegexLiterals,
// ValidateHomogeneousAggregateLiterals) at IntroducedVersion 1.29, and its 1.0 options carry
// cel.HomogeneousAggregateLiterals() (cel/options.go: the same validator, from cel-go v0.17).
// Messages: formatValidator.Validate "invalid %s argument" at the literal;
// homogeneousAggregateLiteralValidator.typeMismatch "expected type '%s' but found '%s'" (FormatCelType).
// Also sortBy's macro-expansion errors (ext/lists.go sortByMacro, parser/macro.go MakeMap).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declTypeOf } from '../../server/src/cel/decl-type';
import { celEnvironment } from '../../server/src/cel/release-environment';
import { analyseExpression } from '../../server/src/cel/static-analysis';
import { compileExpression } from '../../server/src/cel/environment';

const latest = celEnvironment('1.35', 'new');
const display = (source: string, env = latest) => analyseExpression(source, undefined, false, env).errorDisplay;

test('ValidateDurationLiterals: a duration literal time.ParseDuration refuses is "invalid duration argument" at the literal', () => {
  assert.equal(display("duration('1x') > duration('1s')"), "ERROR: <input>:1:10: invalid duration argument\n | duration('1x') > duration('1s')\n | .........^");
  // Go refuses an empty duration ("time: invalid duration") and a day unit; a sign alone too.
  for (const bad of ["''", "'-'", "'1d'", "'1H'", "'.s'", "'2562048h'"]) assert.match(display(`duration(${bad}) == duration('0')`) ?? '', /^ERROR: <input>:1:10: invalid duration argument\n/, bad);
  for (const good of ["'0'", "'-1.5h'", "'1h30m'", "'5.s'", "'1us'", "'1µs'", "'2562047h'"]) assert.equal(display(`duration(${good}) != duration('1s')`), undefined, good);
  // Only a literal argument: a string from the object is checked when the rule runs.
  assert.equal(display('duration(self) > duration("1s")'), undefined);
});

test('ValidateTimestampLiterals: time.Parse(time.RFC3339) failures, hour 24 and days past the month end included', () => {
  assert.equal(display("timestamp('2023-02-29T00:00:00Z') > timestamp('2023-01-01T00:00:00Z')"), "ERROR: <input>:1:11: invalid timestamp argument\n | timestamp('2023-02-29T00:00:00Z') > timestamp('2023-01-01T00:00:00Z')\n | ..........^");
  for (const bad of ['2023-01-01', '2023-04-31T00:00:00Z', '2023-01-01T24:00:00Z', '2023-01-01T23:60:00Z', '2023-01-01 00:00:00Z', '0000-01-01T00:00:00Z']) {
    assert.match(display(`timestamp('${bad}') == timestamp('2023-01-01T00:00:00Z')`) ?? '', /^ERROR: <input>:1:11: invalid timestamp argument\n/, bad);
  }
  for (const good of ['2024-02-29T00:00:00Z', '2023-01-01T00:00:00.123456789+01:00']) assert.equal(display(`timestamp('${good}') != timestamp('2023-01-01T00:00:00Z')`), undefined, good);
});

test('ValidateRegexLiterals: a pattern Go\'s regexp (RE2) does not compile is "invalid matches argument"; Perl-only syntax too', () => {
  assert.equal(display("self.matches('[')"), "ERROR: <input>:1:14: invalid matches argument\n | self.matches('[')\n | .............^");
  // RE2 has no lookahead or backreference: JavaScript would accept these.
  assert.match(display("self.matches('a(?=b)')") ?? '', /invalid matches argument/);
  assert.match(display("self.matches('(a)\\\\1')") ?? '', /invalid matches argument/);
  assert.equal(display("self.matches('^[a-z]+$')"), undefined);
  // The global form validates its first argument (argNum 0), the string, as cel-go does: a bad
  // pattern there passes, a "bad" subject string fails.
  assert.match(display("matches('[', self)") ?? '', /^ERROR: <input>:1:9: invalid matches argument\n/);
  assert.equal(display("matches(self, '[')"), undefined);
});

test('ValidateHomogeneousAggregateLiterals: the first list element of another type; every map key and value against the first entry\'s', () => {
  assert.equal(display("[1, 'a', 2.0] == []"), "ERROR: <input>:1:5: expected type 'int' but found 'string'\n | [1, 'a', 2.0] == []\n | ....^");
  // FormatCELType prints NullTypeKind as "null" (checker/format.go), not its runtime name null_type.
  assert.equal(display('[1, null].size() == 2'), "ERROR: <input>:1:5: expected type 'int' but found 'null'\n | [1, null].size() == 2\n | ....^");
  assert.equal(
    display("{'a': 1, 2: 'b'} == {}"),
    "ERROR: <input>:1:10: expected type 'string' but found 'int'\n | {'a': 1, 2: 'b'} == {}\n | .........^\nERROR: <input>:1:13: expected type 'int' but found 'string'\n | {'a': 1, 2: 'b'} == {}\n | ............^",
  );
  // A schema field has its schema's type: an integer field and a string literal differ.
  const self = declTypeOf({ type: 'object', properties: { n: { type: 'integer' }, s: { type: 'string' } } });
  assert.equal(analyseExpression("self.s in [self.s, 'x']", self, false, latest).errorDisplay, undefined);
  assert.match(analyseExpression("[self.n, 'x'].size() == 2", self, false, latest).errorDisplay ?? '', /^ERROR: <input>:1:10: expected type 'int' but found 'string'\n/);
  // Inside format's arguments (hasStringFormatAncestor), at any depth of lists, mixed lists are allowed.
  assert.equal(display("'%s %d'.format(['a', [1, 'b']]) == ''"), undefined);
});

test('mixed literals of lists, maps and dyn: the types as the checker joins them (dyn mode) and FormatCELType prints them', () => {
  // IsEquivalentType: list(int) and map(string, int) differ, and so do int and dyn.
  assert.equal(display("[[1], {'a': 1}] == []"), "ERROR: <input>:1:7: expected type 'list(int)' but found 'map(string, int)'\n | [[1], {'a': 1}] == []\n | ......^");
  // A global call is at its '(' (parser.go VisitGlobalCall).
  assert.equal(display('[1, dyn(1)] == []'), "ERROR: <input>:1:8: expected type 'int' but found 'dyn'\n | [1, dyn(1)] == []\n | .......^");
  assert.match(display("[dyn(1), 'a'] == []") ?? '', /^ERROR: <input>:1:10: expected type 'dyn' but found 'string'\n/);
  assert.match(display("{'a': [1], 'b': {'c': 1}} == {}") ?? '', /^ERROR: <input>:1:17: expected type 'list\(int\)' but found 'map\(string, int\)'\n/);
  // A mixed inner list is list(dyn) once joined (checker.go joinTypes), and both lists are reported.
  assert.equal(
    display("[[1, 'a'], [2]] == []"),
    "ERROR: <input>:1:6: expected type 'int' but found 'string'\n | [[1, 'a'], [2]] == []\n | .....^\nERROR: <input>:1:12: expected type 'list(dyn)' but found 'list(int)'\n | [[1, 'a'], [2]] == []\n | ...........^",
  );
  // A list of the schema is list(<items>), a map map(string, <values>); int-or-string is dyn.
  const self = declTypeOf({ type: 'object', properties: { ports: { type: 'array', items: { type: 'integer' } }, labels: { type: 'object', additionalProperties: { type: 'string' } }, port: { 'x-kubernetes-int-or-string': true } } });
  assert.match(analyseExpression("[self.ports, ['a']].size() == 2", self, false, latest).errorDisplay ?? '', /expected type 'list\(int\)' but found 'list\(string\)'/);
  assert.match(analyseExpression('[self.labels, {1: 2}].size() == 2', self, false, latest).errorDisplay ?? '', /expected type 'map\(string, string\)' but found 'map\(int, int\)'/);
  assert.match(analyseExpression('[self.port, 1].size() == 2', self, false, latest).errorDisplay ?? '', /expected type 'dyn' but found 'int'/);
  // Not named, never reported: a schema object (the API server names its type per compilation), an empty list.
  assert.equal(analyseExpression('[self, 1].size() == 2', self, false, latest).errorDisplay, undefined);
  assert.equal(display('[[], [1]] == []'), undefined);
  // The runtime path (a custom resource's rule compiled without its schema) names literals the same way.
  const refused = compileExpression("[[1], {'a': 1}].size() == 2", celEnvironment('1.35', 'stored'));
  assert.ok('unsupported' in refused && refused.unsupported.endsWith("expected type 'list(int)' but found 'map(string, int)'"));
});

test('Kubernetes 1.28 (cel-go v0.16): mixed literals are the checker\'s type errors, against the join so far, dyn matching anything (checker.go joinTypes)', () => {
  const v128 = celEnvironment('1.28', 'new');
  assert.equal(display("[1, 'a', 2.0] == []", v128), "ERROR: <input>:1:5: expected type 'int' but found 'string'\n | [1, 'a', 2.0] == []\n | ....^");
  // int joined with dyn is dyn, to which 'a' is assignable: no error (the 1.29 validator reports dyn).
  assert.equal(display("[1, dyn(2), 'a'] == []", v128), undefined);
  assert.match(display("[1, dyn(2), 'a'] == []") ?? '', /expected type 'int' but found 'dyn'/);
  // They are type errors: they come with the others, where the validators wait for a clean check.
  assert.match(display("nope && [1, 'a'] == []", v128) ?? '', /undeclared reference to 'nope'[^]*expected type 'int' but found 'string'/);
  const stored = compileExpression("[1, 'a'].size() == 2", celEnvironment('1.28', 'stored'));
  assert.ok('unsupported' in stored && stored.unsupported.endsWith("cel-go's checker says expected type 'int' but found 'string'"));
});

test('the validators run only on an expression that type-checks, and from the release base.go adds them', () => {
  // A type error first: cel-go's Check returns before the validators.
  assert.equal(display("nope && duration('1x') > duration('1s')"), "ERROR: <input>:1:1: undeclared reference to 'nope' (in container '')\n | nope && duration('1x') > duration('1s')\n | ^");
  // 1.29: stored expressions have them, new ones (DefaultCompatibilityVersion 1.28) not yet; 1.30 both.
  assert.equal(display("duration('1x') > duration('1s')", celEnvironment('1.29', 'new')), undefined);
  assert.match(display("duration('1x') > duration('1s')", celEnvironment('1.29', 'stored')) ?? '', /invalid duration argument/);
  assert.match(display("duration('1x') > duration('1s')", celEnvironment('1.30', 'new')) ?? '', /invalid duration argument/);
  // The homogeneous validator comes with the 1.0 options: every expression of a 1.29 binary.
  assert.match(display("[1, 'a'] == []", celEnvironment('1.29', 'new')) ?? '', /expected type 'int' but found 'string'/);
});

test('sortBy that cel-go cannot expand is its parser\'s error, not an undeclared reference (ext/lists.go sortByMacro, parser/macro.go MakeMap)', () => {
  const parsed = (source: string) => analyseExpression(source, undefined, false, latest);
  const a = parsed('self.sortBy(x.y, 1) == []');
  assert.equal(a.syntaxError, '<input>:1:14: argument is not an identifier');
  assert.equal(a.errorDisplay, 'ERROR: <input>:1:14: argument is not an identifier\n | self.sortBy(x.y, 1) == []\n | .............^');
  assert.equal(parsed('self.sortBy(1, 1) == []').errorDisplay, 'ERROR: <input>:1:13: argument is not an identifier\n | self.sortBy(1, 1) == []\n | ............^');
  const literalTarget = "'abc'.sortBy(c, c) == []";
  assert.equal(parsed(literalTarget).errorDisplay, `ERROR: <input>:1:1: sortBy can only be applied to a list, identifier, comprehension, call or select expression\n | ${literalTarget}\n | ^`);
  assert.match(parsed('self.sortBy(__result__, 1) == []').errorDisplay ?? '', /^ERROR: <input>:1:13: iteration variable overwrites accumulator variable\n/);
  // Well-formed ones still compile, and a release without the macro still says it lacks it.
  assert.equal(parsed('self.sortBy(x, -x) == []').errorDisplay, undefined);
  assert.equal(parsed('self.map(y, y).sortBy(x, x) == []').errorDisplay, undefined);
  assert.match(analyseExpression('self.sortBy(x.y, 1) == []', undefined, false, celEnvironment('1.33', 'new')).errorDisplay ?? '', /undeclared reference to 'sortBy'/);
});

test('a stored expression (custom resource, admission policy) with a sortBy cel-go cannot expand is not run, with cel-go\'s parser error', () => {
  const refused = compileExpression('self.sortBy(x.y, 1) == []', celEnvironment('1.35', 'stored'));
  assert.ok('unsupported' in refused);
  assert.equal(refused.unsupported, 'the API server of Kubernetes 1.35 does not compile it: <input>:1:14: argument is not an identifier');
  assert.ok(!('unsupported' in compileExpression('self.sortBy(x, -x) == []', celEnvironment('1.35', 'stored'))));
});

test('a custom resource\'s rule the validators fail is not run for a release that has them, with the reason; the conformance environment (no release) runs it', () => {
  const stored = (source: string, release: string) => compileExpression(source, celEnvironment(release, 'stored'));
  const refused = stored("duration(self) < duration('5x')", '1.35');
  assert.ok('unsupported' in refused);
  assert.equal(refused.unsupported, "the API server of Kubernetes 1.35 does not compile it: cel-go's literal validators say invalid duration argument");
  const mixed = stored("[1, 'a'].size() == 2", '1.29');
  assert.ok('unsupported' in mixed && mixed.unsupported.endsWith("expected type 'int' but found 'string'"));
  assert.ok(!('unsupported' in stored("duration(self) < duration('5m')", '1.35')));
  assert.ok(!('unsupported' in stored("duration(self) < duration('5x')", '1.28')));
  // cel-spec's conformance tests expect duration('1x') to fail when run, as cel-go's plain environment does.
  assert.ok(!('unsupported' in compileExpression("duration('1x') > duration('1s')")));
});
