// Which build a Dry-run of a file shows, when it is not simply the file's own kustomization's:
// - a base file used by several overlays: each overlay builds it its own way (`kustomize build
//   overlays/prod` and `kustomize build overlays/staging` give different replicas, names and
//   images), so the editor offers one Dry-run per overlay besides the base's own;
// - a JSON 6902 patch file names no object: the objects its entry's `target` selects in its
//   kustomization's build are what a Dry-run of it runs.
import { basename, dirname, relative } from 'node:path';
import { isRecord } from '../manifest';
import { uriToPath, type IndexedDocument, type WorkspaceIndex } from '../workspace';
import { unitIndex } from './scope';
import type { Unit } from './units';
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
  return units.filter((u) => u !== own && !units.some((o) => o !== u && o.nested?.has(u.uri)) && !isComponent(u)).slice(0, MAX_OVERLAYS);
}

/** A kustomization of `kind: Component` is not built on its own. */
function isComponent(unit: Unit): boolean {
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

/** For a JSON 6902 patch file: the objects its entries select in the build of the kustomization that lists it, with that kustomization. */
export function json6902Targets(workspace: WorkspaceIndex, uri: string): { entry: IndexedDocument; root: Unit }[] {
  const file = workspace.get(uri);
  if (!file || !workspace.isPatch(uri) || !file.documents.some((d) => Array.isArray(d.value))) return [];
  const by = workspace.patchedBy(uri);
  const root = by === undefined ? undefined : unitIndex(workspace).kustomization(by);
  const path = uriToPath(uri);
  if (!root || !path) return [];
  return objectsPatchedFrom(workspace, root.uri, path)
    .filter((e) => isRecord(e.doc.value))
    .map((entry) => ({ entry, root }));
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
