// The shapes manifest/ hands to every other layer: a parsed file, its documents, source offsets
// and object paths. Types only, so every module of manifest/ (and above) can import them without
// importing each other.
import type { Document } from 'yaml';

/** [start, end) offsets into the whole file's text. */
export type Offsets = [start: number, end: number];

export interface ManifestProblem {
  code: string; // yaml error code (e.g. DUPLICATE_KEY, BAD_INDENT) or kdry code (ALIAS_LIMIT)
  message: string;
  range: Offsets; // file offsets
  severity: 'error' | 'warning';
}

export interface ManifestDocument {
  /** 0-based position of the document in its file. */
  index: number;
  /** The document's own source text (cache key). */
  source: string;
  /** File offset where this document's text starts. */
  offset: number;
  /** File offsets of the whole document. */
  range: Offsets;
  /**
   * The parsed YAML document; node ranges are relative to `offset` (use nodeRange/keyRange). Built
   * on first use for documents the fast loader read (see fast-load.ts).
   */
  readonly yaml: Document.Parsed;
  /**
   * Key and value ranges (document offsets) at `path` from the fast loader's events, without
   * building `yaml`; 'tree' when only the tree can tell (see event-ranges.ts and locate.ts).
   */
  locateFast(path: readonly PathSegment[]): EventLocation | 'tree';
  /** Plain JS value, or undefined when it could not be produced (alias bomb, syntax error) or is a template. */
  value: unknown;
  apiVersion?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  /** Contains Go/Helm template syntax (`{{ ... }}`): never reported as broken YAML. */
  templated: boolean;
  /**
   * A templated document with its actions masked (template-mask.ts), for checking what is written
   * literally; undefined when the document is not templated or what is left is not valid YAML.
   */
  readonly template?: TemplateView;
  /** YAML-level problems (syntax, duplicate keys, alias limits), already in file offsets. */
  problems: ManifestProblem[];
}

export interface TemplateView {
  /** The masked document: same offsets as the original, placeholders where the actions were. */
  document: ManifestDocument;
  /** The actions, as file offsets: a finding that touches one depends on what the template renders. */
  actions: Offsets[];
  /** What control actions (`if`, `with`, `range`, ...) enclose, as file offsets. */
  blocks: Offsets[];
}

export interface ManifestFile {
  uri: string;
  /** The whole text; for an editor's buffer kept in pieces, joined on first read (so a check should ask `pieces` first). */
  text: string;
  documents: ManifestDocument[];
  /** The text as its documents' chunks, when the editor keeps it so (lsp/document-text.ts). */
  pieces?: TextPieces;
}

/**
 * A text kept as the chunks of its `---` split (see split.ts), answering what a check asks of the
 * whole text without joining it: an edit of a 1,000-document file then copies one chunk, not 900 KB.
 */
export interface TextPieces {
  readonly length: number;
  /** In file order; each starts where the previous one ends. */
  readonly chunks: readonly { readonly offset: number; readonly source: string }[];
  /** The whole text, joined on first read. */
  readonly text: string;
  /** Whether the text holds `needle` (see textIncludes in file-text.ts); remembered per chunk. */
  includes(needle: string): boolean;
}

export type PathSegment = string | number;
export type ObjectPath = PathSegment[];

/** What the events say about a path: absent, or its key's and node's ranges (document offsets). */
export type EventLocation = undefined | { key: Offsets | undefined; node: Offsets | 'tree' };
