// k8s.io/apiserver/pkg/cel/library/lists.go: isSorted, sum, min, max, indexOf, lastIndexOf on lists.
import { CelScalar, celMethod, celUint, isCelList, isCelUint, listType, type CelFunc, type CelUint, type CelValue } from '@bufbuild/cel';
import { create } from '@bufbuild/protobuf';
import { isReflectMessage, reflect } from '@bufbuild/protobuf/reflect';
import { DurationSchema, type Duration, type Timestamp } from '@bufbuild/protobuf/wkt';
import { CelLibraryError } from './opaque';

const LIST = listType(CelScalar.DYN);

type Instant = Duration | Timestamp;

/** A google.protobuf.Duration or Timestamp value of `type`: cel-es carries duration() and timestamp() as reflected messages. */
function instantOf(v: CelValue, type: 'google.protobuf.Duration' | 'google.protobuf.Timestamp'): Instant | undefined {
  return isReflectMessage(v) && v.desc.typeName === type ? (v.message as Instant) : undefined;
}

function compareInstants(a: Instant, b: Instant): number {
  return a.seconds !== b.seconds ? (a.seconds < b.seconds ? -1 : 1) : a.nanos - b.nanos;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** cel-go's ordering of comparable values (int, uint, double, string, bool, bytes, durations, timestamps): lists.go's comparableTypes. */
export function compareValues(a: CelValue, b: CelValue): number {
  const num = (v: CelValue) => (typeof v === 'bigint' || typeof v === 'number' ? v : isCelUint(v) ? v.value : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  for (const type of ['google.protobuf.Duration', 'google.protobuf.Timestamp'] as const) {
    const ia = instantOf(a, type);
    const ib = instantOf(b, type);
    if (ia && ib) return compareInstants(ia, ib);
  }
  throw new CelLibraryError('no such overload');
}

/** lists.go sum over uints (traits.Adder: uint overflow is an error). */
function sumUints(all: CelUint[]): CelUint {
  const total = all.reduce((s, v) => s + v.value, 0n);
  if (total > 2n ** 64n - 1n) throw new CelLibraryError('unsigned integer overflow');
  return celUint(total);
}

/** lists.go sum over durations, normalised as google.protobuf.Duration (nanos with the seconds' sign). */
function sumDurations(all: Duration[]): CelValue {
  const nanos = all.reduce((s, d) => s + d.seconds * 1_000_000_000n + BigInt(d.nanos), 0n);
  return reflect(DurationSchema, create(DurationSchema, { seconds: nanos / 1_000_000_000n, nanos: Number(nanos % 1_000_000_000n) }));
}

function items(list: CelValue): CelValue[] {
  if (!isCelList(list)) throw new CelLibraryError('no such overload');
  return [...list];
}

function extreme(list: CelValue, sign: 1 | -1, name: string): CelValue {
  const all = items(list);
  if (all.length === 0) throw new CelLibraryError(`${name}(list) called on empty list`);
  return all.reduce((best, v) => (compareValues(v, best) * sign > 0 ? v : best));
}

function equal(a: CelValue, b: CelValue): boolean {
  try {
    return compareValues(a, b) === 0;
  } catch {
    return a === b;
  }
}

export const LIST_FUNCS: CelFunc[] = [
  celMethod('isSorted', LIST, [], CelScalar.BOOL, function () {
    const all = items(this);
    for (let i = 1; i < all.length; i++) if (compareValues(all[i - 1], all[i]) > 0) return false;
    return true;
  }),
  celMethod('sum', LIST, [], CelScalar.DYN, function () {
    const all = items(this);
    // An empty list sums to int 0 (lists.go: the zero value of the element type, int for dyn).
    if (all.length === 0) return 0n;
    if (all.every((v) => typeof v === 'bigint')) {
      const total = (all as bigint[]).reduce((s, v) => s + v, 0n);
      if (total > 2n ** 63n - 1n || total < -(2n ** 63n)) throw new CelLibraryError('integer overflow');
      return total;
    }
    if (all.every((v) => typeof v === 'number')) return (all as number[]).reduce((s, v) => s + v, 0);
    if (all.every((v) => isCelUint(v))) return sumUints(all as CelUint[]);
    const durations = all.map((v) => instantOf(v, 'google.protobuf.Duration'));
    if (durations.every((d) => d !== undefined)) return sumDurations(durations as Duration[]);
    throw new CelLibraryError('no such overload');
  }),
  celMethod('min', LIST, [], CelScalar.DYN, function () {
    return extreme(this, -1, 'min');
  }),
  celMethod('max', LIST, [], CelScalar.DYN, function () {
    return extreme(this, 1, 'max');
  }),
  celMethod('indexOf', LIST, [CelScalar.DYN], CelScalar.INT, function (x) {
    return BigInt(items(this).findIndex((v) => equal(v, x)));
  }),
  celMethod('lastIndexOf', LIST, [CelScalar.DYN], CelScalar.INT, function (x) {
    const all = items(this);
    for (let i = all.length - 1; i >= 0; i--) if (equal(all[i], x)) return BigInt(i);
    return -1n;
  }),
];
