// Every parsed YAML file the server knows (open editors and the workspace scan), for rules that
// relate documents to each other (Service <-> workloads, StatefulSet serviceName), and which of
// them are kustomize patches (partial objects, see kustomize.ts).
import type { ManifestDocument, ManifestFile } from '../manifest';
import { isKustomization, patchPaths } from './kustomize';
import { uriToPath } from './uri';

export { isBelow, uriToPath } from './uri';
export { kustomizationCandidates } from './kustomize';
export { holdsManifests, isJsonPath, MANIFEST_FILE } from './manifest-files';

export interface IndexedDocument {
  uri: string;
  file: ManifestFile;
  doc: ManifestDocument;
}

/** The workspace's objects (patches and templates left out), in file then document order. */
interface ObjectIndex {
  byKind: Map<string, IndexedDocument[]>;
  /** By `kind/name`, every namespace. */
  byKey: Map<string, IndexedDocument[]>;
  namesByKind: Map<string, Set<string>>;
  /** The Go/Helm templates (not objects of their own), for what they write literally. */
  templates: IndexedDocument[];
  /** Each file's entries with their document index, to refresh them in place (refreshObjects). */
  byUri: Map<string, { entry: IndexedDocument; index: number }[]>;
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class WorkspaceIndex {
  private files = new Map<string, ManifestFile>();
  /** Patch file paths listed by each kustomization file (by its uri). */
  private patchesBy = new Map<string, string[]>();
  private patches = new Set<string>();
  private paths = new Map<string, string | undefined>();
  /**
   * Bumped when a file joins or leaves the index or a kustomization or chart changes: what
   * deployment units hold (scope/units.ts) is rebuilt then, not on every edit of a manifest.
   */
  structureVersion = 0;
  /** Bumped on every change; the object index below is rebuilt on the first lookup after one. */
  private version = 0;
  private reading = false;

  /**
   * The editor's scan of the workspace folders is still reading files: a CRD it has not read yet
   * may replace a bundled schema, so a check should not judge by the bundled one meanwhile.
   */
  get scanning(): boolean {
    return this.reading;
  }

  /** A change of `scanning` is a change of the workspace: what was judged by it is judged again. */
  set scanning(value: boolean) {
    if (value === this.reading) return;
    this.reading = value;
    this.version++;
  }
  private objects?: ObjectIndex & { version: number };

  set(file: ManifestFile): void {
    const path = this.pathOf(file.uri);
    const structural = path !== undefined && (isKustomization(path) || /(^|[\\/])Chart\.ya?ml$/.test(path));
    const previous = this.files.get(file.uri);
    const current = this.objects?.version === this.version;
    if (structural || !previous) this.structureVersion++;
    this.version++;
    this.files.set(file.uri, file);
    if (path && isKustomization(path)) this.setPatches(file.uri, patchPaths(path, file.documents[0]?.value));
    if (current && !structural && previous && sameObjects(previous, file)) this.refreshObjects(file);
    else this.objects = undefined;
  }
  delete(uri: string): void {
    if (this.files.has(uri)) this.structureVersion++;
    this.version++;
    this.files.delete(uri);
    this.paths.delete(uri);
    if (this.patchesBy.has(uri)) this.setPatches(uri, undefined);
  }
  /** Moves on every set or delete: callers key caches of workspace-wide lookups on it. */
  get revision(): number {
    return this.version;
  }
  get(uri: string): ManifestFile | undefined {
    return this.files.get(uri);
  }
  uris(): string[] {
    return [...this.files.keys()];
  }
  /** A kustomization lists the file as a patch: its documents are partial objects. */
  isPatch(uri: string): boolean {
    if (this.patches.size === 0) return false;
    const path = this.pathOf(uri);
    return path !== undefined && this.patches.has(path);
  }
  /** The uri of a kustomization that lists the file as a patch, if any. */
  patchedBy(uri: string): string | undefined {
    const path = this.pathOf(uri);
    if (path === undefined) return undefined;
    for (const [kustomization, paths] of this.patchesBy) if (paths.includes(path)) return kustomization;
    return undefined;
  }
  /**
   * Every document of a kind (e.g. 'Service'), in file then document order. Patches and Go/Helm
   * templates are not objects of their own (a template's values exist only once rendered).
   */
  documents(kind?: string): Iterable<IndexedDocument> {
    // Cross-document rules ask once per document checked: a scan of every document each time made
    // checking 10,000 documents quadratic.
    return kind === undefined ? this.allDocuments() : (this.objectIndex().byKind.get(kind) ?? []);
  }

  /** Every Go/Helm template document (patches left out): a chart may install its CRDs from one. */
  templates(): readonly IndexedDocument[] {
    return this.objectIndex().templates;
  }

  /** The objects of a kind with a name (every namespace), from an index rebuilt once per change. */
  named(kind: string, name: string): readonly IndexedDocument[] {
    return this.objectIndex().byKey.get(`${kind}/${name}`) ?? [];
  }

  /** Every name objects of a kind have (for did-you-mean), from the same index. */
  namesOf(kind: string): ReadonlySet<string> {
    return this.objectIndex().namesByKind.get(kind) ?? new Set();
  }

  private *allDocuments(): Iterable<IndexedDocument> {
    for (const file of this.files.values()) {
      if (this.isPatch(file.uri)) continue;
      for (const doc of file.documents) if (!doc.templated) yield { uri: file.uri, file, doc };
    }
  }

  /**
   * The file's documents are the same objects as before an edit (kinds and names in the same
   * order): its entries get the new file and documents, and nothing is rebuilt. Typing in one
   * document of a 1,000-document file rebuilt the whole index on every keystroke.
   */
  private refreshObjects(file: ManifestFile): void {
    if (!this.objects) return;
    for (const { entry, index } of this.objects.byUri.get(file.uri) ?? []) {
      entry.file = file;
      entry.doc = file.documents[index];
    }
    this.objects.version = this.version;
  }

  private objectIndex(): ObjectIndex {
    if (this.objects?.version !== this.version) {
      const index: ObjectIndex & { version: number } = { version: this.version, byKind: new Map(), byKey: new Map(), namesByKind: new Map(), templates: [], byUri: new Map() };
      for (const file of this.files.values()) {
        if (this.isPatch(file.uri)) continue;
        for (const doc of file.documents) {
          if (!doc.templated) continue;
          const entry = { uri: file.uri, file, doc };
          index.templates.push(entry);
          append(index.byUri, file.uri, { entry, index: doc.index });
        }
      }
      for (const entry of this.allDocuments()) {
        const { kind, name } = entry.doc;
        if (kind === undefined) continue;
        append(index.byKind, kind, entry);
        append(index.byUri, entry.uri, { entry, index: entry.doc.index });
        if (name === undefined) continue;
        append(index.byKey, `${kind}/${name}`, entry);
        index.namesByKind.set(kind, (index.namesByKind.get(kind) ?? new Set()).add(name));
      }
      this.objects = index;
    }
    return this.objects;
  }

  /** A file: URI's local path, parsed once per uri (isPatch is asked for every document checked). */
  private pathOf(uri: string): string | undefined {
    if (!this.paths.has(uri)) this.paths.set(uri, uriToPath(uri));
    return this.paths.get(uri);
  }

  private setPatches(uri: string, paths: string[] | undefined): void {
    this.objects = undefined;
    if (paths) this.patchesBy.set(uri, paths);
    else this.patchesBy.delete(uri);
    this.patches = new Set([...this.patchesBy.values()].flat());
  }
}

/** The same objects in the same order: kinds, names, and which documents are templates. */
function sameObjects(previous: ManifestFile, file: ManifestFile): boolean {
  if (previous.documents.length !== file.documents.length) return false;
  return file.documents.every((doc, i) => {
    const before = previous.documents[i];
    return doc.kind === before.kind && doc.name === before.name && doc.templated === before.templated;
  });
}
