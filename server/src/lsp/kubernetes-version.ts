// The Kubernetes release a document is checked for in the editor, and why, in the order of
// release-in-force.ts (the CLI's too): the `kdry.kubernetesVersion` setting when it is
// set; else the release the nodes of the cluster file in force run (the one the Dry-run uses,
// lsp/simulate.ts clusterPath); else the newest release kdry bundles. Checks are synchronous, so
// the release is resolved when a document opens (and again when the settings or a cluster file
// change) and read from here while checking.
import { isAbsolute, relative } from 'node:path';
import { isBelow } from '../workspace';
import { loadCluster } from '../workspace/cluster-file';
import { NEWEST_BUNDLED, namedRelease, releaseInForce, type ReleaseInForce } from '../release-in-force';

export type VersionInForce = ReleaseInForce;

export function fromSetting(version: string): VersionInForce {
  return namedRelease(version, 'setting', 'the kdry.kubernetesVersion setting');
}

export interface VersionContext {
  /** The document's `kdry.kubernetesVersion`; '' when not set (automatic). */
  setting(uri: string): string;
  /** The cluster file in force for the document (lsp/simulate.ts clusterPath); undefined: none. */
  clusterFile(uri: string): Promise<{ path: string; root?: string } | undefined>;
  /** Workspace folder paths: a cluster file is named relative to the one that holds it. */
  folders(): string[];
  isOpen(uri: string): boolean;
}

/** Per open document, the release in force; per cluster file, what its nodes say (read once until it changes). */
export class KubernetesVersions {
  private documents = new Map<string, VersionInForce>();
  private clusters = new Map<string, Promise<VersionInForce>>();
  /** Moves when the settings or a cluster file change, so an answer read before is not kept. */
  private generation = 0;

  constructor(private readonly ctx: VersionContext) {}

  /** The release to check `uri` for now: the setting, else what was resolved, else the newest bundled. */
  inForce(uri: string): VersionInForce {
    const set = this.ctx.setting(uri);
    return set ? fromSetting(set) : (this.documents.get(uri) ?? NEWEST_BUNDLED);
  }

  /** Resolves the release for `uri` (reading its cluster file if needed) and keeps it while the document is open. Never throws. */
  async resolve(uri: string): Promise<VersionInForce> {
    const set = this.ctx.setting(uri);
    if (set) return fromSetting(set);
    const generation = this.generation;
    let found = NEWEST_BUNDLED;
    try {
      const where = await this.ctx.clusterFile(uri);
      if (where) found = await this.fromClusterFile(where.path, where.root);
    } catch {
      // a cluster path that cannot be resolved: the default, as without a cluster file
    }
    if (generation === this.generation && this.ctx.isOpen(uri)) this.documents.set(uri, found);
    return found;
  }

  forget(uri: string): void {
    this.documents.delete(uri);
  }

  /** The open documents whose release was resolved (to resolve again after a change). */
  uris(): string[] {
    return [...this.documents.keys()];
  }

  /** True when `path` is (or could become) a cluster file a document's release depends on. */
  concerns(path: string): boolean {
    return this.clusters.has(path) || /[\\/]\.kdry[\\/]cluster\.ya?ml$/.test(path);
  }

  /** The settings or a cluster file changed: cluster files are read again on the next resolve. */
  invalidate(): void {
    this.generation++;
    this.clusters.clear();
  }

  private fromClusterFile(path: string, root: string | undefined): Promise<VersionInForce> {
    let known = this.clusters.get(path);
    if (!known) {
      known = loadCluster(path, root).then((cluster) => releaseInForce(undefined, { shown: this.displayName(path), cluster }));
      this.clusters.set(path, known);
    }
    return known;
  }

  /** `.kdry/cluster.yaml` inside a workspace folder, the full path elsewhere. */
  private displayName(path: string): string {
    const folder = this.ctx.folders().find((f) => isBelow(path, f));
    const shown = folder ? relative(folder, path) : path;
    return isAbsolute(shown) ? shown : shown.split('\\').join('/');
  }
}
