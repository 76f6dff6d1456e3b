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
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { isRecord, parseManifest } from '../manifest';
import { parseSelectorString, requirementMatches } from '../k8s/labels';
import { patchTypeOf } from '../k8s/patch-merge-keys';
import type { WorkspaceIndex } from '../workspace';
import { goRegexp } from './go-regexp';
import { strategicMerge } from './kustomize-strategic-merge';
import type { UnreadSource } from './kustomize-generators';
import { isClusterScoped } from './scope';

/** An object during a build: its value now, and every name and namespace it had (as written first). */
export interface BuildingObject {
  value: Record<string, unknown>;
  ids: { name?: string; namespace?: string }[];
  /** A strategic merge patch `$patch: delete` removed it from the build. */
  deleted?: boolean;
  /** A generated ConfigMap or Secret: the files its generators read that kdry could not (its data lacks their pairs). */
  unread?: UnreadSource[];
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

/** Where a kustomization declares a patch: the entry `field[index]`, and the patch file it names, if any. */
export interface PatchSource {
  field: 'patches' | 'patchesStrategicMerge' | 'patchesJson6902';
  index: number;
  path?: string;
}

export type KustomizePatch = ({ strategicMerge: Record<string, unknown>; target?: Selector } | { operations: Operation[]; target: Selector }) & { source: PatchSource };

/** A patch entry kustomize refuses before applying anything (PatchTransformer.go), in its words. */
export interface PatchEntryProblem {
  source: PatchSource;
  message: string;
}

/** A kustomization's patches by the step of the build that applies them (kusttarget_configplugin.go order). */
export interface PatchSteps {
  patchesStrategicMerge: KustomizePatch[];
  patches: KustomizePatch[];
  patchesJson6902: KustomizePatch[];
  problems: PatchEntryProblem[];
}

/** What one patch did to one object: whether it selects it, and why it could not apply (kustomize then fails the build). */
export interface PatchOutcome {
  object: BuildingObject;
  selected: boolean;
  error?: string;
}

/** The patches of the kustomization at `dir` (its parsed `config`), patch files read from the workspace. */
export function patchStepsOf(workspace: WorkspaceIndex, dir: string, config: Record<string, unknown>): PatchSteps {
  const steps: PatchSteps = { patchesStrategicMerge: [], patches: [], patchesJson6902: [], problems: [] };
  const textOf = (source: PatchSource, path: unknown, inline: unknown): unknown[] | undefined => {
    if (typeof inline === 'string' && inline.trim() !== '') return parseManifest(inline, `${pathToFileURL(dir).href}/#inline-patch`).documents.map((d) => d.value);
    if (typeof path !== 'string' || path.trim() === '') return undefined;
    const file = resolve(dir, path.trim());
    source.path = file;
    const read = workspace.get(pathToFileURL(file).href);
    // A file the workspace does not hold may still exist (kdry reads YAML only where it looks): only a missing one is certain.
    if (!read && !existsSync(file)) steps.problems.push({ source, message: `the patch file "${path.trim()}" does not exist` });
    return read?.documents.map((d) => d.value);
  };
  list(config.patchesStrategicMerge).forEach((entry, index) => {
    const source: PatchSource = { field: 'patchesStrategicMerge', index };
    // A single line is a path; YAML text is an inline patch.
    const docs = typeof entry === 'string' ? (entry.includes('\n') ? textOf(source, undefined, entry) : textOf(source, entry, undefined)) : undefined;
    for (const doc of docs ?? []) if (isRecord(doc)) steps.patchesStrategicMerge.push({ strategicMerge: doc, source });
  });
  list(config.patches).forEach((entry, index) => {
    // kustomize 5 refuses the kustomization: `patches` holds types.Patch objects, not paths.
    if (typeof entry === 'string') steps.problems.push({ source: { field: 'patches', index }, message: `invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.patches of type types.Patch; write \`- path: ${entry.trim()}\`` });
    if (!isRecord(entry)) return;
    const source: PatchSource = { field: 'patches', index };
    const docs = textOf(source, entry.path, entry.patch);
    const target = selectorOf(entry.target);
    if (!docs || docs.length === 0) return;
    if (Array.isArray(docs[0])) {
      if (target) steps.patches.push({ operations: docs[0] as Operation[], target, source });
      else steps.problems.push({ source, message: 'a JSON patch needs a `target` (PatchTransformer: "must specify a target for JSON patch")' });
      return;
    }
    // With a target, one strategic merge patch per entry (PatchTransformer.transformStrategicMerge).
    if (target && docs.length > 1) {
      steps.problems.push({ source, message: 'several strategic merge patches in one `patches` entry cannot have a `target` (PatchTransformer: "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field")' });
      return;
    }
    for (const doc of docs) if (isRecord(doc)) steps.patches.push({ strategicMerge: doc, target, source });
  });
  list(config.patchesJson6902).forEach((entry, index) => {
    if (!isRecord(entry)) return;
    const source: PatchSource = { field: 'patchesJson6902', index };
    const target = selectorOf(entry.target);
    const docs = textOf(source, entry.path, entry.patch);
    if (target && docs && Array.isArray(docs[0])) steps.patchesJson6902.push({ operations: docs[0] as Operation[], target, source });
  });
  return steps;
}

/** One patch on one object, and whether it selected it or failed (kustomize fails the build where this has an error). */
export function tryPatch(object: BuildingObject, patch: KustomizePatch): PatchOutcome {
  if (!selects(object, patch)) return { object, selected: false };
  if ('operations' in patch) {
    try {
      const value = jsonPatch.applyPatch(structuredClone(object.value), patch.operations, true, true).newDocument;
      return isRecord(value) ? { object: { ...object, value }, selected: true } : { object, selected: true, error: 'the JSON patch replaces the whole object with something that is not an object' };
    } catch (e) {
      return { object, selected: true, error: jsonPatchError(e, patch.operations) };
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
  return merged ? { object: { ...object, value: merged }, selected: true } : { object: { ...object, deleted: true }, selected: true };
}

/**
 * Why a JSON 6902 operation could not apply, as evanphx/json-patch (kustomize's library) would
 * refuse it: a `test` that does not hold, a path that does not exist for remove, replace, move,
 * copy or test, an index out of range.
 */
function jsonPatchError(e: unknown, operations: Operation[]): string {
  const error = e as { name?: string; index?: number; operation?: Operation; message?: string };
  const op = error.operation ?? (typeof error.index === 'number' ? operations[error.index] : undefined);
  const at = op ? `"${op.op}" at ${op.path}` : 'an operation';
  if (error.name === 'TEST_OPERATION_FAILED') return `the JSON patch's ${at} does not hold (evanphx/json-patch: "testing value ${op?.path} failed")`;
  if (error.name === 'OPERATION_PATH_UNRESOLVABLE' || error.name === 'OPERATION_FROM_UNRESOLVABLE') return `the JSON patch's ${at} names a path the object does not have (evanphx/json-patch: "${op?.op} operation does not apply: doc is missing path")`;
  if (error.name === 'OPERATION_VALUE_OUT_OF_BOUNDS') return `the JSON patch's ${at} is past the end of the list`;
  return `the JSON patch's ${at} cannot apply (${(error.message ?? String(e)).split('\n')[0]})`;
}

function selects(object: BuildingObject, patch: KustomizePatch): boolean {
  if (patch.target) return selectedBy(object, patch.target);
  if ('operations' in patch) return false;
  const { value } = object;
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const ids = [...object.ids, currentId(value)];
  // Without a target: the patch's own id equals one the object has had (resid.ResId Equals).
  const p = patch.strategicMerge;
  const meta = isRecord(p.metadata) ? p.metadata : {};
  if (p.kind !== kind || p.apiVersion !== value.apiVersion || typeof meta.name !== 'string') return false;
  const namespace = effectiveNamespace(kind, typeof meta.namespace === 'string' ? meta.namespace : undefined);
  return ids.some((id) => id.name === meta.name && effectiveNamespace(kind, id.namespace) === namespace);
}

/** A target selector (a patch's, a replacement's `select` and `reject`) selects the object by any id it has had. */
export function selectedBy(object: BuildingObject, t: Selector): boolean {
  const { value } = object;
  const kind = typeof value.kind === 'string' ? value.kind : '';
  const [group, version] = groupVersion(value.apiVersion);
  const ids = [...object.ids, currentId(value)];
  if (!anchored(t.group, group) || !anchored(t.version, version) || !anchored(t.kind, kind)) return false;
  if (t.name && !ids.some((id) => anchored(t.name, id.name ?? ''))) return false;
  if (t.namespace && !ids.some((id) => anchored(t.namespace, effectiveNamespace(kind, id.namespace)))) return false;
  const meta = isRecord(value.metadata) ? value.metadata : {};
  return matchesSelectorString(t.labelSelector, meta.labels) && matchesSelectorString(t.annotationSelector, meta.annotations);
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
  return goRegexp(`^(?:${pattern})$`)?.matches(value) ?? false;
}

function matchesSelectorString(selector: string | undefined, labels: unknown): boolean {
  if (!selector) return true;
  const requirements = parseSelectorString(selector);
  const have = isRecord(labels) ? Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)])) : {};
  return requirements !== undefined && requirements.every((r) => requirementMatches(r, have));
}

export function selectorOf(v: unknown): Selector | undefined {
  if (!isRecord(v)) return undefined;
  const s: Selector = {};
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) if (typeof v[key] === 'string') s[key] = v[key] as string;
  return s;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
