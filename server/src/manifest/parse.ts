// Turns the text of a YAML file into Kubernetes documents with exact source offsets.
// Documents are split on `---` lines first so an edit re-parses only the documents it touched
// (see ManifestCache); offsets in every ManifestDocument are offsets into the whole file.
import { Document, isAlias, isMap, isNode, isScalar, isSeq, type Node } from 'yaml';
import { parseEvents, type Event } from 'js-yaml';
import { indexEvents, locateInEvents, locateInIndex, packEvents, type IndexedNode, type PackedEvents } from './event-ranges';
import type { EventLocation, ManifestDocument, ManifestFile, ManifestProblem, Offsets, PathSegment, TemplateView } from './types';
import { fastLoad } from './fast-load';
import { directLoad } from './direct-load';
import { resplitDocuments, splitDocuments, type DocumentChunk } from './split';
import { maskTemplateActions } from './template-mask';
import { inTemplatesFolder, isTemplateText } from './template-detection';
import { decideVersionBranches, type BranchChoice, type TemplateCapabilities } from './template-branches';
import { copiedRoot, patchScalarEdit, type Patched } from './incremental';
import { patchLineEdit, type BrokenRegion } from './incremental-lines';
import { patchRegionEdit } from './incremental-region';
import { collectionKey } from './collection-key';
import { documentValue, parseYaml, readGuarded, yamlProblems } from './guarded-parse';
import { looksLikeKubernetes, quickSyntaxProblem, tooLargeToReadInFull } from './large-document';

/** What an edit is patched from: a text with its value and events. */
interface PatchBase extends Patched {
  source: string;
}

/**
 * A document asked for more ranges than this gets its events indexed (one pass, then lookups).
 * Not from the first lookup: a scan allocates nothing, and most documents are asked a few times
 * (indexing every document with a finding made the 1,000-finding open ~15% slower).
 */
const INDEX_AFTER_LOOKUPS = 16;

/**
 * Whether a parse keeps the fast loader's events for the ranges instead of parsing them again when
 * one is asked for: `true` for a document the next keystroke is patched from (incremental.ts), not
 * a whole file kept open; `'ranges'` for documents whose ranges are asked for at once but which are
 * not typed in next (a `kdry check` slice, a large file's first publication in the editor): read by
 * direct-load.ts where it can, whose packed events serve the ranges but not incremental.ts.
 */
export type KeepEvents = boolean | 'ranges';

/** `chunks`: the text's chunks when the caller has split it already (with `cache`, which then holds them). */
export function parseManifest(text: string, uri = 'untitled:manifest.yaml', cache?: ManifestCache, chunks?: readonly DocumentChunk[], keepEvents: KeepEvents = false): ManifestFile {
  return { uri, text, documents: parseDocuments(chunks ?? (cache ? cache.split(text) : splitDocuments(text)), cache, keepEvents, inTemplatesFolder(uri)) };
}

/**
 * The documents of a text split into `chunks`, re-using those `cache` holds. `templatesFolder`: the
 * file is in a chart's `templates/` (template-detection.ts), the same for every parse with `cache`.
 */
export function parseDocuments(chunks: readonly DocumentChunk[], cache?: ManifestCache, keepEvents: KeepEvents = false, templatesFolder = false): ManifestDocument[] {
  const documents: ManifestDocument[] = [];
  // Once the file was parsed, a document not in the cache is one an edit changed. When it is the
  // only one, it keeps its events: the next keystroke in it can then be patched (incremental.ts).
  // After a paste or a replace that changed many, the next keystroke can use one of them at most:
  // none keeps its events (about 100 per document), and the one typed in next keeps them from then on.
  const keepEdited = keepEvents || (cache !== undefined && cache.edited && changedChunks(chunks, cache) === 1);
  for (let c = 0; c < chunks.length; c++) {
    const chunk = chunks[c];
    const cached = cache?.get(chunk.source);
    const previous = cached ? undefined : cache?.previousAt(c);
    const doc = cached ? rebase(cached, chunk, documents.length) : (previous && patchedChunk(previous, chunk, documents.length)) ?? keepingBase(previous, parseChunk(chunk, documents.length, keepEdited, templatesFolder));
    cache?.set(chunk.source, doc, c);
    const items = (doc as ParsedDocument).listItems();
    if (items) for (const item of items) documents.push(item.at(documents.length));
    else documents.push(doc);
  }
  return documents;
}

