// `npm run bench check-path`: the language server's own work on an open and on edits, in this
// process and without the LSP transport: FileStore + DiagnosticsPublisher (the path server.ts
// wires), diagnostics converted and encoded as the connection sends them over --stdio
// (lsp/message-encoder.ts, with a stream that has written everything, as stdout has at each
// encode: vscode-jsonrpc's writer encodes and writes one message at a time, until the stream's
// write callback, so the previous publish has left the stream's queue). Figures
// are CPU time of this thread, so they hold better than wall time on a shared machine; they leave
// out what lsp-realistic adds (JSON-RPC both ways, the client). Inputs: the mixed file and the
// rendered chart of lsp-realistic (scripts/bench/inputs/). Edits replace the image line in the
// middle of the file, as lsp-realistic does; each edit includes the update of the server's own
// document text (lsp/document-text.ts, as its TextDocuments does it).
import type { NotificationMessage } from 'vscode-jsonrpc';
import { DiagnosticsPublisher } from '../../server/src/lsp/diagnostics';
import { DocumentText } from '../../server/src/lsp/document-text';
import { FileStore } from '../../server/src/lsp/files';
import { streamMessageEncoder } from '../../server/src/lsp/message-encoder';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { fmt, median, middleLine, percentile } from './harness/lsp-session';
import { renderedChart } from './inputs/chart';
import { mixedFile } from './inputs/mixed-file';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const EDITS = 100;
const URI = 'file:///bench/check-path.yaml';

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** A fresh server's file store and publisher; each publish is encoded as the connection does. */
function session() {
  const files = new FileStore();
  let current: DocumentText | undefined;
  let published = 0;
  const encoder = streamMessageEncoder({ writableLength: 0 });
  // The encoder works before it returns (its promise is settled): its CPU is counted in the check's.
  const publisher = new DiagnosticsPublisher({ sendDiagnostics: async (params) => void (published = (await encoder.encode({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params } as NotificationMessage, { charset: 'utf-8' })).byteLength) }, files, () => current, () => DEFAULT_SETTINGS, () => (current ? [current.uri] : []));
  return {
    open(text: string): number {
      current = DocumentText.create(URI, 'yaml', 1, text);
      const t = cpuMs();
      publisher.validate(URI);
      return cpuMs() - t;
    },
    edit(line: number, from: number, text: string): number {
      const t = cpuMs();
      current = DocumentText.update(current!, [{ range: { start: { line, character: 0 }, end: { line, character: from } }, text }], current!.version + 1);
      publisher.validate(URI);
      return cpuMs() - t;
    },
    /** The last publish's length, once its encoder's promise has settled. */
    published: async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return published;
    },
  };
}

async function measure(text: string): Promise<{ first: number; open: number; edits: number[]; published: number }> {
  const first = session().open(text);
  const lines = text.split('\n');
  const line = middleLine(text, /^\s+image: /);
  const indent = /^\s*/.exec(lines[line])![0];
  const variants = [`${indent}image: nginx:1.27.3`, `${indent}image: nginx:1.27.4`];
  const opens: number[] = [];
  const edits: number[] = [];
  let published = 0;
  for (let r = 0; r < RUNS; r++) {
    const s = session();
    opens.push(s.open(text));
    let length = lines[line].length;
    for (let e = 0; e < EDITS; e++) {
      const variant = variants[e % variants.length];
      edits.push(s.edit(line, length, variant));
      length = variant.length;
    }
    published = await s.published();
  }
  return { first, open: median(opens), edits: edits.sort((a, b) => a - b), published };
}

export default async function run(): Promise<void> {
  console.log(`CPU ms of this thread; first open: a fresh store's (JIT cold for the first input only); open: median of ${RUNS} more; ${RUNS} x ${EDITS} edits`);
  console.log('  input                    first open  open   edit mean   p50     p95   diagnostics JSON');
  for (const [name, text] of [['mixed file (1,000 docs)', mixedFile()], ['rendered chart', renderedChart()]] as const) {
    const m = await measure(text);
    const mean = m.edits.reduce((a, b) => a + b, 0) / m.edits.length;
    console.log(`  ${name.padEnd(24)} ${fmt(m.first)}  ${fmt(m.open)}  ${fmt(mean)}  ${fmt(percentile(m.edits, 50))} ${fmt(percentile(m.edits, 95))}   ${(m.published / 1024).toFixed(0)} KiB`);
  }
}
