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
  // lists.go comparableTypes: uints, bytes, durations and timestamps too (sum: the Adders, uint and duration).
  assert.equal(value('[uint(1), uint(2)].sum() == uint(3)'), true);
  assert.equal(value("[duration('1.5s'), duration('-2s')].sum() == duration('-0.5s')"), true);
  assert.equal(value("[duration('2s'), duration('1s')].isSorted()"), false);
  assert.equal(value("[bytes('b'), bytes('a'), bytes('ab')].min() == bytes('a')"), true);
  assert.equal(value("[timestamp('2011-01-02T00:00:00Z'), timestamp('2011-01-01T00:00:00Z')].max() == timestamp('2011-01-02T00:00:00Z')"), true);
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
  // net/url parse: a rest that does not start with "/" after the scheme is opaque: no host, no path
  // (upstream's own cost_test.go uses url('https:://kubernetes.io/')).
  assert.equal(value('url("https:://kubernetes.io/").getScheme()'), 'https');
  assert.equal(value('url("https:://kubernetes.io/").getHost()'), '');
  assert.equal(value('url("HTTPS:example.com").getScheme() + "|" + url("https:example.com").getHostname() + "|" + url("mailto:a@b").getEscapedPath()'), 'https||');
  assert.deepEqual([...(value('url("mailto:a@b?subject=hi").getQuery()["subject"]') as Iterable<string>)], ['hi']);
});

// urls.go over Go's net/url (go-url.ts): apiextensions-apiserver validation_test.go
// TestValidationExpressions "URL parsing", the urls.go examples, and where WHATWG URL parsing (kdry
// before) read a URL differently from Go.
test('validation_test.go "URL parsing" and the urls.go examples hold, the written port kept', () => {
  const self = { url: 'https://user:pass@kubernetes.io:80/docs/home?k1=a&k2=b&k2=c#anchor' };
  for (const rule of [
    "url('/path').getScheme() == ''",
    "url('https://example.com/').getScheme() == 'https'",
    "url('https://example.com:80/').getHost() == 'example.com:80'",
    "url('https://example.com/').getHost() == 'example.com'",
    "url('https://[::1]:80/').getHost() == '[::1]:80'",
    "url('https://[::1]/').getHost() == '[::1]'",
    "url('/path').getHost() == ''",
    "url('https://example.com:80/').getHostname() == 'example.com'",
    "url('https://127.0.0.1/').getHostname() == '127.0.0.1'",
    "url('https://[::1]/').getHostname() == '::1'",
    "url('/path').getHostname() == ''",
    "url('https://example.com:80/').getPort() == '80'",
    "url('https://example.com/').getPort() == ''",
    "url('/path').getPort() == ''",
    "url('https://example.com/path').getEscapedPath() == '/path'",
    "url('https://example.com/with space/').getEscapedPath() == '/with%20space/'",
    "url('https://example.com').getEscapedPath() == ''",
    "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == { 'k1': ['a'], 'k2': ['b', 'c']}",
    "url('https://example.com/path?key with spaces=value with spaces').getQuery() == { 'key with spaces': ['value with spaces']}",
    "url('https://example.com/path?').getQuery() == {}",
    "url('https://example.com/path').getQuery() == {}",
    "url(self.url).getScheme() == 'https'",
    "url(self.url).getHost() == 'kubernetes.io:80'",
    "url(self.url).getHostname() == 'kubernetes.io'",
    "url(self.url).getPort() == '80'",
    "url(self.url).getEscapedPath() == '/docs/home'",
    "url(self.url).getQuery() == {'k1': ['a'], 'k2': ['b', 'c']}",
    "isURL('https://user:pass@example.com:80/path?query=val#fragment')",
    "isURL('/path') == true",
    "isURL('https://a:b:c/') == false",
    "isURL('../relative-path') == false",
    "url('https://127.0.0.1:80/').getHostname() == '127.0.0.1'",
    "url('https://[::1]:80/').getHostname() == '::1'",
    "url('https://example.com/path with spaces/').getEscapedPath() == '/path%20with%20spaces/'",
    // Go keeps a scheme's default port as written; WHATWG drops it.
    "url('http://example.com:80/').getHost() == 'example.com:80'",
    "url('https://example.com:443/').getHost() == 'example.com:443'",
  ]) assert.equal(value(rule, self), true, rule);
});

