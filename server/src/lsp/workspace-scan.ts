// Reads the workspace's YAML files into the index at startup, so cross-document rules see
// Services and workloads in files that are not open. Bounded: file count, file size, depth,
// and never node_modules or VCS folders.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { kustomizationCandidates, uriToPath } from '../workspace';

/** The scan keeps every file parsed in memory, so its total size is bounded as well as each file's. */
export const SCAN_LIMITS = { maxFiles: 2000, maxFileBytes: 1024 * 1024, maxTotalBytes: 8 * 1024 * 1024, maxDepth: 12 };
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test']);
const YAML_FILE = /\.ya?ml$/i;

export interface ScannedFile {
  uri: string;
  text: string;
}

/** YAML files under the folder URIs, breadth first, within SCAN_LIMITS. Unreadable entries are skipped. */
export async function scanWorkspace(folderUris: string[]): Promise<ScannedFile[]> {
  const out: ScannedFile[] = [];
  let totalBytes = 0;
  const queue: { dir: string; depth: number }[] = [];
  for (const uri of folderUris) {
    const dir = uriToPath(uri);
    if (dir) queue.push({ dir, depth: 0 });
  }
  while (queue.length > 0 && out.length < SCAN_LIMITS.maxFiles) {
    const { dir, depth } = queue.shift()!;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (out.length >= SCAN_LIMITS.maxFiles) break;
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && depth < SCAN_LIMITS.maxDepth) queue.push({ dir: path, depth: depth + 1 });
      } else if (e.isFile() && YAML_FILE.test(e.name)) {
        const text = await readYamlFile(path);
        if (text === undefined || totalBytes + text.length > SCAN_LIMITS.maxTotalBytes) continue;
        totalBytes += text.length;
        out.push({ uri: pathToFileURL(path).href, text });
      }
    }
  }
  return out;
}

/**
 * The kustomizations that may list the file at `path` as a patch (its folder and those above, up
 * to `top`) that `skip` does not already know, read from disk: a file outside the workspace, or
 * one the scan's limits left out, is still known to be a patch.
 */
export async function readKustomizationsAbove(path: string, top?: string, skip: (uri: string) => boolean = () => false): Promise<ScannedFile[]> {
  const found: ScannedFile[] = [];
  for (const candidate of kustomizationCandidates(path, top)) {
    const uri = pathToFileURL(candidate).href;
    if (skip(uri)) continue;
    const text = await readYamlFile(candidate);
    if (text !== undefined) found.push({ uri, text });
  }
  return found;
}

/** A YAML file's text, or undefined when missing, unreadable or over the size limit. */
export async function readYamlFile(path: string): Promise<string | undefined> {
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile() || stat.size > SCAN_LIMITS.maxFileBytes) return undefined;
    return await fs.readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function isYamlUri(uri: string): boolean {
  return YAML_FILE.test(uri);
}
