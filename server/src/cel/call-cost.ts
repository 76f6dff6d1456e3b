// What a function call costs at run time, as the API server's cost tracker charges it
// (cel-go interpreter/runtimecost.go CostTracker.costCall): an overload's own tracker first (the
// sets extension, ext/sets.go trackSetsCost; the lists extension's trackers are charged by
// library/ext-lists.ts itself), then Kubernetes' estimator
// (k8s.io/apiserver/pkg/cel/library/cost.go CostEstimator.CallCost), then cel-go's defaults
// (string traversals, `in` on a list, regex, and 1 for everything else). Sizes are cel-go's
// actualSize: a string's length, a list's or map's items, 1 for anything else.
import { isCelList, isCelMap, type CelValue } from '@bufbuild/cel';
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
 * k8s.io/apiserver/pkg/cel/library/format.go ConstantFormats MaxRegexSize. The strfmt and
 * govalidator formats use those libraries' pattern lengths, which kdry does not carry: it charges
 * them as a 512-character pattern, longer than any of them, so it never counts fewer.
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
};
const UNKNOWN_FORMAT_REGEX_SIZE = 512;

/** The lists extension's calls, which charge their trackers themselves (library/ext-lists.ts). */
const CHARGED_BY_ITSELF = new Set(['slice', 'flatten', 'sort', 'distinct', 'lists.range', '@sortByAssociatedKeys']);

/**
 * kdry's lowered forms (syntax-extensions.ts, two-variable-comprehensions.ts) at what cel-go's own
 * step costs: an optional list or map literal is a constructor (common/cost.go ListCreateBaseCost,
 * MapCreateBaseCost), `kdry.pairs` is the fold's own iteration (free), the meter's calls charge
 * themselves; the rest (optional select and index, cel.@mapInsert) are a call or qualifier: 1.
 */
const LOWERED: Record<string, number> = { 'kdry.optList': 10, 'kdry.optMap': 30, 'kdry.pairs': 0, 'kdry.cost': 0, 'kdry.iteration': 0 };

/** Types the OptOptimize planner folds when their argument is a constant (decorators.go maybeOptimizeConstUnary). */
export const TYPE_CONVERSIONS = new Set(['bool', 'bytes', 'double', 'duration', 'dyn', 'int', 'string', 'timestamp', 'type', 'uint']);

/**
 * The cost of calling `name` (a receiver call's receiver is `target`) on `args` with `result`.
 * `formatName`: the format a `validate` receiver names.
 */
export function callCost(name: string, target: CelValue | undefined, args: readonly CelValue[], result: CelValue, formatName?: (value: CelValue) => string | undefined): number {
  // cel-go's args: the receiver first.
  const a0 = target !== undefined ? target : args[0];
  const a1 = target !== undefined ? args[0] : args[1];
  switch (name) {
    // ext/sets.go trackSetsCost: 1 + |a| x |b| x factor (truncated).
    case 'sets.contains':
    case 'sets.intersects':
      return 1 + Math.floor(actualSize(a0) * actualSize(a1));
    case 'sets.equivalent':
      return 1 + Math.floor(actualSize(a0) * actualSize(a1) * 2);
    // library/cost.go CallCost.
    case 'isSorted':
    case 'sum':
    case 'max':
    case 'min':
    case 'indexOf':
    case 'lastIndexOf':
      return traversalCost(a0);
    case 'url':
    case 'lowerAscii':
    case 'upperAscii':
    case 'substring':
    case 'trim':
    case 'jsonpatch.escapeKey':
    case 'cidr':
    case 'isIP':
    case 'isCIDR':
    case 'quantity':
    case 'isQuantity':
    case 'semver':
    case 'isSemver':
      return traversal(actualSize(a0));
    case 'replace':
    case 'split':
      return Math.ceil(actualSize(a0) * 2 * STRING_TRAVERSAL);
    case 'join':
      return Math.ceil(actualSize(result) * 2 * STRING_TRAVERSAL);
    case 'find':
    case 'findAll':
      return Math.ceil((1 + actualSize(a0)) * STRING_TRAVERSAL) * Math.ceil(actualSize(a1) * REGEX_LENGTH);
    case 'ip':
      // cidr.ip() is the "cidr_ip" overload: nominal; ip(string) parses.
      return target !== undefined ? 1 : traversal(actualSize(a0));
    case 'ip.isCanonical':
      return Math.ceil(actualSize(a0) * 2 * STRING_TRAVERSAL);
    case 'containsIP':
    case 'containsCIDR': {
      const cidrSize = actualSize(a0);
      let cost = Math.ceil((cidrSize + cidrSize) * STRING_TRAVERSAL);
      if (name === 'containsCIDR') cost += Math.ceil(cidrSize * STRING_TRAVERSAL) + 1;
      // The string overloads (cidr_contains_ip_string, cidr_contains_cidr_string) parse it too.
      if (typeof a1 === 'string') cost += traversal(actualSize(a1));
      return cost;
    }
    case 'validate': {
      const format = formatName?.(a0!);
      if (format === undefined) return 1;
      return Math.ceil((1 + actualSize(a1)) * STRING_TRAVERSAL) * Math.ceil((FORMAT_REGEX_SIZE[format] ?? UNKNOWN_FORMAT_REGEX_SIZE) * REGEX_LENGTH);
    }
    // cel-go runtimecost.go costCall's defaults.
    case 'startsWith':
    case 'endsWith':
    case 'strings.quote':
    case 'format':
      return traversal(actualSize(a0));
    case 'bytes':
    case 'string':
      // StringToBytes, BytesToString: a traversal; other conversions are O(1).
      return (name === 'bytes' && typeof a0 === 'string') || (name === 'string' && a0 instanceof Uint8Array) ? traversal(actualSize(a0)) : 1;
    case '@in':
      // InList: O(n); `in` on a map is O(1).
      return isCelList(a1) ? actualSize(a1) : 1;
    case '_==_':
    case '_!=_':
      return traversal(Math.min(actualSize(a0), actualSize(a1)));
    case '_<_':
    case '_<=_':
    case '_>_':
    case '_>=_':
      return (typeof a0 === 'string' && typeof a1 === 'string') || (a0 instanceof Uint8Array && a1 instanceof Uint8Array) ? traversal(Math.min(actualSize(a0), actualSize(a1))) : 1;
    case '_+_':
      return (typeof a0 === 'string' && typeof a1 === 'string') || (a0 instanceof Uint8Array && a1 instanceof Uint8Array) ? traversal(actualSize(a0) + actualSize(a1)) : 1;
    case 'matches':
      // Only the receiver overload (matches_string) is priced by its sizes; the global matches(s, re)
      // falls to the default, as costCall's switch lists overloads.MatchesString alone.
      return target !== undefined ? Math.ceil((1 + actualSize(a0)) * STRING_TRAVERSAL) * Math.ceil(actualSize(a1) * REGEX_LENGTH) : 1;
    case 'contains':
      return typeof a0 === 'string' ? traversal(actualSize(a0)) * traversal(actualSize(a1)) : 1;
    case 'reverse':
      // The lists extension's reverse charges itself; the strings extension's is O(1) by default.
      return isCelList(a0) ? 0 : 1;
    default:
      return CHARGED_BY_ITSELF.has(name) ? 0 : (LOWERED[name] ?? 1);
  }
}
