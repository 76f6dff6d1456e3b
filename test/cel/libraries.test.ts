// The Kubernetes CEL libraries kdry implements, each against the behaviour of its upstream
// function in k8s.io/apiserver/pkg/cel/library (file and function named per test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, CostMeter, type Evaluation } from '../../server/src/cel/environment';
import { PER_CALL_LIMIT } from '../../server/src/cel/cost';
import { toCel } from '../../server/src/cel/values';

function run(expr: string, self: unknown = null): Evaluation {
  const program = compileExpression(expr);
  assert.ok(!('unsupported' in program), `${expr} compiles`);
  return program.evaluate({ self: toCel(self) }, new CostMeter(PER_CALL_LIMIT));
}

const show = (r: Evaluation) => JSON.stringify(r, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));

function value(expr: string, self?: unknown): unknown {
  const r = run(expr, self);
  assert.equal(r.kind, 'value', `${expr}: ${show(r)}`);
  return (r as { value: unknown }).value;
}

function error(expr: string, self?: unknown): string {
  const r = run(expr, self);
  assert.equal(r.kind, 'error', `${expr} fails: ${show(r)}`);
  return (r as { message: string }).message;
}

test('lists.go: isSorted, sum, min, max, indexOf, lastIndexOf', () => {
  assert.equal(value('[1, 2, 2, 3].isSorted()'), true);
  assert.equal(value('["b", "a"].isSorted()'), false);
  assert.equal(value('[1, 2, 3].sum()'), 6n);
  assert.equal(value('[1.5, 2.5].sum()'), 4);
  assert.equal(value('[].sum()'), 0n);
  assert.equal(value('[3, 1, 2].min()'), 1n);
  assert.equal(value('["a", "c", "b"].max()'), 'c');
  assert.match(error('[].min()'), /min\(list\) called on empty list/);
  assert.equal(value('[1, 2, 1].indexOf(1)'), 0n);
  assert.equal(value('[1, 2, 1].lastIndexOf(1)'), 2n);
  assert.equal(value('[1, 2].indexOf(9)'), -1n);
  // the strings extension's indexOf still works on strings
  assert.equal(value('"abcb".lastIndexOf("b")'), 3n);
});

test('regex.go: find and findAll (RE2 syntax)', () => {
  assert.equal(value('"abc 123 def 456".find("[0-9]+")'), '123');
  assert.equal(value('"abc".find("[0-9]+")'), '');
  assert.deepEqual([...(value('"a1b22c333".findAll("[0-9]+")') as Iterable<string>)], ['1', '22', '333']);
  assert.deepEqual([...(value('"a1b22c333".findAll("[0-9]+", 2)') as Iterable<string>)], ['1', '22']);
  assert.match(error('"abc".find("(?<=a)b")'), /error parsing regexp/, 'lookbehind is not RE2');
  assert.equal(value('"abc".matches("^a.c$")'), true);
});

test('urls.go: url, isURL, getScheme, getHost, getHostname, getPort, getEscapedPath, getQuery', () => {
  assert.equal(value('isURL("https://example.com:8443/a%20b?x=1&x=2")'), true);
  assert.equal(value('isURL("example.com")'), false, 'ParseRequestURI wants a scheme or an absolute path');
  assert.equal(value('isURL("/absolute/path")'), true);
  assert.equal(value('url("https://example.com:8443/a").getScheme()'), 'https');
  assert.equal(value('url("https://example.com:8443/a").getHost()'), 'example.com:8443');
  assert.equal(value('url("https://[::1]:80/").getHostname()'), '::1');
  assert.equal(value('url("https://example.com:443/").getPort()'), '443', 'the written port, even the default');
  assert.equal(value('url("https://example.com/a%20b").getEscapedPath()'), '/a%20b');
  assert.deepEqual([...(value('url("https://example.com/?x=1&x=2&y=3").getQuery()["x"]') as Iterable<string>)], ['1', '2']);
  assert.match(error('url("not a url")'), /URL parse error/);
});

test('ip.go and cidr.go: ip, isIP, ip.isCanonical, family, the is* tests, cidr and containment', () => {
  assert.equal(value('isIP("10.0.0.1")'), true);
  assert.equal(value('isIP("010.0.0.1")'), false, 'netip refuses leading zeros');
  assert.equal(value('isIP("::ffff:10.0.0.1")'), false, 'Kubernetes refuses IPv4-mapped IPv6');
  assert.equal(value('ip("2001:db8::1").family()'), 6n);
  assert.equal(value('ip.isCanonical("2001:db8::1")'), true);
  assert.equal(value('ip.isCanonical("2001:DB8:0::1")'), false);
  assert.equal(value('ip("127.0.0.1").isLoopback()'), true);
  assert.equal(value('ip("0.0.0.0").isUnspecified()'), true);
  assert.equal(value('ip("169.254.1.1").isLinkLocalUnicast()'), true);
  assert.equal(value('ip("ff02::1").isLinkLocalMulticast()'), true);
  assert.equal(value('ip("8.8.8.8").isGlobalUnicast()'), true);
  assert.equal(value('ip("255.255.255.255").isGlobalUnicast()'), false);
  assert.equal(value('cidr("10.0.0.0/8").containsIP("10.20.30.40")'), true);
  assert.equal(value('cidr("10.0.0.0/8").containsIP(ip("11.0.0.1"))'), false);
  assert.equal(value('cidr("10.0.0.0/8").containsCIDR("10.1.0.0/16")'), true);
  assert.equal(value('cidr("10.1.0.0/16").containsCIDR("10.0.0.0/8")'), false);
  assert.equal(value('cidr("192.168.1.5/24").masked() == cidr("192.168.1.0/24")'), true);
  assert.equal(value('cidr("192.168.1.5/24").prefixLength()'), 24n);
  assert.equal(value('cidr("192.168.1.5/24").ip() == ip("192.168.1.5")'), true);
  assert.equal(value('string(cidr("2001:db8::/32").masked())'), '2001:db8::/32');
  assert.equal(value('isCIDR("10.0.0.0/33")'), false);
  assert.match(error('ip("nope")'), /parse error/);
});

