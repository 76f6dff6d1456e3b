// Stale results (issue #11): after many full-text replaces sent back to back, the diagnostics last
// published for the file are those a fresh server publishes when it opens the final text. The
// texts differ in which documents carry single- and cross-document findings, so cached findings
// of earlier versions would show.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { startedClient, LspClient } from './lsp-client';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';
import { random } from '../manifest/yaml-corpus';

const REPLACES = 40;
const uri = 'file:///virtual/stale/apps.yaml';
let client: LspClient;

before(async () => (client = await startedClient()));
after(() => client.shutdown());

/** Diagnostics in a stable order (the order of publication is not part of the contract). */
const sorted = (ds: Diagnostic[]) =>
  ds.map((d) => JSON.stringify([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.code, d.severity, d.message])).sort();

test('after rapid full-text replaces, the last diagnostics equal a fresh open of the final text', { timeout: 120_000 }, async () => {
  // Versions share most documents (same seed, growing), and some flip findings (other seeds).
  const texts = Array.from({ length: REPLACES }, (_, i) => (i % 3 === 2 ? mixedFile(20 + i, 100 + i) : mixedFile(20 + i, 11)));
  await client.open(uri, mixedFile(10, 5));
  const final = REPLACES + 1;
  const last = client.nextDiagnostics(uri, (p) => p.version === final, 60_000);
  // Sent without waiting for any answer, as an editor does while the user pastes and undoes.
  for (let v = 2; v <= final; v++) void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: texts[v - 2] }] });
  const published = await last;
  // A request answered after the final check: anything the server still had queued is out.
  await client.request('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(client.lastDiagnostics(uri), published.diagnostics, 'nothing was published after the final version');

  const fresh = new LspClient();
  try {
    await fresh.initialize();
    const expected = await fresh.open(uri, texts[texts.length - 1]);
    assert.ok(expected.length > 0, 'the final text has findings');
    assert.deepEqual(sorted(published.diagnostics), sorted(expected));
  } finally {
    await fresh.shutdown();
  }
});

test('after rapid incremental edits (ranges, several per change), the last diagnostics equal a fresh open of the final text', { timeout: 120_000 }, async () => {
  const editedUri = 'file:///virtual/stale/edited.yaml';
  const next = random(17);
  // Pieces that move document boundaries, selectors and names, so findings come and go across documents.
  const pieces = ['\n---\n', '---\n', '', 'x', '\n', '  app: web\n', 'kind: Service\n', '-0'];
  let doc = TextDocument.create(editedUri, 'yaml', 1, mixedFile(30, 7));
  // The first test's file is still open: its templates would be candidates in this file's messages.
  await client.close(uri);
  await client.open(editedUri, doc.getText());
  const final = 61;
  const last = client.nextDiagnostics(editedUri, (p) => p.version === final, 60_000);
  for (let v = 2; v <= final; v++) {
    const changes = [];
    for (let n = 1 + Math.floor(next() * 2); n > 0; n--) {
      const length = doc.getText().length;
      const start = Math.floor(next() * length);
      const end = Math.min(length, start + Math.floor(next() * 30));
      const change = { range: { start: doc.positionAt(start), end: doc.positionAt(end) }, text: pieces[Math.floor(next() * pieces.length)] };
      // Each change's range is in the text the changes before it left (LSP).
      doc = TextDocument.update(doc, [change], v);
      changes.push(change);
    }
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: editedUri, version: v }, contentChanges: changes });
  }
  const published = await last;
  await client.request('textDocument/documentSymbol', { textDocument: { uri: editedUri } });
  assert.equal(client.lastDiagnostics(editedUri), published.diagnostics, 'nothing was published after the final version');

  const fresh = new LspClient();
  try {
    await fresh.initialize();
    const expected = await fresh.open(editedUri, doc.getText());
    assert.ok(expected.length > 0, 'the final text has findings');
    assert.deepEqual(sorted(published.diagnostics), sorted(expected));
  } finally {
    await fresh.shutdown();
  }
});
