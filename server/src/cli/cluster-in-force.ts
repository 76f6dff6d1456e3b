// The cluster `kdry check` and `kdry capacity` run the engine on, with the editor's precedence.
import { relative, resolve } from 'node:path';
import { hashText, type checkSimulations } from '../simulation-checks';
import { clusterFileIn, loadCluster } from '../workspace/cluster-file';
import { explicitFileRoot } from './inputs';
import type { LoadedSettings } from './config';

export type SimulationCluster = Parameters<typeof checkSimulations>[2];

/**
 * `--cluster FILE` (relative to the working directory), else the config's `clusterFile` or
 * `.kdry/cluster.yaml` in the project folder (clusterFileIn, as the editor resolves it in the
 * workspace folder), else the embedded default cluster.
 */
export async function clusterInForce(explicit: string | undefined, loaded: LoadedSettings, cwd: string): Promise<SimulationCluster | { error: string; shown: string }> {
  let where: { path: string; root?: string } | undefined;
  if (explicit) {
    const path = resolve(cwd, explicit);
    where = { path, root: await explicitFileRoot(path, cwd) };
  } else {
    where = await clusterFileIn(loaded.projectDir ?? cwd, loaded.settings.clusterFile);
  }
  const shown = where ? shownPath(where.path, cwd) : 'embedded default cluster';
  const cluster = await loadCluster(where?.path, where?.root);
  if (cluster.error) return { error: cluster.error, shown };
  return { key: hashText(JSON.stringify(cluster.nodes)), nodes: cluster.nodes, source: where ? `the cluster in ${shown}` : 'the embedded default cluster', nodeCount: cluster.nodes.length };
}

export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
