// A CEL map some of whose entries the workspace cannot know (a value the cluster sets, the request
// namespace kubectl takes from its context): such an entry is an unsupported error value, so an
// expression that reads it is noted, not judged, and `||`/`&&` still decide where the other side settles it.
import type { CelInput } from '@bufbuild/cel';
import { celLibrary } from '../cel/on-demand';

/** `known`'s entries, with each key of `unknown` (present or not) reading as not known, for the reason given. */
export function withUnknownEntries(known: Map<string, CelInput>, unknown: ReadonlyMap<string, string>): CelInput {
  const { celMap, lazyCelMap, settledError } = celLibrary();
  const settled = celMap(new Map([...known].filter(([key]) => !unknown.has(key))));
  const names = [...new Set([...known.keys(), ...unknown.keys()])];
  return lazyCelMap(names, (key) => {
    const reason = unknown.get(key);
    return reason === undefined ? settled.get(key)! : settledError({ kind: 'unsupported', reason });
  }) as unknown as CelInput;
}
