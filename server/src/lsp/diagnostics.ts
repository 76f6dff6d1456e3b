// Diagnostics on open/change: lightly debounced per file, and incremental: each open file keeps a
// CheckCache, so the shared pipeline (check.ts) re-checks only the documents that changed. What
// background work found for the file (the simulation checks, on a worker thread) is published
// with it; the background work itself is only nudged from here, never run.
import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { INTERNAL_ERROR } from '../builtin-checks';
import { excludedNote } from './workspace-excludes';
import { checkFilePlaced, withUserChoices } from '../check';
import { CheckCache, type LocalEntry } from '../check-cache';
import { atTheirPlaces, joined, unmoved, type PlacedFindings } from '../placed-findings';
import type { KdrySettings } from '../settings';
import type { Finding } from '../findings';
import type { ManifestFile } from '../manifest';
import { DocumentDiagnostics } from './document-diagnostics';
import { contentOf } from './document-text';
import { monotonicMs } from './clock';
import type { FileStore } from './files';
import { largeDocumentFindings } from './large-documents';
import { uriToPath } from '../workspace';
import { isKustomization } from '../workspace/kustomize';
import { kubernetesTarget } from '../schema';
import type { FileEncodings } from './file-encoding';

/**
 * The check runs on a timer after the change, so every didChange already queued (a paste, keys
 * typed while the previous check ran) is applied first and checked once. A longer delay would
 * add to every keystroke's latency without coalescing more: typing is slower than a check.
 */
export const DEBOUNCE_MS = 1;

/**
 * A large file's first check publishes the findings of its first documents before checking the
 * rest: the top of the file is what the editor shows when it opens it. Those are what checkFile
 * gives the first documents alone: their own findings (YAML, schema, single-document rules) and,
 * on a kustomization or a kustomize patch, the kustomize build's. Not exactly the whole check's
 * share of them: the large-document findings are left out, and a schema finding may show that the
 * whole check drops because a cross-document rule explains the same range (check.ts
 * dropSchemaDuplicates). The cross-document findings and the other documents' come with the whole
 * check, right after.
 * On the mixed 1,000-document file of `npm run bench lsp-realistic` the whole check of an open
 * takes about 0.6-1 s; its first 20 documents (some 600 lines, a dozen screens) a fraction of
 * that, most of it the JIT's warm-up when the server has just started. Both counts are of chunks
 * (the text between `---` lines, before parsing; one may hold no document): a file of fewer than
 * HEAD_FROM_DOCUMENTS chunks is checked whole at once.
 */
export const HEAD_DOCUMENTS = 20;
export const HEAD_FROM_DOCUMENTS = 200;

/** Findings made off the typing path: what holds for the file as it is now, and a nudge after each check. */
export interface BackgroundFindings {
  findingsFor(file: ManifestFile): Finding[];
  /** The file was checked (an edit, a workspace change): the background work may start again once typing pauses. */
  schedule(): void;
  forget(uri: string): void;
}

export class DiagnosticsPublisher {
  private timers = new Map<string, NodeJS.Timeout>();
  private caches = new Map<string, CheckCache>();
  private converted = new Map<string, DocumentDiagnostics>();
  /** The local findings of a file's first documents, published before its first whole check, which reuses them. */
  private heads = new Map<string, { settings: KdrySettings; patch: boolean; entries: LocalEntry[] }>();
  private pipeline = new Map<string, { file: ManifestFile; settings: KdrySettings; generation: number; patch: boolean; buildRevision: number; findings: PlacedFindings }>();
  /** Findings last published per uri (settings and suppressions applied), where they were made (see publishedFindings). */
  readonly published = new Map<string, PlacedFindings>();
  /** Published lists at their places, made on the first code action request after each publish. */
  private placedPublished = new WeakMap<PlacedFindings, Finding[]>();
  private publishedGeneration = new Map<string, number>();
  /** When a check was last asked for or run (monotonicMs()), so background work can stay out of the way. */
  lastActive = -Infinity;

  constructor(
    private connection: Pick<Connection, 'sendDiagnostics'>,
    private files: FileStore,
    private textOf: (uri: string) => TextDocument | undefined,
    private settings: (uri: string) => KdrySettings,
    private openUris: () => string[],
    private background?: BackgroundFindings,
    private encodings?: FileEncodings,
  ) {}

