// An open document's text kept as the chunks of its `---` split, one per YAML document, so an edit
// copies only the chunk it falls in. vscode-languageserver-textdocument's update built a new string
// of the whole text on every keystroke (900 KB for the mixed 1,000-document file: about 4 ms with
// the page faults and the old-space garbage) and the file store's split then read it again. Here the
// whole text is joined only when something asks for it (a request's feature, a rare edit across a
// `---` line); the check reads the chunks (FileStore) and positions come from per-chunk line counts.
import type { Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { isMarkerAt, resplitDocuments, splitDocuments, type DocumentChunk, type TextPieces } from '../manifest';

/**
 * What is known of one chunk's source; kept while the source is (a chunk that only moved keeps it).
 * Every field is set when the facts are made (factsOf), so all have one hidden class: facts that
 * gained `holds` later had another, and chunkHolds' optimised code was thrown away ("wrong map")
 * during the first edits after an open.
 */
interface ChunkFacts {
  /** Line breaks in the source (\r\n, \r or \n, as TextDocument counts them). */
  breaks: number;
  /** The source as a TextDocument, for positions within it (built on first use). */
  lines: TextDocument | undefined;
  /** needle -> whether the source holds it. */
  holds: Map<string, boolean> | undefined;
}

/** One version of the text: immutable, so a parsed file may keep it (ManifestFile.pieces). */
export class TextSnapshot implements TextPieces {
  private joined: string | undefined;
  /** linesBefore[i]: the line chunk i starts on (built on first use). */
  private linesBefore: number[] | undefined;
  /**
   * needle -> how many chunks hold it, for the needles asked of this text or of the one it was
   * edited from: an edit within one chunk counts that chunk again, not every chunk (the check asks
   * for a NUL byte, suppression comments and CRLF after each keystroke).
   */
  private holding: Map<string, number> | undefined;

  private constructor(
    readonly chunks: readonly DocumentChunk[],
    private readonly facts: readonly ChunkFacts[],
    readonly length: number,
    joined?: string,
  ) {
    this.joined = joined;
  }

  static of(text: string): TextSnapshot {
    const chunks = splitDocuments(text);
    return new TextSnapshot(chunks, chunks.map((c) => factsOf(c.source)), text.length, text);
  }

  get text(): string {
    return (this.joined ??= this.chunks.map((c) => c.source).join(''));
  }

  includes(needle: string): boolean {
    let count = this.holding?.get(needle);
    if (count === undefined) {
      count = 0;
      // An opened text is whole: one search of it answers "none" (the usual answer) without a search per chunk.
      if (this.joined === undefined || this.joined.includes(needle)) for (let i = 0; i < this.chunks.length; i++) if (chunkHolds(this.facts[i], this.chunks[i].source, needle)) count++;
      (this.holding ??= new Map()).set(needle, count);
    }
    return count > 0;
  }

  get lineCount(): number {
    const before = this.lineStarts();
    return before[before.length - 1] + this.facts[this.facts.length - 1].breaks + 1;
  }

  /** As TextDocument.positionAt: the offset clamped to the text, never between a \r and its \n. */
  positionAt(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.length));
    const i = this.chunkAtOffset(at);
    // A document's start (each diagnostic's document is placed so): no need for its own lines.
    if (at === this.chunks[i].offset) return { line: this.lineStarts()[i], character: 0 };
    const p = this.linesOf(i).positionAt(at - this.chunks[i].offset);
    return { line: this.lineStarts()[i] + p.line, character: p.character };
  }

  /** positionAt(offset).line, without making the position (asked for every document's start after each keystroke). */
  lineAt(offset: number): number {
    const at = Math.max(0, Math.min(offset, this.length));
    const i = this.chunkAtOffset(at);
    return at === this.chunks[i].offset ? this.lineStarts()[i] : this.positionAt(at).line;
  }

  /** As TextDocument.offsetAt: a line past the end is the end, a character past the line's end is its end. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineCount) return this.length;
    const i = this.chunkAtLine(position.line);
    return this.chunks[i].offset + this.linesOf(i).offsetAt({ line: position.line - this.lineStarts()[i], character: position.character });
  }

  getText(range?: Range): string {
    if (!range) return this.text;
    // TextDocument's substring swaps reversed ends; so do we.
    const [start, end] = [this.offsetAt(range.start), this.offsetAt(range.end)].sort((a, b) => a - b);
    const i = this.chunkAtOffset(start);
    const chunk = this.chunks[i];
    // Within one chunk (the usual request): no need to join the text.
    return end <= chunk.offset + chunk.source.length ? chunk.source.substring(start - chunk.offset, end - chunk.offset) : this.text.substring(start, end);
  }

  /** As TextDocument.getLineRange: a line before the text is empty, one past it is the last line. */
  getLineRange(line: number): Range {
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const clamped = Math.min(line, this.lineCount - 1);
    const i = this.chunkAtLine(clamped);
    const first = this.lineStarts()[i];
    const r = this.linesOf(i).getLineRange(clamped - first);
    return { start: { line: first + r.start.line, character: r.start.character }, end: { line: first + r.end.line, character: r.end.character } };
  }

  getEOLCharacters(line: number): string {
    if (line < 0 || line >= this.lineCount) return '';
    const i = this.chunkAtLine(line);
    return this.linesOf(i).getEOLCharacters(line - this.lineStarts()[i]);
  }

  /** The text after one change from the editor (its range in this text). */
  changed(change: TextDocumentContentChangeEvent): TextSnapshot {
    if (!('range' in change)) return TextSnapshot.of(change.text);
    const [from, to] = ordered(change.range);
    const start = this.offsetAt(from);
    const end = this.offsetAt(to);
    return this.withinChunk(start, end, change.text) ?? this.resplit(start, end, change.text);
  }

  /**
   * The edit made inside one chunk, when it leaves the split as it was: the chunk is still one
   * chunk that ends with a line break before the next chunk's `---` line, and that line still
   * starts a chunk.
   */
  private withinChunk(start: number, end: number, inserted: string): TextSnapshot | undefined {
    const i = this.chunkAtOffset(start);
    const chunk = this.chunks[i];
    const chunkEnd = chunk.offset + chunk.source.length;
    if (end > chunkEnd) return undefined;
    const source = chunk.source.slice(0, start - chunk.offset) + inserted + chunk.source.slice(end - chunk.offset);
    const last = i === this.chunks.length - 1;
    if (!last && source.charCodeAt(source.length - 1) !== 10) return undefined;
    if (i > 0 ? !isMarkerAt(source, 0) || hasMarkerAfterStart(source) : !stillFirstChunk(source, last)) return undefined;
    const delta = source.length - chunk.source.length;
    const chunks = this.chunks.slice();
    chunks[i] = { offset: chunk.offset, source };
    if (delta !== 0) for (let j = i + 1; j < chunks.length; j++) chunks[j] = { offset: chunks[j].offset + delta, source: chunks[j].source };
    const facts = this.facts.slice();
    facts[i] = factsOf(source);
    const edited = new TextSnapshot(chunks, facts, this.length + delta);
    if (this.holding) {
      edited.holding = new Map();
      for (const [needle, count] of this.holding) edited.holding.set(needle, count - Number(chunkHolds(this.facts[i], chunk.source, needle)) + Number(chunkHolds(facts[i], source, needle)));
    }
    return edited;
  }

  /** Any other edit: applied to the whole text, and split again where it fell (resplitDocuments). */
  private resplit(start: number, end: number, inserted: string): TextSnapshot {
    const before = this.text;
    const text = before.slice(0, start) + inserted + before.slice(end);
    const chunks = resplitDocuments(before, this.chunks, text, { start, end: start + inserted.length });
    const known = new Map<string, ChunkFacts>();
    this.chunks.forEach((c, i) => known.set(c.source, this.facts[i]));
    return new TextSnapshot(chunks, chunks.map((c) => known.get(c.source) ?? factsOf(c.source)), text.length, text);
  }

  private linesOf(i: number): TextDocument {
    return (this.facts[i].lines ??= TextDocument.create('', '', 0, this.chunks[i].source));
  }

  private lineStarts(): number[] {
    if (!this.linesBefore) {
      const before = new Array<number>(this.chunks.length);
      let line = 0;
      for (let i = 0; i < this.chunks.length; i++) {
        before[i] = line;
        line += this.facts[i].breaks;
      }
      this.linesBefore = before;
    }
    return this.linesBefore;
  }

  /** The last chunk starting at or before `offset`. */
  private chunkAtOffset(offset: number): number {
    return lastAtOrBefore(this.chunks.length, (i) => this.chunks[i].offset, offset);
  }

  /** The last chunk starting on or before `line` (a chunk's own last, empty line is the next chunk's first). */
  private chunkAtLine(line: number): number {
    const before = this.lineStarts();
    return lastAtOrBefore(before.length, (i) => before[i], line);
  }
}

