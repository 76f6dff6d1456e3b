// `.kdry/config.yaml`'s `exclude:` globs in the editor, as `kdry check` honours them
// (workspace/exclude.ts): the workspace scan and the file watcher do not read an excluded file, and
// no other file's check, reference or rename sees it. A file the user opens is still checked (VS
// Code users expect the file in front of them to be), but on its own: a workspace of that file
// alone (lsp/files.ts workspaceFor), with an information note at its top that says which glob
// excludes it. Each workspace folder reads the config `kdry check` run there would (cli/config.ts
// loadSettings: the folder, then those above it up to the repository root).
import { basename, dirname } from 'node:path';
import { ConfigError, loadSettings } from '../cli/config';
import { excludeMatcher, type ExcludeMatcher, type ExcludePattern } from '../workspace/exclude';
import { isBelow, uriToPath } from '../workspace';
import { EXCLUDED_FILE } from '../builtin-checks';
import type { Finding } from '../findings';

const CONFIG_FILE = /^config\.(ya?ml|json)$/;

export class WorkspaceExcludes {
  private byFolder: { folder: string; matches: ExcludeMatcher; config?: string }[] = [];
  /** A config that could not be read, per folder: said once in the server's log. */
  problems: string[] = [];

  /** Reads the config of each workspace folder (again: after a change of one). */
  async load(folders: readonly string[]): Promise<void> {
    this.problems = [];
    this.byFolder = await Promise.all(
      folders.map(async (folder) => {
        try {
          const loaded = await loadSettings(folder);
          return { folder, matches: excludeMatcher(loaded.exclude), config: loaded.source };
        } catch (err) {
          // A config kdry check refuses excludes nothing here: the editor keeps checking every file.
          if (!(err instanceof ConfigError)) throw err;
          this.problems.push(err.message);
          return { folder, matches: excludeMatcher([]) };
        }
      }),
    );
  }

  /** The glob that leaves out the file at `uri` (a file: URI or a path), else undefined. */
  excludedBy(uriOrPath: string): ExcludePattern | undefined {
    const path = uriOrPath.startsWith('file:') ? uriToPath(uriOrPath) : uriOrPath;
    if (path === undefined) return undefined;
    for (const { folder, matches } of this.byFolder) if (isBelow(path, folder)) return matches(path);
    return undefined;
  }

  /** A change of this file may change what is excluded: the config a folder uses, or a new `.kdry/config.*` in or above a folder. */
  concerns(path: string): boolean {
    if (!CONFIG_FILE.test(basename(path)) || basename(dirname(path)) !== '.kdry') return false;
    const project = dirname(dirname(path));
    return this.byFolder.some(({ folder, config }) => config === path || folder === project || isBelow(folder, project));
  }
}

/** The note at the top of an excluded file the user opened. */
export function excludedNote(pattern: ExcludePattern): Finding {
  return {
    ruleId: EXCLUDED_FILE.id,
    severity: EXCLUDED_FILE.severity,
    range: [0, 0],
    message: `${pattern.from} ${JSON.stringify(pattern.pattern)} excludes this file: kdry check leaves it out, and no other file is checked with it. While it is open it is checked on its own.`,
  };
}
