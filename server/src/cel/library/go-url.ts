// Go's net/url (src/net/url/url.go, as of Go 1.26) for what Kubernetes' CEL url library reads:
// ParseRequestURI and Parse, and a parsed URL's Scheme, Host, Hostname(), Port(), EscapedPath() and
// Query(). The one difference from the Go 1.25 the API servers up to 1.35 run (withGoUrlRules) is
// urlstrictcolons (Go 1.26, go.dev/issue/75223): a host holds one unbracketed colon at most. Go works on bytes, so the text is read as its UTF-8 bytes (one char per byte, "latin1")
// and each result is decoded back. No normalisation: no case folding of the host, no punycode,
// no dot-segment removal, no default-port dropping, unlike WHATWG URL.
import { isIP } from 'node:net';

/** The fields of Go's url.URL that the accessors read (User and Fragment are parsed, not kept). */
export interface GoUrl {
  scheme: string;
  opaque: string;
  host: string;
  path: string;
  rawPath: string;
  rawQuery: string;
}

/** A parse error as Go's *url.Error prints it: `parse "<url>": <reason>`. */
export interface GoUrlError {
  error: string;
}

export const isGoUrlError = (u: GoUrl | GoUrlError): u is GoUrlError => 'error' in u;

type Mode = 'path' | 'pathSegment' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

class UrlError extends Error {}

const ASCII = /^[\x00-\x7f]*$/;
const toBytes = (s: string) => (ASCII.test(s) ? s : Buffer.from(s, 'utf8').toString('latin1'));
const fromBytes = (b: string) => (ASCII.test(b) ? b : Buffer.from(b, 'latin1').toString('utf8'));

const isAlnum = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
const isHex = (c: string | undefined) => c !== undefined && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
const unhex = (c: string) => parseInt(c, 16);

/** url.go shouldEscape: whether byte c must be %-escaped in the given part of a URL. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case 'path':
        return c === '?';
      case 'pathSegment':
        return c === '/' || c === ';' || c === ',' || c === '?';
      case 'userPassword':
        return c === '@' || c === '/' || c === '?' || c === ':';
      case 'queryComponent':
        return true;
      case 'fragment':
        return false;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

/** url.go EscapeError / InvalidHostError texts (strconv.Quote of the offending bytes). */
const escapeError = (s: string) => new UrlError(`invalid URL escape ${goQuote(s)}`);
const invalidHostError = (s: string) => new UrlError(`invalid character ${goQuote(s)} in host name`);

/** url.go unescape: %XX to bytes ('+' to space in a query component); throws Go's error. */
function unescape(s: string, mode: Mode): string {
  let n = 0;
  let hasPlus = false;
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    if (c === '%') {
      n++;
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) throw escapeError(s.slice(i, i + 3));
      // RFC 3986: in a host, %-encoding only for non-ASCII bytes; RFC 6874: %25 for a zone.
      if (mode === 'host' && unhex(s[i + 1]) < 8 && s.slice(i, i + 3) !== '%25') throw escapeError(s.slice(i, i + 3));
      if (mode === 'zone') {
        const v = String.fromCharCode(unhex(s.slice(i + 1, i + 3)));
        if (s.slice(i, i + 3) !== '%25' && v !== ' ' && shouldEscape(v, 'host')) throw escapeError(s.slice(i, i + 3));
      }
      i += 3;
    } else {
      if (c === '+') hasPlus = mode === 'queryComponent';
      else if ((mode === 'host' || mode === 'zone') && c.charCodeAt(0) < 0x80 && shouldEscape(c, mode)) throw invalidHostError(c);
      i++;
    }
  }
  if (n === 0 && !hasPlus) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '%') {
      out += String.fromCharCode(unhex(s.slice(i + 1, i + 3)));
      i += 2;
    } else out += c === '+' && mode === 'queryComponent' ? ' ' : c;
  }
  return out;
}

