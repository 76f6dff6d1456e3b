// `object` as a ValidatingAdmissionPolicy sees it on CREATE, not the manifest as written: the API
// server decodes the manifest with the release's defaults (built-in kinds: defaults/; custom
// resources: the CRD's structural defaults, crd/defaults.ts), sets the request namespace on a
// namespaced object that names none (handlers/create.go, rest.EnsureObjectNamespaceMatchesRequestNamespace)
// and clears it on a cluster-scoped one, and runs the strategy's BeforeCreate (uid, creationTimestamp,
// generation, a name from generateName) before validating admission (registry/generic/registry/store.go
// Create calls createValidation after rest.BeforeCreate). What the workspace cannot know reads as unknown.
import type { CelInput } from '@bufbuild/cel';
import { celLibrary } from '../cel/on-demand';
import { withDefaults } from '../crd/defaults';
import { resolveCustomResource } from '../crd/registry';
import { withApiServerDefaults } from '../defaults';
import { isRecord, type ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { labelsOf } from './params';
import { withUnknownEntries } from './unknown-entries';

export interface AdmittedObject {
  object: CelInput;
  /** False when kdry does not model the kind's defaults: a missing field may be one the API server fills. */
  defaulted: boolean;
}

/** metadata the API server sets on create (rest.FillObjectMetaSystemFields, the strategies' PrepareForCreate). */
const CLUSTER_SET_METADATA = ['uid', 'creationTimestamp', 'generation'];

/** Built-in defaulted copies per document value and release: the same document is judged by every policy and on every check. */
const defaultedBuiltins = new WeakMap<object, Map<string, Record<string, unknown> | null>>();

function builtinDefaults(value: Record<string, unknown>, apiVersion: string, kind: string, release: string): Record<string, unknown> | undefined {
  let byRelease = defaultedBuiltins.get(value);
  if (!byRelease) defaultedBuiltins.set(value, (byRelease = new Map()));
  let hit = byRelease.get(release);
  if (hit === undefined) {
    hit = withApiServerDefaults(value, apiVersion, kind, release) ?? null;
    byRelease.set(release, hit);
  }
  return hit ?? undefined;
}

/** The document's value with the defaults the API server applies, and whether kdry knows them. */
function defaultedValue(doc: ManifestDocument, workspace: WorkspaceIndex, release: string): { value: Record<string, unknown>; defaulted: boolean } {
  const value = doc.value as Record<string, unknown>;
  const builtin = builtinDefaults(value, doc.apiVersion!, doc.kind!, release);
  if (builtin) return { value: builtin, defaulted: true };
  const custom = resolveCustomResource(workspace, doc.apiVersion, doc.kind);
  if (custom?.kind === 'schema') return { value: withDefaults(value, custom.schema) as Record<string, unknown>, defaulted: true };
  return { value, defaulted: false };
}

/**
 * The labels an objectSelector is matched against: the admitted object's (predicates/object/matcher.go
 * MatchObjectSelector reads attr.GetObject(), the decoded and defaulted object), so a Job's or a
 * ReplicationController's template labels count when its own are empty (SetDefaults_Job, SetDefaults_ReplicationController).
 */
export function admittedLabels(doc: ManifestDocument, workspace: WorkspaceIndex, release: string): Record<string, string> {
  return labelsOf(defaultedValue(doc, workspace, release).value);
}

/**
 * `namespaced`: the kind's scope (undefined: kdry cannot tell). The request namespace of a
 * namespaced document without one is kubectl's context namespace, which the workspace does not know.
 */
export function admittedObject(doc: ManifestDocument, workspace: WorkspaceIndex, release: string, namespaced: boolean | undefined): AdmittedObject {
  const { value, defaulted } = defaultedValue(doc, workspace, release);
  const { toCel } = celLibrary();
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const unknown = new Map<string, string>(CLUSTER_SET_METADATA.map((field) => [field, `it reads object.metadata.${field}, which the API server sets when it creates the object`]));
  if (!metadata.name && metadata.generateName) unknown.set('name', 'it reads object.metadata.name, which the API server generates from generateName');
  const known = new Map(Object.entries(metadata).map(([key, v]) => [key, toCel(v)]));
  if (namespaced === false) known.delete('namespace');
  else if (doc.namespace === undefined) unknown.set('namespace', namespaced ? 'it reads the namespace, and the document names none (kubectl applies it in the namespace of its context)' : 'it reads the namespace, and kdry cannot tell whether the kind is namespaced');
  const object = new Map<string, CelInput>();
  for (const [key, v] of Object.entries(value)) if (key !== 'metadata') object.set(key, toCel(v));
  object.set('metadata', withUnknownEntries(known, unknown));
  return { object, defaulted };
}
