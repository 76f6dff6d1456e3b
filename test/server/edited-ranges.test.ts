// The edited region the language server hands its file store (lsp/edited-ranges.ts): after any
// run of editor changes, everything outside it is the text the store last took, and the store's
// incremental parse with it equals a fresh parse of the final text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { EditedRanges } from '../../server/src/lsp/edited-ranges';
import { FileStore } from '../../server/src/lsp/files';
import { parseManifest } from '../../server/src/manifest';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';
import { random } from '../manifest/yaml-corpus';

const uri = 'file:///virtual/edited.yaml';
const PIECES = ['x', '\n', '---\n', '\n---\n', 'a: 1\n', '  ', '', '# c\n', 'kind: Service\n'];

/** A random change of `doc`'s text in LSP form: a range (possibly reversed or empty) and new text. */
function randomChange(doc: TextDocument, next: () => number): TextDocumentContentChangeEvent {
  const text = doc.getText();
  if (next() < 0.02) return { text: text.slice(0, Math.floor(next() * text.length)) };
  const a = Math.floor(next() * (text.length + 1));
  const b = Math.min(text.length, a + Math.floor(next() * (next() < 0.1 ? 2000 : 20)));
  const [from, to] = next() < 0.1 ? [b, a] : [a, b];
  return { range: { start: doc.positionAt(from), end: doc.positionAt(to) }, text: PIECES[Math.floor(next() * PIECES.length)] };
}

test('outside the edited region, the text is the one last taken, moved by the change in length', () => {
  const next = random(3);
  const edited = new EditedRanges();
  let doc = TextDocument.create(uri, 'yaml', 1, mixedFile(30, 4));
  let taken = doc.getText();
  edited.take(uri, taken);
  for (let round = 0; round < 400; round++) {
    // Several changes per notification, and sometimes several notifications per take.
    for (let n = 1 + Math.floor(next() * 3); n > 0; n--) {
      const changes = Array.from({ length: 1 + Math.floor(next() * 3) }, () => randomChange(doc, next));
      // Each change's range is in the text as the changes before it left it (LSP): build them so.
      let scratch = TextDocument.create(uri, 'yaml', doc.version, doc.getText());
      const applied = changes.map((c) => {
        const change = 'range' in c ? { range: { start: scratch.positionAt(Math.min(scratch.offsetAt(c.range.start), scratch.getText().length)), end: scratch.positionAt(Math.min(scratch.offsetAt(c.range.end), scratch.getText().length)) }, text: c.text } : c;
        scratch = TextDocument.update(scratch, [change], scratch.version + 1);
        return change;
      });
      doc = edited.update(doc, applied, doc.version + 1);
      assert.equal(doc.getText(), scratch.getText());
    }
    const text = doc.getText();
    const region = edited.take(uri, text);
    assert.ok(region, `round ${round}: the region is known`);
    assert.equal(region.base, taken);
    const start = Math.min(region.start, text.length);
    const end = Math.max(region.end, start);
    assert.equal(text.slice(0, start), taken.slice(0, start), `round ${round}: before the region`);
    assert.equal(text.slice(end), taken.slice(end - (text.length - taken.length)), `round ${round}: after the region`);
    taken = text;
  }
});

test('a file store fed the edited regions parses each text as a fresh parse does', () => {
  const next = random(5);
  const edited = new EditedRanges();
  const files = new FileStore(edited);
  let doc = TextDocument.create(uri, 'yaml', 1, mixedFile(40, 9));
  files.update(uri, doc.getText());
  for (let round = 0; round < 150; round++) {
    doc = edited.update(doc, [randomChange(doc, next)], doc.version + 1);
    if (next() < 0.3) continue; // several edits before the store reads the text
    const file = files.update(uri, doc.getText());
    const fresh = parseManifest(doc.getText(), uri);
    assert.deepEqual(
      file.documents.map((d) => [d.offset, d.source, d.value]),
      fresh.documents.map((d) => [d.offset, d.source, d.value]),
      `round ${round}`,
    );
  }
  // A text the editor never sent (the file read again from disk) is split without a region.
  assert.equal(edited.take(uri, 'kind: Other\n'), undefined);
});
