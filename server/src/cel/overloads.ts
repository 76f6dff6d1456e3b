// The overloads cel-go's checker resolves a call against, for the functions whose every overload in
// every Kubernetes CEL environment kdry knows: when no overload takes the receiver and arguments
// the schema declares, the checker refuses the expression with "found no matching overload for
// '<function>' applied to '<receiver>.(<arguments>)'" (cel-go checker/checker.go resolveOverload,
// checker/errors.go noMatchingOverload, the types printed by checker/format.go FormatCELType:
// `timestamp`, `duration`, `list(string)`). Worked example: `self.created.startsWith('2024')` on a
// `format: date-time` field (a timestamp: apiserver/pkg/cel/common/schemas.go SchemaDeclType) is
// "found no matching overload for 'startsWith' applied to 'timestamp.(string)'".
//
// Never a false error: only these functions are judged (cel-go's standard string and time
// functions, operators and conversions, the Kubernetes string extension cel-go ext/strings.go,
// the regex and lists libraries, the URL, quantity, IP, CIDR and semver constructors and checks,
// with every overload of their names in any library kdry knows), only when kdry
// knows the receiver's and every argument's type, and `dyn` (int-or-string, a `dyn(...)` call)
// matches anything, as cel-go's isAssignable lets it.
import type { DeclKind } from './decl-type';

/** The Kubernetes libraries' types kdry names as cel-go does (apiserver/pkg/cel quantity.go, semver.go, url.go, ip.go, cidr.go: cel.ObjectType). */
export const QUANTITY = 'kubernetes.Quantity';
export const SEMVER = 'kubernetes.Semver';
export const URL = 'kubernetes.URL';
export const IP = 'net.IP';
export const CIDR = 'net.CIDR';
export type OverloadKind = DeclKind | 'uint' | 'null' | 'type' | 'unknown' | typeof QUANTITY | typeof SEMVER | typeof URL | typeof IP | typeof CIDR;

/**
 * A receiver (undefined for a global call), the argument kinds (`list` and `map` match any element
 * type) and, where kdry types it, the result.
 */
interface Overload {
  receiver?: OverloadKind;
  args: OverloadKind[];
  result?: OverloadKind;
}

const member = (receiver: OverloadKind, ...args: OverloadKind[]): Overload => ({ receiver, args });
const global = (...args: OverloadKind[]): Overload => ({ args });
const returning = (result: OverloadKind, overloads: Overload[]): Overload[] => overloads.map((o) => ({ ...o, result }));
/** An operator or conversion of one kind to a result: `fn(a, b) -> result`. */
const op = (result: OverloadKind, ...args: OverloadKind[]): Overload => ({ args, result });
const sameKind = (...kinds: OverloadKind[]) => kinds.map((k) => op(k, k, k));
/** cel-go standard: timestamp accessors take an optional time zone; a duration's only the four of the day. */
const dateAccessor = [member('timestamp'), member('timestamp', 'string')];
const timeAccessor = [...dateAccessor, member('duration')];

