// CEL optional values (cel-go cel/library.go, OptionalTypes; types/optional.go), which the
// Kubernetes environment enables from 1.29: optional.of/none/ofNonZeroValue, hasValue(), value(),
// orValue(), or(), and the runtime halves of `x.?f`, `x[?k]`, `[?e]` and `{?k: v}` that
// ../syntax-extensions.ts lowers these forms to. An optional travels as a tagged one-entry map
// (see ./opaque.ts), so `optional.none() == optional.none()` and `optional.of(1) == optional.of(1)`
// hold as in cel-go.
import { CelScalar, celFunc, celMethod, celMap, isCelList, isCelMap, isCelUint, listType, mapType, type CelFunc, type CelInput, type CelMap, type CelValue } from '@bufbuild/cel';
import { CelLibraryError, TAG } from './opaque';

const PRESENT = `${TAG}optional`;
const ABSENT = `${TAG}optional.none`;
const OPAQUE = mapType(CelScalar.STRING, CelScalar.DYN);
const NONE = celMap(new Map([[ABSENT, false]]));

/** The lowered forms' function names (../syntax-extensions.ts builds calls to them). */
export const OPT_SELECT = 'kdry.optSelect';
export const OPT_HAS = 'kdry.optHas';
export const OPT_INDEX = 'kdry.optIndex';
export const OPT_LIST = 'kdry.optList';
export const OPT_MAP = 'kdry.optMap';

export function optionalOf(value: CelInput): CelMap {
  return celMap(new Map([[PRESENT, value]]));
}

export function optionalNone(): CelMap {
  return NONE;
}

/** `{ value }` for optional.of(value), `{}` for optional.none(), undefined for anything else. */
export function readOptional(value: CelValue | undefined): { value?: CelValue } | undefined {
  if (!isCelMap(value) || value.size !== 1) return undefined;
  // Not has(): the runtime's maps report a key holding null as absent (optional.of(null)).
  const [key] = value.keys();
  if (key === ABSENT) return {};
  return key === PRESENT ? { value: value.get(PRESENT) ?? null } : undefined;
}

function optionalOrThrow(value: CelValue): { value?: CelValue } {
  const held = readOptional(value);
  if (!held) throw new CelLibraryError('no such overload');
  return held;
}

/** cel-go's IsZeroValue for ofNonZeroValue: false, 0, 0u, 0.0, "", b"", [], {} and null. */
function isZero(value: CelValue): boolean {
  if (value === null || value === false || value === '' || value === 0 || value === 0n) return true;
  if (isCelUint(value)) return value.value === 0n;
  if (value instanceof Uint8Array) return value.length === 0;
  if (isCelList(value) || isCelMap(value)) return value.size === 0;
  return false;
}

/** `operand.?field`: of(the field) when the map has it, none otherwise; an optional operand is looked through. */
function select(operand: CelValue, key: CelValue): CelMap {
  const held = readOptional(operand);
  if (held) {
    if (!('value' in held)) return NONE;
    operand = held.value as CelValue;
  }
  if (isCelMap(operand)) {
    if (typeof key !== 'string' && typeof key !== 'bigint' && typeof key !== 'boolean' && typeof key !== 'number' && !isCelUint(key)) throw new CelLibraryError('unsupported key type');
    const field = operand.get(key);
    // has() and get() see a key holding null as missing; a manifest's `x: null` is present.
    return field !== undefined || [...operand.keys()].some((k) => k === key) ? optionalOf(field ?? null) : NONE;
  }
  if (isCelList(operand)) {
    const index = typeof key === 'bigint' ? key : isCelUint(key) ? key.value : typeof key === 'number' && Number.isInteger(key) ? BigInt(key) : undefined;
    if (index === undefined) throw new CelLibraryError('no such overload');
    return index >= 0n && index < BigInt(operand.size) ? optionalOf(operand.get(Number(index)) as CelValue) : NONE;
  }
  throw new CelLibraryError('no such overload');
}

export const OPTIONAL_FUNCS: CelFunc[] = [
  celFunc('optional.of', [CelScalar.DYN], CelScalar.DYN, (value) => optionalOf(value)),
  celFunc('optional.none', [], CelScalar.DYN, () => NONE),
  celFunc('optional.ofNonZeroValue', [CelScalar.DYN], CelScalar.DYN, (value) => (isZero(value) ? NONE : optionalOf(value))),
  celMethod('hasValue', OPAQUE, [], CelScalar.BOOL, function () {
    return 'value' in optionalOrThrow(this);
  }),
  celMethod('value', OPAQUE, [], CelScalar.DYN, function () {
    const held = optionalOrThrow(this);
    if (!('value' in held)) throw new CelLibraryError('optional.none() dereference');
    return held.value as CelValue;
  }),
  celMethod('orValue', OPAQUE, [CelScalar.DYN], CelScalar.DYN, function (fallback) {
    const held = optionalOrThrow(this);
    return 'value' in held ? (held.value as CelValue) : fallback;
  }),
  celMethod('or', OPAQUE, [CelScalar.DYN], CelScalar.DYN, function (other) {
    if ('value' in optionalOrThrow(this)) return this;
    optionalOrThrow(other);
    return other;
  }),
  celFunc(OPT_SELECT, [CelScalar.DYN, CelScalar.STRING], CelScalar.DYN, (operand, field) => select(operand, field)),
  celFunc(OPT_INDEX, [CelScalar.DYN, CelScalar.DYN], CelScalar.DYN, (operand, key) => select(operand, key)),
  // has(x.?a.b): true when the path is there all the way.
  celFunc(OPT_HAS, [CelScalar.DYN, CelScalar.STRING], CelScalar.BOOL, (operand, field) => 'value' in (readOptional(select(operand, field)) ?? {})),
  // [a, ?b]: every element arrives as an optional (plain ones wrapped); absent ones drop out.
  celFunc(OPT_LIST, [listType(CelScalar.DYN)], listType(CelScalar.DYN), (elements) => {
    const out: CelValue[] = [];
    for (const element of elements) {
      const held = optionalOrThrow(element);
      if ('value' in held) out.push(held.value as CelValue);
    }
    return out;
  }),
  // {k: v, ?k2: v2}: [key, optional value] pairs; an absent value leaves its key out.
  celFunc(OPT_MAP, [listType(CelScalar.DYN)], mapType(CelScalar.DYN, CelScalar.DYN), (entries) => {
    const out = new Map<bigint | string | boolean, CelValue>();
    for (const entry of entries) {
      if (!isCelList(entry) || entry.size !== 2) throw new CelLibraryError('no such overload');
      const key = entry.get(0);
      if (typeof key !== 'string' && typeof key !== 'bigint' && typeof key !== 'boolean') throw new CelLibraryError('unsupported key type');
      if (out.has(key)) throw new CelLibraryError(`map key conflict: ${String(key)}`);
      const held = optionalOrThrow(entry.get(1) as CelValue);
      if ('value' in held) out.set(key, held.value as CelValue);
    }
    return out;
  }),
];
