// Turns the text of a YAML file into Kubernetes documents with exact source offsets.
// Documents are split on `---` lines first so an edit re-parses only the documents it touched
// (see ManifestCache); offsets in every ManifestDocument are offsets into the whole file.
import { Document, parseDocument, isAlias, isMap, isScalar, isSeq, visit, type Node, type YAMLError } from 'yaml';
import { parseEvents, type Event } from 'js-yaml';
import { indexEvents, locateInEvents, locateInIndex, type IndexedNode } from './event-ranges';
import type { EventLocation, ManifestDocument, ManifestFile, ManifestProblem, Offsets, PathSegment, TemplateView } from './types';
import { fastLoad } from './fast-load';
import { splitDocuments, type DocumentChunk } from './split';
import { maskTemplateActions } from './template-mask';
import { decideVersionBranches, type BranchChoice, type TemplateCapabilities } from './template-branches';
import { duplicateKeys } from './duplicate-keys';

/**
 * A document asked for more ranges than this gets its events indexed (one pass, then lookups).
 * Not from the first lookup: a scan allocates nothing, and most documents are asked a few times
 * (indexing every document with a finding made the 1,000-finding open ~15% slower).
 */
const INDEX_AFTER_LOOKUPS = 16;

/** Aliases expanded per document before we refuse (billion-laughs protection). */
export const MAX_ALIAS_COUNT = 100;

const TEMPLATE_SYNTAX = /\{\{[\s\S]*?\}\}/;

export function parseManifest(text: string, uri = 'untitled:manifest.yaml', cache?: ManifestCache): ManifestFile {
  const documents = splitDocuments(text).map((chunk, index) => {
    const cached = cache?.get(chunk.source);
    const doc = cached ? rebase(cached, chunk, index) : parseChunk(chunk, index);
    cache?.set(chunk.source, doc);
    return doc;
  });
  return { uri, text, documents };
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
}

export function summarizeManifest(file: ManifestFile): DocumentSummary[] {
  return file.documents.map((doc) => ({ value: doc.value, templated: doc.templated, problems: doc.problems, fast: doc instanceof ParsedDocument && doc.hasEvents }));
}

/**
 * The file `parseManifest(text, uri)` returned in another thread, rebuilt from its summaries: the
 * text is split again (a line scan), values are taken as they are, and events or the tree are
 * parsed only if a range is asked for.
 */
export function restoreManifest(text: string, uri: string, summaries: DocumentSummary[]): ManifestFile {
  const chunks = splitDocuments(text);
  if (chunks.length !== summaries.length) throw new Error(`${uri}: ${chunks.length} documents, but ${summaries.length} summaries`);
  const documents = chunks.map((chunk, index) => {
    const { value, templated, problems, fast } = summaries[index];
    const tree = memoized(() => parseYaml(chunk.source));
    return new ParsedDocument(index, chunk.source, chunk.offset, value, templated, problems, tree, fast ? memoized(() => parseEvents(chunk.source, {})) : undefined);
  });
  return { uri, text, documents };
}

/** Parsed documents keyed by their exact source, so unchanged documents are not parsed again. */
export class ManifestCache {
  private entries = new Map<string, ManifestDocument>();
  private generation = new Set<string>();
  get(source: string): ManifestDocument | undefined {
    return this.entries.get(source);
  }
  set(source: string, doc: ManifestDocument): void {
    this.entries.set(source, doc);
    this.generation.add(source);
  }
  /** Drops every entry not used since the previous sweep (call after each full parse). */
  sweep(): void {
    for (const key of this.entries.keys()) if (!this.generation.has(key)) this.entries.delete(key);
    this.generation.clear();
  }
}

function parseChunk(chunk: DocumentChunk, index: number): ManifestDocument {
  // A template has no values until it is rendered: it is read through its masked view (`template`).
  if (TEMPLATE_SYNTAX.test(chunk.source)) return new ParsedDocument(index, chunk.source, chunk.offset, undefined, true, [], memoized(() => parseYaml(chunk.source)), undefined);
  const fast = fastLoad(chunk.source);
  if (fast) {
    // The events are parsed again when a range is asked for: cheaper than keeping ~100 per document.
    const events = memoized(() => parseEvents(chunk.source, {}));
    return new ParsedDocument(index, chunk.source, chunk.offset, fast.value, false, [], memoized(() => parseYaml(chunk.source)), events);
  }
  const yaml = parseYaml(chunk.source);
  const problems: ManifestProblem[] = [];
  for (const e of yaml.errors) problems.push(toProblem(e, chunk.offset, 'error'));
  for (const w of yaml.warnings) problems.push(toProblem(w, chunk.offset, 'warning'));
  for (const { key, repeats } of duplicateKeys(yaml)) {
    const [start, end] = repeats[0];
    const times = repeats.length === 1 ? '' : ` (\`${key.length > 60 ? `${key.slice(0, 60)}…` : key}\` is written ${(repeats.length + 1).toLocaleString('en-US')} times in this map)`;
    problems.push({ code: 'DUPLICATE_KEY', message: `Map keys must be unique${times}`, range: [chunk.offset + start, chunk.offset + end], severity: 'error' });
  }
  problems.sort((a, b) => a.range[0] - b.range[0]);
  let value: unknown;
  if (yaml.errors.length === 0) {
    try {
      value = yaml.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      problems.push(valueProblem(yaml, chunk, err));
    }
  }
  return new ParsedDocument(index, chunk.source, chunk.offset, value, false, problems, () => yaml, undefined);
}