const OVERLOADS: ReadonlyMap<string, readonly Overload[]> = new Map([
  // cel-go standard library (common/stdlib: contains_string, starts_with_string, ends_with_string, matches_string, size_*)
  ['contains', [member('string', 'string')]],
  ['startsWith', [member('string', 'string')]],
  ['endsWith', [member('string', 'string')]],
  ['matches', [member('string', 'string'), global('string', 'string')]],
  ['size', [member('string'), member('bytes'), member('list'), member('map'), global('string'), global('bytes'), global('list'), global('map')]],
  ['getFullYear', dateAccessor],
  ['getMonth', dateAccessor],
  ['getDayOfYear', dateAccessor],
  ['getDayOfMonth', dateAccessor],
  ['getDate', dateAccessor],
  ['getDayOfWeek', dateAccessor],
  ['getHours', timeAccessor],
  ['getMinutes', timeAccessor],
  ['getSeconds', timeAccessor],
  ['getMilliseconds', timeAccessor],
  // cel-go ext/strings.go (Kubernetes: ext.Strings in the base environment)
  ['charAt', [member('string', 'int')]],
  ['lowerAscii', [member('string')]],
  ['upperAscii', [member('string')]],
  ['trim', [member('string')]],
  ['replace', [member('string', 'string', 'string'), member('string', 'string', 'string', 'int')]],
  ['split', [member('string', 'string'), member('string', 'string', 'int')]],
  ['substring', [member('string', 'int'), member('string', 'int', 'int')]],
  // apiserver/pkg/cel/library/regex.go
  ['find', [member('string', 'string')]],
  ['findAll', [member('string', 'string'), member('string', 'string', 'int')]],
  // cel-go common/stdlib/standard.go: arithmetic (add_list is judged here by kind; its element types in static-analysis.ts)
  ['_+_', [...sameKind('int', 'uint', 'double', 'string', 'bytes', 'list'), op('timestamp', 'timestamp', 'duration'), op('timestamp', 'duration', 'timestamp'), op('duration', 'duration', 'duration')]],
  ['_-_', [...sameKind('int', 'uint', 'double'), op('duration', 'timestamp', 'timestamp'), op('timestamp', 'timestamp', 'duration'), op('duration', 'duration', 'duration')]],
  ['_*_', sameKind('int', 'uint', 'double')],
  ['_/_', sameKind('int', 'uint', 'double')],
  ['_%_', sameKind('int', 'uint')],
  ['-_', [op('int', 'int'), op('double', 'double')]],
  ['!_', [op('bool', 'bool')]],
  // standard.go type conversions (Kubernetes adds string(ip) and string(cidr): a library type given to a conversion is never judged)
  ['int', returning('int', ['int', 'uint', 'double', 'duration', 'string', 'timestamp'].map((k) => global(k as OverloadKind)))],
  ['uint', returning('uint', ['uint', 'int', 'double', 'string'].map((k) => global(k as OverloadKind)))],
  ['double', returning('double', ['double', 'int', 'uint', 'string'].map((k) => global(k as OverloadKind)))],
  ['string', returning('string', ['string', 'bool', 'bytes', 'double', 'duration', 'int', 'timestamp', 'uint'].map((k) => global(k as OverloadKind)))],
  ['bytes', returning('bytes', [global('bytes'), global('string')])],
  ['bool', returning('bool', [global('bool'), global('string')])],
  ['timestamp', returning('timestamp', [global('timestamp'), global('int'), global('string')])],
  ['duration', returning('duration', [global('duration'), global('int'), global('string')])],
  // apiserver/pkg/cel/library/lists.go (indexOf and lastIndexOf on strings: cel-go ext/strings.go)
  ['isSorted', returning('bool', [member('list')])],
  ['sum', [member('list')]],
  ['min', [member('list')]],
  ['max', [member('list')]],
  ['indexOf', returning('int', [member('list', 'dyn'), member('string', 'string'), member('string', 'string', 'int')])],
  ['lastIndexOf', returning('int', [member('list', 'dyn'), member('string', 'string'), member('string', 'string', 'int')])],
  // The Kubernetes libraries' constructors and checks: urls.go, quantity.go, ip.go, cidr.go, semver.go
  ['url', returning(URL, [global('string')])],
  ...['getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath'].map((name): [string, Overload[]] => [name, returning('string', [member(URL)])]),
  ['getQuery', [member(URL)]],
  ['isURL', returning('bool', [global('string')])],
  ['quantity', returning(QUANTITY, [global('string')])],
  ['isQuantity', returning('bool', [global('string')])],
  // library/quantity.go and semver.go: the methods of quantities and semantic versions
  ['isLessThan', returning('bool', [member(QUANTITY, QUANTITY), member(SEMVER, SEMVER)])],
  ['isGreaterThan', returning('bool', [member(QUANTITY, QUANTITY), member(SEMVER, SEMVER)])],
  ['compareTo', returning('int', [member(QUANTITY, QUANTITY), member(SEMVER, SEMVER)])],
  ['add', returning(QUANTITY, [member(QUANTITY, QUANTITY), member(QUANTITY, 'int')])],
  ['sub', returning(QUANTITY, [member(QUANTITY, QUANTITY), member(QUANTITY, 'int')])],
  ['sign', returning('int', [member(QUANTITY)])],
  ['isInteger', returning('bool', [member(QUANTITY)])],
  ['asInteger', returning('int', [member(QUANTITY)])],
  ['asApproximateFloat', returning('double', [member(QUANTITY)])],
  ['major', returning('int', [member(SEMVER)])],
  ['minor', returning('int', [member(SEMVER)])],
  ['patch', returning('int', [member(SEMVER)])],
  ['ip', returning(IP, [global('string'), member(CIDR)])],
  ['isIP', returning('bool', [global('string')])],
  ['family', returning('int', [member(IP)])],
  ...['isUnspecified', 'isLoopback', 'isLinkLocalMulticast', 'isLinkLocalUnicast', 'isGlobalUnicast'].map((name): [string, Overload[]] => [name, returning('bool', [member(IP)])]),
  ['cidr', returning(CIDR, [global('string')])],
  ['isCIDR', returning('bool', [global('string')])],
  ['containsIP', returning('bool', [member(CIDR, IP), member(CIDR, 'string')])],
  ['containsCIDR', returning('bool', [member(CIDR, CIDR), member(CIDR, 'string')])],
  ['masked', returning(CIDR, [member(CIDR)])],
  ['prefixLength', returning('int', [member(CIDR)])],
  ['semver', returning(SEMVER, [global('string'), global('string', 'bool')])],
  ['isSemver', returning('bool', [global('string'), global('string', 'bool')])],
]);

