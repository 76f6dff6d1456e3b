// The CEL environment of each Kubernetes release (server/src/cel/release-environment.ts) against
// k8s.io/apiserver pkg/cel/environment/base.go baseOptsWithoutStrictCost on the release-1.29 ...
// release-1.36 branches and master (1.37), and environment.go's NewExpressions / StoredExpressions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { celEnvironment, compatibilityVersionOf } from '../../server/src/cel/release-environment';
import { analyseExpression } from '../../server/src/cel/static-analysis';
import { compileExpression } from '../../server/src/cel/environment';

test('DefaultCompatibilityVersion is one release back (release-1.29: 1.28, release-1.30: 1.29, then MinCompatibilityVersion = binary - 1)', () => {
  assert.equal(compatibilityVersionOf('1.29'), '1.28');
  assert.equal(compatibilityVersionOf('1.30'), '1.29');
  assert.equal(compatibilityVersionOf('1.35'), '1.34');
  assert.equal(celEnvironment('1.35', 'new').compatibility, '1.34');
  assert.equal(celEnvironment('1.35', 'stored').compatibility, '1.35');
});

test('each library from the release base.go introduces it: stored expressions at that release, new expressions one release later', () => {
  // [function, IntroducedVersion in base.go]
  const introduced: [string, string][] = [
    ['sets.contains', '1.29'], // ext.Sets()
    ['format', '1.29'], // ext.Strings(ext.StringsVersion(2)); cel-go ext/strings.go: format "Introduced at version: 1"
    ['strings.quote', '1.29'],
    ['ip', '1.30'], // library.IP, library.CIDR
    ['cidr', '1.30'],
    ['format.named', '1.31'], // library.Format
    ['format.dns1123Label', '1.31'],
    ['transformList', '1.32'], // ext.TwoVarComprehensions()
    ['semver', '1.33'], // library.SemverLib(library.SemverVersion(1))
    ['sort', '1.34'], // ext.Lists(ext.ListsVersion(3)), kubernetes/kubernetes#131700
    ['lists.range', '1.34'],
    ['includes', '1.37'], // master: library.Lists(library.ListsVersion(1))
  ];
  const releases = ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36', '1.37'];
  for (const [fn, since] of introduced) {
    for (const release of releases) {
      const stored = Number(release.split('.')[1]) >= Number(since.split('.')[1]);
      const fresh = Number(release.split('.')[1]) >= Number(since.split('.')[1]) + 1;
      assert.equal(celEnvironment(release, 'stored').declares(fn), stored, `${fn} stored at ${release}`);
      assert.equal(celEnvironment(release, 'new').declares(fn), fresh, `${fn} new at ${release}`);
    }
  }
  // The functions of 1.28 and before are in every environment kdry targets.
  for (const fn of ['isSorted', 'find', 'url', 'quantity', 'charAt', 'lowerAscii']) assert.ok(celEnvironment('1.29', 'new').declares(fn), fn);
  // Macros follow their libraries.
  assert.equal(celEnvironment('1.32', 'new').has('twoVariableComprehensions'), false);
  assert.equal(celEnvironment('1.33', 'new').has('twoVariableComprehensions'), true);
  assert.equal(celEnvironment('1.34', 'new').has('sortBy'), false);
  assert.equal(celEnvironment('1.34', 'stored').has('sortBy'), true);
});

test("a new rule calling what the release lacks: cel-go's checker errors (checker.go checkCall, undeclaredReference at the call's '(')", () => {
  const errorsOf = (source: string, release: string) => analyseExpression(source, undefined, false, celEnvironment(release, 'new')).errorDisplay;
  // 1.34 knows the lists extension, but a rule it creates compiles with the 1.33 libraries.
  assert.equal(errorsOf('self.sort() == self', '1.34'), "ERROR: <input>:1:10: undeclared reference to 'sort' (in container '')\n | self.sort() == self\n | .........^");
  assert.equal(errorsOf('self.sort() == self', '1.35'), undefined);
  // A namespaced function is looked up whole; failing that its namespace is an undeclared identifier,
  // and its last name a member function: `contains` (a standard function) is declared, `range` is not.
  assert.equal(errorsOf("sets.contains(self, ['a'])", '1.29'), "ERROR: <input>:1:1: undeclared reference to 'sets' (in container '')\n | sets.contains(self, ['a'])\n | ^");
  assert.equal(errorsOf("sets.contains(self, ['a'])", '1.30'), undefined);
  assert.equal(errorsOf('lists.range(3).size() > 0', '1.34'), [
    "ERROR: <input>:1:1: undeclared reference to 'lists' (in container '')", ' | lists.range(3).size() > 0', ' | ^',
    "ERROR: <input>:1:12: undeclared reference to 'range' (in container '')", ' | lists.range(3).size() > 0', ' | ...........^',
  ].join('\n'));
  // Without the two-variable macro, `all(k, v, p)` is a call: its variables are undeclared identifiers.
  assert.equal(errorsOf('self.all(k, v, v > 0)', '1.32'), [
    "ERROR: <input>:1:9: undeclared reference to 'all' (in container '')", ' | self.all(k, v, v > 0)', ' | ........^',
    "ERROR: <input>:1:10: undeclared reference to 'k' (in container '')", ' | self.all(k, v, v > 0)', ' | .........^',
    "ERROR: <input>:1:13: undeclared reference to 'v' (in container '')", ' | self.all(k, v, v > 0)', ' | ............^',
    "ERROR: <input>:1:16: undeclared reference to 'v' (in container '')", ' | self.all(k, v, v > 0)', ' | ...............^',
  ].join('\n'));
  assert.equal(errorsOf('self.all(k, v, v > 0)', '1.33'), undefined);
  assert.match(errorsOf("semver('1.0.0').major() == 1", '1.33') ?? '', /^ERROR: <input>:1:7: undeclared reference to 'semver' \(in container ''\)\n/);
  assert.equal(errorsOf("semver('1.0.0').major() == 1", '1.34'), undefined);
});

test('a stored rule runs in the release\'s StoredExpressions environment; what it lacks is not run, and said why', () => {
  const stored = (source: string, release: string) => compileExpression(source, celEnvironment(release, 'stored'));
  const refused = stored('self.sort() == self', '1.33');
  assert.ok('unsupported' in refused);
  assert.equal(refused.unsupported, 'sort() is not in the CEL environment of Kubernetes 1.33: ext.Lists(ext.ListsVersion(3)) comes in Kubernetes 1.34');
  assert.ok(!('unsupported' in stored('self.sort() == self', '1.34')));
  const macro = stored('self.sortBy(e, e) == self', '1.33');
  assert.ok('unsupported' in macro && /the macro sortBy\(\) with a key expression is not in the CEL environment of Kubernetes 1\.33/.test(macro.unsupported));
  const namespaced = stored("sets.contains(self, ['a'])", '1.28');
  assert.ok('unsupported' in namespaced && /^sets\.contains\(\) is not in the CEL environment of Kubernetes 1\.28: ext\.Sets\(\) comes in Kubernetes 1\.29$/.test(namespaced.unsupported));
});
