// cel-go's checker resolves every call against the declared overloads of its function and refuses
// a rule no overload takes (checker/checker.go resolveOverload, checker/errors.go
// noMatchingOverload, types printed by checker/format.go FormatCELType), with the types the API
// server declares from the schema (apiserver/pkg/cel/common/schemas.go SchemaDeclType: `date` and
// `date-time` strings are timestamps, `duration` durations, int-or-string dyn). The CRD is refused
// at creation (apiextensions-apiserver schema/cel/compilation.go compileRule: "compilation failed").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declTypeOf } from '../../server/src/cel/decl-type';
import { analyseExpression } from '../../server/src/cel/static-analysis';
import { checkDefinition, definitionErrorText } from '../../server/src/crd/definition-checks';
import type { StructuralSchema } from '../../server/src/k8s/structural-schema';

const SPEC: StructuralSchema = {
  type: 'object',
  properties: {
    created: { type: 'string', format: 'date-time' },
    day: { type: 'string', format: 'date' },
    timeout: { type: 'string', format: 'duration' },
    name: { type: 'string' },
    replicas: { type: 'integer' },
    ratio: { type: 'number' },
    port: { 'x-kubernetes-int-or-string': true },
    tags: { type: 'array', items: { type: 'string' } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const errorsOf = (rule: string) => analyseExpression(rule, declTypeOf(SPEC)).typeErrors.map((e) => e.message);

test('a string function on a timestamp, a duration, a list or a number: no matching overload, with the types cel-go prints', () => {
  assert.deepEqual(errorsOf("self.created.startsWith('2024')"), ["found no matching overload for 'startsWith' applied to 'timestamp.(string)'"]);
  assert.deepEqual(errorsOf("self.day.endsWith('-01')"), ["found no matching overload for 'endsWith' applied to 'timestamp.(string)'"]);
  assert.deepEqual(errorsOf("self.timeout.contains('s')"), ["found no matching overload for 'contains' applied to 'duration.(string)'"]);
  assert.deepEqual(errorsOf("self.tags.startsWith('a')"), ["found no matching overload for 'startsWith' applied to 'list(string).(string)'"]);
  assert.deepEqual(errorsOf('self.replicas.lowerAscii() == "1"'), ["found no matching overload for 'lowerAscii' applied to 'int.()'"]);
  assert.deepEqual(errorsOf("self.labels.matches('a')"), ["found no matching overload for 'matches' applied to 'map(string, string).(string)'"]);
  assert.deepEqual(errorsOf('size(self.created) > 0'), ["found no matching overload for 'size' applied to '(timestamp)'"]);
});

test('an argument of the wrong type, a time accessor on a string or on a duration, an ordering across types', () => {
  assert.deepEqual(errorsOf('self.name.startsWith(1)'), ["found no matching overload for 'startsWith' applied to 'string.(int)'"]);
  assert.deepEqual(errorsOf('self.name.substring(self.name) == ""'), ["found no matching overload for 'substring' applied to 'string.(string)'"]);
  assert.deepEqual(errorsOf('self.name.getFullYear() > 2000'), ["found no matching overload for 'getFullYear' applied to 'string.()'"]);
  assert.deepEqual(errorsOf('self.timeout.getDayOfWeek() == 1'), ["found no matching overload for 'getDayOfWeek' applied to 'duration.()'"]);
  assert.deepEqual(errorsOf("self.created < '2024-01-01T00:00:00Z'"), ["found no matching overload for '_<_' applied to '(timestamp, string)'"]);
  assert.deepEqual(errorsOf("self.replicas >= '3'"), ["found no matching overload for '_>=_' applied to '(int, string)'"]);
});

test('no false error: the right types, dyn (int-or-string, dyn()), fields of preserve-unknown-fields objects, numbers compared across kinds', () => {
  for (const rule of [
    "self.name.startsWith('a')",
    "self.name.lowerAscii().endsWith('x') && self.name.charAt(0) == 'a'",
    'self.created.getFullYear() >= 2024 && self.created.getHours("Europe/Paris") < 24',
    'self.timeout.getHours() < 2',
    "self.port.startsWith('h') || self.port > 0",
    "dyn(self.created).startsWith('2024')",
    "self.extra.anything.startsWith('x')",
    'self.tags.all(t, t.startsWith("a")) && size(self.tags) < 3 && self.tags.size() < 3',
    "self.labels.all(k, k.matches('^[a-z]+$')) && size(self.labels) > 0",
    'self.replicas < self.ratio && self.replicas > 1u',
    "self.created < timestamp('2025-01-01T00:00:00Z')",
    "self.name.split(',').size() < 4 && self.name.replace('a', 'b', 1) != '' && self.name.find('[0-9]+') != ''",
  ]) {
    assert.deepEqual(errorsOf(rule), [], rule);
  }
});

test('the CRD is refused at creation with cel-go\'s display of the error', () => {
  const crd = { spec: { group: 'example.com', names: { kind: 'W' }, versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { ...SPEC, 'x-kubernetes-validations': [{ rule: "self.created.startsWith('2024')" }] } } } } }] } };
  const [text, ...rest] = checkDefinition(crd).map(definitionErrorText);
  assert.deepEqual(rest, []);
  assert.ok(text.startsWith('spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: '), text);
  assert.ok(text.endsWith("compilation failed: ERROR: <input>:1:24: found no matching overload for 'startsWith' applied to 'timestamp.(string)'\n | self.created.startsWith('2024')\n | .......................^"), text);
});

