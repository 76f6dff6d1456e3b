// cel-go ext/sets.go (ext.Sets, in the Kubernetes environment from 1.29): lists as sets, elements
// compared with CEL's own equality (so 1 == 1.0 == 1u, and lists and maps by content).
//   sets.contains(a, b)    every element of b is in a (true when b is empty)
//   sets.equivalent(a, b)  a contains b and b contains a (duplicates do not count)
//   sets.intersects(a, b)  some element of a is in b (false when either is empty)
import { CelScalar, celEnv, celFunc, isCelList, listType, parse, plan, type CelFunc, type CelValue } from '@bufbuild/cel';
import { CelLibraryError } from './opaque';

const LIST = listType(CelScalar.DYN);
const equality = plan(celEnv(), parse('a == b'));

function celEquals(a: CelValue, b: CelValue): boolean {
  return equality({ a, b }) === true;
}

function itemsOf(list: CelValue): CelValue[] {
  if (!isCelList(list)) throw new CelLibraryError('no such overload');
  return [...list];
}

function contains(a: CelValue, b: CelValue): boolean {
  const haystack = itemsOf(a);
  return itemsOf(b).every((x) => haystack.some((y) => celEquals(x, y)));
}

export const SET_FUNCS: CelFunc[] = [
  celFunc('sets.contains', [LIST, LIST], CelScalar.BOOL, (a, b) => contains(a, b)),
  celFunc('sets.equivalent', [LIST, LIST], CelScalar.BOOL, (a, b) => contains(a, b) && contains(b, a)),
  celFunc('sets.intersects', [LIST, LIST], CelScalar.BOOL, (a, b) => {
    const right = itemsOf(b);
    return itemsOf(a).some((x) => right.some((y) => celEquals(x, y)));
  }),
];
