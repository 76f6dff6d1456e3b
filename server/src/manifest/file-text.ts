// What a check asks of a file's whole text, answered without joining an editor's buffer kept in
// pieces (ManifestFile.pieces, lsp/document-text.ts): its length, and whether it holds a string.
import type { ManifestFile } from './types';

export function textLength(file: ManifestFile): number {
  return file.pieces ? file.pieces.length : file.text.length;
}

/**
 * Whether the file's text holds `needle`, a string whose only line break, if any, ends it (so it
 * never straddles two pieces, which start after a line break). A buffer in pieces remembers the
 * answer per piece; a plain text is scanned once per needle (the editor asks several times per check).
 */
export function textIncludes(file: ManifestFile, needle: string): boolean {
  if (file.pieces) return file.pieces.includes(needle);
  const text = file.text;
  let last = lastScans.get(needle);
  if (last?.text !== text) lastScans.set(needle, (last = { text, holds: text.includes(needle) }));
  return last.holds;
}

const lastScans = new Map<string, { text: string; holds: boolean }>();

/** The 1-based line of a text's offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
