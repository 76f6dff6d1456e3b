// Reads the workspace's YAML files into the index at startup, and keeps them fresh from file-watcher
// events, so cross-document rules see Services and workloads in files that are not open. Bounded
// the same way on both paths (one DiskFiles budget): file count, file size, total size, depth,
// never node_modules, build output or VCS folders, and no symbolic link out of its folder.
import { join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { holdsManifests, isBelow, kustomizationCandidates, MANIFEST_FILE, uriToPath } from '../workspace';
import { readdirAsync, realpathAsync } from '../workspace/async-fs';
import { readFileBounded } from '../workspace/read-file';
import { MAX_CHECKED_FILE_BYTES } from '../checked-file-size';

/**
 * The scan keeps every file parsed in memory, so its total size is bounded as well as each file's.
 * A file as large as `kdry check` reads (a CRD: Kyverno's ClusterPolicy CRD is 1.4 MB) is read, so
 * the editor knows the schemas the command line judges with.
 */
export const SCAN_LIMITS = { maxFiles: 2000, maxFileBytes: MAX_CHECKED_FILE_BYTES, maxTotalBytes: 8 * 1024 * 1024, maxDepth: 12 };
const SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'out', '.vscode-test']);

export interface ScannedFile {
  uri: string;
  text: string;
}

/** What the server holds from disk (not open in the editor), against SCAN_LIMITS. */
export class DiskFiles {
  private sizes = new Map<string, number>();
  private totalBytes = 0;

  get count(): number {
    return this.sizes.size;
  }

  /** Room for one more file (or a new version of one held) of `bytes`? Records it when there is. */
  admit(uri: string, bytes: number): boolean {
    const previous = this.sizes.get(uri);
    if (previous === undefined && this.sizes.size >= SCAN_LIMITS.maxFiles) return false;
    if (this.totalBytes - (previous ?? 0) + bytes > SCAN_LIMITS.maxTotalBytes) return false;
    this.totalBytes += bytes - (previous ?? 0);
    this.sizes.set(uri, bytes);
    return true;
  }

  release(uri: string): void {
    this.totalBytes -= this.sizes.get(uri) ?? 0;
    this.sizes.delete(uri);
  }

  full(): boolean {
    return this.sizes.size >= SCAN_LIMITS.maxFiles;
  }
}

/**
 * YAML files under the folder URIs, breadth first, within SCAN_LIMITS. Unreadable entries are
 * skipped, and so are the files and folders `excluded` names (`exclude:` globs: lsp/workspace-excludes.ts), unread.
 */
export async function scanWorkspace(folderUris: string[], budget = new DiskFiles(), excluded: (path: string) => boolean = () => false): Promise<ScannedFile[]> {
  const out: ScannedFile[] = [];
  const queue: { dir: string; depth: number; root: string }[] = [];
  for (const uri of folderUris) {
    const dir = uriToPath(uri);
    if (dir) queue.push({ dir, depth: 0, root: await realFolder(dir) });
  }
  while (queue.length > 0 && !budget.full()) {
    const { dir, depth, root } = queue.shift()!;
    let entries;
    try {
      entries = await readdirAsync(dir);
    } catch {
      continue;
    }
    for (const e of entries) {
      if (budget.full()) break;
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIPPED_DIRS.has(e.name) && depth < SCAN_LIMITS.maxDepth && !excluded(path)) queue.push({ dir: path, depth: depth + 1, root });
      } else if (e.isFile() && MANIFEST_FILE.test(e.name) && !excluded(path)) {
        const uri = pathToFileURL(path).href;
        const text = await readYamlFile(path, root);
        if (text !== undefined && holdsManifests(path, text) && budget.admit(uri, text.length)) out.push({ uri, text });
      }
    }
  }
  return out;
}

/**
 * A file-watcher event's path is read only where the scan would have read it: a YAML file inside
 * one of the folders, within the scan's depth, in no skipped folder. Returns that folder.
 */
export function scannedFolderOf(path: string, folders: string[]): string | undefined {
  if (!MANIFEST_FILE.test(path)) return undefined;
  const folder = folders.find((dir) => isBelow(path, dir));
  if (folder === undefined) return undefined;
  const dirs = relative(folder, path).split(sep).slice(0, -1);
  return dirs.length <= SCAN_LIMITS.maxDepth && !dirs.some((d) => SKIPPED_DIRS.has(d)) ? folder : undefined;
}

async function realFolder(dir: string): Promise<string> {
  return realpathAsync(dir).catch(() => dir);
}

/**
 * The kustomizations that may list the file at `path` as a patch (its folder and those above, up
 * to `top`) that `skip` does not already know, read from disk: a file outside the workspace, or
 * one the scan's limits left out, is still known to be a patch. Below a workspace folder (`top`)
 * they are read as the scan reads its files: a committed kustomization.yaml linking out of the
 * folder is not followed.
 */
export async function readKustomizationsAbove(path: string, top?: string, skip: (uri: string) => boolean = () => false): Promise<ScannedFile[]> {
  const found: ScannedFile[] = [];
  const root = top === undefined ? undefined : await realFolder(top);
  for (const candidate of kustomizationCandidates(path, top)) {
    const uri = pathToFileURL(candidate).href;
    if (skip(uri)) continue;
    const text = await readYamlFile(candidate, root);
    if (text !== undefined) found.push({ uri, text });
  }
  return found;
}

/**
 * A YAML file's text, or undefined when missing, unreadable, not a regular file, over the size
 * limit, or (given `root`, the real path of its folder) a link to outside that folder.
 */
export async function readYamlFile(path: string, root?: string): Promise<string | undefined> {
  const read = await readFileBounded(path, { maxBytes: SCAN_LIMITS.maxFileBytes, root, text: false });
  return read.ok ? read.text : undefined;
}

/** A watcher event's file read within the scan's limits; `root` as for readYamlFile. */
export async function readWatchedFile(path: string, folder: string): Promise<string | undefined> {
  return readYamlFile(path, await realFolder(folder));
}

/** A file that may hold manifests: YAML, or JSON (kept only when it is one: holdsManifests). */
export function isManifestUri(uri: string): boolean {
  return MANIFEST_FILE.test(uri);
}
