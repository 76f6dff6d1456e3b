// What a generator with `behavior: merge` or `replace` does to the ConfigMap or Secret of its name
// already in the build (api/resmap/reswrangler.go appendReplaceOrMerge, api/resource/resource.go
// CopyMergeMetaDataFieldsFrom, MergeDataMapFrom, MergeBinaryDataMapFrom): the generated object
// takes the old one's name and namespace (so a base's prefix stays), its labels and annotations
// are the old ones overridden by its own, and with `merge` its `data` and `binaryData` are the
// old ones overridden by its own; `replace` keeps only its own data. Whether the name gets a hash
// is the old object's (mergeStringMapsWithBuildAnnotations keeps the old needsHashSuffix).
// Worked example (upstream examples/issue 1442): base `cm` {FOO: BAR} under `namePrefix:
// renamed-`, an overlay's `merge` {HELLO: WORLD}: `renamed-cm-<hash of both keys>` (the example's
// `renamed-cm-27kg5g5b5c` is kustomize 3's hash, which still covered the name: kustomize-hash.ts).
import { isRecord } from '../manifest';
import { stringsOf } from './kustomize-generators';

export function mergeGenerated(old: Record<string, unknown>, made: Record<string, unknown>, behavior: 'merge' | 'replace'): Record<string, unknown> {
  const value = structuredClone(made);
  const oldMeta = isRecord(old.metadata) ? old.metadata : {};
  const meta = (isRecord(value.metadata) ? value.metadata : (value.metadata = {})) as Record<string, unknown>;
  for (const field of ['labels', 'annotations']) setMap(meta, field, { ...stringsOf(oldMeta[field]), ...stringsOf(meta[field]) });
  meta.name = oldMeta.name;
  if (typeof oldMeta.namespace === 'string') meta.namespace = oldMeta.namespace;
  else delete meta.namespace;
  if (behavior === 'merge') for (const field of ['data', 'binaryData']) setMap(value, field, { ...stringsOf(old[field]), ...stringsOf(value[field]) });
  return value;
}

/** kyaml SetDataMap/SetLabels: an empty map leaves the field out. */
function setMap(holder: Record<string, unknown>, field: string, map: Record<string, string>): void {
  if (Object.keys(map).length > 0) holder[field] = map;
  else delete holder[field];
}
