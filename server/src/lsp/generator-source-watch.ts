// The kustomize generators' files (scope/generator-sources.ts) are not manifests, so the
// `**/*.{yaml,yml,json}` watcher does not report them, and editing one moves no workspace revision.
// The server asks the client to watch each by name (registered again when the set changes), and a
// change to one checks every open file again: a generated ConfigMap's keys, hash and var values
// come from it.
import { dirname, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, type Connection, type Disposable, type FileSystemWatcher } from 'vscode-languageserver';
import type { WorkspaceIndex } from '../workspace';
import { uriToPath } from '../workspace';
import { generatorSourcePaths } from '../scope/generator-sources';

export class GeneratorSourceWatch {
  private watched = '';
  private registration: Promise<Disposable> | undefined;

  /**
   * `client.register`: the client registers watchers dynamically; `relativePatterns`: it takes
   * RelativePattern globs (LSP 3.17), else each file's name is watched in any folder.
   */
  constructor(
    private readonly connection: Connection,
    private readonly client: { register: boolean; relativePatterns: boolean },
  ) {}

  /** Registers the watchers for the workspace's generator files, when they differ from those registered. */
  update(workspace: WorkspaceIndex): void {
    if (!this.client.register) return;
    const paths = [...generatorSourcePaths(workspace)].filter((p) => !/\.(ya?ml|json)$/i.test(p)).sort();
    const key = paths.join('\n');
    if (key === this.watched) return;
    this.watched = key;
    const previous = this.registration;
    this.registration = paths.length ? this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: paths.map((p) => this.watcherOf(p)) }) : undefined;
    void previous?.then((d) => d.dispose()).catch(() => undefined);
  }

  /** Whether a watched-file event concerns a generator's file (then every open file is checked again). */
  concerns(workspace: WorkspaceIndex, uris: readonly string[]): boolean {
    const sources = generatorSourcePaths(workspace);
    return sources.size > 0 && uris.some((uri) => sources.has(uriToPath(uri) ?? ''));
  }

  private watcherOf(path: string): FileSystemWatcher {
    const name = escapeGlob(basename(path));
    return { globPattern: this.client.relativePatterns ? { baseUri: pathToFileURL(dirname(path)).href, pattern: name } : `**/${name}` };
  }
}

/** A file name as a glob that matches only itself: `*`, `?`, `[` and braces in brackets. */
function escapeGlob(name: string): string {
  return name.replace(/[*?[{}]/g, '[$&]');
}