/**
 * How every document is parsed: YAML 1.2 core schema as the API server's decoder reads it, strict,
 * and `<<` merge keys expanded (kubectl and the API server expand them). Duplicate keys are an
 * error too, found by duplicate-keys.ts rather than the library's quadratic check.
 */
export const YAML_PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: true, logLevel: 'error', merge: true } as const;

function parseYaml(source: string): Document.Parsed {
  return parseDocument(source, YAML_PARSE_OPTIONS);
}

/** Why the document has no value: a merge key on something that is not a map, or too many aliases. */
function valueProblem(yaml: Document.Parsed, chunk: DocumentChunk, err: unknown): ManifestProblem {
  const reason = err instanceof Error ? err.message : String(err);
  const firstLine: Offsets = [chunk.offset, chunk.offset + Math.min(chunk.source.length, firstLineLength(chunk.source))];
  if (/merge/i.test(reason)) {
    const key = badMergeKey(yaml);
    return {
      code: 'BAD_MERGE',
      message: 'A merge key (`<<`) takes a map, an alias of a map, or a list of those; the document is not validated further.',
      range: key ? [chunk.offset + key[0], chunk.offset + key[1]] : firstLine,
      severity: 'error',
    };
  }
  return {
    code: 'ALIAS_LIMIT',
    message: `YAML aliases expand to too many nodes (limit ${MAX_ALIAS_COUNT}); the document is not validated further. ${reason}`,
    range: firstLine,
    severity: 'error',
  };
}

/** The first `<<` key whose value is not a map or an alias (a list of them is checked by yaml itself). */
function badMergeKey(yaml: Document.Parsed): Offsets | undefined {
  let found: Offsets | undefined;
  visit(yaml, {
    Pair(_, pair) {
      const mergeable = (n: unknown) => isMap(n) || isAlias(n);
      if (isScalar(pair.key) && pair.key.source === '<<' && pair.key.range && !(mergeable(pair.value) || (isSeq(pair.value) && pair.value.items.every(mergeable)))) {
        found = [pair.key.range[0], pair.key.range[1]];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

type Tree = () => Document.Parsed;

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
    /** The fast loader's events, for ranges without the tree; undefined for documents read by `yaml`. */
    private readonly events: (() => Event[]) | undefined,
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

  get hasEvents(): boolean {
    return this.events !== undefined;
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
    return new ParsedDocument(index, this.source, chunk.offset, this.value, this.templated, problems, this.tree, this.events);
  }
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
  const yaml = parseYaml(masked);
  if (yaml.errors.length > 0) return undefined;
  let value: unknown;
  try {
    value = yaml.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return undefined;
  }
  const document = new ParsedDocument(doc.index, masked, doc.offset, value, false, [], () => yaml, undefined);
  const shift = ([start, end]: [number, number]): Offsets => [doc.offset + start, doc.offset + end];
  return { document, actions: spans.map(shift), blocks: blocks.map(shift) };
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

function toProblem(e: YAMLError, offset: number, severity: 'error' | 'warning'): ManifestProblem {
  const [start, end] = e.pos;
  // The parser's own words here are "Maximum call stack size exceeded": say what it means.
  const message = e.code === 'RESOURCE_EXHAUSTION' ? 'This YAML nests too deeply to be read (the parser ran out of stack here); no manifest needs that many levels, so the document is not checked' : e.message.split('\n')[0];
  return { code: e.code, message, range: [offset + start, offset + Math.max(end, start + 1)], severity };
}

function firstLineLength(s: string): number {
  const nl = s.indexOf('\n');
  return nl < 0 ? s.length : nl;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A document that declares itself a Kubernetes object (string apiVersion and kind at the top). */
export function isKubernetesObject(doc: ManifestDocument): boolean {
  if (doc.apiVersion !== undefined && doc.kind !== undefined) return true;
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