// checker.go checkSelectField: a field of a value that is not a map, a message, a type parameter
// or dyn is "type '<T>' does not support field selection" (cel-go's own checker_test.go has
// `[].length`: "type 'list(_var0)' does not support field selection"), has() included.
test('a field of a string, a number, a timestamp or a list: the type does not support field selection', () => {
  assert.deepEqual(errorsOf("self.name.first == 'a'"), ["type 'string' does not support field selection"]);
  assert.deepEqual(errorsOf('self.replicas.value > 0'), ["type 'int' does not support field selection"]);
  assert.deepEqual(errorsOf('has(self.tags.first)'), ["type 'list(string)' does not support field selection"]);
  assert.deepEqual(errorsOf('self.created.seconds > 0'), ["type 'timestamp' does not support field selection"]);
});

// standard.go: _==_ and _!=_ take (A, A), @in (A, list(A)) and (A, map(A, B)), _+_ on lists
// (list(A), list(A)); arithmetic per kind (timestamp - timestamp is a duration); conversions.
test('==, in, arithmetic and conversions of types no overload takes, with the types cel-go prints', () => {
  assert.deepEqual(errorsOf("self.replicas == '3'"), ["found no matching overload for '_==_' applied to '(int, string)'"]);
  assert.deepEqual(errorsOf('self.ratio != 1'), ["found no matching overload for '_!=_' applied to '(double, int)'"]);
  assert.deepEqual(errorsOf("self.created == '2024-01-01T00:00:00Z'"), ["found no matching overload for '_==_' applied to '(timestamp, string)'"]);
  assert.deepEqual(errorsOf('self.replicas in self.tags'), ["found no matching overload for '@in' applied to '(int, list(string))'"]);
  assert.deepEqual(errorsOf("'a' in self.name"), ["found no matching overload for '@in' applied to '(string, string)'"]);
  assert.deepEqual(errorsOf("self.replicas + self.name == ''"), ["found no matching overload for '_+_' applied to '(int, string)'"]);
  assert.deepEqual(errorsOf('self.tags + [1] == []'), ["found no matching overload for '_+_' applied to '(list(string), list(int))'"]);
  assert.deepEqual(errorsOf('self.replicas % 2.0 == 0'), ["found no matching overload for '_%_' applied to '(int, double)'"]);
  assert.deepEqual(errorsOf("-self.name == ''"), ["found no matching overload for '-_' applied to '(string)'"]);
  // timestamp - timestamp is a duration, and a duration is not an int.
  assert.deepEqual(errorsOf('self.created - self.created > 5'), ["found no matching overload for '_>_' applied to '(duration, int)'"]);
  assert.deepEqual(errorsOf("timestamp(self.name).startsWith('2024')"), ["found no matching overload for 'startsWith' applied to 'timestamp.(string)'"]);
  assert.deepEqual(errorsOf('int(self.tags) > 0'), ["found no matching overload for 'int' applied to '(list(string))'"]);
  assert.deepEqual(errorsOf('self.name.isSorted()'), ["found no matching overload for 'isSorted' applied to 'string.()'"]);
  assert.deepEqual(errorsOf("quantity(self.replicas).isLessThan(quantity('1'))"), ["found no matching overload for 'quantity' applied to '(int)'"]);
  assert.deepEqual(errorsOf('isURL(self.replicas)'), ["found no matching overload for 'isURL' applied to '(int)'"]);
  // At the operator, as cel-go places a binary call.
  assert.ok(analyseExpression("self.replicas == '3'", declTypeOf(SPEC)).errorDisplay?.startsWith("ERROR: <input>:1:15: found no matching overload for '_==_'"));
});

test('no false error: the overloads that take them, dyn, and types kdry cannot name', () => {
  for (const rule of [
    "self.port == 80 || self.port == 'http'",
    'self.extra.x == 1 && self.extra.y.z == "a"',
    "self.labels['a'] == 'b' && 'a' in self.labels && self.labels.a == 'b'",
    "self.tags + ['x'] == ['x'] && 'x' in self.tags && self.tags.indexOf('a') >= 0 && self.name.indexOf('a') >= 0",
    'self.replicas + 1 == 2 && self.ratio * 2.0 > 1.0 && -self.replicas < 0 && self.replicas % 2 == 0 && 1u + 2u == 3u',
    "self.created + duration('1h') > self.created && self.created - self.created < duration('1s') && self.timeout + self.timeout > self.timeout",
    "timestamp(self.name) < self.created && duration(self.name) > self.timeout && int(self.port) > 0 && string(self.replicas) == '3'",
    "quantity(self.name).isLessThan(quantity('1')) && isSemver(self.name, true) && url(self.name).getHost() == 'a' && isCIDR(self.name)",
    'self.tags.all(t, t.size() > 0) && self.tags.map(t, t.size()).sum() > 0 && [1, 2].isSorted()',
    'dyn(self.replicas) == "3" && self.replicas == dyn("3")',
    "self.labels == {'a': 'b'} && self.tags == [] && self.name in ['a', 'b']",
  ]) {
    assert.deepEqual(errorsOf(rule), [], rule);
  }
});