/** url.go escape for the modes EscapedPath needs (no '+' for space: that is the query's). */
function escape(s: string, mode: Mode): string {
  let out = '';
  for (const c of s) out += shouldEscape(c, mode) ? `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : c;
  return out;
}

/** url.go getScheme: a leading [a-zA-Z][a-zA-Z0-9+-.]* followed by ':', or none. */
function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c === '+' || c === '-' || c === '.') {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UrlError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

/** url.go stringContainsCTLByte: any ASCII control byte. */
const containsCtl = (s: string) => /[\x00-\x1f\x7f]/.test(s);

/** url.go parse(rawURL, viaRequest): the URL without its fragment. */
function parse(raw: string, viaRequest: boolean): GoUrl {
  if (containsCtl(raw)) throw new UrlError('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw new UrlError('empty url');
  const url: GoUrl = { scheme: '', opaque: '', host: '', path: '', rawPath: '', rawQuery: '' };
  if (raw === '*') return { ...url, path: '*' };
  let rest: string;
  [url.scheme, rest] = getScheme(raw);
  url.scheme = url.scheme.toLowerCase();
  const q = rest.indexOf('?');
  if (q === rest.length - 1) rest = rest.slice(0, -1); // ForceQuery: a lone trailing "?"
  else if (q >= 0) [rest, url.rawQuery] = [rest.slice(0, q), rest.slice(q + 1)];
  if (!rest.startsWith('/')) {
    // RFC 3986 rootless paths are opaque.
    if (url.scheme !== '') return { ...url, opaque: rest };
    if (viaRequest) throw new UrlError('invalid URI for request');
    // golang.org/issue/16822: a relative path's first segment cannot hold a colon.
    const slash = rest.indexOf('/');
    if ((slash < 0 ? rest : rest.slice(0, slash)).includes(':')) throw new UrlError('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const slash = authority.indexOf('/');
    if (slash >= 0) [authority, rest] = [authority.slice(0, slash), authority.slice(slash)];
    url.host = parseAuthority(url.scheme, authority);
  }
  setPath(url, rest);
  return url;
}

/** url.go parseAuthority: [userinfo@]host; the userinfo is checked, not kept. */
function parseAuthority(scheme: string, authority: string): string {
  const at = authority.lastIndexOf('@');
  const host = parseHost(scheme, authority.slice(at + 1));
  if (at < 0) return host;
  const userinfo = authority.slice(0, at);
  if (!validUserinfo(userinfo)) throw new UrlError('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) unescape(userinfo, 'userPassword');
  else [userinfo.slice(0, colon), userinfo.slice(colon + 1)].forEach((part) => unescape(part, 'userPassword'));
  return host;
}

/** url.go validUserinfo (RFC 3986 §3.2.1, plus '@': golang.org/issue/3439). */
const validUserinfo = (s: string) => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

/** url.go validOptionalPort: "" or ":" followed by digits. */
const validOptionalPort = (port: string) => port === '' || /^:[0-9]*$/.test(port);

/**
 * GODEBUG urlstrictcolons as the target release's API server has it: Kubernetes sets `godebug
 * default=go1.N` in go.mod to the Go it first shipped with (kubernetes #127271), so 1.35 (Go 1.25)
 * has none, and 1.36 (go 1.26.0) has it on.
 */
let strictColons = true;

/** Whether `release`'s API server parses hosts with urlstrictcolons (undefined: the newest Go). */
export function strictUrlColons(release: string | undefined): boolean {
  if (release === undefined) return true;
  const [major, minor] = release.split('.').map(Number);
  return major > 1 || minor >= 36;
}

/** Runs `fn` with the host rules of `release`'s Go (an evaluation of that release's rules). */
export function withGoUrlRules<T>(release: string | undefined, fn: () => T): T {
  const previous = strictColons;
  strictColons = strictUrlColons(release);
  try {
    return fn();
  } finally {
    strictColons = previous;
  }
}

/** The rules in force, for callers that remember parsed URLs. */
export const goUrlRulesKey = (): string => (strictColons ? 'strict' : 'lax');

/** url.go parseHost: host[:port], an IP-literal in brackets (RFC 3986, RFC 6874 zones). */
function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new UrlError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new UrlError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
    const port = unescape(colonPort, 'host');
    const hostname = host.slice(1, close);
    const zone = hostname.indexOf('%25');
    const address = zone >= 0 ? unescape(hostname.slice(0, zone), 'host') + unescape(hostname.slice(zone), 'zone') : unescape(hostname, 'host');
    // Only an IPv6 address may be in brackets: netip.ParseAddr, then not Is4 (netip's own
    // reason for a bad address is not reproduced).
    if (isIP(address) === 4) throw new UrlError('invalid IP-literal');
    if (!isIPv6Address(address)) throw new UrlError(`invalid host: ParseAddr(${goQuote(address)}): unable to parse IP`);
    return `[${address}]${port}`;
  }
  let colon = host.indexOf(':');
  if (colon >= 0) {
    // go.dev/issue/75223, 78077: with urlstrictcolons only http and https hosts are held to one colon;
    // without it (Go 1.25, or a go.mod whose godebug default is older) the port follows the last colon.
    if (colon !== host.lastIndexOf(':') && (!strictColons || (scheme !== 'http' && scheme !== 'https'))) colon = host.lastIndexOf(':');
    const colonPort = host.slice(colon);
    if (!validOptionalPort(colonPort)) throw new UrlError(`invalid port ${goQuote(colonPort)} after host`);
  }
  return unescape(host, 'host');
}

/**
 * netip.ParseAddr accepting an IPv6 address (an IPv4-mapped one included) with an optional
 * non-empty zone after '%'. Node's isIP follows the same grammar for the address itself.
 */
function isIPv6Address(s: string): boolean {
  const percent = s.indexOf('%');
  if (percent === s.length - 1) return false;
  return isIP(percent < 0 ? s : s.slice(0, percent)) === 6;
}

/** url.go setPath: Path is the unescaped path, RawPath the written one when it differs from escape(Path). */
function setPath(url: GoUrl, p: string): void {
  url.path = unescape(p, 'path');
  url.rawPath = escape(url.path, 'path') === p ? '' : p;
}

/** url.go validEncoded: s holds no byte that escaping would change (sub-delims, [ ] and % allowed). */
const validEncoded = (s: string, mode: Mode) => [...s].every((c) => `!$&'()*+,;=:@[]%`.includes(c) || !shouldEscape(c, mode));

function goUrlError(raw: string, e: unknown): GoUrlError {
  if (!(e instanceof UrlError)) throw e;
  return { error: `parse ${goQuote(raw)}: ${e.message}` };
}

/** url.ParseRequestURI: an absolute URI or an absolute path, read as sent in a request (no fragment). */
export function parseRequestUri(text: string): GoUrl | GoUrlError {
  const raw = toBytes(text);
  try {
    return parse(raw, true);
  } catch (e) {
    return goUrlError(raw, e);
  }
}

/** url.Parse: any URL reference; the fragment is cut off first (checked, not kept). */
export function parseUrl(text: string): GoUrl | GoUrlError {
  const raw = toBytes(text);
  const hash = raw.indexOf('#');
  const beforeFragment = hash < 0 ? raw : raw.slice(0, hash);
  let url: GoUrl;
  try {
    url = parse(beforeFragment, false);
  } catch (e) {
    return goUrlError(beforeFragment, e);
  }
  try {
    if (hash >= 0) unescape(raw.slice(hash + 1), 'fragment');
  } catch (e) {
    return goUrlError(raw, e);
  }
  return url;
}

/** url.URL.Scheme. */
export const urlScheme = (u: GoUrl) => fromBytes(u.scheme);

/** url.URL.Host: as written after unescaping, host[:port]. */
export const urlHost = (u: GoUrl) => fromBytes(u.host);

/** url.go splitHostPort: a valid ":digits" suffix is the port; brackets come off the host. */
function splitHostPort(hostPort: string): [string, string] {
  let host = hostPort;
  let port = '';
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(host.slice(colon))) [host, port] = [host.slice(0, colon), host.slice(colon + 1)];
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return [host, port];
}

