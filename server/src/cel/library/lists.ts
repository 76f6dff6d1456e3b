// k8s.io/apiserver/pkg/cel/library/lists.go: isSorted, sum, min, max, indexOf, lastIndexOf on lists.
import { CelScalar, celMethod, isCelList, isCelUint, listType, type CelFunc, type CelValue } from '@bufbuild/cel';
import { CelLibraryError } from './opaque';

const LIST = listType(CelScalar.DYN);

/** cel-go's ordering of comparable values (int, uint, double, string, bool, bytes, timestamps). */
export function compareValues(a: CelValue, b: CelValue): number {
  const num = (v: CelValue) => (typeof v === 'bigint' || typeof v === 'number' ? v : isCelUint(v) ? v.value : undefined);
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new CelLibraryError('no such overload');
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
