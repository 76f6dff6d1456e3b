// cel-go ext/lists.go (ext.Lists), in the Kubernetes environment from 1.34 at ListsVersion(3)
// (apiserver/pkg/cel/environment/base.go, kubernetes/kubernetes#131700), with its error texts:
//   <list>.slice(start, end)   the items from start up to end (version 0)
//   <list>.flatten([depth])    nested lists spliced in, one level or `depth` levels (version 1)
//   <list>.sort()              comparable items of one type, in order (version 2)
//   <list>.reverse()           the items backwards (version 2)
//   <list>.distinct()          the first of each run of CEL-equal items (version 2)
//   lists.range(n)             [0, 1, ..., n-1] (version 2)
//   <list>.sortBy(e, key)      sorted by the key each item gives (version 2; a macro: ../sort-by.ts)
import { CelScalar, celEnv, celFunc, celMethod, isCelList, isCelUint, listType, parse, plan, type CelFunc, type CelValue } from '@bufbuild/cel';
import { CelLibraryError } from './opaque';
import { chargeCall } from '../cost';
import { isReflectMessage } from '@bufbuild/protobuf/reflect';
import { DurationSchema, TimestampSchema, type Duration, type Timestamp } from '@bufbuild/protobuf/wkt';

const LIST = listType(CelScalar.DYN);
const equality = plan(celEnv(), parse('a == b'));

function itemsOf(list: CelValue): CelValue[] {
  if (!isCelList(list)) throw new CelLibraryError('no such overload');
  return [...list];
}

/**
 * lists.go slice: indexes checked as cel-go checks them, in that order (its errors come before the
 * cost, which cel-go's interpreter adds after the call), then end - start items charged and taken.
 */
function slice(list: CelValue, start: bigint, end: bigint): CelValue[] {
  const items = itemsOf(list);
  if (start < 0n || end < 0n) throw new CelLibraryError(`cannot slice(${start}, ${end}), negative indexes not supported`);
  if (start > end) throw new CelLibraryError(`cannot slice(${start}, ${end}), start index must be less than or equal to end index`);
  if (BigInt(items.length) < end) throw new CelLibraryError(`cannot slice(${start}, ${end}), list is length ${items.length}`);
  const from = Number(start);
  return chargedList(Number(end - start), (i) => items[from + i]);
}

/** lists.go flatten. Worked example: [1, [2, [3, [4]]]].flatten(2) -> [1, 2, 3, [4]]. */
function flatten(list: CelValue, depth: bigint): CelValue[] {
  if (depth < 0n) throw new CelLibraryError('level must be non-negative');
  const out: CelValue[] = [];
  for (const item of itemsOf(list)) {
    if (!isCelList(item) || depth === 0n) out.push(item);
    else out.push(...flatten(item, depth - 1n));
  }
  return out;
}

/** A duration or timestamp (cel-es holds them as reflected messages, as its own equals.js tests them): its seconds and nanos. */
function secondsAndNanosOf(v: unknown): { type: 'duration' | 'timestamp'; seconds: bigint; nanos: number } | undefined {
  if (isReflectMessage(v, DurationSchema)) return { type: 'duration', ...(v.message as Duration) };
  if (isReflectMessage(v, TimestampSchema)) return { type: 'timestamp', ...(v.message as Timestamp) };
  return undefined;
}

/** The CEL type of a comparable item (lists.go comparableTypes: int, uint, double, bool, duration, timestamp, string, bytes), undefined for the others. */
function comparableType(v: CelValue): string | undefined {
  const time = secondsAndNanosOf(v);
  if (time) return time.type;
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (isCelUint(v)) return 'uint';
  if (v instanceof Uint8Array) return 'bytes';
  return undefined;
}

function compareSameType(a: CelValue, b: CelValue): number {
  const [p, q] = [secondsAndNanosOf(a), secondsAndNanosOf(b)];
  if (p && q) return p.seconds !== q.seconds ? (p.seconds < q.seconds ? -1 : 1) : p.nanos - q.nanos;
  const x = isCelUint(a) ? a.value : a;
  const y = isCelUint(b) ? b.value : b;
  if (x instanceof Uint8Array && y instanceof Uint8Array) {
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }
  return (x as never) < (y as never) ? -1 : (x as never) > (y as never) ? 1 : 0;
}

/**
 * lists.go sortListByAssociatedKeys: the list in the order of its keys (one comparable type, else
 * cel-go's error). sort() is the list by itself; sortBy(e, key) by the keys its items give.
 * Worked example: ["foo", "bar", "baz"] by [3, 1, 2] -> ["bar", "baz", "foo"].
 */
