// The bytes of the messages the server writes over a stream (--stdio), with each published
// diagnostic's JSON kept from one publish to the next.
// After a keystroke in a large file nearly every diagnostic is the very object published last
// time (document-diagnostics.ts keeps them), yet vscode-jsonrpc's encoder stringified the whole
// notification and converted it to UTF-8 again: for the mixed 1,000-document file of
// `npm run bench lsp-realistic` (1,021 diagnostics, 410 KB) that was about half of the server's
// CPU per edit, more than the check. Here a publishDiagnostics notification is its head and tail
// around the kept JSON of each diagnostic, written into one buffer; every other message is encoded as
// vscode-jsonrpc does (JSON.stringify, then the charset).
import type { ContentTypeEncoder, ContentTypeEncoderOptions, Message } from 'vscode-jsonrpc';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';

const PUBLISH_DIAGNOSTICS = 'textDocument/publishDiagnostics';
const PLACEHOLDER = '"diagnostics":[]';

/**
 * A diagnostic's JSON and its length in UTF-8. Diagnostics are never changed once made (they are
 * only kept or replaced), so this is kept as long as the diagnostic is. A string, not bytes:
 * small Buffers are slices of Node's shared 8 KB pool, and one kept slice would keep its whole
 * pool alive (up to 8 KB per diagnostic).
 */
interface EncodedDiagnostic {
  json: string;
  bytes: number;
}
const encoded = new WeakMap<Diagnostic, EncodedDiagnostic>();

function encodedDiagnostic(d: Diagnostic): EncodedDiagnostic {
  let e = encoded.get(d);
  if (!e) {
    const json = JSON.stringify(d) ?? 'null';
    encoded.set(d, (e = { json, bytes: Buffer.byteLength(json, 'utf-8') }));
  }
  return e;
}

function isPublishDiagnostics(msg: Message): msg is Message & { method: string; params: PublishDiagnosticsParams } {
  const m = msg as { method?: unknown; params?: { diagnostics?: unknown } };
  return m.method === PUBLISH_DIAGNOSTICS && Array.isArray(m.params?.diagnostics);
}

/** Exactly `JSON.stringify(msg)` in UTF-8. */
export function encodeMessage(msg: Message, charset: BufferEncoding = 'utf-8'): Buffer {
  if (charset !== 'utf-8' && charset !== 'utf8') return Buffer.from(JSON.stringify(msg), charset);
  if (!isPublishDiagnostics(msg)) return Buffer.from(JSON.stringify(msg), charset);
  // The message with no diagnostics, split where they go. Its last `"diagnostics":[]` is the
  // key's: the text cannot occur unescaped inside a string (the uri), and no other object of the
  // message has a `diagnostics` key (params holds uri, version and diagnostics; the diagnostics,
  // whatever they hold, are not in this empty message).
  const empty = JSON.stringify({ ...msg, params: { ...msg.params, diagnostics: [] } });
  const at = empty.lastIndexOf(PLACEHOLDER) + PLACEHOLDER.length - 1;
  const head = empty.slice(0, at);
  const tail = empty.slice(at);
  const diagnostics = msg.params.diagnostics.map(encodedDiagnostic);
  // One buffer of the message's exact length, each piece written into it once.
  let length = Buffer.byteLength(head, 'utf-8') + Buffer.byteLength(tail, 'utf-8') + Math.max(0, diagnostics.length - 1);
  for (const d of diagnostics) length += d.bytes;
  const bytes = Buffer.allocUnsafe(length);
  let offset = bytes.write(head, 0, 'utf-8');
  diagnostics.forEach((d, i) => {
    if (i > 0) offset += bytes.write(',', offset, 'utf-8');
    offset += bytes.write(d.json, offset, 'utf-8');
  });
  bytes.write(tail, offset, 'utf-8');
  return bytes;
}

/** A message that cannot be encoded rejects, so the writer reports it on its error path. */
export const messageEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode: (msg: Message, options: ContentTypeEncoderOptions) => {
    try {
      return Promise.resolve(encodeMessage(msg, options.charset));
    } catch (err) {
      return Promise.reject(err);
    }
  },
};
