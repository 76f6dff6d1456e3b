// k8s.io/apiserver/pkg/cel/library/urls.go: url(), isURL() and the URL accessors, over Go's
// net/url as go-url.ts follows it: url() checks with url.ParseRequestURI then keeps url.Parse's
// result (stringToUrl), isURL() is ParseRequestURI alone.
import { CelScalar, celFunc, celMethod, mapType, type CelFunc, type CelValue } from '@bufbuild/cel';
import { CelLibraryError, opaque, opaqueValue } from './opaque';
import { goUrlRulesKey, isGoUrlError, parseRequestUri, parseUrl, urlEscapedPath, urlHost, urlHostname, urlPort, urlQuery, urlScheme, type GoUrl } from './go-url';

const OPAQUE = mapType(CelScalar.STRING, CelScalar.DYN);

/** urls.go stringToUrl: ParseRequestURI must accept the text; the URL kept is url.Parse's. */
function stringToUrl(text: string): GoUrl {
  const checked = parseRequestUri(text);
  const url = isGoUrlError(checked) ? checked : parseUrl(text);
  if (isGoUrlError(url)) throw new CelLibraryError(`URL parse error during conversion from string: ${url.error}`);
  return url;
}

/** The last URLs read: a rule reads several parts of the same url(self). */
const recent = new Map<string, GoUrl>();

function cachedUrl(text: string): GoUrl {
  // The same text may parse otherwise under another release's Go (go-url.ts withGoUrlRules).
  const key = `${goUrlRulesKey()}\0${text}`;
  let url = recent.get(key);
  if (!url) {
    url = stringToUrl(text);
    if (recent.size >= 16) recent.delete(recent.keys().next().value!);
    recent.set(key, url);
  }
  return url;
}

function urlOf(value: CelValue): GoUrl {
  const text = opaqueValue(value, 'url');
  if (text === undefined) throw new CelLibraryError('no such overload');
  return cachedUrl(text);
}

export const URL_FUNCS: CelFunc[] = [
  celFunc('url', [CelScalar.STRING], OPAQUE, (text) => {
    cachedUrl(text);
    return opaque('url', text);
  }),
  celFunc('isURL', [CelScalar.STRING], CelScalar.BOOL, (text) => !isGoUrlError(parseRequestUri(text))),
  celMethod('getScheme', OPAQUE, [], CelScalar.STRING, function () {
    return urlScheme(urlOf(this));
  }),
  celMethod('getHost', OPAQUE, [], CelScalar.STRING, function () {
    return urlHost(urlOf(this));
  }),
  celMethod('getHostname', OPAQUE, [], CelScalar.STRING, function () {
    return urlHostname(urlOf(this));
  }),
  celMethod('getPort', OPAQUE, [], CelScalar.STRING, function () {
    return urlPort(urlOf(this));
  }),
  celMethod('getEscapedPath', OPAQUE, [], CelScalar.STRING, function () {
    return urlEscapedPath(urlOf(this));
  }),
  celMethod('getQuery', OPAQUE, [], CelScalar.DYN, function () {
    return urlQuery(urlOf(this));
  }),
];