/** How many of `chunks` are not in `cache`, counted up to 2. */
function changedChunks(chunks: readonly DocumentChunk[], cache: ManifestCache): number {
  let changed = 0;
  for (let c = 0; c < chunks.length && changed < 2; c++) if (!cache.get(chunks[c].source)) changed++;
  return changed;
}

/**
 * What another thread needs of a parsed document to rebuild it without parsing it again (see
 * restoreManifest): its value, problems, and which parser read it. Structured-cloneable.
 */
export interface DocumentSummary {
  value: unknown;
  templated: boolean;
  problems: ManifestProblem[];
  /** Read by the fast loader: ranges come from its events, not the tree. */
  fast: boolean;
  /** A fast-loaded document's events, packed (parsed now unless the parse kept them), so the receiving thread need not parse them again for a range. */
  events?: PackedEvents;
  /** An item of a `kind: List` document (list-items.ts): its chunk is parsed again to find the items. */
  listItem?: true;
}

export function summarizeManifest(file: ManifestFile): DocumentSummary[] {
  return file.documents.map((doc) => ({
    value: doc.value,
    templated: doc.templated,
    problems: doc.problems,
    fast: doc instanceof ParsedDocument && doc.hasEvents,
    events: doc instanceof ParsedDocument ? doc.packedEvents() : undefined,
    ...(doc instanceof ParsedDocument && doc.listItem ? { listItem: true as const } : {}),
  }));
}

/**
 * The file `parseManifest(text, uri)` returned in another thread, rebuilt from its summaries: the
 * text is split again (a line scan) unless its `chunks` are given, values are taken as they are,
 * and events or the tree are parsed only if a range is asked for.
 */
export function restoreManifest(text: string, uri: string, summaries: DocumentSummary[], given?: DocumentChunk[]): ManifestFile {
  // A file with a `kind: List` (rare) is parsed again: its items' ranges come from the parse.
  if (summaries.some((s) => s.listItem)) return parseManifest(text, uri);
  const chunks = given ?? splitDocuments(text);
  if (chunks.length !== summaries.length) throw new Error(`${uri}: ${chunks.length} documents, but ${summaries.length} summaries`);
  const documents = chunks.map((chunk, index) => {
    const { value, templated, problems, fast, events } = summaries[index];
    const tree = memoized(() => parseYaml(chunk.source));
    return new ParsedDocument(index, chunk.source, chunk.offset, value, templated, problems, tree, fast ? (events ? () => events : packedOnDemand(chunk.source)) : undefined);
  });
  return { uri, text, documents };
}

/**
 * Parsed documents keyed by their exact source, so unchanged documents are not parsed again; and
 * the last text split, so the next split scans only what an edit changed and hands back the same
 * source strings (a lookup of an identical string object is a pointer compare; a fresh copy of a
 * document's text is hashed and compared in full, in every cache keyed on it).
 */
