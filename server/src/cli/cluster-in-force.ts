// The cluster `kdry check` and `kdry capacity` run the engine on, with the editor's precedence; its
// nodes' kubelets also give `kdry check` the release when none is named (release-in-force.ts).
import { promises as fs } from 'node:fs';
import { relative, resolve } from 'node:path';
import { hashText, type ClusterInForce, type EngineTarget } from '../simulation-checks';
import { clusterFileIn, loadCluster, type ResolvedCluster } from '../workspace/cluster-file';
import { explicitFileRoot } from './inputs';
import type { LoadedSettings } from './config';

/** The cluster in force, read; the release is the caller's (release-in-force.ts). */
export type SimulationCluster = ClusterInForce & Omit<EngineTarget, 'release'>;

/**
 * The cluster file in force: `--cluster FILE` (relative to the working directory), else the
 * config's `clusterFile` or `.kdry/cluster.yaml` in the project folder (clusterFileIn, as the
 * editor resolves it in the workspace folder); undefined: the embedded default cluster.
 */
export async function clusterFileInForce(explicit: string | undefined, loaded: LoadedSettings, cwd: string): Promise<{ path: string; root?: string; shown: string } | undefined> {
  let where: { path: string; root?: string } | undefined;
  if (explicit) {
    const path = resolve(cwd, explicit);
    where = { path, root: await explicitFileRoot(path, cwd) };
  } else {
    const project = loaded.projectDir ?? cwd;
    where = await clusterFileIn(project, loaded.settings.clusterFile);
    // The editor's setting may name any file; a repository's config may not (an absolute clusterFile too).
    if (where && where.root === undefined && loaded.source) where.root = await fs.realpath(project).catch(() => project);
  }
  return where && { ...where, shown: shownPath(where.path, cwd) };
}

/** The engine's cluster from the file in force (`where`, read as `cluster`), else the embedded default cluster. */
export function simulationCluster(where: { shown: string } | undefined, cluster: ResolvedCluster): SimulationCluster | { error: string; shown: string } {
  const shown = where ? where.shown : 'embedded default cluster';
  if (cluster.error) return { error: cluster.error, shown };
  return { key: hashText(JSON.stringify(cluster.nodes)), nodes: cluster.nodes, source: where ? `the cluster in ${shown}` : 'the embedded default cluster', nodeCount: cluster.nodes.length };
}

/** The cluster in force, read. */
export async function clusterInForce(explicit: string | undefined, loaded: LoadedSettings, cwd: string): Promise<SimulationCluster | { error: string; shown: string }> {
  const where = await clusterFileInForce(explicit, loaded, cwd);
  return simulationCluster(where, await loadCluster(where?.path, where?.root));
}

/** A path relative to the working directory when inside it, else as it is. */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
