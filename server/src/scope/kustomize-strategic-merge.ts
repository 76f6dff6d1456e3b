// A strategic merge patch as kustomize applies it (api/filters/patchstrategicmerge: kyaml
// merge2.Merge with ListIncreaseDirection prepend), on plain values:
// - maps merge field by field; a field set to null is removed; `$patch: delete` removes the map,
//   `$patch: replace` puts the patch's map in its place;
// - a list the schema merges by key (k8s/patch-merge-keys.ts: containers by name, ...) merges its
//   elements by that key, the patch's elements first in the patch's order, then the others as
//   they were (walk/associative_sequence.go elementValues, setAssociativeSequenceElements); an
//   element `{name: x, $patch: delete}` removes x; a `{$patch: replace}` element makes the list
//   the patch's; a list of scalars merged as a set (finalizers) is the union, the patch's first;
// - every other list, and everything of a kind without a schema (a custom resource), is replaced.
// Worked example (upstream api/krusty/multiplepatch_test.go TestSimpleMultiplePatches): env
// [ENVKEY] patched with [ANOTHERENV] becomes [ANOTHERENV, ENVKEY].
import { isRecord } from '../manifest';
import { patchField, type PatchType } from '../k8s/patch-merge-keys';

const DIRECTIVE = '$patch';
/** What a merge returns for a value the patch deletes. */
const DELETED = Symbol('deleted');

/** `dest` patched by `patch` (neither is changed); undefined when the patch deletes the object. */
export function strategicMerge(dest: Record<string, unknown>, patch: Record<string, unknown>, type: PatchType): Record<string, unknown> | undefined {
  const merged = mergeValue(dest, patch, type);
  return merged === DELETED || !isRecord(merged) ? undefined : merged;
}

function mergeValue(dest: unknown, patch: unknown, type: PatchType, mergeKey?: string): unknown {
  if (isRecord(patch)) return mergeMap(isRecord(dest) ? dest : undefined, patch, type);
  if (Array.isArray(patch)) return mergeKey === undefined || !Array.isArray(dest) ? withoutDirectives(patch, type) : mergeList(dest, patch, type, mergeKey);
  return patch;
}

function mergeMap(dest: Record<string, unknown> | undefined, patch: Record<string, unknown>, type: PatchType): unknown {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return DELETED;
  const base = directive === 'replace' || dest === undefined ? {} : { ...dest };
  for (const [key, value] of Object.entries(patch)) {
    if (key === DIRECTIVE || key.startsWith('$')) continue;
    if (value === null) {
      delete base[key];
      continue;
    }
    const field = patchField(type, key);
    const merged = mergeValue(base[key], value, field.type, field.mergeKey);
    if (merged === DELETED) delete base[key];
    else base[key] = merged;
  }
  return base;
}

function mergeList(dest: unknown[], patch: unknown[], type: PatchType, mergeKey: string): unknown {
  const directive = patch.find((e) => isRecord(e) && typeof e[DIRECTIVE] === 'string' && Object.keys(e).length === 1) as Record<string, unknown> | undefined;
  const elements = patch.filter((e) => e !== directive);
  if (directive?.[DIRECTIVE] === 'delete') return DELETED;
  if (directive?.[DIRECTIVE] === 'replace') return withoutDirectives(elements, type);
  if (mergeKey === '') {
    // A set of scalars: the patch's values, then the others.
    const seen = new Set<unknown>();
    return [...elements, ...dest].filter((v) => !seen.has(v) && (seen.add(v), true));
  }
  const keyOf = (e: unknown) => (isRecord(e) && e[mergeKey] !== undefined && e[mergeKey] !== null ? String(e[mergeKey]) : undefined);
  const out: unknown[] = [];
  const fromDest = new Map<string, unknown>();
  for (const e of dest) {
    const key = keyOf(e);
    if (key !== undefined && !fromDest.has(key)) fromDest.set(key, e);
  }
  const done = new Set<string>();
  for (const e of elements) {
    const key = keyOf(e);
    if (key === undefined) {
      out.push(withoutDirectives(e, type));
      continue;
    }
    if (done.has(key)) continue;
    done.add(key);
    const merged = mergeValue(fromDest.get(key), e, type);
    if (merged !== DELETED) out.push(merged);
  }
  for (const e of dest) {
    const key = keyOf(e);
    if (key === undefined || !done.has(key)) out.push(e);
  }
  return out;
}

/** A value the patch adds where nothing was: as written, less its `$` directives. */
function withoutDirectives(value: unknown, type: PatchType): unknown {
  if (Array.isArray(value)) return value.filter((e) => !(isRecord(e) && e[DIRECTIVE] !== undefined && Object.keys(e).length === 1)).map((e) => withoutDirectives(e, type));
  if (!isRecord(value)) return value;
  const merged = mergeMap(undefined, value, type);
  return merged === DELETED ? {} : merged;
}
