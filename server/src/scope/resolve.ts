// Resolves a reference (references.ts) to the objects it names, in the nearest ring of the scope
// model (scope.ts), and says what kdry knows about the target: its keys, where it was found.
import { isRecord, type ManifestDocument } from '../manifest';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import type { ObjectReference } from './references';
import { nearest, placementOf, Ring } from './scope';
import { nameForms, renamingsOf, unrenamedNames } from './built-names';
import { buildChain, builtObject, generatedIn, renaming, rewritesReferencesOf, type GeneratedBuild } from './kustomize-build';
import type { GeneratedObject, Unit } from './units';

/** Objects every cluster has, so a reference to them never dangles. */
const BUILT_IN: Record<string, string[]> = {
  // The service account controller creates `default` in every namespace (serviceaccounts_controller.go).
  ServiceAccount: ['default'],
  // Created by the API server at start (pkg/apis/scheduling: SystemPriorityClasses).
  PriorityClass: ['system-cluster-critical', 'system-node-critical'],
};

export interface Resolution {
  /** The objects found in the nearest ring that has any. */
  matches: IndexedDocument[];
  ring: Ring;
  /** A ConfigMap or Secret a kustomize generator of the same unit creates. */
  generated?: GeneratedObject;
  /** The name is an object every cluster has (ServiceAccount `default`). */
  builtIn?: boolean;
  /** The keys of the match as its kustomization builds it, where they differ from those written (a generator's `merge`). */
  keys?: Set<string>;
  /** Of those, the ones under `binaryData` as built. */
  binaryKeys?: Set<string>;
  /**
   * A generator of the unit makes the object under another name (its content hash) and kustomize
   * does not rewrite this reference (an Argo Rollout's, without `configurations:`): it names nothing.
   */
  notRewritten?: { generatedAs: string; unit: Unit };
}

export function resolveReference(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, ref: ObjectReference): Resolution {
  if (BUILT_IN[ref.kind]?.includes(ref.name)) return { matches: [], ring: Ring.File, builtIn: true };
  let notRewritten: Resolution['notRewritten'];
  if (ref.kind === 'ConfigMap' || ref.kind === 'Secret') {
    for (const unit of placementOf(workspace, from.uri, from.doc).units) {
      const generated = unit.generated.find((g) => g.kind === ref.kind && g.name === ref.name);
      // A `merge` or `replace` of a ConfigMap a resource file holds leaves that file's object the one resolved.
      const built = generated && generatedIn(workspace, unit, generated.kind, generated.name);
      // kustomize leaves this reference as written: it names the generated object only where the build keeps the name.
      if (generated && built && built.name !== ref.name && !rewritesReferencesOf(workspace, buildChain(workspace, from.uri, unit), from.doc)) {
        notRewritten = { generatedAs: built.name, unit };
        continue;
      }
      if (generated && (built || generated.behavior === 'create'))
        return { matches: [], ring: Ring.Unit, generated: { ...generated, keys: built ? keysOfBuilt(built) : generated.keys }, binaryKeys: built ? dataKeys(built.object.value, ['binaryData']) : undefined };
      // A `merge` or `replace` of a resource file's ConfigMap: that object, with the keys the build gives it.
      const merged = generated && mergedFile(workspace, from, ref, unit);
      if (merged) return merged;
    }
  }
  const candidates = namedAsBuilt(workspace, from, ref.kind, ref.name).filter((c) => (ref.apiVersion === undefined || c.doc.apiVersion === ref.apiVersion) && (ref.group === undefined || groupOf(c.doc.apiVersion) === ref.group));
  const found = nearest(workspace, from, candidates, ref.namespace?.name);
  return notRewritten && found.matches.length === 0 ? { ...found, notRewritten } : found;
}

/** The resource file's object a kustomization's `merge` or `replace` generator changes, its keys as built there. */
function mergedFile(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, ref: ObjectReference, unit: Unit): Resolution | undefined {
  const candidates = workspace.named(ref.kind, ref.name).filter((c) => placementOf(workspace, c.uri, c.doc).units.includes(unit));
  if (candidates.length === 0) return undefined;
  const found = nearest(workspace, from, candidates, ref.namespace?.name);
  if (found.matches.length !== 1) return found;
  const built = builtObject(workspace, found.matches[0].uri, found.matches[0].doc.value, unit);
  return { ...found, keys: isRecord(built) ? dataKeys(built, ['data', 'binaryData', 'stringData']) : undefined, binaryKeys: isRecord(built) ? dataKeys(built, ['binaryData']) : undefined };
}