export class ManifestCache {
  /** `used`: the sweep count when the entry was last set (a Set of the sources used grew anew on every keystroke). */
  private entries = new Map<string, { doc: ManifestDocument; used: number }>();
  private sweeps = 0;
  /** Entries set since the last sweep: when all of them were, the sweep has nothing to drop. */
  private usedSinceSweep = 0;
  private last?: { text: string; chunks: DocumentChunk[] };
  /** The documents by chunk position: of the parse under way, and of the last full parse (what an edit changed). */
  private byChunk: ManifestDocument[] = [];
  private previousByChunk: ManifestDocument[] = [];
  /** A full parse was swept: a document not found now is an edited one. */
  get edited(): boolean {
    return this.sweeps > 0;
  }
  /** The document the last full parse read at chunk `c`. */
  previousAt(c: number): ManifestDocument | undefined {
    return this.previousByChunk[c];
  }
  split(text: string): DocumentChunk[] {
    const chunks = this.last ? resplitDocuments(this.last.text, this.last.chunks, text) : splitDocuments(text);
    this.last = { text, chunks };
    return chunks;
  }
  /** The caller splits elsewhere now (an open document's pieces): the last text would only be kept alive and compared against later. */
  forgetSplit(): void {
    this.last = undefined;
  }
  get(source: string): ManifestDocument | undefined {
    return this.entries.get(source)?.doc;
  }
  set(source: string, doc: ManifestDocument, chunk?: number): void {
    if (chunk !== undefined) this.byChunk[chunk] = doc;
    const entry = this.entries.get(source);
    if (!entry) {
      this.entries.set(source, { doc, used: this.sweeps });
      this.usedSinceSweep++;
      return;
    }
    entry.doc = doc;
    if (entry.used !== this.sweeps) {
      entry.used = this.sweeps;
      this.usedSinceSweep++;
    }
  }
  /** Drops every entry not used since the previous sweep (call after each full parse). */
  sweep(): void {
    // forEach, not for-of: no [key, value] pair per entry on every keystroke.
    if (this.usedSinceSweep < this.entries.size) this.entries.forEach((entry, key, entries) => entry.used !== this.sweeps && entries.delete(key));
    this.sweeps++;
    this.usedSinceSweep = 0;
    this.previousByChunk = this.byChunk;
    this.byChunk = [];
  }
}

/**
 * `chunk` read from the document before its edit, when the edit changed one plain scalar (incremental.ts)
 * or typed or deleted one line of a block map (incremental-lines.ts), or when the items or entries
 * around an edit inside a block collection read alone as a full parse reads them (incremental-region.ts).
 */
function patchedChunk(previous: ManifestDocument | undefined, chunk: DocumentChunk, index: number): ManifestDocument | undefined {
  if (!(previous instanceof ParsedDocument) || previous.listItem) return undefined;
  const base = previous.patchBase();
  if (!base || isList(base.value)) return undefined;
  // Back to the text a broken line was typed into (the line erased again).
  const patched = chunk.source === base.source ? sameValue(base) : (patchScalarEdit(base.source, base, chunk.source) ?? patchLineEdit(base.source, base, chunk.source) ?? patchRegionEdit(base.source, base, chunk.source));
  if (!patched) return undefined;
  if ('broken' in patched) return brokenChunk(chunk, index, patched.broken, base);
  if (isList(patched.value)) return undefined;
  const doc = new ParsedDocument(index, chunk.source, chunk.offset, patched.value, false, [], memoized(() => parseYaml(chunk.source)), memoized(() => packEvents(chunk.source, patched.events)));
  doc.keptEvents = patched.events;
  return doc;
}

/** The same value in a new root (see copiedRoot), with the same events. */
function sameValue(base: PatchBase): Patched | undefined {
  const value = copiedRoot(base.value);
  return value === undefined ? undefined : { value, events: base.events };
}

/**
 * A document with a broken line typed into a block map of `base`: the problems are those `yaml`
 * reports on that map's lines alone (see incremental-lines.ts), moved to where they stand; the tree
 * is the whole document's, parsed when asked for. `base` stays the next keystroke's starting point.
 */
function brokenChunk(chunk: DocumentChunk, index: number, region: BrokenRegion, base: PatchBase): ManifestDocument | undefined {
  const yaml = parseYaml(region.text);
  if (yaml.errors.length === 0) return undefined;
  const doc = new ParsedDocument(index, chunk.source, chunk.offset, undefined, false, yamlProblems(yaml, chunk.offset + region.start), memoized(() => parseYaml(chunk.source)), undefined);
  doc.brokenBase = base;
  // The top-level keys lie outside a nested map's lines: read as they were, without the tree.
  if (region.start > 0) doc.declaresKubernetes = isRecord(base.value) && typeof base.value.apiVersion === 'string' && typeof base.value.kind === 'string';
  return doc;
}

/**
 * A document an edit broke (`yaml` reads it with errors: no value) keeps what the edit was to be
 * patched from, so the keystroke that mends it is patched from there: `- k` typed above an item's
 * `  port: 1` is a YAML error, `- k:` is read again around the item (incremental-region.ts).
 */
function keepingBase(previous: ManifestDocument | undefined, doc: ManifestDocument): ManifestDocument {
  if (doc instanceof ParsedDocument && doc.value === undefined && !doc.templated && previous instanceof ParsedDocument && !previous.listItem) doc.brokenBase = previous.patchBase();
  return doc;
}

