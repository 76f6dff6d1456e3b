// The files the workspace's kustomize generators read (`configMapGenerator`/`secretGenerator`
// `envs`, `env` and `files`). They are not manifests: editing one moves no workspace revision, so
// the language server watches them by name and checks the open files again when one changes.
import type { WorkspaceIndex } from '../workspace';
import { generatorSources } from './kustomize-generators';
import { unitIndex } from './scope';
import type { UnitIndex } from './units';

const byIndex = new WeakMap<UnitIndex, ReadonlySet<string>>();

/** Every generator's file, as an absolute path; worked out once per change of the kustomizations. */
export function generatorSourcePaths(workspace: WorkspaceIndex): ReadonlySet<string> {
  const index = unitIndex(workspace);
  let paths = byIndex.get(index);
  if (!paths) byIndex.set(index, (paths = new Set([...index.units()].flatMap(generatorSources))));
  return paths;
}
