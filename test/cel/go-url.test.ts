// go-url.ts against Go's own tables in src/net/url/url_test.go (Go 1.26): urltests (TestParse),
// parseRequestURLTests (TestParseRequestURI), TestParseErrors, TestURLHostnameAndPort and
// parseTests (TestParseQuery), as far as the fields the CEL url library reads. Fragments, users
// and String() round trips are not kept by kdry, so those columns are left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGoUrlError, parseRequestUri, parseUrl, urlEscapedPath, urlHostname, urlPort, urlQuery, type GoUrl } from '../../server/src/cel/library/go-url';

const text = (bytes: string) => Buffer.from(bytes, 'latin1').toString('utf8');

function parsed(input: string, parse = parseUrl): GoUrl {
  const u = parse(input);
  assert.ok(!isGoUrlError(u), `${input}: ${isGoUrlError(u) ? u.error : ''}`);
  return u;
}

const blank = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '' };
const urltests: [string, Partial<GoUrl>][] = [
  ['http://www.google.com', { scheme: 'http', host: 'www.google.com' }],
  ['http://www.google.com/', { scheme: 'http', host: 'www.google.com', path: '/' }],
  ['http://www.google.com/file%20one%26two', { scheme: 'http', host: 'www.google.com', path: '/file one&two', rawPath: '/file%20one%26two' }],
  ['http://www.google.com/#file%20one%26two', { scheme: 'http', host: 'www.google.com', path: '/' }],
  ['ftp://webmaster@www.google.com/', { scheme: 'ftp', host: 'www.google.com', path: '/' }],
  ['ftp://john%20doe@www.google.com/', { scheme: 'ftp', host: 'www.google.com', path: '/' }],
  ['http://www.google.com/?', { scheme: 'http', host: 'www.google.com', path: '/' }],
  ['http://www.google.com/?foo=bar?', { scheme: 'http', host: 'www.google.com', path: '/', rawQuery: 'foo=bar?' }],
  ['http://www.google.com/?q=go+language', { scheme: 'http', host: 'www.google.com', path: '/', rawQuery: 'q=go+language' }],
  ['http://www.google.com/?q=go%20language', { scheme: 'http', host: 'www.google.com', path: '/', rawQuery: 'q=go%20language' }],
  ['http://www.google.com/a%20b?q=c+d', { scheme: 'http', host: 'www.google.com', path: '/a b', rawQuery: 'q=c+d' }],
  ['http:www.google.com/?q=go+language', { scheme: 'http', opaque: 'www.google.com/', rawQuery: 'q=go+language' }],
  ['http:%2f%2fwww.google.com/?q=go+language', { scheme: 'http', opaque: '%2f%2fwww.google.com/', rawQuery: 'q=go+language' }],
  ['mailto:/webmaster@golang.org', { scheme: 'mailto', path: '/webmaster@golang.org' }],
  ['mailto:webmaster@golang.org', { scheme: 'mailto', opaque: 'webmaster@golang.org' }],
  ['/foo?query=http://bad', { path: '/foo', rawQuery: 'query=http://bad' }],
  ['//foo', { host: 'foo' }],
  ['//user@foo/path?a=b', { host: 'foo', path: '/path', rawQuery: 'a=b' }],
  ['///threeslashes', { path: '///threeslashes' }],
  ['http://user:password@google.com', { scheme: 'http', host: 'google.com' }],
  ['http://j@ne:password@google.com', { scheme: 'http', host: 'google.com' }],
  ['http://jane:p@ssword@google.com', { scheme: 'http', host: 'google.com' }],
  ['http://j@ne:password@google.com/p@th?q=@go', { scheme: 'http', host: 'google.com', path: '/p@th', rawQuery: 'q=@go' }],
  ['http://www.google.com/?q=go+language#foo', { scheme: 'http', host: 'www.google.com', path: '/', rawQuery: 'q=go+language' }],
  ['file:///home/adg/rabbits', { scheme: 'file', path: '/home/adg/rabbits' }],
  ['file:///C:/FooBar/Baz.txt', { scheme: 'file', path: '/C:/FooBar/Baz.txt' }],
  ['MaIlTo:webmaster@golang.org', { scheme: 'mailto', opaque: 'webmaster@golang.org' }],
  ['a/b/c', { path: 'a/b/c' }],
  ['http://%3Fam:pa%3Fsword@google.com', { scheme: 'http', host: 'google.com' }],
  ['http://192.168.0.1/', { scheme: 'http', host: '192.168.0.1', path: '/' }],
  ['http://192.168.0.1:8080/', { scheme: 'http', host: '192.168.0.1:8080', path: '/' }],
  ['http://[fe80::1]/', { scheme: 'http', host: '[fe80::1]', path: '/' }],
  ['http://[fe80::1]:8080/', { scheme: 'http', host: '[fe80::1]:8080', path: '/' }],
  ['https://[2001:db8::1]:8443/test/path', { scheme: 'https', host: '[2001:db8::1]:8443', path: '/test/path' }],
  ['http://[fe80::1%25en0]/', { scheme: 'http', host: '[fe80::1%en0]', path: '/' }],
  ['http://[fe80::1%25en0]:8080/', { scheme: 'http', host: '[fe80::1%en0]:8080', path: '/' }],
  ['http://[fe80::1%25%65%6e%301-._~]/', { scheme: 'http', host: '[fe80::1%en01-._~]', path: '/' }],
  ['http://[fe80::1%25%65%6e%301-._~]:8080/', { scheme: 'http', host: '[fe80::1%en01-._~]:8080', path: '/' }],
  ['http://rest.rsc.io/foo%2fbar/baz%2Fquux?alt=media', { scheme: 'http', host: 'rest.rsc.io', path: '/foo/bar/baz/quux', rawPath: '/foo%2fbar/baz%2Fquux', rawQuery: 'alt=media' }],
  ['mysql://a,b,c/bar', { scheme: 'mysql', host: 'a,b,c', path: '/bar' }],
  ["scheme://!$&'()*+,;=hello!:1/path", { scheme: 'scheme', host: "!$&'()*+,;=hello!:1", path: '/path' }],
  ["http://host/!$&'()*+,;=:@[hello]", { scheme: 'http', host: 'host', path: "/!$&'()*+,;=:@[hello]", rawPath: "/!$&'()*+,;=:@[hello]" }],
  ['http://example.com/oid/[order_id]', { scheme: 'http', host: 'example.com', path: '/oid/[order_id]', rawPath: '/oid/[order_id]' }],
  ['http://192.168.0.2:8080/foo', { scheme: 'http', host: '192.168.0.2:8080', path: '/foo' }],
  ['http://192.168.0.2:/foo', { scheme: 'http', host: '192.168.0.2:', path: '/foo' }],
  ['http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:8080/foo', { scheme: 'http', host: '[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:8080', path: '/foo' }],
  ['http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:/foo', { scheme: 'http', host: '[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:', path: '/foo' }],
  ['http://hello.世界.com/foo', { scheme: 'http', host: 'hello.世界.com', path: '/foo' }],
  ['http://hello.%e4%b8%96%e7%95%8c.com/foo', { scheme: 'http', host: 'hello.世界.com', path: '/foo' }],
  ['http://hello.%E4%B8%96%E7%95%8C.com/foo', { scheme: 'http', host: 'hello.世界.com', path: '/foo' }],
  ['http://example.com//foo', { scheme: 'http', host: 'example.com', path: '//foo' }],
  ['myscheme://authority<"hi">/foo', { scheme: 'myscheme', host: 'authority<"hi">', path: '/foo' }],
  ['tcp://[2020::2020:20:2020:2020%25Windows%20Loves%20Spaces]:2020', { scheme: 'tcp', host: '[2020::2020:20:2020:2020%Windows Loves Spaces]:2020' }],
  ['magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn', { scheme: 'magnet', rawQuery: 'xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn' }],
  ['mailto:?subject=hi', { scheme: 'mailto', rawQuery: 'subject=hi' }],
  // go.dev/issue/75859: database URLs keep their comma-separated host:port lists.
  ['postgres://host1:1,host2:2,host3:3', { scheme: 'postgres', host: 'host1:1,host2:2,host3:3' }],
  ['mongodb://user:password@host1:1,host2:2,host3:3', { scheme: 'mongodb', host: 'host1:1,host2:2,host3:3' }],
  ['//host.com', { host: 'host.com' }],
];