function parseChunk(chunk: DocumentChunk, index: number, keepEvents: KeepEvents = false, templatesFolder = false): ManifestDocument {
  // A template has no values until it is rendered: it is read through its masked view (`template`).
  if (isTemplateText(chunk.source, templatesFolder)) return new ParsedDocument(index, chunk.source, chunk.offset, undefined, true, [], memoized(() => parseYaml(chunk.source)), undefined);
  const direct = keepEvents === 'ranges' ? directLoad(chunk.source) : undefined;
  if (direct) return new ParsedDocument(index, chunk.source, chunk.offset, direct.value, false, [], memoized(() => parseYaml(chunk.source)), () => direct.events);
  let syntaxError: unknown;
  const fast = fastLoad(chunk.source, tooLargeToReadInFull(chunk.source) ? (error) => (syntaxError = error) : undefined);
  if (fast) {
    // The events are parsed again when a range is asked for: cheaper than keeping ~100 per document.
    const kept = keepEvents ? fast.events : undefined;
    const events = kept ? memoized(() => packEvents(chunk.source, kept)) : packedOnDemand(chunk.source);
    const doc = new ParsedDocument(index, chunk.source, chunk.offset, fast.value, false, [], memoized(() => parseYaml(chunk.source)), events);
    // Not for an edit's patch when anchors or merges link parts of the value: incremental.ts patches one place.
    doc.keptEvents = fast.linked ? undefined : kept;
    return doc;
  }
  const quick = syntaxError === undefined ? undefined : quickSyntaxProblem(chunk, syntaxError);
  if (quick) {
    // Not read in full, so no tree either: an empty one, where symbols, code lenses and ranges find nothing.
    const doc = new ParsedDocument(index, chunk.source, chunk.offset, undefined, false, [quick], memoized(() => parseYaml('')), undefined);
    doc.declaresKubernetes = looksLikeKubernetes(chunk.source);
    return doc;
  }
  const { yaml, value, problems } = readGuarded(chunk);
  return new ParsedDocument(index, chunk.source, chunk.offset, value, false, problems, () => yaml, undefined);
}

type Tree = () => Document.Parsed;

/** A fast-loaded document's events, parsed and packed when a range is first asked for. */
function packedOnDemand(source: string): () => PackedEvents {
  return memoized(() => packEvents(source, parseEvents(source, {})));
}

/**
 * A document whose yaml tree is built on first use (`yaml` is a getter) and shared with its
 * rebased copies. A class, so every document has the same shape and property reads stay fast.
 */
class ParsedDocument implements ManifestDocument {
  readonly range: Offsets;
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;

  constructor(
    readonly index: number,
    readonly source: string,
    readonly offset: number,
    readonly value: unknown,
    readonly templated: boolean,
    readonly problems: ManifestProblem[],
    private readonly tree: Tree,
    /** The fast loader's events, packed, for ranges without the tree; undefined for documents read by `yaml`. */
    private readonly events: (() => PackedEvents) | undefined,
  ) {
    this.range = [offset, offset + source.length];
    const top = isRecord(value) ? value : undefined;
    const meta = top && isRecord(top.metadata) ? top.metadata : undefined;
    this.apiVersion = typeof top?.apiVersion === 'string' ? top.apiVersion : undefined;
    this.kind = typeof top?.kind === 'string' ? top.kind : undefined;
    this.name = typeof meta?.name === 'string' ? meta.name : undefined;
    this.namespace = typeof meta?.namespace === 'string' ? meta.namespace : undefined;
  }

  get yaml(): Document.Parsed {
    return this.tree();
  }

  /** The fast loader's events, when they are kept rather than parsed again on demand. */
  keptEvents?: Event[];
  /** A document with a broken line typed in (incremental-lines.ts), or another edit broke (keepingBase): the text before it, which the next keystroke is patched from. */
  brokenBase?: PatchBase;
  /** Whether its top-level map has string `apiVersion` and `kind`, when known without the tree (see isKubernetesObject). */
  declaresKubernetes?: boolean;

