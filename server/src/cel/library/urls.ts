// k8s.io/apiserver/pkg/cel/library/urls.go: url(), isURL() and the URL accessors. Go's url.ParseRequestURI
// accepts absolute URIs and absolute paths; WHATWG URL parsing is close for what manifests hold.
import { CelScalar, celFunc, celMethod, mapType, type CelFunc, type CelValue } from '@bufbuild/cel';
import { CelLibraryError, opaque, opaqueValue } from './opaque';

const OPAQUE = mapType(CelScalar.STRING, CelScalar.DYN);

/** What the accessors read of a parsed URL (a WHATWG URL, or an opaque URI as Go reads it). */
type ParsedUrl = Pick<URL, 'protocol' | 'host' | 'hostname' | 'port' | 'pathname' | 'searchParams'>;

/** Go's url.ParseRequestURI as far as kdry follows it: an absolute URI or an absolute path. */
export function parseRequestUri(text: string): ParsedUrl | undefined {
  if (text.startsWith('/')) {
    try {
      return new URL(text, 'relative:///');
    } catch {
      return undefined;
    }
  }
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.exec(text)?.[0];
  if (!scheme) return undefined;
  // net/url parse: after the scheme and the query, a rest not starting with "/" is the opaque part
  // (`mailto:a@b`, `https:foo`, `https:://x`): no host, no path, only the scheme and the query.
  const [rest, query = ''] = splitQuery(text.slice(scheme.length));
  if (!rest.startsWith('/')) return { protocol: scheme.toLowerCase(), host: '', hostname: '', port: '', pathname: '', searchParams: new URLSearchParams(query) };
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** net/url parse: the query is what follows the first "?". */
function splitQuery(rest: string): [string, string?] {
  const at = rest.indexOf('?');
  return at < 0 ? [rest] : [rest.slice(0, at), rest.slice(at + 1)];
}

function urlOf(value: CelValue): { url: ParsedUrl; text: string } {
  const text = opaqueValue(value, 'url');
  const url = text === undefined ? undefined : parseRequestUri(text);
  if (!url || text === undefined) throw new CelLibraryError('no such overload');
  return { url, text };
}

const relative = (url: ParsedUrl) => url.protocol === 'relative:';

export const URL_FUNCS: CelFunc[] = [
  celFunc('url', [CelScalar.STRING], OPAQUE, (text) => {
    if (!parseRequestUri(text)) throw new CelLibraryError(`URL parse error during conversion from string: parse "${text}": invalid URI for request`);
    return opaque('url', text);
  }),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (text) => parseRequestUri(text) !== undefined),
  celMethod('getScheme', OPAQUE, [], CelScalar.STRING, function () {
    const { url } = urlOf(this);
    return relative(url) ? '' : url.protocol.slice(0, -1);
  }),
  celMethod('getHost', OPAQUE, [], CelScalar.STRING, function () {
    const { url } = urlOf(this);
    return relative(url) ? '' : url.host;
  }),
  celMethod('getHostname', OPAQUE, [], CelScalar.STRING, function () {
    const { url } = urlOf(this);
    return relative(url) ? '' : url.hostname.replace(/^\[(.*)\]$/, '$1');
  }),
  celMethod('getPort', OPAQUE, [], CelScalar.STRING, function () {
    const { url, text } = urlOf(this);
    // WHATWG drops a scheme's default port (https://x:443); Go keeps what was written.
    const written = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#]*:(\d+)/.exec(text);
    return written ? written[1] : url.port;
  }),
  celMethod('getEscapedPath', OPAQUE, [], CelScalar.STRING, function () {
    return urlOf(this).url.pathname;
  }),
  celMethod('getQuery', OPAQUE, [], CelScalar.DYN, function () {
    const query = new Map<string, string[]>();
    for (const [k, v] of urlOf(this).url.searchParams) query.set(k, [...(query.get(k) ?? []), v]);
    return query;
  }),
];
