// The patches a kustomization applies, read as kustomize reads them, and applied to one object:
// - `patches:` (plugin/builtin/patchtransformer PatchTransformer.go): `patch:` inline or `path:`
//   a file; a text that is a list of operations is a JSON 6902 patch (it needs a `target`), any
//   other a strategic merge patch (with a `target`, applied to every object it selects; without,
//   to the object its own apiVersion, kind, name and namespace name);
// - `patchesStrategicMerge:` (legacy): files or inline YAML, each document a strategic merge
//   patch of the object it names;
// - `patchesJson6902:` (legacy): `target` and `path` or `patch`.
// A target selects by group, version, kind, name and namespace as anchored regular expressions
// (api/types/selector.go SelectorRegex) and by `labelSelector`/`annotationSelector`; a name or
// namespace matches the object's current one or any it had before in the build
// (resmap/reswrangler.go Select, GetMatchingResourcesByAnyId). A patch file is read from the
// workspace; one kdry does not have, or that cannot apply, leaves the object as it was.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RE2JS } from '@bufbuild/re2';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { isRecord, parseManifest } from '../manifest';
import { parseSelectorString, requirementMatches } from '../k8s/labels';
import { patchTypeOf } from '../k8s/patch-merge-keys';
import type { WorkspaceIndex } from '../workspace';
import { strategicMerge } from './kustomize-strategic-merge';
import { isClusterScoped } from './scope';

/** An object during a build: its value now, and every name and namespace it had (as written first). */
export interface BuildingObject {
  value: Record<string, unknown>;
  ids: { name?: string; namespace?: string }[];
}

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export type KustomizePatch = { strategicMerge: Record<string, unknown>; target?: Selector } | { operations: Operation[]; target: Selector };

/** A kustomization's patches by the step of the build that applies them (kusttarget_configplugin.go order). */
export interface PatchSteps {
  patchesStrategicMerge: KustomizePatch[];
  patches: KustomizePatch[];
  patchesJson6902: KustomizePatch[];
}

/** The patches of the kustomization at `dir` (its parsed `config`), patch files read from the workspace. */
export function patchStepsOf(workspace: WorkspaceIndex, dir: string, config: Record<string, unknown>): PatchSteps {
  const textOf = (path: unknown, inline: unknown): unknown[] | undefined => {
    if (typeof inline === 'string' && inline.trim() !== '') return parseManifest(inline, `${pathToFileURL(dir).href}/#inline-patch`).documents.map((d) => d.value);
    if (typeof path !== 'string' || path.trim() === '') return undefined;
    return workspace.get(pathToFileURL(resolve(dir, path.trim())).href)?.documents.map((d) => d.value);
  };
  const steps: PatchSteps = { patchesStrategicMerge: [], patches: [], patchesJson6902: [] };
  for (const entry of list(config.patchesStrategicMerge)) {
    // A single line is a path; YAML text is an inline patch.
    const docs = typeof entry === 'string' ? (entry.includes('\n') ? textOf(undefined, entry) : textOf(entry, undefined)) : undefined;
    for (const doc of docs ?? []) if (isRecord(doc)) steps.patchesStrategicMerge.push({ strategicMerge: doc });
  }
  for (const entry of list(config.patches)) {
    if (!isRecord(entry)) continue;
    const docs = textOf(entry.path, entry.patch);
    const target = selectorOf(entry.target);
    if (!docs || docs.length === 0) continue;
    if (Array.isArray(docs[0])) {
      if (target) steps.patches.push({ operations: docs[0] as Operation[], target });
      continue;
    }
    // With a target, one strategic merge patch per entry (PatchTransformer.transformStrategicMerge).
    if (target && docs.length > 1) continue;
    for (const doc of docs) if (isRecord(doc)) steps.patches.push({ strategicMerge: doc, target });
  }
  for (const entry of list(config.patchesJson6902)) {
    if (!isRecord(entry)) continue;
    const target = selectorOf(entry.target);
    const docs = textOf(entry.path, entry.patch);
    if (target && docs && Array.isArray(docs[0])) steps.patchesJson6902.push({ operations: docs[0] as Operation[], target });
  }
  return steps;
}