  /** What an edit of this document is patched from: its own value and kept events, else the text a broken line was typed into. */
  patchBase(): PatchBase | undefined {
    return this.keptEvents ? { source: this.source, value: this.value, events: this.keptEvents } : this.brokenBase;
  }

  get hasEvents(): boolean {
    return this.events !== undefined;
  }

  /** The packed events of a fast-loaded document (parsed now if they were not kept). */
  packedEvents(): PackedEvents | undefined {
    return this.events?.();
  }

  private templateMemo?: { view: TemplateView | undefined };

  get template(): TemplateView | undefined {
    if (!this.templated) return undefined;
    return (this.templateMemo ??= { view: templateView(this) }).view;
  }

  /** Lookups so far; past INDEX_AFTER_LOOKUPS the events are indexed (null: they cannot be). */
  private lookups = 0;
  private eventIndex: IndexedNode | null | undefined = undefined;

  locateFast(path: readonly PathSegment[]): EventLocation | 'tree' {
    if (!this.events) return 'tree';
    if (++this.lookups > INDEX_AFTER_LOOKUPS) {
      if (this.eventIndex === undefined) this.eventIndex = indexEvents(this.source, this.events()) ?? null;
      if (this.eventIndex) return locateInIndex(this.eventIndex, path);
    }
    return locateInEvents(this.source, this.events(), path);
  }

  /** This document at another offset or index: file offsets shifted, the tree and events shared. */
  moved(chunk: DocumentChunk, index: number): ParsedDocument {
    const delta = chunk.offset - this.offset;
    const problems = this.problems.map((p): ManifestProblem => ({ ...p, range: [p.range[0] + delta, p.range[1] + delta] }));
    const moved = new ParsedDocument(index, this.source, chunk.offset, this.value, this.templated, problems, this.tree, this.events);
    moved.listItem = this.listItem;
    moved.keptEvents = this.keptEvents;
    moved.brokenBase = this.brokenBase;
    moved.declaresKubernetes = this.declaresKubernetes;
    // The items of a moved List move with it (not parsed again on an edit above them).
    if (this.items !== undefined) moved.items = this.items && this.items.map((item) => item.moved({ offset: item.offset + delta, source: item.source }, item.index));
    return moved;
  }

  /** This document at position `index` of its file (same offsets). */
  at(index: number): ParsedDocument {
    return index === this.index ? this : this.moved({ offset: this.offset, source: this.source }, index);
  }

  /** Read from an item of a list document. */
  listItem = false;
  /** The items when this is a list (null: it is not one), found on first use. */
  private items?: ParsedDocument[] | null;

  /**
   * The items of a list document (`kind: List` as `kubectl get -o yaml` writes it, a typed
   * `ConfigMapList`, any object with `items`), each a document of its own with ranges in this
   * file; undefined for any other document. kubectl applies each item: apimachinery's
   * unstructuredJSONScheme.decode reads any object with an `items` field as a list, and
   * decodeToList gives an item with neither kind nor apiVersion the list's kind without `List`
   * and the list's apiVersion (a typed list from the API server has none on its items).
   */
  listItems(): ParsedDocument[] | undefined {
    if (this.items === undefined) {
      const chunks = this.problems.length === 0 ? listItemChunks(this) : undefined;
      this.items = chunks ? chunks.map((chunk) => Object.assign(this.typedItem(parseChunk(chunk, this.index) as ParsedDocument), { listItem: true })) : null;
    }
    return this.items ?? undefined;
  }

  private typedItem(item: ParsedDocument): ParsedDocument {
    const kind = this.kind?.endsWith('List') ? this.kind.slice(0, -'List'.length) : undefined;
    if (!kind || !this.apiVersion || !isRecord(item.value) || item.value.kind !== undefined || item.value.apiVersion !== undefined) return item;
    const value = { apiVersion: this.apiVersion, kind, ...item.value };
    return new ParsedDocument(item.index, item.source, item.offset, value, false, item.problems, item.tree, item.events);
  }
}

/** An object kubectl reads as a list of objects to apply (see listItems). */
function isList(value: unknown): boolean {
  return isRecord(value) && Array.isArray(value.items);
}

