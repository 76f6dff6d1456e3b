// Duplicate map keys, found in one pass with a set per map. The yaml library's own check
// (`uniqueKeys`) compares each key with every earlier one: a ConfigMap of 40,000 keys took
// seconds to parse. Same rule as the library's: two scalar keys with the same value.
import { isMap, isScalar, visit, type Document } from 'yaml';
import type { Offsets } from './types';

/** Document offsets of each key that repeats an earlier key of the same map. */
export function duplicateKeys(yaml: Document.Parsed): Offsets[] {
  const found: Offsets[] = [];
  visit(yaml, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key) || !key.range) continue;
        if (seen.has(key.value)) found.push([key.range[0], key.range[1]]);
        else seen.add(key.value);
      }
    },
  });
  return found;
}
