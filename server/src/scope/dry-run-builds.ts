// Which build a Dry-run of a file shows, when it is not simply the file's own kustomization's:
// - a base file used by several overlays: each overlay builds it its own way (`kustomize build
//   overlays/prod` and `kustomize build overlays/staging` give different replicas, names and
//   images), so the editor offers one Dry-run per overlay besides the base's own;
// - a JSON 6902 patch file names no object: the objects its entry's `target` selects in its
//   kustomization's build are what a Dry-run of it runs.
import { basename, dirname, relative } from 'node:path';
import { isRecord } from '../manifest';
import { uriToPath, type IndexedDocument, type WorkspaceIndex } from '../workspace';
import { patchPaths } from '../workspace/kustomize';
import { unitIndex } from './scope';
import { topKustomizations, type Unit } from './units';
import { objectsPatchedFrom } from './kustomize-problems';
import type { Deletion } from './kustomize-build';

/** At most this many overlay lenses above one workload. */
const MAX_OVERLAYS = 8;

/**
 * The kustomizations at the top of a build of the file (built by no other kustomization that
 * builds it), other than the one that lists the file directly: the overlays whose builds differ
 * from `kustomize build` of the file's own folder.
 */
export function overlaysBuilding(workspace: WorkspaceIndex, uri: string): Unit[] {
  const units = unitIndex(workspace).fileOf(uri).units.filter((u) => u.kind === 'kustomization');
  const own = units[0];
  if (!own) return [];
  return topKustomizations(units).filter((u) => u !== own && !isComponent(u)).slice(0, MAX_OVERLAYS);
}

/** A kustomization of `kind: Component` is not built on its own. */
export function isComponent(unit: Unit): boolean {
  return unit.config?.kind === 'Component';
}

/** The kustomization's folder as a user names it: relative to the folder it shares with `from` (`overlays/prod`). */
export function unitLabel(unit: Unit, from: string): string {
  const a = uriToPath(from);
  if (!a) return unit.dir;
  let common = dirname(a);
  while (relative(common, unit.dir).startsWith('..') && dirname(common) !== common) common = dirname(common);
  return relative(common, unit.dir) || '.';
}

/**
 * For a JSON 6902 patch file: the objects its entries select in the build of each kustomization
 * that lists it (`root`), then in the build of each overlay above that one (the patch acts in
 * those builds too, with the overlay's own transforms after it), so the editor offers a Dry-run
 * per build, as it does for a base file. The listing kustomizations' come first: the default.
 */
export function json6902Targets(workspace: WorkspaceIndex, uri: string): { entry: IndexedDocument; root: Unit }[] {
  const file = workspace.get(uri);
  const path = uriToPath(uri);
  if (!file || !path || !workspace.isPatch(uri) || !file.documents.some((d) => Array.isArray(d.value))) return [];
  const units = [...unitIndex(workspace).units()].filter((u) => u.kind === 'kustomization');
  const own = workspace.patchedBy(uri);
  // The kustomization the patch is checked against (workspace.patchedBy) first: the default build.
  const listing = units.filter((u) => u.uri === own || patchPaths(uriToPath(u.uri) ?? '', u.config).includes(path)).sort((a, b) => Number(b.uri === own) - Number(a.uri === own));
  const selected = listing.map((lister) => ({ lister, entries: objectsPatchedFrom(workspace, lister.uri, path).filter((e) => isRecord(e.doc.value)) }));
  const first = selected.flatMap(({ lister, entries }) => entries.map((entry) => ({ entry, root: lister })));
  const above = selected.flatMap(({ lister, entries }) => overlaysAbove(units, lister).flatMap((root) => entries.map((entry) => ({ entry, root }))));
  // One build of one object once: two listers under one top kustomization both reach it.
  const seen = new Map<Unit, Set<unknown>>();
  return [...first, ...above].filter(({ root, entry }) => {
    let docs = seen.get(root);
    if (!docs) seen.set(root, (docs = new Set()));
    if (docs.has(entry.doc)) return false;
    docs.add(entry.doc);
    return true;
  });
}

/** The kustomizations at the top of the builds that build `unit` (components left out), at most MAX_OVERLAYS. */
function overlaysAbove(units: readonly Unit[], unit: Unit): Unit[] {
  const building = units.filter((u) => u.nested?.has(unit.uri) && !isComponent(u));
  return topKustomizations(building).slice(0, MAX_OVERLAYS);
}

/**
 * The build a Dry-run asks for by its kustomization's uri: undefined asks for the default (the
 * kustomization that lists the file; for a patch file, the one that lists the patch). A uri that
 * is no kustomization of the workspace, or one whose build does not hold the file, is an error:
 * the view's title would name a build that is not the one shown.
 */
export function requestedBuild(workspace: WorkspaceIndex, uri: string, kustomization: string | undefined): { root?: Unit } | { error: string } {
  if (kustomization === undefined || (workspace.isPatch(uri) && workspace.patchedBy(uri) === kustomization)) return {};
  const root = unitIndex(workspace).kustomization(kustomization);
  const shown = uriToPath(kustomization) ?? kustomization;
  if (!root) return { error: `${shown} is not a kustomization kdry has read: there is no build of it to run.` };
  if (!unitIndex(workspace).fileOf(uri).units.includes(root)) return { error: `kustomize build ${root.dir} does not build ${uriToPath(uri) ?? uri}: there is nothing of this file in it to run.` };
  return { root };
}

/** What the Dry-run says of an object its build deletes (builtOrDeleted). */
export function deletedMessage(deletion: Deletion, value: unknown): string {
  const meta = isRecord(value) && isRecord(value.metadata) ? value.metadata : {};
  const what = `${isRecord(value) ? String(value.kind) : 'object'} "${typeof meta.name === 'string' ? meta.name : ''}"`;
  const where = `\`${basename(deletion.unit.dir)}/${basename(uriToPath(deletion.unit.uri) ?? 'kustomization.yaml')}\``;
  const entry = deletion.source.path ? `the patch ${basename(deletion.source.path)}` : `its ${deletion.source.field}[${deletion.source.index}]`;
  return `kustomize build leaves ${what} out: ${entry} in ${where} deletes it (\`$patch: delete\`), so there is nothing to run.`;
}
