// A large file's open publishes its first documents' own findings first, then all of them
// (lsp/diagnostics.ts, HEAD_DOCUMENTS): the first publication is part of the second, lies within
// the first documents, and the second is what the whole check of the file gives (the publisher
// run in this process on the same text, without a first publication). Run twice: the server started
// as a first start is, and started from the code cache of its bundle (server-start.ts), as every
// later start in VS Code is.
import assert from 'node:assert/strict';
import { afterEach, before, beforeEach, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { HEAD_DOCUMENTS, HEAD_FROM_DOCUMENTS } from '../../server/src/lsp/diagnostics';
import { mixedFile } from '../../scripts/bench/inputs/mixed-file';
import { codeCacheCommand, primedCodeCache } from './code-cache-start';
import { startedClient, type LspClient } from './lsp-client';
import { diagnosticKey, wholeCheck } from './whole-check';

const key = diagnosticKey;

for (const cached of [false, true]) describe(cached ? 'started from a code cache' : 'started without a code cache', () => {
  let dir: string | undefined;
  if (cached) before(async () => (dir = await primedCodeCache()), { timeout: 120_000 });
  // A server per test: an open file's templates would show in the other file's cross-document messages.
  let client: LspClient;
  beforeEach(async () => (client = await startedClient(dir ? { command: codeCacheCommand(dir) } : {})));
  afterEach(() => client.shutdown());

  test('a large file: its first documents first, then every finding of the whole check', { timeout: 120_000 }, async () => {
    const uri = 'file:///virtual/first-publication/apps.yaml';
    const text = mixedFile(HEAD_FROM_DOCUMENTS + 40, 21);
    const second = new Promise<PublishDiagnosticsParams>((resolve) => {
      let count = 0;
      const stop = client.onDiagnostics((p) => p.uri === uri && ++count === 2 && (stop(), resolve(p)));
    });
    const first = await client.open(uri, text);
    const all = (await second).diagnostics;

    // Where document HEAD_DOCUMENTS + 1 starts (the mixed file separates documents with `---` lines).
    const separators = [...text.matchAll(/^---$/gm)].map((m) => text.slice(0, m.index).split('\n').length - 1);
    const headEnd = separators[HEAD_DOCUMENTS - 1];
    assert.ok(first.length > 0 && first.length < all.length, `first ${first.length}, all ${all.length}`);
    assert.ok(first.every((d) => d.range.end.line <= headEnd), 'the first publication holds the first documents only');
    const allKeys = new Set(all.map(key));
    assert.deepEqual(first.filter((d) => !allKeys.has(key(d))), [], 'every first finding is in the whole check');
    assert.ok(all.some((d) => d.range.start.line > headEnd), 'the whole check reaches past the first documents');
    assert.deepEqual(all.map(key).sort(), wholeCheck(uri, text).map(key).sort());
  });

  test('a file below the threshold is published once, whole', async () => {
    const uri = 'file:///virtual/first-publication/small.yaml';
    const text = mixedFile(HEAD_FROM_DOCUMENTS - 20, 22);
    let count = 0;
    const stop = client.onDiagnostics((p) => p.uri === uri && count++);
    const first = await client.open(uri, text);
    // Answered after anything the open still had queued.
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    stop();
    assert.equal(count, 1);
    assert.deepEqual(first.map(key).sort(), wholeCheck(uri, text).map(key).sort());
  });
});
