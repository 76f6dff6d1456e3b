// The stdio encoder (lsp/message-encoder.ts) writes exactly the bytes vscode-jsonrpc's own encoder
// writes (UTF-8 of JSON.stringify), also when a publish reuses diagnostics of an earlier one; and
// over --stdio (lsp/connection.ts) nothing but messages reaches stdout.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Message } from 'vscode-jsonrpc';
import type { Diagnostic } from 'vscode-languageserver';
import { encodeMessage, streamMessageEncoder } from '../../server/src/lsp/message-encoder';

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

/**
 * 300 publishes that keep, drop, reorder and repeat earlier diagnostics, each checked against
 * JSON.stringify. Kept diagnostics are copied from the publish that last sent them, runs of
 * neighbours at once: each publish draws from every diagnostic made so far (several uris, runs
 * broken and joined, one object twice in a message) and adds new ones. Seeded, so every run is the same.
 */
async function randomPublishes(encode: (msg: Message) => Uint8Array | Promise<Uint8Array>): Promise<void> {
  let seed = 11;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const made: Diagnostic[] = [];
  for (let version = 1; version <= 300; version++) {
    const diagnostics: Diagnostic[] = [];
    const start = random(Math.max(1, made.length));
    for (let i = 0, n = random(40); i < n; i++) {
      const choice = random(10);
      if (choice < 6 && made.length > 0) diagnostics.push(made[(start + i) % made.length]);
      else if (choice < 8 && made.length > 0) diagnostics.push(made[random(made.length)]);
      else {
        const d = diagnostic(random(500), `finding ${made.length} ${'é'.repeat(random(3))}"${'x'.repeat(random(200))}`);
        made.push(d);
        diagnostics.push(d);
      }
    }
    const msg = publish(`file:///${random(3)}.yaml`, diagnostics, version);
    assert.deepEqual(Buffer.from(await encode(msg)), library(msg), `publish ${version}`);
  }
}

test('publishes that keep, drop, reorder and repeat earlier diagnostics are the bytes of JSON.stringify', async () => {
  await randomPublishes((msg) => encodeMessage(msg));
});

