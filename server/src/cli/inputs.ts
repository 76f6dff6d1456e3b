// Turns `kdry check` arguments (files, directories, globs, `-`) into YAML texts to check.
// Directories are walked for *.yaml / *.yml (and *.json that holds a Kubernetes object), skipping node_modules and dot-folders, without
// following symbolic links to folders, whether found in a folder or named on the command line; a
// linked file is read only when its target lies inside the folder given (or the working directory,
// for files and globs). Whatever is found but not read (a link out, a linked folder, a FIFO, a
// device, too large, binary; standard input past the size cap) is listed as not checked, never dropped.
import { promises as fs } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import picomatch from 'picomatch';
import { kustomizationCandidates } from '../workspace/kustomize';
import { holdsManifests, MANIFEST_FILE } from '../workspace/manifest-files';
import { isBelow, uriToPath } from '../workspace/uri';
import type { ExcludeMatcher, ExcludePattern } from '../workspace/exclude';
import { describeIoError, readFileBounded, readStreamBounded } from '../workspace/read-file';

export interface InputFile {
  /** Path as shown to the user (relative to the working directory), or `<stdin>`. */
  path: string;
  uri: string;
  text: string;
  /** Text offset of the first byte that was not UTF-8 (read as U+FFFD). */
  invalidUtf8At?: number;
}

/** A file that was found but not read: it is listed as not checked. */
export interface SkippedInput {
  path: string;
  reason: string;
}

/** A file an `exclude:` glob left out: never read, counted in the report. */
export interface ExcludedInput {
  path: string;
  by: ExcludePattern;
}

/** An argument that names nothing readable (a usage or I/O error). */
export interface InputProblem {
  path: string;
  message: string;
}

/** Refuse files above this size: a manifest is never this large, a mistaken path often is. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
const SKIPPED_DIRS = new Set(['node_modules']);

/** Standard input's bytes as they arrive (process.stdin; a test gives a string). */
export type Stdin = () => AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/**
 * `excludedBy` leaves out files found in a folder or by a glob before they are read; a file named
 * outright is checked whatever it matches, as `kubectl apply -f` applies the file it is named: the
 * globs say what a folder walk passes over, and naming a file is asking for it.
 */
export async function readInputs(
  inputs: string[],
  cwd: string,
  stdin: Stdin,
  excludedBy: ExcludeMatcher = () => undefined,
): Promise<{ files: InputFile[]; skipped: SkippedInput[]; problems: InputProblem[]; excluded: ExcludedInput[] }> {
  const files: InputFile[] = [];
  const skipped: SkippedInput[] = [];
  const problems: InputProblem[] = [];
  const excluded: ExcludedInput[] = [];
  const seen = new Set<string>();
  const realCwd = await realpathOr(cwd);
  const add = async (abs: string, root: string, explicit: boolean) => {
    const real = await realpathOr(abs);
    if (seen.has(real)) return; // one file reached twice (a link beside its target, two arguments)
    seen.add(real);
    const shown = relative(cwd, abs) || abs;
    const by = explicit ? undefined : excludedBy(abs);
    if (by) {
      excluded.push({ path: shown, by });
      return;
    }
    const read = await readFileBounded(abs, { maxBytes: MAX_FILE_BYTES, root, text: true });
    // A folder's JSON files are checked when they are manifests; one named on the command line always.
    if (read.ok && !explicit && !holdsManifests(abs, read.text)) return;
    if (read.ok) files.push({ path: shown, uri: pathToFileURL(abs).href, text: read.text, ...(read.invalidUtf8At !== undefined ? { invalidUtf8At: read.invalidUtf8At } : {}) });
    else if (explicit && read.io) problems.push({ path: shown, message: read.reason });
    else skipped.push({ path: shown, reason: read.reason });
  };

  for (const input of inputs) {
    if (input === '-') {
      // Capped like a file: `helm template | kdry check -` on an untrusted chart may never end.
      const read = await readStreamBounded(stdin(), { maxBytes: MAX_FILE_BYTES, text: true });
      if (read.ok) files.push({ path: '<stdin>', uri: 'untitled:stdin.yaml', text: read.text, ...(read.invalidUtf8At !== undefined ? { invalidUtf8At: read.invalidUtf8At } : {}) });
      else if (read.io) problems.push({ path: '<stdin>', message: read.reason });
      else skipped.push({ path: '<stdin>', reason: read.reason });
      continue;
    }
    const abs = resolve(cwd, input);
    const pattern = picomatch.scan(input);
    if (pattern.isGlob) {
      // The folder before the first wildcard is walked like any folder; the pattern picks from it.
      const matches = picomatch(input.split(sep).join('/'), { dot: false });
      const walked = await walk(resolve(cwd, pattern.base || '.'));
      const found = walked.files.filter((m) => matches(relative(cwd, m).split(sep).join('/')));
      if (found.length === 0) problems.push({ path: input, message: 'no files match this pattern' });
      for (const m of found) await add(m, realCwd, false);
      skipped.push(...(await linkedFoldersOut(walked.linkedFolders, realCwd, cwd)));
      continue;
    }
    let kind: 'directory' | 'linked folder' | 'file';
    try {
      const stat = await fs.lstat(abs);
      kind = stat.isDirectory() ? 'directory' : stat.isSymbolicLink() && (await fs.stat(abs)).isDirectory() ? 'linked folder' : 'file';
    } catch (e) {
      problems.push({ path: input, message: describeIoError(e) });
      continue;
    }
    if (kind === 'linked folder') {
      // As in a folder: a linked folder is not walked, wherever it points (a committed link
      // named by `kdry check $(git diff --name-only)` could point at / or $HOME).
      skipped.push({ path: relative(cwd, abs) || abs, reason: `${LINKED_FOLDER} (${await realpathOr(abs)}); not followed (name the folder itself to check it)` });
    } else if (kind === 'directory') {
      const root = await realpathOr(abs);
      const walked = await walk(abs);
      for (const m of walked.files.filter((path) => MANIFEST_FILE.test(path))) await add(m, root, false);
      skipped.push(...(await linkedFoldersOut(walked.linkedFolders, root, cwd)));
    } else {
      await add(abs, await explicitFileRoot(abs, cwd), true);
    }
  }
  return { files, skipped, problems, excluded };
}

