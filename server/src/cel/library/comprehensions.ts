// The runtime halves of the two-variable comprehensions (../two-variable-comprehensions.ts):
// a range as its (index or key, value) pairs, and cel-go's cel.@mapInsert
// (ext/comprehensions.go), which builds transformMap and transformMapEntry results.
import { CelScalar, celFunc, isCelList, isCelMap, isCelUint, listType, mapType, type CelFunc, type CelMap, type CelValue } from '@bufbuild/cel';
import { CelLibraryError } from './opaque';

export const PAIRS = 'kdry.pairs';
export const MAP_INSERT = 'kdry.mapInsert';

type Key = bigint | string | boolean;

function keyOf(value: CelValue): Key {
  if (typeof value === 'string' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  if (isCelUint(value)) return value.value;
  throw new CelLibraryError('unsupported key type');
}

function copy(map: CelMap): Map<Key, CelValue> {
  const out = new Map<Key, CelValue>();
  for (const [k, v] of map) out.set(keyOf(k as CelValue), v);
  return out;
}

export const COMPREHENSION_FUNCS: CelFunc[] = [
  celFunc(PAIRS, [CelScalar.DYN], listType(CelScalar.DYN), (range) => {
    if (isCelList(range)) return [...range].map((v, i) => [BigInt(i), v]);
    if (isCelMap(range)) return [...range].map(([k, v]) => [k, v] as CelValue[]);
    throw new CelLibraryError('no such overload');
  }),
  celFunc(MAP_INSERT, [mapType(CelScalar.DYN, CelScalar.DYN), CelScalar.DYN, CelScalar.DYN], mapType(CelScalar.DYN, CelScalar.DYN), (map, key, value) => {
    const out = copy(map);
    const k = keyOf(key);
    if (out.has(k)) throw new CelLibraryError(`insert failed: key ${String(k)} already exists`);
    out.set(k, value);
    return out;
  }),
  celFunc(MAP_INSERT, [mapType(CelScalar.DYN, CelScalar.DYN), mapType(CelScalar.DYN, CelScalar.DYN)], mapType(CelScalar.DYN, CelScalar.DYN), (map, entries) => {
    const out = copy(map);
    for (const [key, value] of entries) {
      const k = keyOf(key as CelValue);
      if (out.has(k)) throw new CelLibraryError(`insert failed: key ${String(k)} already exists`);
      out.set(k, value);
    }
    return out;
  }),
];
