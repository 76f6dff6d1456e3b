// Every YAML file the server knows (open buffers win over the workspace scan), parsed with a
// per-file document cache, and a generation counter that moves only when something that
// cross-document rules read changed (Services, selectors, template labels, ports, names).
import { inTemplatesFolder, ManifestCache, parseDocuments, parseManifest, type ManifestDocument, type ManifestFile, type TextPieces } from '../manifest';
import { WorkspaceIndex } from '../workspace';
import { checkedLength, fileGuard, MAX_CHECKED_DOCUMENTS } from '../check';
import { crossDocumentSignature } from './signature';
import type { ExcludePattern } from '../workspace/exclude';

export class FileStore {
  readonly workspace = new WorkspaceIndex();
  /**
   * The `exclude:` glob that leaves a file out of the workspace (lsp/workspace-excludes.ts): such a
   * file, opened, is held in a workspace of its own, which no other file's check reads.
   */
  excludedBy: (uri: string) => ExcludePattern | undefined = () => undefined;
  private isolated = new Map<string, WorkspaceIndex>();
  private caches = new Map<string, ManifestCache>();
  private signatures = new Map<string, string[]>();
  /** Keyed by the document's value, which cached (unchanged) documents share. */
  private docSignatures = new WeakMap<object, string>();
  /** Bumped whenever any file's cross-document signature changes, or the workspace scan starts or ends. */
  generation = 0;
  /** Workspace scans under way (folders added while one runs start another). */
  private scans = 0;

  /** Runs the workspace scan `read`; meanwhile the index says it is scanning (WorkspaceIndex.scanning). */
  async scanning<T>(read: () => Promise<T>): Promise<T> {
    if (this.scans++ === 0) this.setScanning(true);
    try {
      return await read();
    } finally {
      if (--this.scans === 0) this.setScanning(false);
    }
  }

  private setScanning(value: boolean): void {
    this.workspace.scanning = value;
    this.generation++;
  }

  /**
   * Parses (re-using unchanged documents) and indexes a file; returns it. `content`: the text, or
   * an open document's pieces (lsp/document-text.ts), already split where the edit fell: the whole
   * text is then neither joined nor scanned.
   */
  update(uri: string, content: string | TextPieces): ManifestFile {
    const index = this.workspaceFor(uri);
    // Excluded since it was indexed (or no longer): it leaves the workspace the others read (or its own).
    if (index !== this.workspace && this.workspace.get(uri)) {
      this.workspace.delete(uri);
      this.setSignature(uri, undefined);
    } else if (index === this.workspace) this.isolated.delete(uri);
    // The same text again (diagnostics published again for background findings, a request after
    // the check): the file as parsed and indexed then.
    const known = index.get(uri);
    if (known && this.caches.has(uri) && (typeof content === 'string' ? known.text === content : known.pieces === content)) return known;
    let cache = this.caches.get(uri);
    if (!cache) this.caches.set(uri, (cache = new ManifestCache()));
    // Too large or binary: check.ts reports it without looking inside, so do not parse it either;
    // past MAX_CHECKED_DOCUMENTS documents, parse only what is checked.
    let file: ManifestFile;
    if (fileGuard(fileOf(uri, content, []))) file = fileOf(uri, content, []);
    else if (typeof content !== 'string' && content.chunks.length + 1 <= MAX_CHECKED_DOCUMENTS) {
      // A file of n chunks has at most n + 1 documents by checkedLength's count (a first `---`
      // after leading comments starts no chunk): within the limit, all of it is checked.
      file = fileOf(uri, content, parseDocuments(content.chunks, cache, false, inTemplatesFolder(uri)));
      cache.forgetSplit();
    } else {
      const text = typeof content === 'string' ? content : content.text;
      // The split is incremental (an edit re-splits what it touched).
      const chunks = cache.split(text);
      const limit = checkedLength(text, chunks.length + 1);
      file = { ...(limit < text.length ? parseManifest(text.slice(0, limit), uri, cache) : parseManifest(text, uri, cache, chunks)), text };
    }
    cache.sweep();
    index.set(file);
    if (index === this.workspace) this.setSignature(uri, file.documents.map((d) => this.signatureOf(d)));
    return file;
  }

  /** The workspace `uri` is checked in: the shared one, or for an excluded file one holding only it. */
  workspaceFor(uri: string): WorkspaceIndex {
    if (!this.excludedBy(uri)) return this.workspace;
    let own = this.isolated.get(uri);
    if (!own) this.isolated.set(uri, (own = new WorkspaceIndex()));
    return own;
  }

  /**
   * The file with only its first `count` chunks (the text between `---` lines, which may hold no
   * document) parsed, for a first publication before the whole file is checked
   * (lsp/diagnostics.ts). They are parsed into the file's cache, so the update that follows reuses
   * them; nothing is indexed. Undefined when the file has fewer than `from` chunks, or when the
   * update would not parse it by its pieces.
   */
  head(uri: string, content: string | TextPieces, count: number, from: number): ManifestFile | undefined {
    if (typeof content === 'string' || content.chunks.length < Math.max(from, count + 1) || content.chunks.length + 1 > MAX_CHECKED_DOCUMENTS) return undefined;
    if (fileGuard(fileOf(uri, content, []))) return undefined;
    let cache = this.caches.get(uri);
    if (!cache) this.caches.set(uri, (cache = new ManifestCache()));
    // About half of them have a finding, whose range would parse them again: read by the direct
    // loader (manifest/direct-load.ts: value and packed events in one pass over the text, about a
    // sixth less CPU for the open than js-yaml's events), else with the fast loader's events kept.
    // Like every other document of the file's first parse, an edit then parses its document whole once.
    return fileOf(uri, content, parseDocuments(content.chunks.slice(0, count), cache, 'ranges', inTemplatesFolder(uri)));
  }

  remove(uri: string): void {
    this.workspace.delete(uri);
    this.isolated.delete(uri);
    this.caches.delete(uri);
    this.setSignature(uri, undefined);
  }

  get(uri: string): ManifestFile | undefined {
    return this.excludedBy(uri) ? this.isolated.get(uri)?.get(uri) : this.workspace.get(uri);
  }

  private signatureOf(doc: ManifestDocument): string {
    if (typeof doc.value !== 'object' || doc.value === null) return crossDocumentSignature(doc);
    let s = this.docSignatures.get(doc.value);
    if (s === undefined) this.docSignatures.set(doc.value, (s = crossDocumentSignature(doc)));
    return s;
  }

  /** Per-document signatures are cached strings, so comparing them is mostly pointer equality. */
  private setSignature(uri: string, signature: string[] | undefined): void {
    const previous = this.signatures.get(uri);
    if (previous === signature || (previous && signature && previous.length === signature.length && previous.every((s, i) => s === signature[i]))) {
      if (signature) this.signatures.set(uri, signature);
      return;
    }
    if (signature === undefined) this.signatures.delete(uri);
    else this.signatures.set(uri, signature);
    this.generation++;
  }
}

/** A file of `documents` whose text is `content`: pieces are joined only if someone reads `text`. */
function fileOf(uri: string, content: string | TextPieces, documents: ManifestDocument[]): ManifestFile {
  if (typeof content === 'string') return { uri, text: content, documents };
  return {
    uri,
    documents,
    pieces: content,
    get text() {
      return content.text;
    },
  };
}
