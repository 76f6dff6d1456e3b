// The bundled server also speaks over node IPC (the other tests use stdio, the transport of the bin and the VS Code client):
// what vscode-languageclient uses for TransportKind.ipc.
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { before, test } from 'node:test';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import type { InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ensureBuilt, SERVER, fixture } from './lsp-client';

before(ensureBuilt);

test('--node-ipc: initialize, didOpen and diagnostics over the IPC channel', async () => {
  const child = fork(SERVER, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  try {
    const init = await connection.sendRequest<InitializeResult>('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.equal(init.serverInfo?.name, 'kdry-language-server');
    await connection.sendNotification('initialized', {});
    const uri = 'file:///ipc/tabs.yaml';
    const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification('textDocument/publishDiagnostics', resolve));
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: fixture('daemonset-tabs.original.yaml') } });
    const p = await published;
    assert.equal(p.uri, uri);
    assert.ok(p.diagnostics.some((d) => d.code === 'yaml-syntax'));
  } finally {
    connection.dispose();
    child.kill();
  }
});
