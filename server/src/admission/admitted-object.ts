// `object` as a ValidatingAdmissionPolicy sees it on CREATE, not the manifest as written: the API
// server decodes the manifest with the release's defaults (built-in kinds: defaults/; custom
// resources: the CRD's structural defaults, crd/defaults.ts), sets the request namespace on a
// namespaced object that names none (handlers/create.go, rest.EnsureObjectNamespaceMatchesRequestNamespace)
// and clears it on a cluster-scoped one, sets uid, creationTimestamp and a name from generateName,
// and runs the strategy's PrepareForCreate (a Pod's status, a Job's generated selector:
// prepare-for-create.ts) before validating admission (registry/generic/registry/store.go Create
// calls createValidation after rest.BeforeCreate). What the workspace cannot know reads as unknown.
import type { CelInput } from '@bufbuild/cel';
import { celLibrary } from '../cel/on-demand';
import { withDefaults } from '../crd/defaults';
import { resolveCustomResource } from '../crd/registry';
import { withApiServerDefaults } from '../defaults';
import { isRecord, type ManifestDocument } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import type { Unit } from '../scope/units';
import { labelsOf } from './params';
import { admitPersistentVolumeClaim, admitPod } from './admission-plugins';
import { pluginObjectsFor, samePluginObjects, type PluginObjects } from './plugin-objects';
import { clearsStatus, createdGeneration, prepareForCreate, type UnknownField } from './prepare-for-create';
import { allocateService } from './service-allocation';
import { withUnknownEntries } from './unknown-entries';

export interface AdmittedObject {
  object: CelInput;
  /** False when kdry does not model the kind's defaults: a missing field may be one the API server fills. */
  defaulted: boolean;
}

/** metadata the API server sets on create (rest.FillObjectMetaSystemFields). */
const CLUSTER_SET_METADATA = ['uid', 'creationTimestamp'];

interface Prepared {
  value: Record<string, unknown>;
  unknown: UnknownField[];
}

/**
 * Built-in admitted copies per document value and release, with the workspace objects the pod
 * admission plugins read for it: the same document is judged by every policy and on every check.
 */
const preparedBuiltins = new WeakMap<object, Map<string, { prepared: Prepared | null; objects?: PluginObjects }>>();

function builtinDefaults(value: Record<string, unknown>, apiVersion: string, kind: string, release: string, objects: PluginObjects | undefined): Prepared | undefined {
  let byRelease = preparedBuiltins.get(value);
  if (!byRelease) preparedBuiltins.set(value, (byRelease = new Map()));
  const hit = byRelease.get(release);
  if (hit && samePluginObjects(hit.objects, objects)) return hit.prepared ?? undefined;
  // A status PrepareForCreate clears is defaulted as if unwritten: the zero status, as kdry serialises it.
  const written = clearsStatus(kind) && 'status' in value ? withoutStatus(value) : value;
  const defaulted = withApiServerDefaults(written, apiVersion, kind, release);
  const prepared = defaulted ? { value: defaulted, unknown: admit(defaulted, apiVersion, kind, release, objects) } : null;
  byRelease.set(release, { prepared, objects });
  return prepared ?? undefined;
}

function withoutStatus(value: Record<string, unknown>): Record<string, unknown> {
  const { status: _cleared, ...rest } = value;
  return rest;
}

/**
 * What happens to a decoded built-in object before validating admission (handlers/create.go: the
 * mutating admission plugins, then store.go Create: BeginCreate, then BeforeCreate's PrepareForCreate),
 * and metadata.generation as the strategy leaves it.
 */
function admit(obj: Record<string, unknown>, apiVersion: string, kind: string, release: string, objects: PluginObjects | undefined): UnknownField[] {
  const key = `${apiVersion}/${kind}`;
  const unknown = key === 'v1/Pod' ? admitPod(obj, objects) : key === 'v1/PersistentVolumeClaim' ? admitPersistentVolumeClaim(obj) : [];
  if (key === 'v1/Service') unknown.push(...allocateService(obj));
  unknown.push(...prepareForCreate(obj, apiVersion, kind, release));
  const generation = createdGeneration(kind, release);
  const metadata = isRecord(obj.metadata) ? obj.metadata : {};
  if (generation === null) unknown.push({ path: ['metadata', 'generation'], reason: GENERATION_UNKNOWN });
  else {
    const { generation: _written, ...rest } = metadata;
    obj.metadata = generation === 1 ? { ...rest, generation } : rest;
  }
  return unknown;
}

const GENERATION_UNKNOWN = 'it reads object.metadata.generation, which the API server sets when it creates the object';