test('where WHATWG URL parsing differed from Go (review s14): Go does not normalise what was written', () => {
  const cases: [string, unknown][] = [
    ["url('https://example.com/api/../admin').getEscapedPath()", '/api/../admin'],
    ["url('HTTPS://Example.COM/').getHost()", 'Example.COM'],
    ["url('HTTPS://Example.COM/').getScheme()", 'https'],
    ["url('http://example.com:80/').getHost()", 'example.com:80'],
    ["url('https://bücher.de/').getHostname()", 'bücher.de'],
    ["url('https://example.com/a\\\\b').getEscapedPath()", '/a%5Cb'],
    ["url('https://0x7f.1/').getHostname()", '0x7f.1'],
    ["url('https://example.com./').getHostname()", 'example.com.'],
    ["url('https:/path').getHost()", ''],
    ["url('https:/path').getEscapedPath()", '/path'],
    // ParseRequestURI accepts "//example.com/p" as a path; url.Parse, whose URL is kept, reads an authority.
    ["url('//example.com/p').getHost()", 'example.com'],
    ["url('//example.com/p').getEscapedPath()", '/p'],
    ["url('https://example.com/a?b=%zz').getQuery()", new Map()],
    ["url('https://example.com/?a=1;b=2&c=3').getQuery()", new Map([['c', ['3']]])],
  ];
  for (const [expr, want] of cases) {
    const got = value(expr);
    if (want instanceof Map) assert.deepEqual(new Map([...(got as Map<string, Iterable<string>>)].map(([k, v]) => [k, [...v]])), want, expr);
    else assert.equal(got, want, expr);
  }
  assert.equal(value('isURL(self)', 'https://example.com/\tpath'), false, 'net/url refuses control bytes');
  assert.equal(value("isURL('https://exa mple.com')"), false);
  assert.equal(value("isURL('http://[192.168.0.1]/')"), false, 'only IPv6 in brackets');
});

