// Turns `kdry check` arguments (files, directories, globs, `-`) into YAML texts to check.
// Directories are walked for *.yaml / *.yml, skipping node_modules and dot-folders.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve, relative } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { kustomizationCandidates } from '../workspace/kustomize';

export interface InputFile {
  /** Path as shown to the user (relative to the working directory), or `<stdin>`. */
  path: string;
  uri: string;
  text: string;
}

export interface InputProblem {
  path: string;
  message: string;
}

/** Refuse files above this size: a manifest is never this large, a mistaken path often is. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
const YAML_GLOB = '**/*.{yaml,yml}';
const IGNORE = ['**/node_modules/**', '**/.git/**'];

export async function readInputs(inputs: string[], cwd: string, stdin: () => string): Promise<{ files: InputFile[]; problems: InputProblem[] }> {
  const files: InputFile[] = [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const add = (abs: string, explicit: boolean) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    const shown = relative(cwd, abs) || abs;
    const read = readText(abs);
    if ('error' in read) {
      if (explicit || read.fatal) problems.push({ path: shown, message: read.error });
      return;
    }
    files.push({ path: shown, uri: 'file://' + abs, text: read.text });
  };

  for (const input of inputs) {
    if (input === '-') {
      files.push({ path: '<stdin>', uri: 'untitled:stdin.yaml', text: stdin() });
      continue;
    }
    const abs = resolve(cwd, input);
    if (isDynamicPattern(input)) {
      const matches = await glob(input, { cwd, absolute: true, ignore: IGNORE, dot: false });
      if (matches.length === 0) problems.push({ path: input, message: 'no files match this pattern' });
      for (const m of matches.sort()) add(m, false);
      continue;
    }
    let kind: 'file' | 'dir';
    try {
      kind = statSync(abs).isDirectory() ? 'dir' : 'file';
    } catch (e) {
      problems.push({ path: input, message: describeIoError(e) });
      continue;
    }
    if (kind === 'file') add(abs, true);
    else for (const m of (await glob(YAML_GLOB, { cwd: abs, absolute: true, ignore: IGNORE })).sort()) add(m, false);
  }
  return { files, problems };
}

function readText(abs: string): { text: string } | { error: string; fatal?: boolean } {
  try {
    const size = statSync(abs).size;
    if (size > MAX_FILE_BYTES) return { error: `file is ${(size / 1048576).toFixed(1)} MB; kdry checks files up to ${MAX_FILE_BYTES / 1048576} MB` };
    const buf = readFileSync(abs);
    if (buf.includes(0)) return { error: 'binary file (contains NUL bytes), not YAML' };
    return { text: buf.toString('utf8') };
  } catch (e) {
    return { error: describeIoError(e), fatal: true };
  }
}

export function describeIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err.message ?? String(e);
  }
}

/**
 * kustomization.yaml / .yml files that were not given themselves, in the folders of the given files
 * and their parents up to `cwd`: they say which files are patches. Read quietly; an unreadable one
 * is simply not used.
 */
export function kustomizationsAround(files: InputFile[], cwd: string): InputFile[] {
  const given = new Set(files.map((f) => f.uri));
  const candidates = new Set(files.filter((f) => f.uri.startsWith('file://')).flatMap((f) => kustomizationCandidates(f.uri.slice('file://'.length), cwd)));
  const found: InputFile[] = [];
  for (const abs of candidates) {
    if (given.has('file://' + abs) || !existsSync(abs)) continue;
    const read = readText(abs);
    if ('text' in read) found.push({ path: abs, uri: 'file://' + abs, text: read.text });
  }
  return found;
}
