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

const MARKER = /^---(?=[ \t\r]|$)/;

export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let start = 0;
  let lineStart = 0;
  let sawContent = false; // a leading `---` after comments does not end an (empty) first document
  let sawMarker = false;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const line = text.slice(lineStart, lineEnd);
    const marker = MARKER.test(line);
    if (marker && (sawContent || sawMarker)) {
      chunks.push({ offset: start, source: text.slice(start, lineStart) });
      start = lineStart;
      sawContent = false;
    }
    if (marker) sawMarker = true;
    else if (line.trim() !== '' && !line.trimStart().startsWith('#') && !line.startsWith('%')) sawContent = true;
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  if (start < text.length || chunks.length === 0) chunks.push({ offset: start, source: text.slice(start) });
  return chunks;
}
