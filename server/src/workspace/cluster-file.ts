// Reading a cluster file (Node manifests) from disk, in the language server and the CLI. The file
// may come from the repository (`.kdry/cluster.yaml`, which can be a committed symbolic link to
// /dev/zero or a FIFO: Workspace Trust does not see that), so it is read as read-file.ts reads
// any untrusted file: asynchronously, a regular file only, its size checked before reading.
import { basename } from 'node:path';
import { parseClusterText, type ClusterLoadResult } from '../engine';
import { readFileBounded } from './read-file';

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
