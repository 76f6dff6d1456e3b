// A diagnostic whose document moved by whole lines (Enter, a deleted or pasted line above it):
// the same diagnostic with its range's lines moved, made without converting its finding again
// (two position searches) and sent without stringifying it again.
// A document starts at a line start (lsp/document-text.ts), so a finding inside it keeps its
// characters when the document moves by lines. Before, Enter in the middle of the mixed
// 1,000-document file of `npm run bench lsp-realistic` converted and stringified again the ~500
// diagnostics after it on every press.
import type { Diagnostic } from 'vscode-languageserver';

/**
 * Moved diagnostic -> a diagnostic whose JSON is the moved one's but for the range: the encoder
 * (message-encoder.ts) copies the rest from where the original was last sent. Always the first
 * original, never a moved copy that was itself never sent: at most one step per diagnostic, so
 * nothing chains however often a document moves.
 */
const originals = new WeakMap<Diagnostic, Diagnostic>();

/** `d` moved by `lines` (its JSON: keys in the same order, the range first). */
export function movedDiagnostic(d: Diagnostic, lines: number): Diagnostic {
  const { start, end } = d.range;
  const moved: Diagnostic = { ...d, range: { start: { line: start.line + lines, character: start.character }, end: { line: end.line + lines, character: end.character } } };
  originals.set(moved, originals.get(d) ?? d);
  return moved;
}

/** The diagnostic `d` was moved from, if it was made by movedDiagnostic and not yet sent. */
export function originalOf(d: Diagnostic): Diagnostic | undefined {
  return originals.get(d);
}

/** `d` was sent: its own bytes are kept from now on. */
export function forgetOriginal(d: Diagnostic): void {
  originals.delete(d);
}