const LINKED_FOLDER = 'a symbolic link to a folder';

/**
 * The links to folders a walk found and did not enter whose target lies outside `root`: listed as
 * not checked (a link to a folder inside it is not entered either, but its files are checked where they are).
 */
async function linkedFoldersOut(links: string[], root: string, cwd: string): Promise<SkippedInput[]> {
  const out: SkippedInput[] = [];
  for (const link of links) {
    const real = await realpathOr(link);
    if (real !== root && !isBelow(real, root)) out.push({ path: relative(cwd, link) || link, reason: `${LINKED_FOLDER} (${real}) outside ${root}; not followed` });
  }
  return out;
}

/**
 * Every entry below `dir` that is not a folder, of any type (a FIFO or a link named x.yaml is
 * listed too, and refused when read), sorted; links to folders are listed apart and not entered;
 * dot-folders, dot-files and node_modules are passed over.
 */
export async function walk(dir: string): Promise<{ files: string[]; linkedFolders: string[] }> {
  const found: string[] = [];
  const linkedFolders: string[] = [];
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    let entries;
    try {
      entries = await fs.readdir(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const path = join(current, e.name);
      if (e.isSymbolicLink() && (await isFolder(path))) linkedFolders.push(path);
      else if (!e.isDirectory()) found.push(path);
      else if (!SKIPPED_DIRS.has(e.name)) pending.push(path);
    }
  }
  return { files: found.sort(), linkedFolders: linkedFolders.sort() };
}

async function isFolder(path: string): Promise<boolean> {
  return fs.stat(path).then((s) => s.isDirectory(), () => false);
}

/**
 * The folder a file named outright must lie in, links resolved: the working directory, or the
 * file's own folder when it is named outside the working directory.
 */
export async function explicitFileRoot(abs: string, cwd: string): Promise<string> {
  return isBelow(abs, cwd) ? realpathOr(cwd) : realpathOr(dirname(abs));
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch {
    return resolve(path);
  }
}

/**
 * kustomization.yaml / .yml files that were not given themselves, in the folders of the given files
 * and their parents up to `cwd`: they say which files are patches. Read quietly (inside the
 * working directory only); an unreadable one is simply not used.
 */
export async function kustomizationsAround(files: InputFile[], cwd: string): Promise<InputFile[]> {
  const given = new Set(files.map((f) => f.uri));
  const paths = files.map((f) => uriToPath(f.uri)).filter((p): p is string => p !== undefined);
  const candidates = new Set(paths.flatMap((path) => kustomizationCandidates(path, cwd)));
  const root = await realpathOr(cwd);
  const found: InputFile[] = [];
  for (const abs of candidates) {
    const uri = pathToFileURL(abs).href;
    if (given.has(uri)) continue;
    const read = await readFileBounded(abs, { maxBytes: MAX_FILE_BYTES, root, text: true });
    if (read.ok) found.push({ path: abs, uri, text: read.text });
  }
  return found;
}
