// The server's connection to the editor. Over --stdio the messages are written with kdry's
// encoder (message-encoder.ts: a publish sends the kept bytes of unchanged diagnostics); every
// other transport (--node-ipc, which VS Code uses, serialises in Node's IPC channel) is the
// library's own.
import { format } from 'node:util';
import { createConnection, ProposedFeatures, StreamMessageWriter, type Connection } from 'vscode-languageserver/node';
import { messageEncoder } from './message-encoder';

export function createServerConnection(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: messageEncoder });
  // The input is passed as the stream itself (the library then exits when the editor closes it,
  // as it does for --stdio); the typings pair a stream with a stream only, the code takes a writer.
  const connection = createConnection(ProposedFeatures.all, process.stdin, writer as unknown as NodeJS.WritableStream);
  // stdout carries the protocol: console output goes to the editor's log, as the library's
  // --stdio mode arranges.
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = console.trace = (...args: unknown[]) => connection.console.error(format(...args));
  return connection;
}
