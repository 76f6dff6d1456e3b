// Lists of `x-kubernetes-list-type: set` and `map` as CEL sees them (k8s.io/apiserver/pkg/cel/common/values.go
// unstructuredSetList, unstructuredMapList): `==` with such a list on the left ignores order, `+`
// is a union (a set keeps its elements and appends the new ones; a map list keeps each key's
// position and takes the right side's value). A literal list on the left compares in order, as
// cel-go's own list does; a map list never finds a literal map's key (toMapKey gets no
// map[string]interface{}), so it equals a literal list only when both are empty.
// Nested inside an object or an atomic list such a list still compares as its type: values.go
// unstructuredMap.Equal and unstructuredList.Equal compare field by field and item by item with
// each left value's own Equal.
import { CelScalar, celEnv, celFunc, celList, celListConcat, celMap, isCelList, isCelMap, listType, type CelFunc, type CelInput, type CelList, type CelMap, type CelValue } from '@bufbuild/cel';

type ListKind = { type: 'set' } | { type: 'map'; keys: readonly string[] };

const kinds = new WeakMap<CelList, ListKind>();
/** Objects and atomic lists that hold a set or map list somewhere below: they compare member by member. */
const holdsTyped = new WeakSet<CelList | CelMap>();

/** An object's entries (`holding`: a set or map list is below them) as a CEL map, kept as one marked value when holding. */
export function celObject(entries: Map<string, CelInput>, holding: boolean): CelInput {
  if (!holding) return entries;
  const map = celMap(entries);
  holdsTyped.add(map);
  return map;
}

/** An atomic list's items, likewise. */
export function celAtomicList(items: CelInput[], holding: boolean): CelInput {
  if (!holding) return items;
  const list = celList(items as never);
  holdsTyped.add(list);
  return list;
}

/** `items` as a CEL list of the schema's list type (undefined for atomic lists: a plain list). */
export function typedCelList(items: unknown[], listTypeName: unknown, mapKeys: unknown): CelList | undefined {
  let kind: ListKind | undefined;
  if (listTypeName === 'set') kind = { type: 'set' };
  else if (listTypeName === 'map' && Array.isArray(mapKeys) && mapKeys.every((k) => typeof k === 'string')) kind = { type: 'map', keys: mapKeys };
  if (!kind) return undefined;
  const list = celList(items as never);
  kinds.set(list, kind);
  return list;
}

const STD_EQUALS = celEnv().funcs.find('_==_')!;
const stdEquals = (l: CelValue, r: CelValue): boolean => STD_EQUALS.call(0, undefined, [l, r]) === true;

/** A set element's identity as a Go map key: scalars only (sets hold scalars). */
function scalarKey(v: CelValue): string | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'number':
    case 'bigint':
      return `${typeof v}:${String(v)}`;
  }
  return undefined;
}

function mapListKey(v: CelValue, keys: readonly string[]): string | undefined {
  if (!isCelMap(v)) return undefined;
  const parts: (string | undefined)[] = keys.map((k) => {
    const part = v.get(k);
    return part === undefined ? 'absent' : scalarKey(part as CelValue);
  });
  return parts.includes(undefined) ? undefined : JSON.stringify(parts);
}

/** unstructuredMap.Equal and unstructuredList.Equal: each member by the left value's own equality. */
function memberwiseEquals(l: CelList | CelMap, r: CelValue): boolean {
  if (isCelList(l)) {
    if (!isCelList(r) || l.size !== r.size) return false;
    for (let i = 0; i < l.size; i++) if (!typedEquals(l.get(i)!, r.get(i)!)) return false;
    return true;
  }
  if (!isCelMap(r) || l.size !== r.size) return false;
  for (const [key, value] of l) {
    const other = r.get(key);
    if (other === undefined || !typedEquals(value, other)) return false;
  }
  return true;
}

function typedEquals(l: CelValue, r: CelValue): boolean {
  // cel-es's equals on a string or bool: equal only to the same type and value (the common case, kept cheap).
  if (typeof l === 'string' || typeof l === 'boolean') return l === r;
  if ((isCelList(l) || isCelMap(l)) && holdsTyped.has(l)) return memberwiseEquals(l, r);
  const kind = isCelList(l) ? kinds.get(l) : undefined;
  if (!kind || !isCelList(r) || !isCelList(l)) return stdEquals(l, r);
  if (l.size !== r.size) return false;
  if (kind.type === 'set') {
    const members = new Set<string>();
    for (const item of l) {
      const key = scalarKey(item);
      if (key === undefined) return stdEquals(l, r);
      members.add(key);
    }
    for (const item of r) {
      const key = scalarKey(item);
      if (key === undefined || !members.has(key)) return false;
    }
    return true;
  }
  const byKey = new Map<string, CelValue>();
  for (const item of l) {
    const key = mapListKey(item, kind.keys);
    if (key !== undefined) byKey.set(key, item);
  }
  for (const item of r) {
    const key = isCelList(r) && kinds.get(r)?.type === 'map' ? mapListKey(item, kind.keys) : undefined;
    const mine = key === undefined ? undefined : byKey.get(key);
    // unstructuredMapList.Equal: the item by its own Equal, so lists typed inside it keep their type.
    if (mine === undefined || !typedEquals(mine, item)) return false;
  }
  return true;
}

function typedAdd(l: CelList, r: CelList): CelList {
  const kind = kinds.get(l);
  if (!kind) return celListConcat(l, r);
  const items: CelValue[] = [...l];
  if (kind.type === 'set') {
    const members = new Set(items.map(scalarKey));
    for (const item of r) {
      const key = scalarKey(item);
      if (key !== undefined && members.has(key)) continue;
      members.add(key);
      items.push(item);
    }
  } else {
    const rightIsMapList = kinds.get(r)?.type === 'map';
    const positions = new Map<string, number>();
    items.forEach((item, i) => {
      const key = mapListKey(item, kind.keys);
      if (key !== undefined) positions.set(key, i);
    });
    for (const item of r) {
      const key = rightIsMapList ? mapListKey(item, kind.keys) : undefined;
      const at = key === undefined ? undefined : positions.get(key);
      if (at === undefined) items.push(item);
      else items[at] = item;
    }
  }
  const out = celList(items);
  kinds.set(out, kind);
  return out;
}

const LIST = listType(CelScalar.DYN);

/** `==`, `!=` and list `+` in place of cel-es's own (same signatures, so they replace them). */
export const LIST_TYPE_FUNCS: CelFunc[] = [
  celFunc('_==_', [CelScalar.DYN, CelScalar.DYN], CelScalar.BOOL, typedEquals),
  celFunc('_!=_', [CelScalar.DYN, CelScalar.DYN], CelScalar.BOOL, (l, r) => !typedEquals(l, r)),
  celFunc('_+_', [LIST, LIST], LIST, typedAdd),
];
