// Reading a cluster file (Node manifests) from disk, in the language server and the CLI. The file
// may come from the repository (`.kdry/cluster.yaml`, which can be a committed symbolic link to
// /dev/zero or a FIFO: Workspace Trust does not see that), so it is read as read-file.ts reads
// any untrusted file: asynchronously, a regular file only, its size checked before reading.
import { basename, isAbsolute, join } from 'node:path';
import { DEFAULT_CLUSTER, DEFAULT_CLUSTER_SOURCE, parseClusterText, type ClusterLoadResult, type SimNode } from '../engine';
import { lstatAsync, realpathAsync, statAsync } from './async-fs';
import { readFileBounded } from './read-file';

/** The cluster file a project keeps beside its manifests. */
export const DEFAULT_CLUSTER_FILE = join('.kdry', 'cluster.yaml');

/**
 * The YAML parser's document tree costs about 70 bytes of heap per byte of text and seconds per
 * megabyte (10,000 kubectl-style Nodes, 4.2 MB: 308 MB of heap, 18 s on a loaded 2-core machine),
 * so the cap is set by what the language server can afford, not by the 20,000 nodes the engine
 * takes: 4 MB is some 400 nodes as `kubectl get nodes -o yaml` prints them (images and all), and
 * thousands once trimmed to the fields kdry reads (name, labels, taints, allocatable, conditions).
 */
export const MAX_CLUSTER_FILE_BYTES = 4 * 1024 * 1024;

/**
 * Read and parse a cluster file; `root` (a real path) confines it, links included, to that folder.
 * Never throws: an unreadable or refused file is an error in the result.
 */
export async function readClusterFile(path: string, root?: string): Promise<ClusterLoadResult> {
  const read = await readFileBounded(path, { maxBytes: MAX_CLUSTER_FILE_BYTES, root, text: true });
  if (!read.ok) return { nodes: [], errors: [`${basename(path) || path}: ${read.reason}`], source: path };
  return parseClusterText(read.text, path);
}

/**
 * The cluster file in force for a project folder: the `clusterFile` setting (relative to the
 * folder), else `.kdry/cluster.yaml` there, else none (the embedded default cluster). The editor
 * (lsp/simulate.ts clusterPath) and `kdry check` both resolve it here. A file named relative to the
 * folder, or found there, must stay inside it (`root`, real path): the repository decides what
 * `.kdry/cluster.yaml` is, and may make it a link to anywhere.
 */
export async function clusterFileIn(folder: string, clusterFile: string): Promise<{ path: string; root?: string } | undefined> {
  if (clusterFile && isAbsolute(clusterFile)) return { path: clusterFile };
  const root = await realpathAsync(folder).catch(() => folder);
  if (clusterFile) return { path: join(folder, clusterFile), root };
  const candidate = join(folder, DEFAULT_CLUSTER_FILE);
  // lstat: a link that points nowhere (or anywhere) is still the repository's cluster file, reported as such.
  return (await lstatAsync(candidate).then(() => true, () => false)) ? { path: candidate, root } : undefined;
}

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
  if (!path) return EMBEDDED_CLUSTER;
  const stamp = await fileStamp(path);
  const cached = clusterCache.get(path);
  if (cached && stamp !== undefined && cached.stamp === stamp) return cached.cluster;
  const loaded = await readClusterFile(path, root);
  const cluster: ResolvedCluster =
    loaded.errors.length > 0 ? { nodes: [], source: loaded.source, error: `Cluster file ${loaded.errors.join('; ')}` } : { nodes: loaded.nodes, source: loaded.source };
  if (stamp !== undefined) clusterCache.set(path, { stamp, cluster });
  return cluster;
}

/** One object for the embedded cluster, so that callers keying a cache on the cluster (lsp/capacity.ts) hit it. */
const EMBEDDED_CLUSTER: ResolvedCluster = Object.freeze({ nodes: DEFAULT_CLUSTER, source: DEFAULT_CLUSTER_SOURCE });

const clusterCache = new Map<string, { stamp: string; cluster: ResolvedCluster }>();

async function fileStamp(path: string): Promise<string | undefined> {
  try {
    const st = await statAsync(path);
    return `${st.size}:${st.mtimeMs}:${st.ino}`;
  } catch {
    return undefined; // missing: readClusterFile reports it, and nothing is cached
  }
}