/**
 * Each item of a list as the text of a document of its own at the same file offsets: a flow item
 * (JSON) is taken as written; a block item keeps its column, the `- ` and indentation before it on
 * its line turned into spaces, so its lines stay aligned. Undefined unless the document is a list
 * whose items are all readable (an alias or merge key inside would not be).
 */
function listItemChunks(doc: ParsedDocument): DocumentChunk[] | undefined {
  if (!isRecord(doc.value) || !Array.isArray(doc.value.items)) return undefined;
  const items = doc.yaml.contents && isMap(doc.yaml.contents) ? doc.yaml.contents.get('items', true) : undefined;
  if (!isSeq(items) || items.items.length !== doc.value.items.length) return undefined;
  const chunks: DocumentChunk[] = [];
  for (const item of items.items) {
    if (!isNode(item) || isAlias(item) || !item.range) return undefined;
    const [start, end] = item.range;
    const lineStart = doc.source.lastIndexOf('\n', start - 1) + 1;
    const flow = (isMap(item) || isSeq(item)) && item.flow === true;
    const indent = flow ? 0 : start - lineStart;
    chunks.push({ offset: doc.offset + start - indent, source: ' '.repeat(indent) + doc.source.slice(start, end) });
  }
  return chunks;
}

/**
 * The template view of a templated document as the target cluster's Helm would choose its
 * version branches (template-branches.ts), with the choices made; undefined when no chain was decided.
 */
export function versionedTemplateView(doc: ManifestDocument, capabilities: TemplateCapabilities): { view: TemplateView | undefined; choices: BranchChoice[] } | undefined {
  if (!doc.templated) return undefined;
  const decided = decideVersionBranches(doc.source, capabilities);
  if (!decided) return undefined;
  const shift = ([start, end]: Offsets): Offsets => [doc.offset + start, doc.offset + end];
  return { view: templateView(doc as ParsedDocument, decided.source), choices: decided.choices.map((c) => ({ ...c, range: shift(c.range) })) };
}

function templateView(doc: ParsedDocument, source = doc.source): TemplateView | undefined {
  const { masked, spans, blocks } = maskTemplateActions(source);
  const document = maskedDocument(doc, masked);
  if (!document) return undefined;
  const shift = ([start, end]: [number, number]): Offsets => [doc.offset + start, doc.offset + end];
  return { document, actions: spans.map(shift), blocks: blocks.map(shift) };
}

/**
 * The masked text as a document, undefined when YAML cannot read it. Read as a plain document is
 * (parseChunk): by the fast loader where it answers, its tree built only if a range is asked for (a
 * 1.3 MB chart line of 40,000 actions: the tree was most of `kdry check`'s time).
 */
function maskedDocument(doc: ParsedDocument, masked: string): ParsedDocument | undefined {
  const fast = fastLoad(masked);
  if (fast) return new ParsedDocument(doc.index, masked, doc.offset, fast.value, false, [], memoized(() => parseYaml(masked)), packedOnDemand(masked));
  const yaml = parseYaml(masked);
  if (yaml.errors.length > 0 || collectionKey(yaml)) return undefined;
  let value: unknown;
  try {
    value = documentValue(yaml);
  } catch {
    return undefined;
  }
  return new ParsedDocument(doc.index, masked, doc.offset, value, false, [], () => yaml, undefined);
}

function memoized<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/** A cached document moved to another offset or index: shift its file offsets. */
function rebase(doc: ManifestDocument, chunk: DocumentChunk, index: number): ManifestDocument {
  if (doc.offset === chunk.offset && doc.index === index) return doc;
  return (doc as ParsedDocument).moved(chunk, index);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A document that declares itself a Kubernetes object (string apiVersion and kind at the top). */
export function isKubernetesObject(doc: ManifestDocument): boolean {
  if (doc.apiVersion !== undefined && doc.kind !== undefined) return true;
  if (doc instanceof ParsedDocument && doc.declaresKubernetes !== undefined) return doc.declaresKubernetes;
  // value may be missing (syntax error elsewhere): look at the top-level map directly
  const c = doc.yaml.contents;
  if (!isMap(c)) return false;
  const scalar = (k: string) => {
    const n = c.get(k, true);
    return isScalar(n) && typeof n.value === 'string';
  };
  return scalar('apiVersion') && scalar('kind');
}

export type { Node };
