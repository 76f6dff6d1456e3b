// `exclude:` globs (.kdry/config.yaml, `kdry check --exclude`; the editor's workspace scan reads the
// config's: lsp/workspace-excludes.ts): files a check leaves out (vendored manifests, fixtures with
// deliberately broken YAML, generated output).
// Matched as .gitignore matches: relative to the folder the pattern was written for, `/` separators;
// a pattern without a slash matches a name at any depth (`*.gen.yaml`), and a pattern naming a
// folder leaves out everything below it (`vendor` as `vendor/**`).
import { isAbsolute, relative, sep } from 'node:path';
import picomatch from 'picomatch';

export interface ExcludePattern {
  /** The glob as written. */
  pattern: string;
  /** Where it was written, as shown to the user (`.kdry/config.yaml exclude:`, `--exclude`). */
  from: string;
  /** The absolute folder the glob is relative to. */
  base: string;
}

/** Why a pattern cannot be used, or undefined: one that reaches outside its folder names nothing a check reads. */
export function excludePatternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'is empty';
  if (isAbsolute(pattern) || pattern.startsWith('/')) return 'is absolute; write it relative to the project folder';
  if (pattern.split(/[\\/]/).includes('..')) return 'reaches outside the project folder (..)';
  return undefined;
}

/** The first pattern that leaves out the file at `abs`, else undefined. */
export type ExcludeMatcher = (abs: string) => ExcludePattern | undefined;

export function excludeMatcher(patterns: readonly ExcludePattern[]): ExcludeMatcher {
  if (patterns.length === 0) return () => undefined;
  const compiled = patterns.map((p) => ({ p, test: picomatch(p.pattern.replace(/\/+$/, ''), { dot: true, basename: !p.pattern.replace(/\/+$/, '').includes('/') }) }));
  return (abs) => {
    for (const { p, test } of compiled) {
      const rel = relative(p.base, abs);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
      const parts = rel.split(sep);
      // The file itself or any folder above it (below the base), as .gitignore leaves out a folder's contents.
      for (let n = 1; n <= parts.length; n++) if (test(parts.slice(0, n).join('/'))) return p;
    }
    return undefined;
  };
}
