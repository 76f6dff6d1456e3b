// k8s.io/apiserver/pkg/cel/library/format.go: named string formats for validation rules.
//   format.named(name) -> ?Format        (optional.none() for a name the library does not know)
//   format.<name>() -> Format            (dns1123Label(), uri(), ...)
//   <Format>.validate(s) -> ?list<string> (optional.none() when s is valid, else the error texts)
// e.g. rule `!format.dns1123Label().validate(self.name).hasValue()`,
// messageExpression `format.dns1123Label().validate(self.name).value().join("\n")`.
// Each format's check is the function ConstantFormats names upstream, with its messages.
import { CelScalar, celFunc, celMethod, mapType, type CelFunc } from '@bufbuild/cel';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../k8s/validation';
import { matchesFormat } from '../../k8s/string-formats';
import { CelLibraryError, opaque, opaqueValue } from './opaque';
import { optionalNone, optionalOf } from './optionals';
import { isGoUrlError, parseRequestUri } from './go-url';

const OPAQUE = mapType(CelScalar.STRING, CelScalar.DYN);

/**
 * apimachinery/pkg/api/validation/generic.go maskTrailingDash: a generateName prefix may end in
 * '-' (a suffix follows), so the last two characters become "a" before the check. The `len > 1`
 * guard is newer upstream's (a lone "-" would otherwise slice out of range).
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: (s) => isDNS1123Label(s),
  dns1123Subdomain: (s) => isDNS1123Subdomain(s),
  dns1035Label: (s) => isDNS1035Label(s),
  qualifiedName: (s) => isQualifiedName(s),
  dns1123LabelPrefix: (s) => isDNS1123Label(maskTrailingDash(s)),
  dns1123SubdomainPrefix: (s) => isDNS1123Subdomain(maskTrailingDash(s)),
  dns1035LabelPrefix: (s) => isDNS1035Label(maskTrailingDash(s)),
  labelValue: (s) => isValidLabelValue(s),
  // url.ParseRequestURI's error as Go's *url.Error prints it.
  uri: (s) => {
    const url = parseRequestUri(s);
    return isGoUrlError(url) ? [url.error] : [];
  },
  uuid: (s) => (matchesFormat('uuid', s) ? [] : ['does not match the UUID format']),
  byte: (s) => (matchesFormat('byte', s) ? [] : ['invalid base64']),
  date: (s) => (matchesFormat('date', s) ? [] : ['invalid date']),
  datetime: (s) => (matchesFormat('datetime', s) ? [] : ['invalid datetime']),
};

export const FORMAT_NAMES = Object.keys(FORMATS);

function checkOf(value: unknown): (s: string) => string[] {
  const name = opaqueValue(value as never, 'format');
  if (name === undefined || !Object.hasOwn(FORMATS, name)) throw new CelLibraryError('no such overload');
  return FORMATS[name];
}

export const FORMAT_FUNCS: CelFunc[] = [
  celFunc('format.named', [CelScalar.STRING], CelScalar.DYN, (name) => (Object.hasOwn(FORMATS, name) ? optionalOf(opaque('format', name)) : optionalNone())),
  ...FORMAT_NAMES.map((name) => celFunc(`format.${name}`, [], OPAQUE, () => opaque('format', name))),
  celMethod('validate', OPAQUE, [CelScalar.STRING], CelScalar.DYN, function (text) {
    const errors = checkOf(this)(text);
    return errors.length === 0 ? optionalNone() : optionalOf(errors);
  }),
];