/** The document's value with the defaults the API server applies, and whether kdry knows them. */
function defaultedValue(doc: ManifestDocument, workspace: WorkspaceIndex, release: string, root: Unit | undefined): Prepared & { defaulted: boolean } {
  const value = doc.value as Record<string, unknown>;
  const objects = doc.apiVersion === 'v1' && doc.kind === 'Pod' ? pluginObjectsFor(workspace, value, doc.namespace, root) : undefined;
  const builtin = builtinDefaults(value, doc.apiVersion!, doc.kind!, release, objects);
  if (builtin) return { ...builtin, defaulted: true };
  const custom = resolveCustomResource(workspace, doc.apiVersion, doc.kind);
  if (custom?.kind === 'schema') {
    // customresource/strategy.go PrepareForCreate: a written status is dropped where the version has the
    // status subresource (the bundled schemas do not say, so there it reads as unknown), and generation is 1.
    const { status, ...rest } = value;
    const prepared = withDefaults(custom.version.statusSubresource ? rest : value, custom.schema) as Record<string, unknown>;
    const unknown: UnknownField[] = status !== undefined && custom.source.kind === 'bundled' ? [{ path: ['status'], reason: "it reads the status the manifest writes, which the API server drops on create when the CRD has the status subresource (kdry's bundled schema does not say)" }] : [];
    return { value: { ...prepared, metadata: { ...(isRecord(prepared.metadata) ? prepared.metadata : {}), generation: 1 } }, unknown, defaulted: true };
  }
  return { value, unknown: [{ path: ['metadata', 'generation'], reason: GENERATION_UNKNOWN }], defaulted: false };
}

/** `value` as CEL, each of `unknown`'s fields reading as unknown (the maps and lists on their paths are rebuilt, the rest converted as is). */
function celWithUnknowns(value: Record<string, unknown> | unknown[], unknown: UnknownField[]): CelInput {
  const { toCel } = celLibrary();
  const here = new Map<string, string>();
  const below = new Map<string, UnknownField[]>();
  for (const field of unknown) {
    const [step, ...rest] = field.path;
    const key = String(step);
    if (rest.length === 0) here.set(key, field.reason);
    else below.set(key, [...(below.get(key) ?? []), { path: rest, reason: field.reason }]);
  }
  const convert = (key: string, v: unknown): CelInput => {
    const nested = below.get(key);
    return nested && (isRecord(v) || Array.isArray(v)) ? celWithUnknowns(v, nested) : toCel(v);
  };
  // A list item's unknown fields sit in its own map; a list item is never unknown as a whole.
  if (Array.isArray(value)) return value.map((v, i) => convert(String(i), v)) as CelInput;
  const known = new Map<string, CelInput>();
  for (const [key, v] of Object.entries(value)) known.set(key, convert(key, v));
  return withUnknownEntries(known, here);
}

/**
 * The labels an objectSelector is matched against: the admitted object's (predicates/object/matcher.go
 * MatchObjectSelector reads attr.GetObject(), the decoded and defaulted object), so a Job's or a
 * ReplicationController's template labels count when its own are empty (SetDefaults_Job, SetDefaults_ReplicationController).
 */
export function admittedLabels(doc: ManifestDocument, workspace: WorkspaceIndex, release: string, root?: Unit): Record<string, string> {
  return labelsOf(defaultedValue(doc, workspace, release, root).value);
}

/**
 * `namespaced`: the kind's scope (undefined: kdry cannot tell). The request namespace of a
 * namespaced document without one is kubectl's context namespace, which the workspace does not know.
 * `apiVersion`: the version the policy sees the object in, when the API server converts it by
 * rewriting apiVersion alone (a CRD's conversion strategy None: conversion/converter.go nopConverter.Convert;
 * no defaults of that version are applied, admission.ConvertToGVK does not default).
 * `cluster`: more fields only the cluster knows (those a controller sets on the pods it creates: controller-pod.ts).
 * `root`: the kustomization whose build applies `doc` (plugin-objects.ts pluginObjectsFor).
 */
export function admittedObject(doc: ManifestDocument, workspace: WorkspaceIndex, release: string, namespaced: boolean | undefined, apiVersion = doc.apiVersion!, cluster: readonly UnknownField[] = [], root?: Unit): AdmittedObject {
  const { value, unknown, defaulted } = defaultedValue(doc, workspace, release, root);
  const metadata = { ...(isRecord(value.metadata) ? value.metadata : {}) };
  const fields: UnknownField[] = [...unknown, ...cluster, ...CLUSTER_SET_METADATA.map((field) => ({ path: ['metadata', field], reason: `it reads object.metadata.${field}, which the API server sets when it creates the object` }))];
  if (!metadata.name && metadata.generateName) fields.push({ path: ['metadata', 'name'], reason: 'it reads object.metadata.name, which the API server generates from generateName' });
  if (namespaced === false) delete metadata.namespace;
  else if (doc.namespace === undefined) fields.push({ path: ['metadata', 'namespace'], reason: namespaced ? 'it reads the namespace, and the document names none (kubectl applies it in the namespace of its context)' : 'it reads the namespace, and kdry cannot tell whether the kind is namespaced' });
  return { object: celWithUnknowns({ ...value, apiVersion, metadata }, fields), defaulted };
}
