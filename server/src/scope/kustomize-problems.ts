// Where `kustomize build` of a kustomization fails, or a patch of it does nothing, found by
// building every object of it (its resources, bases, components and generated objects) the way
// kustomize-build.ts does and watching its patches (api/internal/builtins/PatchTransformer.go,
// PatchStrategicMergeTransformer.go, PatchJson6902Transformer.go):
// - a strategic merge patch without a `target` that names no object of the build fails the build
//   ("no resource matches strategic merge patch");
// - a JSON 6902 operation that cannot apply (a `test` that does not hold, a path the object does
//   not have) fails it; so do a JSON patch without a target, several strategic merge patches in
//   one entry with a target, and a patch file that does not exist;
// - a `target` that selects nothing is not an error upstream (Select returns no resources and the
//   patch applies to none): a warning, since the patch then changes nothing.
// A patch's "selects nothing" is said only when kdry holds the whole build (no remote base, every
// resource in the workspace): otherwise the object may be in what kdry has not read.
import type { ObjectPath } from '../manifest';
import type { IndexedDocument, WorkspaceIndex } from '../workspace';
import { unitIndex } from './scope';
import type { Unit } from './units';
import { buildGenerated, buildObject, objectsOfBuild, patchesOf, replacementValuesOf, SCALED_KINDS, varsOfBuild, type PatchRecorder } from './kustomize-build';
import { currentId } from './kustomize-patches';
import { configurationProblems, configuredFieldSpecs } from './kustomize-configurations';
import { isRecord } from '../manifest';
import type { KustomizePatch } from './kustomize-patches';
import { generatorProblems } from './kustomize-generator-problems';
import { SourceMemo } from './kustomize-sources';
import type { KustomizationProblem } from './kustomize-problem';


/** Per kustomization and workspace revision, while its generators' files are unchanged: the kustomization and each of its patch files ask alike. */
const problemsMemo = new SourceMemo<Unit, KustomizationProblem[]>();

/** The problems of the kustomization at `uri` (its file's uri); [] for a file that is none. */
export function kustomizationProblems(workspace: WorkspaceIndex, uri: string): KustomizationProblem[] {
  const unit = unitIndex(workspace).kustomization(uri);
  if (!unit) return [];
  return problemsMemo.get(workspace, unit, '', () => problemsOf(workspace, unit));
}

/** Builds the whole kustomization once, recording what each patch selected and where it failed. */
function problemsOf(workspace: WorkspaceIndex, unit: Unit): KustomizationProblem[] {
  const steps = patchesOf(workspace, unit);
  const patches = [...steps.patchesStrategicMerge, ...steps.patches, ...steps.patchesJson6902];
  const out: KustomizationProblem[] = [
    ...steps.problems.map((p): KustomizationProblem => ({ source: p.source, severity: 'error', message: `kustomize build fails: ${p.message}.` })),
    ...generatorProblems(workspace, unit),
    ...configurationProblems(workspace, unit),
    ...transformProblems(workspace, unit),
    ...(unit.cycles ?? []).map((c): KustomizationProblem => ({ source: { field: c.field, index: c.index }, severity: 'error', message: `kustomize build fails: ${c.message}.` })),
  ];
  if (patches.length === 0) return out;
  const selected = new Map<KustomizePatch, number>();
  const failures = new Map<KustomizePatch, string[]>();
  const record: PatchRecorder = (by, patch, outcome) => {
    if (by !== unit || !outcome.selected) return;
    selected.set(patch, (selected.get(patch) ?? 0) + 1);
    if (outcome.error) failures.set(patch, [...(failures.get(patch) ?? []), `${outcome.error} on ${describe(outcome.object.value)}`]);
  };
  buildEverything(workspace, unit, () => record);
  // A component is never built alone: its patches act on the build of each kustomization that
  // names it under `components:` (kusttarget.go accumulateComponents); one that none names is not judged.
  const component = unit.config?.kind === 'Component';
  const includers = component ? [...unitIndex(workspace).units()].filter((u) => u.components?.includes(unit.uri)) : [];
  for (const includer of includers) buildEverything(workspace, includer, () => record);
  const judged = !unit.incomplete && (!component || (includers.length > 0 && !includers.some((u) => u.incomplete)));
  const said = new Set<string>();
  const say = (p: KustomizationProblem) => {
    const key = `${p.source.field}/${p.source.index}/${p.message}`;
    if (!said.has(key)) (said.add(key), out.push(p));
  };
  for (const patch of patches) {
    for (const failure of failures.get(patch) ?? []) say({ source: patch.source, severity: 'error', message: `kustomize build fails: ${failure}.` });
    if (selected.has(patch) || !judged) continue;
    if (patch.target) say({ source: patch.source, severity: 'warning', selectsNothing: true, message: `The patch's target selects no object of this kustomization's build: kustomize applies it to nothing, so it changes nothing.` });
    else if ('strategicMerge' in patch) say({ source: patch.source, severity: 'error', message: `kustomize build fails: no object of the build is ${describe(patch.strategicMerge)} ("no resource matches strategic merge patch"); a patch without a target names its object by apiVersion, kind, name and namespace.` });
  }
  return out;
}

