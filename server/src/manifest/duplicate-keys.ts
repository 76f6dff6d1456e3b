// Duplicate map keys, found in one pass with a set per map. The yaml library's own check
// (`uniqueKeys`) compares each key with every earlier one: a ConfigMap of 40,000 keys took
// seconds to parse. Same rule as the library's: two scalar keys with the same value.
import { isMap, isScalar, visit, type Document } from 'yaml';
import type { Offsets } from './types';

/** A key written more than once in one map. */
export interface RepeatedKey {
  key: string;
  /** Document offsets of every repetition (each key after the first), in source order. */
  repeats: Offsets[];
}

/**
 * Keys that repeat an earlier key of the same map, one entry per map and key: a label written
 * 10,000 times is one mistake, not 9,999 diagnostics.
 */
export function duplicateKeys(yaml: Document.Parsed): RepeatedKey[] {
  const found: RepeatedKey[] = [];
  visit(yaml, {
    Map(_, map) {
      if (!isMap(map)) return;
      const seen = new Map<unknown, RepeatedKey | undefined>();
      for (const { key } of map.items) {
        if (!isScalar(key) || !key.range) continue;
        if (!seen.has(key.value)) {
          seen.set(key.value, undefined);
          continue;
        }
        let entry = seen.get(key.value);
        if (!entry) {
          found.push((entry = { key: String(key.value), repeats: [] }));
          seen.set(key.value, entry);
        }
        entry.repeats.push([key.range[0], key.range[1]]);
      }
    },
  });
  return found;
}
