// The stdio encoder (lsp/message-encoder.ts) writes exactly the bytes vscode-jsonrpc's own encoder
// writes (UTF-8 of JSON.stringify), also when a publish reuses diagnostics of an earlier one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Message } from 'vscode-jsonrpc';
import type { Diagnostic } from 'vscode-languageserver';
import { encodeMessage } from '../../server/src/lsp/message-encoder';

const library = (msg: Message) => Buffer.from(JSON.stringify(msg, undefined, 0), 'utf-8');
const publish = (uri: string, diagnostics: Diagnostic[], version?: number): Message =>
  ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: version === undefined ? { uri, diagnostics } : { uri, version, diagnostics } }) as Message;
const diagnostic = (line: number, message: string): Diagnostic => ({ range: { start: { line, character: 2 }, end: { line, character: 9 } }, severity: 1, code: 'image-latest-tag', source: 'kdry', message });

test('a publish is the bytes of JSON.stringify, first and again with kept diagnostics', () => {
  const kept = [diagnostic(3, 'The image has no tag: `:latest` is pulled.'), diagnostic(40, 'Ünïcode — “quoted” 𝒦 and "escapes"\n\t\\')];
  const first = publish('file:///a.yaml', kept, 1);
  assert.deepEqual(encodeMessage(first), library(first));
  // The second publish reuses both objects (their bytes come from the cache) and adds a new one.
  const second = publish('file:///a.yaml', [kept[0], diagnostic(7, 'new'), kept[1]], 2);
  assert.deepEqual(encodeMessage(second), library(second));
  assert.equal(JSON.parse(encodeMessage(second).toString('utf-8')).params.diagnostics[2].message, kept[1].message);
});

test('the diagnostics go where the key is, whatever the uri holds; no version; none at all', () => {
  for (const msg of [
    publish('file:///x/%22diagnostics%22:[]/"diagnostics":[].yaml', [diagnostic(1, 'a'), diagnostic(2, 'b')], 9),
    publish('file:///no-version.yaml', [diagnostic(1, 'a')]),
    publish('file:///cleared.yaml', [], 3),
  ])
    assert.deepEqual(encodeMessage(msg), library(msg));
});

test('other messages are encoded as the library does', () => {
  const messages = [
    { jsonrpc: '2.0', id: 1, result: { capabilities: { textDocumentSync: 2 }, serverInfo: { name: 'kdry-language-server' } } },
    { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'ö "diagnostics":[]' } },
    { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///odd.yaml' } },
  ] as unknown as Message[];
  for (const msg of messages) assert.deepEqual(encodeMessage(msg), library(msg));
});
