// The server's connection to the editor. Over --stdio (what VS Code and the kdry bin use) the
// messages are written with kdry's encoder (message-encoder.ts: a publish copies the bytes of
// unchanged diagnostics from the uri's last publish); every other transport (--node-ipc serialises in Node's IPC channel) is
// the library's own.
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { createConnection, ProposedFeatures, StreamMessageWriter, type Connection } from 'vscode-languageserver/node';
import { streamMessageEncoder } from './message-encoder';

export function createServerConnection(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: streamMessageEncoder(process.stdout) });
  // The input is passed as the stream itself (the library then exits when the editor closes it,
  // as it does for --stdio); the typings pair a stream with a stream only, the code takes a writer.
  const connection = createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream);
  redirectConsole(connection);
  return connection;
}

/**
 * stdout carries the protocol: every console method (log, dir, table, timeEnd, count, group,
 * assert, trace...) goes to the editor's log instead, as the library's --stdio mode arranges for
 * log, info, warn and error. A Console writing into two streams that forward each line formats
 * them as Node does (group indentation, tables); the global console's methods are replaced by its.
 */
function redirectConsole(connection: Connection): void {
  const to = (send: (message: string) => void) =>
    new Writable({
      decodeStrings: false,
      write(chunk: string, _encoding, done) {
        send(chunk.replace(/\n$/, ''));
        done();
      },
    });
  const redirected = new Console({ stdout: to((m) => connection.console.log(m)), stderr: to((m) => connection.console.error(m)), colorMode: false });
  const target = console as unknown as Record<string, unknown>;
  const source = redirected as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) {
    if (key !== 'Console' && typeof target[key] === 'function' && typeof source[key] === 'function') target[key] = source[key];
  }
  // Warnings keep their own level in the editor's log.
  console.warn = new Console({ stdout: to((m) => connection.console.warn(m)), colorMode: false }).log;
}
