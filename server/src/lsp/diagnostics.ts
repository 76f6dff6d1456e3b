// Diagnostics on open/change: lightly debounced per file, and incremental. Findings are cached
// per document source: local ones (YAML, schema, single-document rules) until the document's text
// changes, cross-document ones until the workspace generation moves as well.
import type { Connection } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { checkDocument, checkedLength, finishFindings, INTERNAL_RULE_ID, skippedDocumentsFinding, fileGuard, isKubernetesFile } from '../check';
import type { KdrySettings } from '../settings';
import type { ManifestDocument, ManifestFile } from '../manifest';
import type { Finding } from '../findings';
import { toDiagnostic } from './convert';
import type { FileStore } from './files';
import { largeDocumentFindings } from './large-documents';

/**
 * The check runs on a timer after the change, so every didChange already queued (a paste, keys
 * typed while the previous check ran) is applied first and checked once. A longer delay would
 * add to every keystroke's latency without coalescing more: typing is slower than a check.
 */
export const DEBOUNCE_MS = 1;

interface CachedDocument {
  offset: number;
  local: Finding[];
  cross?: { generation: number; findings: Finding[] };
}

export class DiagnosticsPublisher {
  private timers = new Map<string, NodeJS.Timeout>();
  private caches = new Map<string, Map<string, CachedDocument>>();
  private checkedFor = '';
  /** Findings last published per uri (settings and suppressions applied), for code actions. */
  readonly published = new Map<string, Finding[]>();
  private publishedGeneration = new Map<string, number>();
  private patchState = new Map<string, boolean>();
  /** When a check was last asked for or run (performance.now()), so background work can stay out of the way. */
  lastActive = -Infinity;

  constructor(
    private connection: Pick<Connection, 'sendDiagnostics'>,
    private files: FileStore,
    private textOf: (uri: string) => TextDocument | undefined,
    private settings: () => KdrySettings,
    private openUris: () => string[],
  ) {}

  schedule(uri: string, delay = DEBOUNCE_MS): void {
    this.lastActive = performance.now();
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.validate(uri);
      }, delay),
    );
  }

  /** Re-checks every open file whose cross-document findings are older than the workspace. */
  scheduleStale(except?: string): void {
    for (const uri of this.openUris()) if (uri !== except && this.publishedGeneration.get(uri) !== this.files.generation) this.schedule(uri);
  }

  scheduleAll(): void {
    this.caches.clear();
    for (const uri of this.openUris()) this.schedule(uri);
  }

  clear(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.caches.delete(uri);
    this.published.delete(uri);
    this.publishedGeneration.delete(uri);
    this.patchState.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  validate(uri: string): void {
    this.lastActive = performance.now();
    const text = this.textOf(uri);
    if (!text) return;
    const generation = this.files.generation;
    let findings: Finding[];
    try {
      const file = this.files.update(uri, text.getText());
      findings = this.check(file);
    } catch (err) {
      findings = [{ ruleId: INTERNAL_RULE_ID, severity: 'warning', range: [0, 0], message: `kdry could not check this file: ${err instanceof Error ? err.message : String(err)}` }];
    }
    this.published.set(uri, findings);
    this.publishedGeneration.set(uri, this.files.generation);
    void this.connection.sendDiagnostics({ uri, version: text.version, diagnostics: findings.map((f) => toDiagnostic(text, f)) });
    if (this.files.generation !== generation) this.scheduleStale(uri);
  }

  private check(file: ManifestFile): Finding[] {
    const settings = this.settings();
    if (!settings.enable) return [];
    const guard = fileGuard(file);
    if (guard) return [guard];
    if (!isKubernetesFile(file)) return [];
    // A file that became (or stopped being) a kustomize patch is checked differently: nothing cached holds.
    const patch = this.files.workspace.isPatch(file.uri);
    const wasPatch = this.patchState.get(file.uri);
    this.patchState.set(file.uri, patch);
    // Cached findings were computed for one Kubernetes release, schemaValidation and assumed Pod Security level.
    const checkedFor = `${settings.kubernetesVersion} ${settings.schemaValidation} ${settings.podSecurityAssumeLevel}`;
    if (checkedFor !== this.checkedFor) this.caches.clear();
    this.checkedFor = checkedFor;
    const previous = (wasPatch === undefined || wasPatch === patch ? this.caches.get(file.uri) : undefined) ?? new Map<string, CachedDocument>();
    const next = new Map<string, CachedDocument>();
    const raw: Finding[] = [];
    for (const doc of file.documents) {
      const entry = this.entryFor(file, doc, previous.get(doc.source) ?? next.get(doc.source), settings);
      next.set(doc.source, entry);
      const delta = doc.offset - entry.offset;
      for (const f of entry.local) raw.push(shift(f, delta));
      for (const f of entry.cross!.findings) raw.push(shift(f, delta));
    }
    this.caches.set(file.uri, next);
    const skipped = skippedDocumentsFinding(file.text, checkedLength(file.text));
    return finishFindings(file.text, [...(skipped ? [skipped] : []), ...largeDocumentFindings(file), ...raw], settings);
  }

  private entryFor(file: ManifestFile, doc: ManifestDocument, cached: CachedDocument | undefined, settings: KdrySettings): CachedDocument {
    const generation = this.files.generation;
    if (cached && cached.cross?.generation === generation) return cached;
    // Cached findings are stored at the offset they were computed for; recompute at the doc's own offset.
    const entry: CachedDocument = cached ?? { offset: doc.offset, local: checkDocument(file, doc, this.files.workspace, settings, { only: 'local' }) };
    const cross = checkDocument(file, doc, this.files.workspace, settings, { only: 'crossDocument' });
    const delta = entry.offset - doc.offset;
    entry.cross = { generation, findings: cross.map((f) => shift(f, delta)) };
    return entry;
  }
}

function shift(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  return {
    ...f,
    range: [f.range[0] + delta, f.range[1] + delta],
    fixes: f.fixes?.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, range: [e.range[0] + delta, e.range[1] + delta] })) })),
  };
}