// library/quantity.go and semver.go declare their methods on kubernetes.Quantity and
// kubernetes.Semver (cel.ObjectType), the names cel-go prints.
test('quantities and semantic versions: their methods take their own types', () => {
  assert.deepEqual(errorsOf("quantity(self.name).isLessThan(self.replicas)"), ["found no matching overload for 'isLessThan' applied to 'kubernetes.Quantity.(int)'"]);
  assert.deepEqual(errorsOf("quantity(self.name).isLessThan(semver('1.0.0'))"), ["found no matching overload for 'isLessThan' applied to 'kubernetes.Quantity.(kubernetes.Semver)'"]);
  assert.deepEqual(errorsOf("semver(self.name).major() == '1'"), ["found no matching overload for '_==_' applied to '(int, string)'"]);
  assert.deepEqual(errorsOf("self.name.add(1) == self.name"), ["found no matching overload for 'add' applied to 'string.(int)'"]);
  assert.deepEqual(errorsOf("quantity(self.name).asApproximateFloat() > 1"), []);
  assert.deepEqual(errorsOf("quantity(self.name).add(1).sub(quantity('1')).isGreaterThan(quantity('2')) && quantity(self.name).compareTo(quantity('1')) < 0 && quantity(self.name).sign() == 1"), []);
  assert.deepEqual(errorsOf("semver(self.name, true).isLessThan(semver('1.2.3')) && semver(self.name).minor() >= 2 && quantity(self.name) == quantity('1')"), []);
});

// library/urls.go, ip.go and cidr.go: kubernetes.URL, net.IP and net.CIDR (apiserver/pkg/cel url.go, ip.go, cidr.go).
test('URLs, IPs and CIDRs: their methods take their own types', () => {
  assert.deepEqual(errorsOf("self.name.getHost() == 'a'"), ["found no matching overload for 'getHost' applied to 'string.()'"]);
  assert.deepEqual(errorsOf("url(self.name).getHost() == 1"), ["found no matching overload for '_==_' applied to '(string, int)'"]);
  assert.deepEqual(errorsOf("cidr(self.name).containsIP(self.replicas)"), ["found no matching overload for 'containsIP' applied to 'net.CIDR.(int)'"]);
  assert.deepEqual(errorsOf("cidr(self.name).containsCIDR(ip('10.0.0.1'))"), ["found no matching overload for 'containsCIDR' applied to 'net.CIDR.(net.IP)'"]);
  assert.deepEqual(errorsOf("ip(self.name).prefixLength() > 8"), ["found no matching overload for 'prefixLength' applied to 'net.IP.()'"]);
  for (const rule of [
    "url(self.name).getScheme() == 'https' && url(self.name).getQuery().size() > 0 && url(self.name).getPort() != ''",
    "cidr(self.name).containsIP(ip('10.0.0.1')) && cidr(self.name).containsIP('10.0.0.1') && cidr(self.name).containsCIDR('10.0.0.0/8')",
    "cidr(self.name).ip().family() == 4 && cidr(self.name).masked().prefixLength() >= 8 && ip(self.name).isLoopback() && string(ip(self.name)) == '::1'",
    "ip.isCanonical(self.name) && isIP(self.name) && ip(self.name) == ip('::1')",
  ]) {
    assert.deepEqual(errorsOf(rule), [], rule);
  }
});

// standard.go index_list (list(A), int) and index_map (map(A, B), A).
test('an index no overload takes: a list by a string, a map by an int, a string at all', () => {
  assert.deepEqual(errorsOf("self.tags['a'] == 'b'"), ["found no matching overload for '_[_]' applied to '(list(string), string)'"]);
  assert.deepEqual(errorsOf("self.labels[1] == 'b'"), ["found no matching overload for '_[_]' applied to '(map(string, string), int)'"]);
  assert.deepEqual(errorsOf("self.name[0] == 'a'"), ["found no matching overload for '_[_]' applied to '(string, int)'"]);
  assert.deepEqual(errorsOf("self.tags[0] == 'a' && self.labels['a'] == 'b' && self.tags[self.replicas] == 'a' && self.extra['x'] == 1 && self.tags[dyn('a')] == 'a' && {1: 'a'}[1u] == 'a'"), []);
});