test('url_test.go urltests: Parse keeps scheme, opaque, host, path, raw path and raw query as Go does', () => {
  for (const [input, want] of urltests) {
    const u = parsed(input);
    const got = Object.fromEntries(Object.entries(u).map(([k, v]) => [k, text(v)]));
    assert.deepEqual(got, { ...blank, ...want }, input);
  }
});

const parseRequestURLTests: [string, boolean][] = [
  ['http://foo.com', true],
  ['http://foo.com/', true],
  ['http://foo.com/path', true],
  ['/', true],
  ['//not.a.user@not.a.host/just/a/path', true],
  ['//not.a.user@%66%6f%6f.com/just/a/path/also', true],
  ['*', true],
  ['http://192.168.0.1/', true],
  ['http://192.168.0.1:8080/', true],
  ['http://[fe80::1]/', true],
  ['http://[fe80::1]:8080/', true],
  ['http://[fe80::1%25en0]/', true],
  ['http://[fe80::1%25en0]:8080/', true],
  ['http://[fe80::1%25%65%6e%301-._~]/', true],
  ['http://[fe80::1%25%65%6e%301-._~]:8080/', true],
  ['foo.html', false],
  ['../dir/', false],
  [' http://foo.com', false],
  ['http://192.168.0.%31/', false],
  ['http://192.168.0.%31:8080/', false],
  ['http://[fe80::%31]/', false],
  ['http://[fe80::%31]:8080/', false],
  ['http://[fe80::%31%25en0]/', false],
  ['http://[fe80::%31%25en0]:8080/', false],
  // RFC 4007 zones are not RFC 6874 URI zones.
  ['http://[fe80::1%en0]/', false],
  ['http://[fe80::1%en0]:8080/', false],
  // RFC 3986 compliance: only an IPv6 address in brackets; one colon in an http(s) host.
  ['https://[1:2:3:4:5:6:7:8]', true],
  ['https://[2001:db8::a:b:c:d]', true],
  ['https://[fe80::1%25eth0]', true],
  ['https://[fe80::abc:def%254]', true],
  ['https://[2001:db8::1]/path', true],
  ['https://[fe80::1%25eth0]/path?query=1', true],
  ['https://[::ffff:192.0.2.1]', true],
  ['https://[:1] ', false],
  ['https://[1:2:3:4:5:6:7:8:9]', false],
  ['https://[1::1::1]', false],
  ['https://[1:2:3:]', false],
  ['https://[ffff::127.0.0.4000]', false],
  ['https://[0:0::test.com]:80', false],
  ['https://[2001:db8::test.com]', false],
  ['https://[test.com]', false],
  ['https://1:2:3:4:5:6:7:8', false],
  ['https://1:2:3:4:5:6:7:8:80', false],
  ['https://example.com:80:', false],
];