/**
 * The objects a name given in `from` names once kustomize has built them: an object of a unit with
 * namePrefix/nameSuffix is named as written inside its unit (kustomize rewrites the references of
 * the same build), and by its prefixed name from anywhere else (`prod-web` names `web` of a
 * kustomization with `namePrefix: prod-`). Stacked prefixes compose (built-names.ts: base `a-` under
 * overlay `b-` is `b-a-web`); a build `from` is part of renames both, so there the names before it count.
 */
function namedAsBuilt(workspace: WorkspaceIndex, from: { uri: string; doc: ManifestDocument }, kind: string, name: string): readonly IndexedDocument[] {
  // No kustomization renames this kind: every object is named as written.
  if (renamingsOf(workspace, kind).length === 0) return workspace.named(kind, name);
  const origin = placementOf(workspace, from.uri, from.doc).units;
  const out: IndexedDocument[] = [];
  for (const written of unrenamedNames(workspace, kind, name)) {
    for (const c of workspace.named(kind, written)) {
      const units = placementOf(workspace, c.uri, c.doc).units;
      const outside = !units.some((u) => origin.includes(u));
      const named = nameForms(workspace, c.uri, kind).some((f) =>
        f.through.length === 0 ? written === name && !(renaming(units[0], kind) && outside) : f.rename(written) === name && !f.through.some((u) => origin.includes(u)),
      );
      if (named && !out.includes(c)) out.push(c);
    }
  }
  return out;
}

/**
 * The keys of a generated object as its build makes it (every `envs` file read as kustomize reads
 * it; a base's keys with an overlay's `merge`); undefined when an `envs` file cannot be read.
 */
function keysOfBuilt(built: GeneratedBuild): Set<string> | undefined {
  const unread = built.object.unread ?? [];
  // An `envs` file's keys are in its text; a `files` entry names its key.
  if (unread.some((u) => u.key === undefined)) return undefined;
  const keys = dataKeys(built.object.value, ['data', 'binaryData']);
  for (const u of unread) keys.add(u.key!);
  return keys;
}

function dataKeys(value: Record<string, unknown>, fields: string[]): Set<string> {
  const keys = new Set<string>();
  for (const field of fields) if (isRecord(value[field])) for (const k of Object.keys(value[field] as object)) keys.add(k);
  return keys;
}

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> the core group ''). */
function groupOf(apiVersion: string | undefined): string | undefined {
  if (apiVersion === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The found object or generator exists. */
export function isResolved(r: Resolution): boolean {
  return r.builtIn === true || r.generated !== undefined || r.matches.length > 0;
}

/** Keys of a ConfigMap (`data`, `binaryData`) or Secret (`data`, `stringData`); undefined when they cannot be known. */
export function keysOf(r: Resolution): Set<string> | undefined {
  if (r.generated) return r.generated.keys;
  if (r.keys) return r.keys;
  if (r.matches.length !== 1) return undefined;
  const value = r.matches[0].doc.value;
  return isRecord(value) ? dataKeys(value, ['data', 'binaryData', 'stringData']) : undefined;
}

/**
 * The keys of a ConfigMap under `binaryData`. A volume reads them; an environment variable does
 * not: the kubelet looks an env key up in `Data` only (pkg/kubelet/kubelet_pods.go,
 * makeEnvironmentVariables), while a volume takes `Data`, then `BinaryData`
 * (pkg/volume/configmap/configmap.go, MakePayload).
 */
export function binaryKeysOf(r: Resolution): Set<string> {
  if (r.binaryKeys) return r.binaryKeys;
  if (r.generated || r.keys || r.matches.length !== 1) return new Set();
  const value = r.matches[0].doc.value;
  return isRecord(value) ? dataKeys(value, ['binaryData']) : new Set();
}