/** The object patched by one patch, or as it was when the patch does not select it or cannot apply. */
export function applyPatch(object: BuildingObject, patch: KustomizePatch): BuildingObject {
  if (!selects(object, patch)) return object;
  if ('operations' in patch) {
    try {
      const value = jsonPatch.applyPatch(structuredClone(object.value), patch.operations, true, true).newDocument;
      return isRecord(value) ? { value, ids: object.ids } : object;
    } catch {
      return object;
    }
  }
  const { value } = object;
  // A patch names its object; it does not rename it (without options.allowNameChange).
  const metadata: Record<string, unknown> = { ...(isRecord(patch.strategicMerge.metadata) ? patch.strategicMerge.metadata : {}) };
  delete metadata.name;
  delete metadata.namespace;
  const body: Record<string, unknown> = { ...patch.strategicMerge, metadata };
  delete body.apiVersion;
  delete body.kind;
  const merged = strategicMerge(value, body, patchTypeOf(value.apiVersion, value.kind));
  return merged ? { value: merged, ids: object.ids } : object;
}

function selects(object: BuildingObject, patch: KustomizePatch): boolean {
  const { value } = object;
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const [group, version] = groupVersion(value.apiVersion);
  const ids = [...object.ids, currentId(value)];
  if (patch.target) {
    const t = patch.target;
    if (!anchored(t.group, group) || !anchored(t.version, version) || !anchored(t.kind, kind)) return false;
    if (t.name && !ids.some((id) => anchored(t.name, id.name ?? ''))) return false;
    if (t.namespace && !ids.some((id) => anchored(t.namespace, effectiveNamespace(kind, id.namespace)))) return false;
    const meta = isRecord(value.metadata) ? value.metadata : {};
    return matchesSelectorString(t.labelSelector, meta.labels) && matchesSelectorString(t.annotationSelector, meta.annotations);
  }
  if ('operations' in patch) return false;
  // Without a target: the patch's own id equals one the object has had (resid.ResId Equals).
  const p = patch.strategicMerge;
  const meta = isRecord(p.metadata) ? p.metadata : {};
  if (p.kind !== kind || p.apiVersion !== value.apiVersion || typeof meta.name !== 'string') return false;
  const namespace = effectiveNamespace(kind, typeof meta.namespace === 'string' ? meta.namespace : undefined);
  return ids.some((id) => id.name === meta.name && effectiveNamespace(kind, id.namespace) === namespace);
}

export function currentId(value: Record<string, unknown>): { name?: string; namespace?: string } {
  const meta = isRecord(value.metadata) ? value.metadata : {};
  return { name: typeof meta.name === 'string' ? meta.name : undefined, namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined };
}

/** resid.ResId EffectiveNamespace: none or `default` is `default`; a cluster-scoped kind has none. */
function effectiveNamespace(kind: string, namespace: string | undefined): string {
  if (isClusterScoped(kind)) return '';
  return namespace === undefined || namespace === '' ? 'default' : namespace;
}

function groupVersion(apiVersion: unknown): [string, string] {
  if (typeof apiVersion !== 'string') return ['', ''];
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

/**
 * An empty pattern matches anything; else `^(?:pattern)$` (anchorRegex), in Go's RE2 syntax and in
 * linear time (a pattern from the repository cannot stall the server). One that does not compile
 * matches nothing.
 */
function anchored(pattern: string | undefined, value: string): boolean {
  if (!pattern) return true;
  try {
    return RE2JS.compile(`^(?:${pattern})$`).matches(value);
  } catch {
    return false;
  }
}

function matchesSelectorString(selector: string | undefined, labels: unknown): boolean {
  if (!selector) return true;
  const requirements = parseSelectorString(selector);
  const have = isRecord(labels) ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) : {};
  return requirements !== undefined && requirements.every((r) => requirementMatches(r, have));
}

function selectorOf(v: unknown): Selector | undefined {
  if (!isRecord(v)) return undefined;
  const s: Selector = {};
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) if (typeof v[key] === 'string') s[key] = v[key] as string;
  return s;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