test('url_test.go parseRequestURLTests: which strings ParseRequestURI accepts', () => {
  for (const [input, valid] of parseRequestURLTests) assert.equal(!isGoUrlError(parseRequestUri(input)), valid, input);
  assert.equal(parsed('//not.a.user@not.a.host/just/a/path', parseRequestUri).path, '//not.a.user@not.a.host/just/a/path', 'a request path is never an authority');
});

const parseErrors: [string, boolean][] = [
  ['http://[::1]', false],
  ['http://[::1]:80', false],
  ['http://[::1]:namedport', true],
  ['http://x:namedport', true],
  ['http://[::1]/', false],
  ['http://[::1]a', true],
  ['http://[::1]%23', true],
  ['http://[::1%25en0]', false],
  ['http://[::1]:', false],
  ['http://x:', false],
  ['http://[::1]:%38%30', true],
  ['http://[::1%25%41]', false],
  ['http://[%10::1]', true],
  ['http://[::1]/%48', false],
  ['http://%41:8080/', true],
  ['mysql://x@y(z:123)/foo', true],
  ['mysql://x@y(1.2.3.4:123)/foo', true],
  [' http://foo.com', true],
  ['ht tp://foo.com', true],
  ['ahttp://foo.com', false],
  ['1http://foo.com', true],
  ['http://[]%20%48%54%54%50%2f%31%2e%31%0a%4d%79%48%65%61%64%65%72%3a%20%31%32%33%0a%0a/', true],
  ['http://a b.com/', true],
  ['cache_object://foo', true],
  ['cache_object:foo', true],
  ['cache_object:foo/bar', true],
  ['cache_object/:foo/bar', false],
  ['http://[192.168.0.1]/', true],
  ['http://[192.168.0.1]:8080/', true],
  ['http://[::ffff:192.168.0.1]/', false],
  ['http://[::ffff:192.168.0.1000]/', true],
  ['http://[::ffff:192.168.0.1]:8080/', false],
  ['http://[::ffff:c0a8:1]/', false],
  ['http://[not-an-ip]/', true],
  ['http://[fe80::1%foo]/', true],
  ['http://[fe80::1', true],
  ['http://fe80::1]/', true],
  ['http://[test.com]/', true],
  ['http://example.com[::1]', true],
  ['http://example.com[::1', true],
  ['http://[::1', true],
  ['http://.[::1]', true],
  ['http:// [::1]', true],
  ['hxxp://mathepqo[.]serveftp(.)com:9059', true],
];

