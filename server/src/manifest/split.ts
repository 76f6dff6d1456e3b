// Splits a YAML stream at its document markers. A `---` at column 0 always starts a new document
// in YAML (even inside a block scalar), so a line scan finds the same boundaries the parser would.
// Each chunk holds at most one marker: `---` after `---` (an empty document, common in generated
// and kustomize output) starts a chunk of its own, and CRLF files end marker lines with `\r`.
export interface DocumentChunk {
  /** File offset where the chunk starts. */
  offset: number;
  /** The chunk text, including its own `---` line. */
  source: string;
}

export function splitDocuments(text: string): DocumentChunk[] {
  return splitRange(text, 0, text.length).chunks;
}

/**
 * Where an edit may have changed a text: `text[start, end)`. Before `start` the text is the
 * previous one; from `end` on it is the previous one moved by the difference in length. The
 * editor says so with each change (lsp/document-text.ts, for an edit across a `---` line), which
 * spares comparing every document's text with the previous one's to find the edit.
 */
export interface EditedRegion {
  start: number;
  end: number;
}

/**
 * The chunks of `text` after an edit of `previousText` (whose chunks were `previous`): the same
 * as splitDocuments(text), but the chunks before and after the edit are `previous`'s own objects
 * (moved), so their `source` strings are the very strings the caches were keyed on; only the
 * edited region is scanned. An edit typed into a 1,000-document file re-splits one document.
 * `edited`, when known, is where the edit fell: chunks wholly outside it are not compared.
 */
export function resplitDocuments(previousText: string, previous: readonly DocumentChunk[], text: string, edited?: EditedRegion): DocumentChunk[] {
  if (previousText.length === 0 || text.length === 0 || previous.length === 0) return splitDocuments(text);
  // Chunks before the edit: identical text up to their end, and a marker line (or the end) next.
  let kept = 0;
  let prefixEnd = 0;
  for (const chunk of previous) {
    const end = chunk.offset + chunk.source.length;
    if (end > text.length || (!(edited && end <= edited.start) && !sameAt(text, chunk.offset, chunk.source))) break;
    // A lone first chunk of comments would not end at a marker added after it: it is split afresh.
    const last = chunk === previous[previous.length - 1];
    if (!(end === text.length || (text.charCodeAt(end - 1) === 10 && isMarkerAt(text, end) && (!last || chunk.offset > 0)))) break;
    kept++;
    prefixEnd = end;
  }
  if (kept === previous.length && prefixEnd === text.length) return previous.slice();
  // Chunks after the edit: identical text from their (moved) start to the end of the text. Each
  // starts with its marker line; the first chunk may not, so it is never taken from the end.
  const delta = text.length - previousText.length;
  let suffixFrom = previous.length;
  while (suffixFrom - 1 >= Math.max(kept, 1)) {
    const chunk = previous[suffixFrom - 1];
    const at = chunk.offset + delta;
    if (at < prefixEnd || (at > 0 && text.charCodeAt(at - 1) !== 10) || (!(edited && at >= edited.end) && !sameAt(text, at, chunk.source))) break;
    suffixFrom--;
  }
  const suffixStart = suffixFrom < previous.length ? previous[suffixFrom].offset + delta : text.length;
  const middle = splitRange(text, prefixEnd, suffixStart);
  // Nothing in the middle but comments: its end is no boundary, so the first kept chunk would
  // not start a document of its own (the full split joins them).
  if (kept === 0 && suffixFrom < previous.length && !middle.splitsAtEnd) return splitDocuments(text);
  const chunks = previous.slice(0, kept);
  if (suffixStart > prefixEnd) chunks.push(...middle.chunks);
  for (let i = suffixFrom; i < previous.length; i++) chunks.push(delta === 0 ? previous[i] : { offset: previous[i].offset + delta, source: previous[i].source });
  return chunks;
}

/**
 * The chunks of text[from, to), a range that starts at a chunk boundary (or the start of the
 * text) and ends at one (or the end of the text), and whether a marker line at `to` would start
 * a chunk (something other than comments came before it).
 */
function splitRange(text: string, from: number, to: number): { chunks: DocumentChunk[]; splitsAtEnd: boolean } {
  const chunks: DocumentChunk[] = [];
  let start = from;
  // Before the first marker line: a marker after only comments and directives does not end an
  // (empty) first document. From the first marker or content line on, every marker line does.
  let lineStart = from;
  let splitting = false;
  while (!splitting && lineStart < to) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 || nl > to ? to : nl;
    const line = text.slice(lineStart, lineEnd);
    if (isMarkerAt(text, lineStart) || (line.trim() !== '' && !line.trimStart().startsWith('#') && !line.startsWith('%'))) splitting = true;
    lineStart = lineEnd + 1;
  }
  if (splitting) {
    // Only marker lines matter now: a `---` right after a line break.
    for (let nl = text.indexOf('\n---', lineStart - 1); nl >= 0 && nl + 1 < to; nl = text.indexOf('\n---', nl + 4)) {
      if (!isMarkerAt(text, nl + 1)) continue;
      chunks.push({ offset: start, source: text.slice(start, nl + 1) });
      start = nl + 1;
    }
  }
  if (start < to || chunks.length === 0) chunks.push({ offset: start, source: text.slice(start, to) });
  return { chunks, splitsAtEnd: splitting };
}

/** `text` holds `source` at `at`. A slice (no copy) compared with === is several times faster than startsWith. */
function sameAt(text: string, at: number, source: string): boolean {
  return text.slice(at, at + source.length) === source;
}

/** A `---` marker line starts at `at` (`---` then a space, a tab, a line end or the end of the text). */
export function isMarkerAt(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 45 || text.charCodeAt(at + 1) !== 45 || text.charCodeAt(at + 2) !== 45) return false;
  const next = text.charCodeAt(at + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 13 || next === 10;
}
