// What a function call costs at run time, as the API server's cost tracker charges it
// (cel-go interpreter/runtimecost.go CostTracker.costCall): an overload's own tracker first (the
// sets extension, ext/sets.go trackSetsCost; the lists extension's trackers are charged by
// library/ext-lists.ts itself), then Kubernetes' estimator
// (k8s.io/apiserver/pkg/cel/library/cost.go CostEstimator.CallCost), then cel-go's defaults
// (string traversals, `in` on a list, regex, and 1 for everything else). Sizes are cel-go's
// actualSize: a string's length, a list's or map's items, 1 for anything else.
import { isCelList, isCelMap, type CelValue } from '@bufbuild/cel';
import { opaqueValue } from './library/opaque';
import { readOptional } from './library/optionals';

/** common/cost.go StringTraversalCostFactor and RegexStringLengthCostFactor. */
const STRING_TRAVERSAL = 0.1;
const REGEX_LENGTH = 0.25;

/**
 * runtimecost.go actualSize. A string's size is its runes (types.String Size); UTF-16 length is
 * the same for every character outside the astral planes and more for those, so never fewer.
 */
export function actualSize(value: CelValue | undefined): number {
  if (typeof value === 'string' || value instanceof Uint8Array) return value.length;
  if (isCelList(value)) return value.size;
  if (isCelMap(value)) {
    // An optional with a value is sized by it (runtimecost.go actualSize, *types.Optional).
    const optional = value.size === 1 ? readOptional(value) : undefined;
    if (optional) return 'value' in optional ? actualSize(optional.value) : 1;
    return value.size;
  }
  return 1;
}

/** library/cost.go traversalCost: strings and bytes by their bytes x 0.1 (truncated), containers by their items. */
function traversalCost(value: CelValue | undefined): number {
  if (typeof value === 'string') return Math.floor(Buffer.byteLength(value) * STRING_TRAVERSAL);
  if (value instanceof Uint8Array) return Math.floor(value.length * STRING_TRAVERSAL);
  let cost = 0;
  if (isCelList(value)) {
    for (const item of value) cost += traversalCost(item);
    return cost;
  }
  if (isCelMap(value)) {
    for (const [key, item] of value.entries()) cost += traversalCost(key as CelValue) + traversalCost(item);
    return cost;
  }
  return 1;
}

/** uint64(math.Ceil(size x factor)), the operations in Go's order so that the doubles round alike. */
const traversal = (size: number, factor = STRING_TRAVERSAL) => Math.ceil(size * factor);

/**
 * k8s.io/apiserver/pkg/cel/library/format.go ConstantFormats MaxRegexSize, which cost.go prices
 * `<format>.validate(s)` by as a regex match. The CRD formats use their libraries' pattern lengths:
 * uri len(govalidator.URL) and byte len(govalidator.Base64) (github.com/asaskevich/govalidator
 * f61b66f89f4a, the version Kubernetes pins: patterns.go URL is 1,103 bytes once its parts are joined,
 * Base64 84), uuid len(strfmt.UUIDPattern) (70) and date and datetime len(strfmt.DateTimePattern)
 * (71; kube-openapi pkg/validation/strfmt default.go and time.go).
 */
const FORMAT_REGEX_SIZE: Record<string, number> = {
  dns1123Label: 30,
  dns1123Subdomain: 60,
  dns1035Label: 30,
  qualifiedName: 60,
  portName: 20,
  dns1123LabelPrefix: 30,
  dns1123SubdomainPrefix: 60,
  dns1035LabelPrefix: 30,
  labelValue: 40,
  uri: 1103,
  uuid: 70,
  byte: 84,
  date: 71,
  datetime: 71,
};
/** A format kdry does not know the size of (none today): the longest above, so never fewer. */
const UNKNOWN_FORMAT_REGEX_SIZE = 1103;

/** The lists extension's calls, which charge their trackers themselves (library/ext-lists.ts). */
const CHARGED_BY_ITSELF = new Set(['slice', 'flatten', 'sort', 'distinct', 'lists.range', '@sortByAssociatedKeys']);

/**
 * kdry's lowered forms (syntax-extensions.ts, two-variable-comprehensions.ts) at what cel-go's own
 * step costs: an optional list or map literal is a constructor (common/cost.go ListCreateBaseCost,
 * MapCreateBaseCost), `kdry.pairs` is the fold's own iteration (free), the meter's calls charge
 * themselves; the rest (optional select and index, cel.@mapInsert) are a call or qualifier: 1.
 */
const LOWERED: Record<string, number> = { 'kdry.optList': 10, 'kdry.optMap': 30, 'kdry.pairs': 0, 'kdry.cost': 0, 'kdry.iteration': 0, 'kdry.charge': 0, 'kdry.then': 0 };

/** Types the OptOptimize planner folds when their argument is a constant (decorators.go maybeOptimizeConstUnary). */
export const TYPE_CONVERSIONS = new Set(['bool', 'bytes', 'double', 'duration', 'dyn', 'int', 'string', 'timestamp', 'type', 'uint']);

/** What a call costs from its cel-go arguments (the receiver first) and its result. */
type Price = (a0: CelValue | undefined, a1: CelValue | undefined, result: CelValue, receiver: boolean) => number;

