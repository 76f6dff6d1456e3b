// Stale results (issue #11): after many full-text replaces sent back to back, the diagnostics last
// published for the file are those a fresh server publishes when it opens the final text. The
// texts differ in which documents carry single- and cross-document findings, so cached findings
// of earlier versions would show.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { startedClient, LspClient } from './lsp-client';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';

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
