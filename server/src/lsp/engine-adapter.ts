// The engine helpers the language server uses beyond simulate(): CronJob schedules (robfig/cron
// semantics, as the CronJob controller reads them) and cluster files.
import { promises as fs } from 'node:fs';
import { DEFAULT_CLUSTER, DEFAULT_CLUSTER_SOURCE, formatInZone, parseCronSchedule, type SimNode } from '../engine';
import { readClusterFile } from '../workspace/cluster-file';

export type NextRuns = { ok: true; runs: Date[]; timeZone: string } | { ok: false; error: string };

/** The next `count` run times of a CronJob schedule after `after`, in `timeZone` (default UTC). */
export function nextRuns(spec: string, timeZone: string | undefined, after: Date, count: number): NextRuns {
  const parsed = parseCronSchedule(spec, timeZone);
  if (!parsed.ok) return parsed;
  const runs: Date[] = [];
  let at = after;
  for (let i = 0; i < count; i++) {
    const next = parsed.schedule.next(at);
    if (!next) break;
    runs.push(next);
    at = next;
  }
  return { ok: true, runs, timeZone: parsed.schedule.timeZone };
}

export { formatInZone };

export interface ResolvedCluster {
  nodes: SimNode[];
  source: string;
  /** Names the file and the field that is wrong. */
  error?: string;
}

/**
 * Nodes from a cluster file; undefined path = the engine's embedded default cluster. The Dry-run
 * view asks on every edit, so a file is read again only when its size or mtime changed. `root`
 * confines the file to a folder (see readClusterFile).
 */
export async function loadCluster(path: string | undefined, root?: string): Promise<ResolvedCluster> {
  if (!path) return { nodes: DEFAULT_CLUSTER, source: DEFAULT_CLUSTER_SOURCE };
  const stamp = await fileStamp(path);
  const cached = clusterCache.get(path);
  if (cached && stamp !== undefined && cached.stamp === stamp) return cached.cluster;
  const loaded = await readClusterFile(path, root);
  const cluster: ResolvedCluster =
    loaded.errors.length > 0 ? { nodes: [], source: loaded.source, error: `Cluster file ${loaded.errors.join('; ')}` } : { nodes: loaded.nodes, source: loaded.source };
  if (stamp !== undefined) clusterCache.set(path, { stamp, cluster });
  return cluster;
}

const clusterCache = new Map<string, { stamp: string; cluster: ResolvedCluster }>();

async function fileStamp(path: string): Promise<string | undefined> {
  try {
    const st = await fs.stat(path);
    return `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return undefined; // missing: readClusterFile reports it, and nothing is cached
  }
}