function sortByAssociatedKeys(list: CelValue, keysList: CelValue): CelValue[] {
  const items = itemsOf(list);
  const keys = itemsOf(keysList);
  if (items.length !== keys.length) throw new CelLibraryError(`@sortByAssociatedKeys() expected a list of the same size as the associated keys list, but got ${items.length} and ${keys.length} elements respectively`);
  if (items.length === 0) return items;
  const type = comparableType(keys[0]);
  if (!type) throw new CelLibraryError('list elements must be comparable');
  if (keys.some((v) => comparableType(v) !== type)) throw new CelLibraryError('list elements must have the same type');
  // Array.prototype.sort is stable; Go's sort.Slice is not, so items with equal keys may come in another order there
  return items.map((_, i) => i).sort((i, j) => compareSameType(keys[i], keys[j])).map((i) => items[i]);
}

/** The internal function the sortBy macro calls (lists.go). */
export const SORT_BY_ASSOCIATED_KEYS = '@sortByAssociatedKeys';

/** lists.go distinctList: CEL equality (1 == 1.0), the first occurrence kept. */
function distinct(list: CelValue): CelValue[] {
  const out: CelValue[] = [];
  for (const item of itemsOf(list)) if (!out.some((seen) => equality({ a: item, b: seen }) === true)) out.push(item);
  return out;
}

/** lists.go genRange: at most maxRangeSize items. */
const MAX_RANGE_SIZE = 10_000_000n;

function range(n: bigint): bigint[] {
  if (n < 0n) throw new CelLibraryError(`lists.range: size must be non-negative, got ${n}`);
  if (n > MAX_RANGE_SIZE) throw new CelLibraryError(`lists.range: size ${n} exceeds maximum allowed (${MAX_RANGE_SIZE})`);
  return chargedList(Number(n), (i) => BigInt(i));
}

/**
 * lists.go's cost trackers (ListsVersion 3, ProgramOptions), charged before the work so that a
 * call past the limit stops first: trackAllocatingListCall(factor, size) = uint64(size x factor)
 * + 1 (callCost) + 10 (common.ListCreateBaseCost). trackListOutputSize (slice, range, reverse)
 * counts the result's items, trackListFlatten the input's times the depth, and
 * trackListSelfCompare (distinct, sort; sortBy over its keys) n x n comparisons at 2 each, 2.1
 * when the first item is a string or bytes. Worked example: `[3, 1, 2].sort()` costs
 * 3 x 3 x 2 + 11 = 29; `lists.range(5)` 5 + 11 = 16.
 */
function trackAllocatingListCall(factor: number, size: number): void {
  chargeCall(Math.floor(size * factor) + 1 + 10);
}

/**
 * trackListOutputSize for a result of `size` items, charged before they are made: a policy's
 * `lists.range(10000000)` under a small limit stops at the meter, not after ten million values.
 */
function chargedList<T extends CelValue>(size: number, item: (i: number) => T): T[] {
  trackAllocatingListCall(1, size);
  return Array.from({ length: size }, (_, i) => item(i));
}

function trackListSelfCompare(list: CelValue): void {
  const items = itemsOf(list);
  const first = items[0];
  const factor = 2 + (typeof first === 'string' || first instanceof Uint8Array ? 0.1 : 0);
  trackAllocatingListCall(factor, items.length * items.length);
}

export const EXT_LIST_FUNCS: CelFunc[] = [
  celMethod('slice', LIST, [CelScalar.INT, CelScalar.INT], LIST, function (start, end) {
    return slice(this, start, end);
  }),
  celMethod('flatten', LIST, [], LIST, function () {
    trackAllocatingListCall(1, itemsOf(this).length);
    return flatten(this, 1n);
  }),
  celMethod('flatten', LIST, [CelScalar.INT], LIST, function (depth) {
    trackAllocatingListCall(Math.max(0, Number(depth)), itemsOf(this).length);
    return flatten(this, depth);
  }),
  celMethod('sort', LIST, [], LIST, function () {
    trackListSelfCompare(this);
    return sortByAssociatedKeys(this, this);
  }),
  celMethod(SORT_BY_ASSOCIATED_KEYS, LIST, [LIST], LIST, function (keys) {
    trackListSelfCompare(keys);
    return sortByAssociatedKeys(this, keys);
  }),
  celMethod('reverse', LIST, [], LIST, function () {
    trackAllocatingListCall(1, itemsOf(this).length);
    return itemsOf(this).reverse();
  }),
  celMethod('distinct', LIST, [], LIST, function () {
    trackListSelfCompare(this);
    return distinct(this);
  }),
  celFunc('lists.range', [CelScalar.INT], listType(CelScalar.INT), (n) => range(n)),
];
