// What checkFile may keep between two checks of one file (the language server keeps one per open
// document). Findings are kept per document source: local ones (YAML, schema, single-document
// rules) until the document's text changes, cross-document ones until the workspace generation
// moves as well. A document that only moved (a line added above it, a keystroke above it) keeps
// its findings where they were made: a check hands them out with how far the document has moved
// since (placed-findings.ts), and copies none.
import type { Finding } from './findings';
import { shift, type PlacedFindings } from './placed-findings';
import type { ManifestDocument } from './manifest';
import type { KdrySettings } from './settings';

export type FindingScope = 'local' | 'crossDocument';

/**
 * A document's cached findings. One class, every field set in the constructor, and the list a
 * check copies from always one this class built: the entries made from another thread's local
 * findings, by a check and by a move had different shapes, and the rules' lists different array
 * kinds (an empty literal, a `map` result), so V8's optimised code of `findings` was thrown away
 * ("wrong map") and compiled again, twice, during the first edits after an open.
 */
class CachedDocument {
  /** Local then cross-document findings: what a check hands back for the document. */
  readonly all: Finding[] = [];

  constructor(
    /** The document's offset when its findings were computed (their ranges are relative to it). */
    readonly offset: number,
    readonly local: Finding[],
    readonly cross: { generation: number; findings: Finding[] } | undefined,
    /** The check that last used the entry (see findings). */
    public used: number,
  ) {
    for (let i = 0; i < local.length; i++) this.all.push(local[i]);
    if (cross) for (let i = 0; i < cross.findings.length; i++) this.all.push(cross.findings[i]);
  }
}

/** A document's local findings, keyed by its source, as another thread computed them (`kdry check --jobs`). */
export interface LocalEntry {
  source: string;
  offset: number;
  local: Finding[];
}

export class CheckCache {
  private documents = new Map<string, CachedDocument>();
  /** Checks so far: entries are marked with the check that used them, and the others dropped after it. */
  private checks = 0;
  /** The last check's finding count: the next one's shifts are made at that size. */
  private shiftsLength = 0;
  private patch: boolean | undefined;
  private settings: KdrySettings | undefined;

  /**
   * @param generation moves whenever anything cross-document rules read has changed.
   * @param localOnly collect only the local findings (a `kdry check --jobs` worker: the
   *   cross-document rules run later, on the thread that holds every file).
   */
  constructor(
    private readonly generation: () => number,
    private readonly localOnly = false,
  ) {}

  /** The local findings held, to send to another thread. */
  localEntries(): LocalEntry[] {
    return [...this.documents].map(([source, entry]) => ({ source, offset: entry.offset, local: entry.local }));
  }

  /**
   * A cache holding local findings computed elsewhere (another thread, the language server's first
   * publication) for a file with `context`'s patch role and settings: checking the file computes
   * only the cross-document ones, unless the file is checked with another role or other settings
   * (then they are dropped, as in findings).
   */
  static fromLocalEntries(generation: () => number, entries: readonly LocalEntry[], context: { patch: boolean; settings: KdrySettings }): CheckCache {
    const cache = new CheckCache(generation);
    cache.patch = context.patch;
    cache.settings = context.settings;
    for (const { source, offset, local } of entries) cache.documents.set(source, new CachedDocument(offset, local, undefined, 0));
    return cache;
  }

  /**
   * The raw findings of `documents` in order, local then cross-document ones per document:
   * from the cache where they still hold, else from `compute`; each with how far its document
   * moved since they were made. Documents no longer in the file are forgotten.
   */
  findings(documents: Iterable<ManifestDocument>, context: { patch: boolean; settings: KdrySettings }, compute: (doc: ManifestDocument, scope: FindingScope) => Finding[]): PlacedFindings {
    // A file that became (or stopped being) a kustomize patch is checked differently, and other
    // settings may turn the schema check on or off: nothing cached holds then.
    const stale = (this.patch !== undefined && this.patch !== context.patch) || (this.settings !== undefined && this.settings !== context.settings);
    if (stale) this.documents = new Map();
    this.patch = context.patch;
    this.settings = context.settings;
    // Updated in place: after a keystroke in a 1,000-document file one entry changes, and a new
    // map of every document per check cost more than the lookups.
    const entries = this.documents;
    const check = ++this.checks;
    let used = 0;
    const generation = this.generation();
    const raw: Finding[] = [];
    // Grown as needed: one shift per finding, most of them 0.
    let shifts: Int32Array = new Int32Array(this.shiftsLength);
    for (const doc of documents) {
      const cached = entries.get(doc.source);
      let entry = cached;
      if (cached && cached.used !== check) used++;
      if (!entry || (!this.localOnly && entry.cross?.generation !== generation)) entry = this.computed(doc, entry, generation, compute);
      if (entry !== cached) {
        if (!cached) used++;
        entries.set(doc.source, entry);
      }
      entry.used = check;
      const all = entry.all;
      const moved = doc.offset - entry.offset;
      if (raw.length + all.length > shifts.length) shifts = grown(shifts, raw.length + all.length);
      for (let i = 0; i < all.length; i++) {
        if (moved !== 0) shifts[raw.length] = moved;
        raw.push(all[i]);
      }
    }
    // Documents no longer in the file are forgotten (forEach: no [key, value] pair per entry).
    if (used < entries.size) entries.forEach((entry, source) => entry.used !== check && entries.delete(source));
    this.shiftsLength = raw.length;
    return { findings: raw, shifts: shifts.length === raw.length ? shifts : shifts.slice(0, raw.length) };
  }


  /** `doc`'s entry with what was missing computed: all of it, or (`cached`, kept at its offset) the cross-document findings of `generation`. */
  private computed(doc: ManifestDocument, cached: CachedDocument | undefined, generation: number, compute: (doc: ManifestDocument, scope: FindingScope) => Finding[]): CachedDocument {
    const offset = cached?.offset ?? doc.offset;
    const local = cached?.local ?? compute(doc, 'local');
    if (this.localOnly) return cached ?? new CachedDocument(offset, local, undefined, 0);
    // Cached findings are stored at the offset they were computed for; the cross-document ones are computed at the doc's own offset.
    const delta = offset - doc.offset;
    return new CachedDocument(offset, local, { generation, findings: compute(doc, 'crossDocument').map((f) => shift(f, delta)) }, cached?.used ?? 0);
  }
}

/** `shifts` copied into a longer array (twice as long, at least `length`). */
function grown(shifts: Int32Array, length: number): Int32Array {
  const longer = new Int32Array(Math.max(length, shifts.length * 2));
  longer.set(shifts);
  return longer;
}