test('url_test.go TestParseErrors: which strings Parse refuses', () => {
  for (const [input, wantErr] of parseErrors) assert.equal(isGoUrlError(parseUrl(input)), wantErr, input);
});

test('url_test.go TestURLHostnameAndPort: Hostname and Port split the written host, no canonicalisation', () => {
  const cases: [string, string, string][] = [
    ['foo.com:80', 'foo.com', '80'],
    ['foo.com', 'foo.com', ''],
    ['foo.com:', 'foo.com', ''],
    ['FOO.COM', 'FOO.COM', ''],
    ['1.2.3.4', '1.2.3.4', ''],
    ['1.2.3.4:80', '1.2.3.4', '80'],
    ['[1:2:3:4]', '1:2:3:4', ''],
    ['[1:2:3:4]:80', '1:2:3:4', '80'],
    ['[::1]:80', '::1', '80'],
    ['[::1]', '::1', ''],
    ['[::1]:', '::1', ''],
    ['localhost', 'localhost', ''],
    ['localhost:443', 'localhost', '443'],
    ['some.super.long.domain.example.org:8080', 'some.super.long.domain.example.org', '8080'],
    ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]:17000', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '17000'],
    ['[2001:0db8:85a3:0000:0000:8a2e:0370:7334]', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', ''],
    // golang.org/issue/29098: even an invalid Host splits into Hostname and Port.
    ['[google.com]:80', 'google.com', '80'],
    ['google.com]:80', 'google.com]', '80'],
    ['google.com:80_invalid_port', 'google.com:80_invalid_port', ''],
    ['[::1]extra]:80', '::1]extra', '80'],
    ['google.com]extra:extra', 'google.com]extra:extra', ''],
  ];
  for (const [host, hostname, port] of cases) {
    const u = { ...blank, host };
    assert.deepEqual([urlHostname(u), urlPort(u)], [hostname, port], host);
  }
});

test('url_test.go parseTests: Query keeps the settings that parse and drops the rest (semicolons, bad escapes)', () => {
  const cases: [string, Record<string, string[]>][] = [
    ['a=1', { a: ['1'] }],
    ['a=1&b=2', { a: ['1'], b: ['2'] }],
    ['a=1&a=2&a=banana', { a: ['1', '2', 'banana'] }],
    ['ascii=%3Ckey%3A+0x90%3E', { ascii: ['<key: 0x90>'] }],
    ['a=1;b=2', {}],
    ['a;b=1', {}],
    ['a=%3B', { a: [';'] }],
    ['a%3Bb=1', { 'a;b': ['1'] }],
    ['a=1&a=2;a=banana', { a: ['1'] }],
    ['a;b&c=1', { c: ['1'] }],
    ['a=1&b=2;a=3&c=4', { a: ['1'], c: ['4'] }],
    ['a=1&b=2;c=3', { a: ['1'] }],
    [';', {}],
    ['a=1;', {}],
    ['a=1&;', { a: ['1'] }],
    [';a=1&b=2', { b: ['2'] }],
    ['a=1&b=2;', { a: ['1'] }],
    // TestParseFailure and TestQueryValues
    ['%gh&%ij', {}],
    ['foo=bar&bar=1&bar=2&baz', { foo: ['bar'], bar: ['1', '2'], baz: [''] }],
  ];
  for (const [rawQuery, want] of cases) assert.deepEqual(Object.fromEntries(urlQuery({ ...blank, rawQuery })), want, rawQuery);
  // Go 1.26 parseQuery (urlmaxqueryparams): past 10,000 settings the whole query parses to nothing.
  assert.equal(urlQuery({ ...blank, rawQuery: Array(10000).fill('a=1').join('&') }).get('a')?.length, 10000);
  assert.equal(urlQuery({ ...blank, rawQuery: Array(10001).fill('a=1').join('&') }).size, 0);
});

test('EscapedPath: the written path when it is a valid escaping of Path, else Go re-escapes it', () => {
  const cases: [string, string][] = [
    ['http://www.google.com/file%20one%26two', '/file%20one%26two'],
    ['http://rest.rsc.io/foo%2fbar/baz%2Fquux', '/foo%2fbar/baz%2Fquux'],
    ['http://example.com/oid/[order_id]', '/oid/[order_id]'],
    ['http://example.com/with space/', '/with%20space/'],
    ['http://example.com/ü', '/%C3%BC'],
    ['http://example.com/a\\b', '/a%5Cb'],
    ['http://example.com/a/../b', '/a/../b'],
    ['*', '*'],
  ];
  for (const [input, want] of cases) assert.equal(urlEscapedPath(parsed(input)), want, input);
});