/** url.URL.Hostname(). */
export const urlHostname = (u: GoUrl) => fromBytes(splitHostPort(u.host)[0]);

/** url.URL.Port(). */
export const urlPort = (u: GoUrl) => fromBytes(splitHostPort(u.host)[1]);

/** url.URL.EscapedPath(): RawPath when it is a valid escaping of Path, else escape(Path). */
export function urlEscapedPath(u: GoUrl): string {
  if (u.rawPath !== '' && validEncoded(u.rawPath, 'path')) {
    try {
      if (unescape(u.rawPath, 'path') === u.path) return fromBytes(u.rawPath);
    } catch {
      // an invalid RawPath falls through to escaping Path
    }
  }
  if (u.path === '*') return '*'; // golang.org/issue/11202
  return fromBytes(escape(u.path, 'path'));
}

/** Go 1.26 parseQuery: more than this many '&'-separated settings parse to nothing (urlmaxqueryparams). */
const MAX_QUERY_PARAMS = 10000;

/**
 * url.URL.Query() = url.ParseQuery with its error dropped: a setting holding ';' or whose key or
 * value does not unescape is skipped, the rest kept.
 */
export function urlQuery(u: GoUrl): Map<string, string[]> {
  const values = new Map<string, string[]>();
  let query = u.rawQuery;
  if (query.split('&').length > MAX_QUERY_PARAMS) return values;
  while (query !== '') {
    const amp = query.indexOf('&');
    const setting = amp < 0 ? query : query.slice(0, amp);
    query = amp < 0 ? '' : query.slice(amp + 1);
    if (setting === '' || setting.includes(';')) continue;
    const eq = setting.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = fromBytes(unescape(eq < 0 ? setting : setting.slice(0, eq), 'queryComponent'));
      value = fromBytes(unescape(eq < 0 ? '' : setting.slice(eq + 1), 'queryComponent'));
    } catch {
      continue;
    }
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  }
  return values;
}

/** strconv.Quote of a byte string: printable UTF-8 kept, the rest escaped as Go escapes it. */
export function goQuote(bytes: string): string {
  const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
  let out = '"';
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes.charCodeAt(i);
    const size = lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    const ch = fromBytes(bytes.slice(i, i + size));
    const cp = ch.codePointAt(0)!;
    if (lead >= 0x80 && (ch.length === 0 || (cp === 0xfffd && bytes.slice(i, i + 3) !== '\xef\xbf\xbd') || [...ch].length !== 1)) {
      out += `\\x${lead.toString(16).padStart(2, '0')}`; // not valid UTF-8: the byte itself
      i++;
      continue;
    }
    i += size;
    if (named[ch]) out += named[ch];
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (/[\p{C}\p{Z}]/u.test(ch) && ch !== ' ') out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