test('quantity.go: quantity, isQuantity, sign, isInteger, asInteger, asApproximateFloat, add, sub, comparisons', () => {
  assert.equal(value('quantity("1Gi") == quantity("1024Mi")'), true);
  assert.equal(value('isQuantity("1.5Gi")'), true);
  assert.equal(value('isQuantity("1GB")'), false);
  assert.equal(value('quantity("-5m").sign()'), -1n);
  assert.equal(value('quantity("1500m").isInteger()'), false);
  assert.equal(value('quantity("2k").asInteger()'), 2000n);
  assert.match(error('quantity("500m").asInteger()'), /cannot convert value to integer/);
  assert.equal(value('quantity("250m").asApproximateFloat()'), 0.25);
  assert.equal(value('quantity("0.1").add(quantity("0.2")) == quantity("300m")'), true, 'exact, not floating point');
  assert.equal(value('quantity("1").add(2) == quantity("3")'), true);
  assert.equal(value('quantity("1Gi").sub(quantity("512Mi")) == quantity("512Mi")'), true);
  assert.equal(value('quantity("500m").isLessThan(quantity("1"))'), true);
  assert.equal(value('quantity("2Gi").isGreaterThan(quantity("2G"))'), true);
  assert.equal(value('quantity("1k").compareTo(quantity("1000"))'), 0n);
  assert.match(error('quantity("1GB")'), /quantities must match/);
});

test('semverlib.go: semver, isSemver, major, minor, patch, comparisons', () => {
  assert.equal(value('isSemver("1.2.3-rc.1+build.5")'), true);
  assert.equal(value('isSemver("v1.2.3")'), false);
  assert.equal(value('isSemver("v1.2", true)'), true, 'normalize accepts v and a missing patch');
  assert.equal(value('semver("1.2.3").major()'), 1n);
  assert.equal(value('semver("1.2.3").minor()'), 2n);
  assert.equal(value('semver("1.2.3").patch()'), 3n);
  assert.equal(value('semver("1.2.3").isLessThan(semver("1.10.0"))'), true, 'numeric, not lexical');
  assert.equal(value('semver("1.0.0-rc.1").isLessThan(semver("1.0.0"))'), true, 'a pre-release sorts before its release');
  assert.equal(value('semver("1.0.0-alpha.2").compareTo(semver("1.0.0-alpha.10"))'), -1n);
  assert.equal(value('semver("2.0.0").isGreaterThan(semver("1.9.9"))'), true);
});

test('strings (cel-go ext.Strings, as base.go enables): split, lowerAscii, replace, substring, join', () => {
  assert.equal(value('"A-b".lowerAscii()'), 'a-b');
  assert.equal(value('"a,b".split(",").size()'), 2n);
  assert.equal(value('"aaa".replace("a", "b", 2)'), 'bba');
  assert.equal(value('"hello".substring(1, 3)'), 'el');
  assert.equal(value('["a", "b"].join("-")'), 'a-b');
});

test('values: YAML integers are CEL int, fields of type number are double, objects are maps', () => {
  assert.equal(value('self.replicas + 1', { replicas: 2 }), 3n);
  assert.equal(value('type(self.n) == int', { n: 9007199254740993 }), true);
  assert.equal(value('self.a.b', { a: { b: 'x' } }), 'x');
  assert.equal(value('has(self.a) && !has(self.z)', { a: 1 }), true);
  assert.equal(value('self.replicas > 1.5', { replicas: 2 }), true, 'int and double compare as numbers');
  assert.match(error('self.replicas / 0', { replicas: 2 }), /division by zero/);
  assert.match(error('self.missing', {}), /no such key: missing/);
});

test('cost: a rule past the per-call limit stops with the API server message', () => {
  const big = Array.from({ length: 2000 }, (_, i) => i);
  const r = run('self.all(x, self.all(y, x + y >= 0))', big);
  assert.deepEqual({ ...r }, { kind: 'cost', message: 'operation cancelled: actual cost limit exceeded' });
  assert.equal(run('self.all(x, x >= 0)', big).kind, 'value', 'one pass over 2,000 items is well within the limit');
});

test('what kdry cannot evaluate is unsupported, never an error: unknown functions, optional syntax', () => {
  const unknown = compileExpression('format.dns1123Label().validate(self).hasValue()');
  assert.ok(!('unsupported' in unknown));
  assert.equal(unknown.evaluate({ self: 'x' }, new CostMeter(PER_CALL_LIMIT)).kind, 'unsupported');
  assert.ok('unsupported' in compileExpression('self.?spec.orValue(1) == 1'));
});