/** The kinds kdry types for sure; anything else (an object of the schema, unknown, a type) is never judged. */
/** The libraries' types: judged only as arguments of the functions above, never of an operator or conversion another library may extend. */
const LIBRARY_TYPES: ReadonlySet<OverloadKind> = new Set([QUANTITY, SEMVER, URL, IP, CIDR]);
const JUDGED: ReadonlySet<OverloadKind> = new Set(['string', 'bytes', 'int', 'uint', 'double', 'bool', 'timestamp', 'duration', 'list', 'map', 'null', 'dyn', ...LIBRARY_TYPES]);
const isOperatorOrConversion = (fn: string) => /^[_@!-]/.test(fn) || ['int', 'uint', 'double', 'string', 'bytes', 'bool', 'timestamp', 'duration'].includes(fn);

const NUMBERS: ReadonlySet<OverloadKind> = new Set(['int', 'uint', 'double']);
/** cel-go's ordering overloads (less_int64, less_string, less_timestamp...): one kind both sides. */
const ORDERED: ReadonlySet<OverloadKind> = new Set(['int', 'uint', 'double', 'string', 'bytes', 'bool', 'timestamp', 'duration']);
const ORDERINGS = new Set(['_<_', '_<=_', '_>_', '_>=_']);

const accepts = (declared: OverloadKind, actual: OverloadKind) => actual === 'dyn' || declared === 'dyn' || declared === actual;

/**
 * The result of `fn` on these kinds when every overload that takes them agrees on it (an argument
 * that is dyn can take several), else undefined.
 */
export function overloadResult(fn: string, receiver: OverloadKind | undefined, args: readonly OverloadKind[]): OverloadKind | undefined {
  const overloads = OVERLOADS.get(fn);
  if (!overloads || receiver === 'dyn') return undefined;
  const results = new Set(overloads.filter((o) => o.receiver === receiver && o.args.length === args.length && o.args.every((d, i) => accepts(d, args[i]))).map((o) => o.result));
  const [only] = results;
  return results.size === 1 ? only : undefined;
}

/**
 * Whether cel-go finds no overload of `fn` for a `receiver` (undefined: a global call) and `args`:
 * false whenever kdry does not judge the function or does not know a type.
 */
export function hasNoMatchingOverload(fn: string, receiver: OverloadKind | undefined, args: readonly OverloadKind[]): boolean {
  if ((receiver !== undefined && !JUDGED.has(receiver)) || args.some((a) => !JUDGED.has(a))) return false;
  if (isOperatorOrConversion(fn) && [receiver, ...args].some((k) => k !== undefined && LIBRARY_TYPES.has(k))) return false;
  if (ORDERINGS.has(fn) && receiver === undefined && args.length === 2) {
    const [a, b] = args;
    // Kubernetes compiles with cel.CrossTypeNumericComparisons(true): int < double is declared.
    if (a === 'dyn' || b === 'dyn' || (NUMBERS.has(a) && NUMBERS.has(b))) return false;
    return !(ORDERED.has(a) && a === b);
  }
  const overloads = OVERLOADS.get(fn);
  if (!overloads || receiver === 'dyn') return false;
  return !overloads.some((o) => o.receiver === receiver && o.args.length === args.length && o.args.every((d, i) => accepts(d, args[i])));
}

/** checker/errors.go noMatchingOverload's signature: `receiver.(a, b)` for a member call, `(a, b)` for a global one. */
export function overloadSignature(receiver: string | undefined, args: readonly string[]): string {
  return `${receiver === undefined ? '' : `${receiver}.`}(${args.join(', ')})`;
}
