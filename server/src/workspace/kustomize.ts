// Kustomize patches: files a kustomization lists under `patches`, `patchesStrategicMerge` or
// `patchesJson6902`. A strategic-merge patch is a partial object (only the fields it changes, null
// to delete one, `$patch` directives), so it must not be checked as a complete manifest.
import { basename, dirname, join, resolve } from 'node:path';
import { isBelow } from './uri';
import { isRecord } from '../manifest';

/** The file names kustomize reads a kustomization from (`Kustomization` without extension is not YAML we scan). */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml'];

export function isKustomization(path: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(basename(path));
}

/**
 * Where a kustomization that lists the file at `path` as a patch can be (a kustomization lists
 * patches below itself): the file's folder and each folder above it, up to `top` inclusive when
 * the file is below `top`, else only its own folder; without `top`, up to the filesystem root.
 */
export function kustomizationCandidates(path: string, top?: string): string[] {
  const dirs: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dirname(dir) === dir || (top !== undefined && !isBelow(dir, top))) break;
  }
  return dirs.flatMap((dir) => KUSTOMIZATION_FILE_NAMES.map((name) => join(dir, name)));
}

/** Absolute paths of the patch files a kustomization (its parsed value) at `kustomizationPath` applies. */
export function patchPaths(kustomizationPath: string, config: unknown): string[] {
  if (!isRecord(config)) return [];
  const dir = dirname(kustomizationPath);
  const paths: string[] = [];
  const add = (p: unknown) => {
    // patchesStrategicMerge also takes inline patches (YAML text): only single-line entries are paths.
    if (typeof p === 'string' && p.trim() !== '' && !p.includes('\n')) paths.push(resolve(dir, p.trim()));
  };
  // A bare path (kustomize refuses it, kustomize-patches.ts) still names a patch: not a whole object.
  for (const entry of list(config.patches)) add(isRecord(entry) ? entry.path : entry);
  for (const entry of list(config.patchesJson6902)) if (isRecord(entry)) add(entry.path);
  for (const entry of list(config.patchesStrategicMerge)) add(entry);
  return paths;
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
