// Where each open document's text changed since the file store last read it, from the ranges the
// editor sends with each change (textDocument/didChange). The store's incremental split then
// compares no document's text to find the edit: on a 1,000-document file that compare read the
// whole text and made a slice per document on every keystroke.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { EditedRegion } from '../manifest';

/** What changed from `base` to `text`: `text[start, end)` (start > end: nothing). */
interface Edited extends EditedRegion {
  base: string;
  text: string;
}

export class EditedRanges {
  private edited = new Map<string, Edited>();

  /** TextDocuments' update (its `update` hook): applies the changes one by one and notes where each fell. */
  readonly update = (doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument => {
    const before = doc.getText();
    const known = this.edited.get(doc.uri);
    // Changes since the store's last read add up; a text the store never saw starts afresh.
    const edited: Edited = known && known.text === before ? known : { base: before, text: before, start: Infinity, end: -Infinity };
    for (const change of changes) {
      if (!('range' in change)) {
        edited.start = 0;
        edited.end = change.text.length;
      } else {
        const a = doc.offsetAt(change.range.start);
        const b = doc.offsetAt(change.range.end);
        widen(edited, Math.min(a, b), Math.max(a, b), change.text.length);
      }
      doc = TextDocument.update(doc, [change], version);
    }
    edited.text = doc.getText();
    this.edited.set(doc.uri, edited);
    return doc;
  };

  /**
   * Where `text` differs from the text last taken for `uri` (then `text` is the one taken), or
   * undefined when unknown (not the editor's current text).
   */
  take(uri: string, text: string): (EditedRegion & { base: string }) | undefined {
    const edited = this.edited.get(uri);
    if (!edited || edited.text !== text) return undefined;
    this.edited.set(uri, { base: text, text, start: Infinity, end: -Infinity });
    return edited;
  }

  forget(uri: string): void {
    this.edited.delete(uri);
  }
}

/**
 * The changed region after text[start, end) was replaced by `length` characters (all in the
 * current text's offsets). Worked example: changed [10, 20), then [5, 8) replaced by 1 character:
 * the region starts at 5 and its end moves by 1 - 3 = -2 to 18.
 */
function widen(edited: EditedRegion, start: number, end: number, length: number): void {
  const delta = length - (end - start);
  const previousEnd = edited.end <= start ? edited.end : edited.end >= end ? edited.end + delta : start + length;
  edited.start = Math.min(edited.start, start);
  edited.end = Math.max(previousEnd, start + length);
}