/**
 * `replacements:` and `vars:` of the kustomization that cannot resolve (replacement.go Filter,
 * accumulator.go findVarValueFromResources): kustomize build fails, on the entry. A replacement's
 * source that selects nothing, and a var's object that is not in the build, are said only when
 * kdry holds the whole build.
 */
function transformProblems(workspace: WorkspaceIndex, unit: Unit): KustomizationProblem[] {
  const out: KustomizationProblem[] = [];
  const said = new Set<string>();
  for (const p of replacementValuesOf(workspace, unit).problems) {
    if ((unit.incomplete && p.message.startsWith('nothing selected')) || said.has(`${p.entry}/${p.message}`)) continue;
    said.add(`${p.entry}/${p.message}`);
    out.push({ source: { field: 'replacements', index: p.entry }, severity: 'error', message: `kustomize build fails: ${p.message}.` });
  }
  for (const p of varsOfBuild(workspace, unit).problems) if (p.unit === unit) out.push({ source: { field: 'vars', index: p.index }, severity: 'error', message: `${p.message}.` });
  if (!unit.incomplete) out.push(...replicasProblems(workspace, unit));
  return out;
}

/**
 * A `replicas:` entry that names no object of a kind the replica count transformer knows
 * (replicas.go: Deployment, ReplicationController, ReplicaSet, StatefulSet; others through
 * `configurations:`) fails the build: ReplicaCountTransformer.go Transform, "resource with name %s
 * does not match a config with the following GVK %v". A name matches any name the object had in
 * the build so far (GetMatchingResourcesByAnyId: before a prefix too). An Argo Rollout is not
 * among those kinds.
 */
function replicasProblems(workspace: WorkspaceIndex, unit: Unit): KustomizationProblem[] {
  const entries = unit.config?.replicas;
  if (!Array.isArray(entries) || entries.length === 0) return [];
  const kinds = [...SCALED_KINDS, ...configuredFieldSpecs(workspace, unit).replicas.map((f) => f.kind)];
  const names = new Set<string>();
  for (const entry of objectsOfBuild(workspace, unit).files) {
    if (!kinds.includes(entry.doc.kind!)) continue;
    const built = buildObject(workspace, entry.uri, entry.doc.value as Record<string, unknown>, unit);
    for (const id of built ? [...built.ids, currentId(built.value)] : []) if (id.name) names.add(id.name);
    if (entry.doc.name) names.add(entry.doc.name);
  }
  const gvks = kinds.map((k) => `${k}.[noVer].[noGrp]`).join(' ');
  return entries.flatMap((e, index): KustomizationProblem[] =>
    isRecord(e) && typeof e.name === 'string' && !names.has(e.name) ? [{ source: { field: 'replicas', index }, severity: 'error', message: `kustomize build fails: resource with name ${e.name} does not match a config with the following GVK [${gvks}].` }] : [],
  );
}

/**
 * Builds every object of `unit`'s build, generated ones too, telling the recorder `recorderFor`
 * gives for each object of a file (undefined for a generated one) what each patch did.
 */
function buildEverything(workspace: WorkspaceIndex, unit: Unit, recorderFor: (entry?: IndexedDocument) => PatchRecorder): void {
  const { files, generated } = objectsOfBuild(workspace, unit);
  for (const entry of files) buildObject(workspace, entry.uri, entry.doc.value as Record<string, unknown>, unit, recorderFor(entry));
  const record = recorderFor();
  for (const g of generated) buildGenerated(workspace, g.chain, g.kind, g.name, record);
}

/**
 * The objects of files that the patches of the kustomization at `kustomizationUri` read from the
 * patch file at `path` select in its build (a JSON 6902 patch file names no object itself: its
 * entry's `target` does). The Dry-run of such a file runs them.
 */
export function objectsPatchedFrom(workspace: WorkspaceIndex, kustomizationUri: string, path: string): IndexedDocument[] {
  const unit = unitIndex(workspace).kustomization(kustomizationUri);
  if (!unit) return [];
  const out: IndexedDocument[] = [];
  buildEverything(workspace, unit, (entry) => (by, patch, outcome) => {
    if (entry && by === unit && outcome.selected && patch.source.path === path && !out.includes(entry)) out.push(entry);
  });
  return out;
}

function describe(value: Record<string, unknown>): string {
  const meta = value.metadata !== null && typeof value.metadata === 'object' ? (value.metadata as Record<string, unknown>) : {};
  return `${typeof value.kind === 'string' ? value.kind : 'an object'} "${typeof meta.name === 'string' ? meta.name : ''}"`;
}

/** Where in the kustomization's document a problem is shown: a target that selects nothing on its `target`, else on the entry's `path` or `patch`, else on the entry. */
export function problemPath(config: unknown, problem: KustomizationProblem): ObjectPath {
  const { source } = problem;
  const entries = config !== null && typeof config === 'object' ? (config as Record<string, unknown>)[source.field] : undefined;
  const entry = Array.isArray(entries) ? entries[source.index] : undefined;
  const has = (key: string) => entry !== null && typeof entry === 'object' && (entry as Record<string, unknown>)[key] !== undefined;
  if (problem.at && has(String(problem.at[0]))) return [source.field, source.index, ...problem.at];
  const key = problem.selectsNothing && has('target') ? 'target' : ['path', 'patch'].find(has);
  return key ? [source.field, source.index, key] : [source.field, source.index];
}
