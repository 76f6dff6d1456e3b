// The bytes of the messages the server writes over a stream (--stdio), with each published
// diagnostic's JSON kept from one publish to the next.
// After a keystroke in a large file nearly every diagnostic is the very object published last
// time (document-diagnostics.ts keeps them), yet vscode-jsonrpc's encoder stringified the whole
// notification and converted it to UTF-8 again: for the mixed 1,000-document file of
// `npm run bench lsp-realistic` (1,021 diagnostics, 410 KB) that was about half of the server's
// CPU per edit, more than the check. Here a publishDiagnostics notification is the bytes of its
// head and tail around the kept bytes of each diagnostic; every other message is encoded as
// vscode-jsonrpc does (JSON.stringify, then the charset).
import type { ContentTypeEncoder, ContentTypeEncoderOptions, Message } from 'vscode-jsonrpc';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';

const PUBLISH_DIAGNOSTICS = 'textDocument/publishDiagnostics';
const PLACEHOLDER = '"diagnostics":[]';

/**
 * Diagnostics are never changed once made (they are only kept or replaced), so a diagnostic's
 * bytes are kept as long as the diagnostic is.
 */
const encoded = new WeakMap<Diagnostic, Buffer>();

function isPublishDiagnostics(msg: Message): msg is Message & { method: string; params: PublishDiagnosticsParams } {
  const m = msg as { method?: unknown; params?: { diagnostics?: unknown } };
  return m.method === PUBLISH_DIAGNOSTICS && Array.isArray(m.params?.diagnostics);
}

/** Exactly `JSON.stringify(msg)` in UTF-8. */
export function encodeMessage(msg: Message, charset: BufferEncoding = 'utf-8'): Buffer {
  if (charset !== 'utf-8' && charset !== 'utf8') return Buffer.from(JSON.stringify(msg), charset);
  if (!isPublishDiagnostics(msg)) return Buffer.from(JSON.stringify(msg), charset);
  // The message with no diagnostics, split where they go: `"diagnostics":[]` cannot occur unescaped
  // inside a string of the message, so its last occurrence is the key's.
  const empty = JSON.stringify({ ...msg, params: { ...msg.params, diagnostics: [] } });
  const at = empty.lastIndexOf(PLACEHOLDER) + PLACEHOLDER.length - 1;
  const parts: Buffer[] = [Buffer.from(empty.slice(0, at), charset)];
  const comma = Buffer.from(',');
  msg.params.diagnostics.forEach((d, i) => {
    let bytes = encoded.get(d);
    if (!bytes) encoded.set(d, (bytes = Buffer.from(JSON.stringify(d) ?? 'null', charset)));
    if (i > 0) parts.push(comma);
    parts.push(bytes);
  });
  parts.push(Buffer.from(empty.slice(at), charset));
  return Buffer.concat(parts);
}

export const messageEncoder: ContentTypeEncoder = {
  name: 'application/json',
  encode: (msg: Message, options: ContentTypeEncoderOptions) => Promise.resolve(encodeMessage(msg, options.charset)),
};