test("url() fails with ParseRequestURI's own error, as stringToUrl wraps it", () => {
  const r = run("url('https://a:b:c/')");
  assert.equal(r.kind, 'error');
  assert.equal((r as { message: string }).message, 'URL parse error during conversion from string: parse "https://a:b:c/": invalid port ":b:c" after host');
  assert.deepEqual([...(value("format.uri().validate('https://exa mple.com').value()") as Iterable<string>)], ['parse "https://exa mple.com": invalid character " " in host name']);
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

test('format.go: format.named, format.<name>() and validate(), with the apimachinery messages', () => {
  // ConstantFormats: NameIsDNSLabel(s, false) is validation.IsDNS1123Label
  assert.equal(value('format.dns1123Label().validate("my-name").hasValue()'), false, 'valid: optional.none()');
  assert.deepEqual(
    [...(value('format.dns1123Label().validate(self).value()', 'My_Name') as Iterable<string>)],
    ["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
  );
  assert.equal(value('format.dns1123Label().validate(self).value().size()', 'a'.repeat(64)), 1n, 'too long only');
  assert.match(String(value('format.dns1123Label().validate(self).value()[0]', 'a'.repeat(64))), /^must be no more than 63 characters$/);
  assert.equal(value('format.dns1123Subdomain().validate("apiextensions.k8s.io").hasValue()'), false);
  assert.equal(value('format.dns1035Label().validate("1abc").hasValue()'), true, 'DNS-1035 starts with a letter');
  assert.equal(value('format.qualifiedName().validate("apiextensions.k8s.io/v1beta1").hasValue()'), false);
  assert.match(String(value('format.qualifiedName().validate("a/b/c").value()[0]')), /^a qualified name must consist of/);
  // the Prefix variants (generateName): maskTrailingDash lets a trailing '-' pass
  assert.equal(value('format.dns1123LabelPrefix().validate("my-label-prefix-").hasValue()'), false);
  assert.equal(value('format.dns1123Label().validate("my-label-prefix-").hasValue()'), true);
  assert.equal(value('format.dns1123SubdomainPrefix().validate("mysubdomain.prefix.-").hasValue()'), false);
  assert.equal(value('format.dns1035LabelPrefix().validate("my-label-prefix-").hasValue()'), false);
  assert.equal(value('format.labelValue().validate("").hasValue()'), false, 'a label value may be empty');
  assert.equal(value('format.labelValue().validate("-x").hasValue()'), true);
  // the CRD formats through strfmt, and url.ParseRequestURI for uri
  assert.equal(value('format.uri().validate("http://example.com").hasValue()'), false);
  assert.deepEqual([...(value('format.uri().validate("example.com").value()') as Iterable<string>)], ['parse "example.com": invalid URI for request']);
  assert.equal(value('format.uuid().validate("123e4567-e89b-12d3-a456-426614174000").hasValue()'), false);
  assert.deepEqual([...(value('format.uuid().validate("123").value()') as Iterable<string>)], ['does not match the UUID format']);
  assert.equal(value('format.byte().validate("aGVsbG8=").hasValue()'), false);
  assert.deepEqual([...(value('format.byte().validate("aGVsbG8").value()') as Iterable<string>)], ['invalid base64']);
  assert.equal(value('format.date().validate("2021-01-01").hasValue()'), false);
  assert.deepEqual([...(value('format.date().validate("2021-13-01").value()') as Iterable<string>)], ['invalid date']);
  assert.equal(value('format.datetime().validate("2021-01-01T00:00:00Z").hasValue()'), false);
  assert.deepEqual([...(value('format.datetime().validate("2021-01-01").value()') as Iterable<string>)], ['invalid datetime']);
  // format.named: optional.of(the format), optional.none() for a name it does not know
  assert.equal(value('format.named("dns1123Label").hasValue()'), true);
  assert.equal(value('format.named("dns1123Label").value().validate("ok").hasValue()'), false);
  assert.equal(value('format.named("email").hasValue()'), false, 'not among ConstantFormats');
  assert.equal(value('format.named(self).value() == format.labelValue()', 'labelValue'), true);
  // the upstream doc comment's messageExpression idiom
  assert.match(String(value('format.dns1123Label().validate(self).value().join("; ")', '-x-')), /^a lowercase RFC 1123 label/);
});

test('optional values (cel-go library.go OptionalTypes): of, none, ofNonZeroValue, hasValue, value, orValue, or', () => {
  assert.equal(value('optional.of(1).hasValue()'), true);
  assert.equal(value('optional.none().hasValue()'), false);
  assert.equal(value('optional.of(2).value()'), 2n);
  assert.match(error('optional.none().value()'), /optional\.none\(\) dereference/);
  assert.equal(value('optional.none().orValue("x")'), 'x');
  assert.equal(value('optional.of("a").orValue("x")'), 'a');
  assert.equal(value('optional.none().or(optional.of(3)).value()'), 3n);
  assert.equal(value('optional.of(1).or(optional.of(3)).value()'), 1n);
  assert.equal(value('optional.ofNonZeroValue("").hasValue()'), false);
  assert.equal(value('optional.ofNonZeroValue([]).hasValue()'), false);
  assert.equal(value('optional.ofNonZeroValue(0).hasValue()'), false);
  assert.equal(value('optional.ofNonZeroValue(1).hasValue()'), true);
  assert.equal(value('optional.of(null).hasValue()'), true, 'a present null is still a value');
  assert.equal(value('optional.none() == optional.none()'), true);
  assert.equal(value('optional.of(1) == optional.of(1)'), true);
  assert.equal(value('optional.of(1) == optional.none()'), false);
});

test('optional syntax: x.?f, x[?k], [?e], {?k: v}, and the optMap/optFlatMap macros', () => {
  const self = { spec: { replicas: 3, ports: [80, 443], labels: { app: 'web' }, empty: null } };
  assert.equal(value('self.?spec.?replicas.orValue(1)', self), 3n);
  assert.equal(value('self.?spec.?paused.orValue(false)', self), false);
  assert.equal(value('self.?status.?ready.hasValue()', self), false, 'a missing parent is none, not an error');
  // attributes.go applyQualifiers: after an optional step every later step is optional too
  assert.equal(value('self.?status.ready.orValue(0)', self), 0n);
  assert.equal(value('self.?spec.labels.app.value()', self), 'web');
  assert.equal(value('self.?spec.empty.hasValue()', self), true, 'a field written null is present');
  assert.equal(value('self.spec.labels[?"app"].value()', self), 'web');
  assert.equal(value('self.spec.labels[?"tier"].hasValue()', self), false);
  assert.equal(value('self.spec.ports[?1].value()', self), 443n);
  assert.equal(value('self.spec.ports[?5].orValue(-1)', self), -1n);
  assert.deepEqual([...(value('[?self.?spec.?missing, 1, ?optional.of(2)]', self) as Iterable<unknown>)], [1n, 2n]);
  const map = value('{?"a": self.?nothing, "b": 1, ?"c": optional.of(3)}', self) as Map<string, unknown>;
  assert.deepEqual([...map.keys()].sort(), ['b', 'c']);
  assert.equal(value('self.?spec.optMap(s, s.replicas * 2).value()', self), 6n);
  assert.equal(value('self.?status.optMap(s, s.ready).hasValue()', self), false);
  assert.equal(value('self.?spec.optFlatMap(s, s.?replicas).value()', self), 3n);
  // '?' of a conditional, and '?.' inside a string, are not optional syntax
  assert.equal(value('self.spec.replicas > 1 ? "many" : "one"', self), 'many');
  assert.equal(value('"a.?b" + \'[?c]\'', self), 'a.?b[?c]');
  assert.equal(value('1 in [?optional.of(1)]'), true);
});

test('two-variable comprehensions (cel-go ext/comprehensions.go, Kubernetes 1.32+): all, exists, existsOne, transformList, transformMap, transformMapEntry', () => {
  const self = { limits: { cpu: '1', memory: '1Gi' }, ports: [80, 443, 8080] };
  assert.equal(value('self.ports.all(i, p, i < 3 && p > 0)', self), true);
  assert.equal(value('self.ports.exists(i, p, i == 2 && p == 8080)', self), true);
  assert.equal(value('self.ports.existsOne(i, p, p > 100)', self), false, 'two of them');
  assert.equal(value('self.limits.all(k, v, k in ["cpu", "memory"] && v != "")', self), true);
  assert.deepEqual([...(value('self.ports.transformList(i, p, p + i)', self) as Iterable<bigint>)], [80n, 444n, 8082n]);
  assert.deepEqual([...(value('self.ports.transformList(i, p, p > 100, i)', self) as Iterable<bigint>)], [1n, 2n], 'with a filter');
  const upper = value('self.limits.transformMap(k, v, k + "=" + v)', self) as Map<string, string>;
  assert.deepEqual(Object.fromEntries(upper), { cpu: 'cpu=1', memory: 'memory=1Gi' });
  const swapped = value('self.limits.transformMapEntry(k, v, {v: k})', self) as Map<string, string>;
  assert.deepEqual(Object.fromEntries(swapped), { '1': 'cpu', '1Gi': 'memory' });
  assert.match(error('{"a": "x", "b": "x"}.transformMapEntry(k, v, {v: k})'), /insert failed: key x already exists/);
  // an inner one-variable comprehension that rebinds a name keeps its own
  assert.equal(value('self.ports.all(i, p, [1].all(i, i == 1) && i >= 0)', self), true);
});

test('lists (cel-go ext/lists.go at ListsVersion(3), Kubernetes 1.34+): slice, flatten, sort, sortBy, reverse, distinct, lists.range, with cel-go\'s errors', () => {
  // The examples of lists.go's documentation, and its error texts (slice, flatten, genRange, sortListByAssociatedKeys).
  const list = (expr: string, self?: unknown) => [...(value(expr, self) as Iterable<unknown>)];
  const nested = (v: unknown): unknown => (typeof v === 'object' && v !== null && Symbol.iterator in v ? [...(v as Iterable<unknown>)].map(nested) : typeof v === 'bigint' ? Number(v) : v);
  assert.deepEqual(list('[1, 2, 3, 4].slice(1, 3)'), [2n, 3n]);
  assert.deepEqual(list('[1, 2, 3, 4].slice(2, 4)'), [3n, 4n]);
  assert.match(error('[1, 2].slice(-1, 1)'), /^cannot slice\(-1, 1\), negative indexes not supported$/);
  assert.match(error('[1, 2].slice(2, 1)'), /^cannot slice\(2, 1\), start index must be less than or equal to end index$/);
  assert.match(error('[1, 2].slice(0, 3)'), /^cannot slice\(0, 3\), list is length 2$/);
  assert.deepEqual(list('[1, [2, 3], [4]].flatten()'), [1n, 2n, 3n, 4n]);
  assert.deepEqual(nested(value('[1, [2, [3, 4]]].flatten()')), [1, 2, [3, 4]]);
  assert.deepEqual(list('[1, 2, [], [], [3, 4]].flatten()'), [1n, 2n, 3n, 4n]);
  assert.deepEqual(nested(value('[1, [2, [3, [4]]]].flatten(2)')), [1, 2, 3, [4]]);
  assert.match(error('[1, [2, [3, [4]]]].flatten(-1)'), /^level must be non-negative$/);
  assert.deepEqual(list('[3, 2, 1].sort()'), [1n, 2n, 3n]);
  assert.deepEqual(list('["b", "c", "a"].sort()'), ['a', 'b', 'c']);
  assert.deepEqual(list('self.sort()', ['web', 'api', 'db']), ['api', 'db', 'web']);
  assert.match(error('[1, "b"].sort()'), /^list elements must have the same type$/);
  assert.match(error('[[1, 2, 3]].sort()'), /^list elements must be comparable$/);
  // Durations and timestamps are comparable too (lists.go comparableTypes), by seconds, then nanos.
  assert.equal(value('[duration("2s"), duration("1500ms"), duration("1s")].sort() == [duration("1s"), duration("1500ms"), duration("2s")]'), true);
  assert.equal(value('[timestamp("2026-01-02T00:00:00Z"), timestamp("2026-01-01T00:00:00.5Z")].sort()[0] == timestamp("2026-01-01T00:00:00.5Z")'), true);
  assert.match(error('[duration("1s"), timestamp("2026-01-01T00:00:00Z")].sort()'), /^list elements must have the same type$/);
  assert.deepEqual(list('[5, 3, 1, 2].reverse()'), [2n, 1n, 3n, 5n]);
  assert.deepEqual(list('[1, 2, 2, 3, 3, 3].distinct()'), [1n, 2n, 3n]);
  assert.deepEqual(list('["b", "b", "c", "a", "c"].distinct()'), ['b', 'c', 'a']);
  assert.deepEqual(list('[1, "b", 2, "b"].distinct()'), [1n, 'b', 2n]);
  assert.deepEqual(list('lists.range(5)'), [0n, 1n, 2n, 3n, 4n]);
  assert.match(error('lists.range(-1)'), /^lists\.range: size must be non-negative, got -1$/);
  assert.equal(value('self.distinct().size() == self.size()', ['a', 'b', 'a']), false, 'a uniqueness rule');
  // sortBy (a macro, lowered as cel-go's sortByMacro expands it): lists.go's example with maps for messages
  const players = [{ name: 'foo', score: 0 }, { name: 'bar', score: -10 }, { name: 'baz', score: 1000 }];
  assert.deepEqual(list('self.sortBy(e, e.score).map(e, e.name)', players), ['bar', 'foo', 'baz']);
  assert.deepEqual(list('["ccc", "a", "bb"].sortBy(x, x.size())'), ['a', 'bb', 'ccc']);
  assert.equal(value('self.sortBy(p, -p.score)[0].name == "baz"', players), true);
  assert.match(error('[1, 2].sortBy(x, x == 1 ? "a" : 2)'), /^list elements must have the same type$/);
});

test('sets (cel-go ext/sets.go, Kubernetes 1.29+): contains, equivalent, intersects with CEL equality', () => {
  assert.equal(value('sets.contains([1, 2, 3], [3, 1])'), true);
  assert.equal(value('sets.contains([1, 2], [])'), true, 'an empty second list');
  assert.equal(value('sets.contains([1, 2], [4])'), false);
  assert.equal(value('sets.contains([1], [1.0, 1u])'), true, 'numbers compare across types');
  assert.equal(value('sets.contains([[1], {"a": 2}], [{"a": 2}])'), true, 'by content');
  assert.equal(value('sets.equivalent([1, 2, 2], [2, 1])'), true, 'duplicates do not count');
  assert.equal(value('sets.equivalent([1, 2], [1])'), false);
  assert.equal(value('sets.intersects([1, 2], [2, 3])'), true);
  assert.equal(value('sets.intersects([], [1])'), false);
  assert.equal(value('sets.intersects(self, ["b"])', ['a', 'b']), true);
});

test('backtick-quoted field names (cel-spec 0.25): x.`content-type`, has(x.`a.b`)', () => {
  const self = { 'content-type': 'json', 'a.b': 1 };
  assert.equal(value('self.`content-type`', self), 'json');
  assert.equal(value('has(self.`a.b`) && !has(self.`c-d`)', self), true);
  assert.equal(value('self.?`content-type`.orValue("")', self), 'json');
});

test('what kdry cannot evaluate is unsupported, never an error: unknown functions, message construction', () => {
  const unknown = compileExpression('cel.bind(x, self, x == "a")');
  assert.ok(!('unsupported' in unknown));
  assert.equal(unknown.evaluate({ self: 'x' }, new CostMeter(PER_CALL_LIMIT)).kind, 'unsupported');
  assert.ok('unsupported' in compileExpression('Msg{?f: 1}'));
});