test('errors read as Go prints its *url.Error', () => {
  const message = (input: string) => {
    const u = parseRequestUri(input);
    return isGoUrlError(u) ? u.error : 'no error';
  };
  assert.equal(message(''), 'parse "": empty url');
  assert.equal(message('example.com'), 'parse "example.com": invalid URI for request');
  assert.equal(message('https://a:b:c/'), 'parse "https://a:b:c/": invalid port ":b:c" after host');
  assert.equal(message('https://exa mple.com'), 'parse "https://exa mple.com": invalid character " " in host name');
  assert.equal(message('https://example.com/\tpath'), 'parse "https://example.com/\\tpath": net/url: invalid control character in URL');
  assert.equal(message('/a%zz'), 'parse "/a%zz": invalid URL escape "%zz"');
  assert.equal(message(':foo'), 'parse ":foo": missing protocol scheme');
  assert.equal(message('http://[192.168.0.1]/'), 'parse "http://[192.168.0.1]/": invalid IP-literal');
  assert.equal(message('http://[::1'), `parse "http://[::1": missing ']' in host`);
  assert.equal(message('http://x@y(z:123)/'), 'parse "http://x@y(z:123)/": invalid port ":123)" after host');
});

// Go 1.26's urlstrictcolons (url.go parseHost, go.dev/issue/75223) against Go 1.25's last-colon port:
// Kubernetes sets `godebug default=go1.N` to the Go a release first shipped with, so up to 1.35 the
// API server splits the port at the last colon (grpc-go #8716 lists the same pairs).
test('urlstrictcolons per release: 1.35 (Go 1.25) takes the port after the last colon, 1.36 (Go 1.26) refuses a second colon in an http(s) host', async () => {
  const { withGoUrlRules } = await import('../../server/src/cel/library/go-url');
  const cases: [string, string, string][] = [
    // input, Go 1.25 host, Go 1.25 port
    ['http://a:1:2/', 'a:1', '2'],
    ['https://localhost:80:443', 'localhost:80', '443'],
    ['https://::1', ':', '1'],
  ];
  for (const [input, hostname, port] of cases) {
    const lax = withGoUrlRules('1.35', () => parseRequestUri(input));
    assert.ok(!isGoUrlError(lax), `${input} at 1.35`);
    assert.deepEqual([urlHostname(lax), urlPort(lax)], [hostname, port], input);
    const strict = withGoUrlRules('1.36', () => parseRequestUri(input));
    assert.ok(isGoUrlError(strict), `${input} at 1.36`);
    assert.match(strict.error, /invalid port ".*" after host$/);
  }
  // An empty last port is valid in Go 1.25 (validOptionalPort(":")): url_test.go's RFC 3986 case refused at 1.36 passes at 1.35.
  assert.ok(!isGoUrlError(withGoUrlRules('1.35', () => parseRequestUri('https://example.com:80:'))));
  assert.ok(isGoUrlError(withGoUrlRules('1.36', () => parseRequestUri('https://example.com:80:'))));
  // A non-http scheme keeps the last colon at 1.36 too (go.dev/issue/78077); a bad last port fails at both.
  assert.ok(!isGoUrlError(withGoUrlRules('1.36', () => parseRequestUri('mongodb://a:1,b:2/'))));
  for (const release of ['1.35', '1.36']) assert.ok(isGoUrlError(withGoUrlRules(release, () => parseRequestUri('http://a:1:x/'))), release);
});

test("url() and isURL() in a release's rules follow that release's Go", async () => {
  const { compileExpression, CostMeter } = await import('../../server/src/cel/environment');
  const { celEnvironment } = await import('../../server/src/cel/release-environment');
  const run = (release: string, expression: string) => {
    const program = compileExpression(expression, celEnvironment(release, 'stored'));
    assert.ok(!('unsupported' in program), expression);
    return program.evaluate({}, new CostMeter(1_000_000));
  };
  assert.deepEqual(run('1.35', "isURL('http://a:1:2/')"), { kind: 'value', value: true });
  assert.deepEqual(run('1.36', "isURL('http://a:1:2/')"), { kind: 'value', value: false });
  assert.deepEqual(run('1.35', "url('http://a:1:2/').getPort()"), { kind: 'value', value: '2' });
  assert.equal(run('1.36', "url('http://a:1:2/').getPort()").kind, 'error');
  // The remembered parse of one release is not the other's.
  assert.deepEqual(run('1.35', "url('http://a:1:2/').getHostname()"), { kind: 'value', value: 'a:1' });
});