  schedule(uri: string, delay = DEBOUNCE_MS): void {
    this.lastActive = monotonicMs();
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        // The whole check follows on a timer of its own, so the first publication is written first.
        if (this.publishHead(uri)) this.schedule(uri, 0);
        else this.validate(uri);
      }, delay),
    );
  }

  /**
   * Reads what a large file's first publication will use, for an open that waits on the client and
   * the file system before it can be checked: its first documents are parsed (into the file's
   * cache, where publishHead finds them) and its release's schema index is read. Neither needs
   * the settings or the kustomizations the open waits for.
   */
  prepare(uri: string): void {
    try {
      const text = this.textOf(uri);
      if (text && this.files.head(uri, contentOf(text), HEAD_DOCUMENTS, HEAD_FROM_DOCUMENTS)) kubernetesTarget(this.settings(uri).kubernetesVersion);
    } catch {
      // publishHead reports what fails
    }
  }

  /** Re-checks every open file whose cross-document findings are older than the workspace. */
  scheduleStale(except?: string): void {
    for (const uri of this.openUris()) if (uri !== except && this.publishedGeneration.get(uri) !== this.files.generation) this.schedule(uri);
  }

  scheduleAll(): void {
    this.caches.clear();
    this.pipeline.clear();
    for (const uri of this.openUris()) this.schedule(uri);
  }

  clear(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.caches.delete(uri);
    this.heads.delete(uri);
    this.pipeline.delete(uri);
    this.converted.delete(uri);
    this.published.delete(uri);
    this.publishedGeneration.delete(uri);
    this.background?.forget(uri);
    this.encodings?.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** The findings last published for `uri`, each at its place in the text (for code actions, which ask on every cursor move: made once per publish). */
  publishedFindings(uri: string): Finding[] | undefined {
    const published = this.published.get(uri);
    if (!published) return undefined;
    let placed = this.placedPublished.get(published);
    if (!placed) this.placedPublished.set(published, (placed = atTheirPlaces(published)));
    return placed;
  }

  validate(uri: string): void {
    this.lastActive = monotonicMs();
    const text = this.textOf(uri);
    if (!text) return;
    const generation = this.files.generation;
    let findings: PlacedFindings;
    let file: ManifestFile | undefined;
    try {
      file = this.files.update(uri, contentOf(text));
      const settings = this.settings(uri);
      const pipeline = this.pipelineFindings(uri, file, settings);
      const more: Finding[] = [];
      if (this.encodings && settings.enable) more.push(...withUserChoices(file, this.encodings.findingsFor(file), settings));
      const excluded = this.files.excludedBy(uri);
      if (excluded && settings.enable) more.push(...withUserChoices(file, [excludedNote(excluded)], settings));
      if (this.background && settings.enable && settings.simulationChecks) more.push(...withUserChoices(file, this.background.findingsFor(file), settings));
      // Usually nothing more: the pipeline's own list, shared (no one changes a published list).
      findings = more.length ? joined(pipeline, unmoved(more)) : pipeline;
    } catch (err) {
      findings = unmoved([{ ruleId: INTERNAL_ERROR.id, severity: INTERNAL_ERROR.severity, range: [0, 0], message: `kdry could not check this file: ${err instanceof Error ? err.message : String(err)}` }]);
    }
    this.published.set(uri, findings);
    this.publishedGeneration.set(uri, this.files.generation);
    let converted = this.converted.get(uri);
    if (!converted) this.converted.set(uri, (converted = new DocumentDiagnostics()));
    void this.connection.sendDiagnostics({ uri, version: text.version, diagnostics: converted.convert(text, file?.documents ?? [], findings) });
    this.heads.delete(uri);
    if (this.files.generation !== generation) this.scheduleStale(uri);
    this.background?.schedule();
    // Background work waits for a pause after the check, not after its start (a large file's takes long).
    this.lastActive = monotonicMs();
  }

  /**
   * A large file's first documents' local findings, published before the file is checked whole
   * (see HEAD_DOCUMENTS); false when the file was published before or is not large.
   */
  private publishHead(uri: string): boolean {
    if (this.published.has(uri) || this.heads.has(uri) || this.caches.has(uri)) return false;
    // Whatever fails here (reading the text, the settings, the check, the conversion), the whole
    // check still runs: false hands the file to validate, which reports its own failures.
    try {
      const text = this.textOf(uri);
      const settings = this.settings(uri);
      if (!text || !settings.enable) return false;
      const file = this.files.head(uri, contentOf(text), HEAD_DOCUMENTS, HEAD_FROM_DOCUMENTS);
      if (!file) return false;
      this.lastActive = monotonicMs();
      const workspace = this.files.workspaceFor(uri);
      const patch = workspace.isPatch(uri);
      const cache = new CheckCache(() => this.files.generation, true);
      const findings = checkFilePlaced(file, workspace, settings, cache);
      let converted = this.converted.get(uri);
      if (!converted) this.converted.set(uri, (converted = new DocumentDiagnostics()));
      const diagnostics = converted.convert(text, file.documents, findings);
      this.heads.set(uri, { settings, patch, entries: cache.localEntries() });
      void this.connection.sendDiagnostics({ uri, version: text.version, diagnostics });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The check pipeline's findings (and the editor-only large-document ones) for `file`: the last
   * ones when nothing they read has changed since (the same parsed file, settings, cross-document
   * generation and patch role), as when only background findings arrived. A kustomization's or a
   * patch file's build findings read fields the cross-document generation leaves out (a patched
   * `replicas`), so theirs also key on the workspace revision. The array is published as it is
   * and kept: never changed.
   */
  private pipelineFindings(uri: string, file: ManifestFile, settings: KdrySettings): PlacedFindings {
    const last = this.pipeline.get(uri);
    const generation = this.files.generation;
    const workspace = this.files.workspaceFor(uri);
    const patch = workspace.isPatch(uri);
    const path = uriToPath(uri);
    const buildRevision = patch || (path !== undefined && isKustomization(path)) ? workspace.revision : -1;
    if (last && last.file === file && last.settings === settings && last.generation === generation && last.patch === patch && last.buildRevision === buildRevision) return last.findings;
    const large = largeDocumentFindings(file, settings);
    const checked = checkFilePlaced(file, workspace, settings, this.cacheFor(uri, settings));
    // A copy of a large file's 1,000 findings on every keystroke only when there is something to put first.
    const findings = large.length ? joined(unmoved(large), checked) : checked;
    this.pipeline.set(uri, { file, settings, generation, patch, buildRevision, findings });
    return findings;
  }

  private cacheFor(uri: string, settings: KdrySettings): CheckCache {
    let cache = this.caches.get(uri);
    if (cache) return cache;
    // The first documents' local findings, published just before: the cache drops them if the
    // settings or the patch role are not the ones they were computed with.
    const head = this.heads.get(uri);
    const generation = () => this.files.generation;
    cache = head ? CheckCache.fromLocalEntries(generation, head.entries, { patch: head.patch, settings: head.settings }) : new CheckCache(generation);
    this.caches.set(uri, cache);
    return cache;
  }
}