const sameKind = (a: CelValue | undefined, b: CelValue | undefined) => (typeof a === 'string' && typeof b === 'string') || (a instanceof Uint8Array && b instanceof Uint8Array);
const stringTraversal: Price = (a0) => traversal(actualSize(a0));
const regex: Price = (a0, a1) => Math.ceil((1 + actualSize(a0)) * STRING_TRAVERSAL) * Math.ceil(actualSize(a1) * REGEX_LENGTH);
const containment = (cidrExtra: boolean): Price => (a0, a1) => {
  const cidrSize = actualSize(a0);
  let cost = Math.ceil((cidrSize + cidrSize) * STRING_TRAVERSAL);
  if (cidrExtra) cost += Math.ceil(cidrSize * STRING_TRAVERSAL) + 1;
  // The string overloads (cidr_contains_ip_string, cidr_contains_cidr_string) parse it too.
  if (typeof a1 === 'string') cost += traversal(actualSize(a1));
  return cost;
};

/** The calls whose cost depends on their arguments; every other call costs fixedCost(name). */
const PRICES = new Map<string, Price>([
  // ext/sets.go trackSetsCost: 1 + |a| x |b| x factor (truncated).
  ...names(['sets.contains', 'sets.intersects'], (a0, a1) => 1 + Math.floor(actualSize(a0) * actualSize(a1))),
  ['sets.equivalent', (a0, a1) => 1 + Math.floor(actualSize(a0) * actualSize(a1) * 2)],
  // library/cost.go CallCost.
  ...names(['isSorted', 'sum', 'max', 'min', 'indexOf', 'lastIndexOf'], (a0) => traversalCost(a0)),
  ...names(['url', 'lowerAscii', 'upperAscii', 'substring', 'trim', 'jsonpatch.escapeKey', 'cidr', 'isIP', 'isCIDR', 'quantity', 'isQuantity', 'semver', 'isSemver'], stringTraversal),
  ...names(['replace', 'split'], (a0) => Math.ceil(actualSize(a0) * 2 * STRING_TRAVERSAL)),
  ['join', (_a0, _a1, result) => Math.ceil(actualSize(result) * 2 * STRING_TRAVERSAL)],
  ...names(['find', 'findAll'], regex),
  // cidr.ip() is the "cidr_ip" overload: nominal; ip(string) parses.
  ['ip', (a0, _a1, _result, receiver) => (receiver ? 1 : traversal(actualSize(a0)))],
  ['ip.isCanonical', (a0) => Math.ceil(actualSize(a0) * 2 * STRING_TRAVERSAL)],
  ['containsIP', containment(false)],
  ['containsCIDR', containment(true)],
  [
    'validate',
    (a0, a1) => {
      const format = opaqueValue(a0, 'format');
      return format === undefined ? 1 : Math.ceil((1 + actualSize(a1)) * STRING_TRAVERSAL) * Math.ceil((FORMAT_REGEX_SIZE[format] ?? UNKNOWN_FORMAT_REGEX_SIZE) * REGEX_LENGTH);
    },
  ],
  // cel-go runtimecost.go costCall's defaults.
  ...names(['startsWith', 'endsWith', 'strings.quote', 'format'], stringTraversal),
  // StringToBytes, BytesToString: a traversal; other conversions are O(1).
  ['bytes', (a0) => (typeof a0 === 'string' ? traversal(actualSize(a0)) : 1)],
  ['string', (a0) => (a0 instanceof Uint8Array ? traversal(actualSize(a0)) : 1)],
  // InList: O(n); `in` on a map is O(1).
  ['@in', (_a0, a1) => (isCelList(a1) ? actualSize(a1) : 1)],
  ...names(['_==_', '_!=_'], (a0, a1) => traversal(Math.min(actualSize(a0), actualSize(a1)))),
  ...names(['_<_', '_<=_', '_>_', '_>=_'], (a0, a1) => (sameKind(a0, a1) ? traversal(Math.min(actualSize(a0), actualSize(a1))) : 1)),
  ['_+_', (a0, a1) => (sameKind(a0, a1) ? traversal(actualSize(a0) + actualSize(a1)) : 1)],
  // Only the receiver overload (matches_string) is priced by its sizes; the global matches(s, re)
  // falls to the default, as costCall's switch lists overloads.MatchesString alone.
  ['matches', (a0, a1, result, receiver) => (receiver ? regex(a0, a1, result, receiver) : 1)],
  ['contains', (a0, a1) => (typeof a0 === 'string' ? traversal(actualSize(a0)) * traversal(actualSize(a1)) : 1)],
  // The lists extension's reverse charges itself; the strings extension's is O(1) by default.
  ['reverse', (a0) => (isCelList(a0) ? 0 : 1)],
]);

function names(list: string[], price: Price): [string, Price][] {
  return list.map((name) => [name, price]);
}

/** The cost of a call of `name` whatever its arguments, or undefined when callCost must price them. */
export function fixedCost(name: string): number | undefined {
  if (PRICES.has(name)) return undefined;
  return CHARGED_BY_ITSELF.has(name) ? 0 : (LOWERED[name] ?? 1);
}

/** The cost of calling `name` (a receiver call's receiver is `target`) on `args` with `result`. */
export function callCost(name: string, target: CelValue | undefined, args: readonly CelValue[], result: CelValue): number {
  const price = PRICES.get(name);
  if (!price) return fixedCost(name)!;
  // cel-go's args: the receiver first.
  return target !== undefined ? price(target, args[0], result, true) : price(args[0], args[1], result, false);
}