/**
 * The TextDocument the server's TextDocuments holds for an open file (its create and update hooks):
 * the same answers as vscode-languageserver-textdocument's, from a TextSnapshot.
 */
export class DocumentText implements TextDocument {
  private constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    public snapshot: TextSnapshot,
  ) {}

  static create(uri: string, languageId: string, version: number, content: string): DocumentText {
    return new DocumentText(uri, languageId, version, TextSnapshot.of(content));
  }

  /** Applies the editor's changes in order (each range is in the text the previous ones left). */
  static update(doc: DocumentText, changes: TextDocumentContentChangeEvent[], version: number): DocumentText {
    for (const change of changes) doc.snapshot = doc.snapshot.changed(change);
    doc.version = version;
    return doc;
  }

  get lineCount(): number {
    return this.snapshot.lineCount;
  }
  getText(range?: Range): string {
    return this.snapshot.getText(range);
  }
  positionAt(offset: number): Position {
    return this.snapshot.positionAt(offset);
  }
  offsetAt(position: Position): number {
    return this.snapshot.offsetAt(position);
  }
  getLineRange(line: number): Range {
    return this.snapshot.getLineRange(line);
  }
  getEOLCharacters(line: number): string {
    return this.snapshot.getEOLCharacters(line);
  }
}

/** `doc.positionAt(offset).line`; a held document's without making the position. */
export function lineAt(doc: TextDocument, offset: number): number {
  return doc instanceof DocumentText ? doc.snapshot.lineAt(offset) : doc.positionAt(offset).line;
}