test('the same publishes through a stream\'s encoder, each written into the memory of the one before, are the bytes of JSON.stringify', async () => {
  // Kept diagnostics must come from the uri's own copy of its last publish, never from the message
  // buffer the next publish overwrites.
  const encoder = streamMessageEncoder({ writableLength: 0 });
  await randomPublishes((msg) => encoder.encode(msg, { charset: 'utf-8' }));
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

test('a diagnostic\'s JSON is kept by the object: one changed in place after its first publish is sent as it was, a copy as it is now', () => {
  // Diagnostics are never changed in place (document-diagnostics.ts replaces them); changing one
  // here shows which publishes read the kept JSON.
  const d = diagnostic(5, 'before');
  encodeMessage(publish('file:///kept.yaml', [d], 1));
  d.message = 'after';
  const again = publish('file:///kept.yaml', [d, { ...d }], 2);
  const sent = JSON.parse(encodeMessage(again).toString('utf-8')).params.diagnostics;
  assert.deepEqual(sent.map((x: Diagnostic) => x.message), ['before', 'after']);
});

test('a stream\'s encoder writes a publish into the buffer of the last one only when the stream has written everything', async () => {
  const stream = { writableLength: 0 };
  const encoder = streamMessageEncoder(stream);
  const encode = async (msg: Message) => Buffer.from(await encoder.encode(msg, { charset: 'utf-8' }));
  const many = (from: number) => Array.from({ length: 50 }, (_, i) => diagnostic(from + i, `finding ${from + i}`));
  const first = publish('file:///reused.yaml', many(0), 1);
  const sent = await encoder.encode(first, { charset: 'utf-8' });
  const bytes = Buffer.from(sent);
  // The stream still holds the first publish: the second goes elsewhere, the first is intact.
  stream.writableLength = sent.byteLength;
  const secondDiagnostics = many(10);
  const second = publish('file:///reused.yaml', secondDiagnostics, 2);
  const secondSent = await encoder.encode(second, { charset: 'utf-8' });
  assert.deepEqual(Buffer.from(secondSent), library(second));
  assert.notEqual(secondSent.buffer, sent.buffer, 'a new buffer while the stream holds the first');
  assert.deepEqual(Buffer.from(sent), bytes);
  // Written: the next publish reuses the memory (it keeps diagnostics of the second), and is still exact.
  stream.writableLength = 0;
  const third = publish('file:///reused.yaml', [...secondDiagnostics.slice(20, 45), ...many(100).slice(0, 20)], 3);
  const reused = await encoder.encode(third, { charset: 'utf-8' });
  assert.equal(reused.buffer, secondSent.buffer, 'written into the memory of the second');
  assert.deepEqual(Buffer.from(reused), library(third));
  assert.deepEqual(await encode(first), library(first));
});

test('a message that cannot be encoded rejects (the writer reports it), it does not throw', async () => {
  const unencodable = { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 1n } } as unknown as Message;
  const unencodableDiagnostic = publish('file:///bad.yaml', [{ ...diagnostic(1, 'a'), data: 1n } as Diagnostic]);
  for (const msg of [unencodable, unencodableDiagnostic]) {
    let encoding: Promise<Uint8Array> | undefined;
    assert.doesNotThrow(() => (encoding = streamMessageEncoder({ writableLength: 0 }).encode(msg, { charset: 'utf-8' })));
    await assert.rejects(encoding!, /BigInt/);
  }
});

test('over --stdio every console method writes to the editor\'s log, never onto the protocol stream', async () => {
  // A process with the server's --stdio connection that uses the console, then says it is done.
  const script = [
    `process.argv.push('--stdio');`,
    `const { createServerConnection } = require(${JSON.stringify(join(__dirname, '..', '..', 'server', 'src', 'lsp', 'connection.ts'))});`,
    `const connection = createServerConnection();`,
    `connection.listen();`,
    `console.log('log %d', 1); console.info('info'); console.debug('debug'); console.warn('warn'); console.error('error');`,
    `console.dir({ dir: true }); console.dirxml('dirxml'); console.table([{ table: 1 }]); console.time('time'); console.timeLog('time'); console.timeEnd('time');`,
    `console.assert(false, 'assert'); console.count('count'); console.countReset('count'); console.group('group'); console.log('grouped'); console.groupCollapsed('collapsed'); console.groupEnd(); console.groupEnd(); console.trace('trace');`,
    `connection.sendNotification('test/done').then(() => process.exit(0));`,
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b));
  // stdin stays open: the library ends the process when it closes.
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, stderr);
  // stdout is nothing but Content-Length framed messages.
  const stdout = Buffer.concat(out).toString('utf-8');
  const messages: Array<{ method: string; params: { type: number; message: string } }> = [];
  for (let rest = stdout; rest.length > 0; ) {
    const header = /^Content-Length: (\d+)\r\n(?:[^\r\n]+\r\n)*\r\n/.exec(rest);
    assert.ok(header, `not a message: ${JSON.stringify(rest.slice(0, 80))}`);
    const length = Number(header[1]);
    const body = Buffer.from(rest.slice(header[0].length), 'utf-8');
    messages.push(JSON.parse(body.subarray(0, length).toString('utf-8')));
    rest = body.subarray(length).toString('utf-8');
  }
  assert.equal(messages.at(-1)?.method, 'test/done');
  const logged = messages.filter((m) => m.method === 'window/logMessage').map((m) => m.params.message);
  for (const text of ['log 1', 'info', 'debug', 'warn', 'error', 'dir: true', 'dirxml', 'table', 'time: ', 'Assertion failed: assert', 'count: 1', 'group', '  grouped', 'Trace: trace'])
    assert.ok(logged.some((m) => m.includes(text)), `${text} in ${JSON.stringify(logged)}`);
  // Levels as the library's --stdio mode gives them: warnings as warnings, errors as errors.
  const typeOf = (text: string) => messages.find((m) => m.method === 'window/logMessage' && m.params.message === text)?.params.type;
  assert.deepEqual([typeOf('warn'), typeOf('error'), typeOf('log 1')], [2, 1, 4]);
});
