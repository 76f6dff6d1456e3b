// Which lists a strategic merge patch merges by key, per type of the built-in kinds (from the
// OpenAPI `x-kubernetes-patch-strategy`/`x-kubernetes-patch-merge-key`, generated into
// patch-merge-keys-data.ts by scripts/schema-data/patch-merge-keys.ts): `containers` by `name`,
// `ports` by `containerPort`, `volumeMounts` by `mountPath`, `finalizers` as a set, ...
import { PATCH_MERGE_KINDS, PATCH_MERGE_TYPES } from './patch-merge-keys-data';

/** A type of the schema, or undefined where nothing below is merged by key (a custom resource, a plain map). */
export type PatchType = string | undefined;

/** The type of an object of that apiVersion and kind. */
export function patchTypeOf(apiVersion: unknown, kind: unknown): PatchType {
  const key = `${String(apiVersion)}/${String(kind)}`;
  return typeof apiVersion === 'string' && typeof kind === 'string' && Object.hasOwn(PATCH_MERGE_KINDS, key) ? PATCH_MERGE_KINDS[key] : undefined;
}

/**
 * A field of a type: its own type (the element type for a list), and for a list merged by key the
 * key (`''` for a list of scalars merged as a set); `mergeKey` undefined: the patch replaces it.
 */
export function patchField(type: PatchType, field: string): { type: PatchType; mergeKey?: string } {
  const fields = type !== undefined && Object.hasOwn(PATCH_MERGE_TYPES, type) ? PATCH_MERGE_TYPES[type] : undefined;
  const entry = fields && Object.hasOwn(fields, field) ? fields[field] : undefined;
  if (!entry) return { type: undefined };
  return { type: entry[0] || undefined, mergeKey: entry[1] ?? undefined };
}