/** What the file store parses: a held document's pieces (no join), any other document's text. */
export function contentOf(doc: TextDocument): string | TextSnapshot {
  return doc instanceof DocumentText ? doc.snapshot : doc.getText();
}

/** Whether a chunk's source holds `needle`, remembered with its facts (a chunk that only moved keeps them). */
function chunkHolds(facts: ChunkFacts, source: string, needle: string): boolean {
  let held = facts.holds?.get(needle);
  if (held === undefined) (facts.holds ??= new Map()).set(needle, (held = source.includes(needle)));
  return held;
}

function factsOf(source: string): ChunkFacts {
  let breaks = 0;
  for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) breaks++;
  // A \r not followed by \n ends a line too (rare: count them only when there is one).
  for (let at = source.indexOf('\r'); at >= 0; at = source.indexOf('\r', at + 1)) if (source.charCodeAt(at + 1) !== 10) breaks++;
  return { breaks, lines: undefined, holds: undefined };
}

/** The range's ends in text order (an editor may send them reversed; TextDocument swaps them too). */
function ordered({ start, end }: Range): [Position, Position] {
  return start.line > end.line || (start.line === end.line && start.character > end.character) ? [end, start] : [start, end];
}

/** The last index i < count with key(i) <= value (0 when none is). */
function lastAtOrBefore(count: number, key: (i: number) => number, value: number): number {
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (key(mid) <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}

/**
 * The first chunk's source after an edit splits as one chunk, and (unless it is the only one) a
 * `---` line after it still starts the next: before the first `---`, comments and directives do not
 * end a document, so whether it does depends on what the chunk holds (the split itself tells).
 */
function stillFirstChunk(source: string, only: boolean): boolean {
  return splitDocuments(source).length === 1 && (only || splitDocuments(`${source}---\n`).length === 2);
}

/** A `---` line after the first line: it would start another document. */
function hasMarkerAfterStart(source: string): boolean {
  for (let nl = source.indexOf('\n---'); nl >= 0; nl = source.indexOf('\n---', nl + 1)) if (isMarkerAt(source, nl + 1)) return true;
  return false;
}
