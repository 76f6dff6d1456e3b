// Kustomize patches: files a kustomization lists under `patches`, `patchesStrategicMerge` or
// `patchesJson6902`. A strategic-merge patch is a partial object (only the fields it changes, null
// to delete one, `$patch` directives), so it must not be checked as a complete manifest.
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const KUSTOMIZATION = /^kustomization\.ya?ml$/;

export function isKustomization(path: string): boolean {
  return KUSTOMIZATION.test(basename(path));
}

/** Absolute paths of the patch files a kustomization (its parsed value) at `kustomizationPath` applies. */
export function patchPaths(kustomizationPath: string, config: unknown): string[] {
  if (!isObject(config)) return [];
  const dir = dirname(kustomizationPath);
  const paths: string[] = [];
  const add = (p: unknown) => {
    // patchesStrategicMerge also takes inline patches (YAML text): only single-line entries are paths.
    if (typeof p === 'string' && p.trim() !== '' && !p.includes('\n')) paths.push(resolve(dir, p.trim()));
  };
  for (const entry of list(config.patches)) if (isObject(entry)) add(entry.path);
  for (const entry of list(config.patchesJson6902)) if (isObject(entry)) add(entry.path);
  for (const entry of list(config.patchesStrategicMerge)) add(entry);
  return paths;
}

/** The local path of a file: URI (as the server and the CLI write them), else undefined. */
export function uriPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(new URL(uri));
  } catch {
    return undefined;
  }
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
