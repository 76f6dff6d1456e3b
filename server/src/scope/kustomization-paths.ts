// The paths a kustomization file names, each with the file it opens: the editor makes them links
// (Ctrl+click `deploy.yaml` under `resources:`, a base folder opens its kustomization). The fields
// are kustomize's (api/types/kustomization.go): resources, bases, components, the patch fields,
// configurations, crds, transformers/generators/validators given as files, replacements' paths,
// helmCharts' valuesFile, openapi.path, and the generators' files/envs (`key=path` links the path).
// Targets are files the workspace holds (a folder: its kustomization file); a generator's data file
// (app.properties, .env), which kdry does not index, is linked when it exists inside the
// kustomization's folder, the only place kustomize loads it from (LoadRestrictionsRootOnly).
import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isRecord, valueRange, type ManifestFile, type ObjectPath, type Offsets } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import { KUSTOMIZATION_FILE_NAMES, isKustomization } from '../workspace/kustomize';

export interface PathLink {
  range: Offsets;
  target: string;
}

/** Fields holding a list of paths (a string with a line break is inline YAML, not a path). */
const PATH_LISTS = ['resources', 'bases', 'components', 'patchesStrategicMerge', 'configurations', 'crds', 'transformers', 'generators', 'validators'] as const;
/** Lists of objects with a `path` (or `valuesFile`). */
const OBJECT_PATHS: readonly [string, string][] = [
  ['patches', 'path'],
  ['patchesJson6902', 'path'],
  ['replacements', 'path'],
  ['helmCharts', 'valuesFile'],
];

export function kustomizationPathLinks(workspace: WorkspaceIndex, file: ManifestFile): PathLink[] {
  if (!file.uri.startsWith('file:') || !isKustomization(file.uri)) return [];
  const doc = file.documents[0];
  const config = doc?.value;
  if (!doc || !isRecord(config)) return [];
  const dir = dirname(fileURLToPath(file.uri));
  const out: PathLink[] = [];
  const link = (at: ObjectPath, path: string, target: string | undefined) => {
    const range = target && valueRange(doc, at);
    if (!range) return;
    // The path inside the scalar's text (quotes, a generator's `key=`).
    const start = file.text.indexOf(path, range[0]);
    if (start >= 0 && start + path.length <= range[1]) out.push({ range: [start, start + path.length], target });
  };
  const paths = (value: unknown): [number, string][] => (Array.isArray(value) ? value.flatMap((v, i): [number, string][] => (typeof v === 'string' && v.trim() !== '' && !v.includes('\n') ? [[i, v.trim()]] : [])) : []);
  for (const field of PATH_LISTS) for (const [i, path] of paths(config[field])) link([field, i], path, indexedTarget(workspace, dir, path));
  for (const [field, key] of OBJECT_PATHS) {
    const list = config[field];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      if (isRecord(entry) && typeof entry[key] === 'string') link([field, i, key], entry[key].trim(), indexedTarget(workspace, dir, entry[key].trim()));
    });
  }
  if (isRecord(config.openapi) && typeof config.openapi.path === 'string') link(['openapi', 'path'], config.openapi.path.trim(), indexedTarget(workspace, dir, config.openapi.path.trim()));
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    const list = config[field];
    if (!Array.isArray(list)) continue;
    list.forEach((generator, g) => {
      if (!isRecord(generator)) return;
      for (const kind of ['files', 'envs'] as const)
        for (const [i, entry] of paths(generator[kind])) {
          // `files: [key=path]`: the path after the first '=' (kustomize ParseFileSource).
          const path = kind === 'files' && entry.includes('=') ? entry.slice(entry.indexOf('=') + 1).trim() : entry;
          link([field, g, kind, i], path, dataFileTarget(dir, path));
        }
      if (typeof generator.env === 'string') link([field, g, 'env'], generator.env.trim(), dataFileTarget(dir, generator.env.trim()));
    });
  }
  return out;
}

/** A path's file, or a folder's kustomization, when the workspace holds it; remote bases are not paths. */
function indexedTarget(workspace: WorkspaceIndex, dir: string, path: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path) || path.startsWith('github.com/') || path.startsWith('git@')) return undefined;
  const full = resolve(dir, path);
  const asFile = pathToFileURL(full).href;
  if (workspace.get(asFile)) return asFile;
  return KUSTOMIZATION_FILE_NAMES.map((name) => pathToFileURL(resolve(full, name)).href).find((uri) => workspace.get(uri));
}

/** A generator's data file: inside the kustomization's folder (kustomize refuses others) and present. */
function dataFileTarget(dir: string, path: string): string | undefined {
  const full = resolve(dir, path);
  const inside = relative(dir, full);
  if (inside === '' || inside.startsWith('..') || inside.startsWith(sep) || !existsSync(full)) return undefined;
  return pathToFileURL(full).href;
}
