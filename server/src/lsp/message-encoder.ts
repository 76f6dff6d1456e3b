// The bytes of the messages the server writes over a stream (--stdio), with each published
// diagnostic's bytes kept from one publish to the next.
// After a keystroke in a large file nearly every diagnostic is the very object published last
// time (document-diagnostics.ts keeps them), yet vscode-jsonrpc's encoder stringified the whole
// notification and converted it to UTF-8 again: for the mixed 1,000-document file of
// `npm run bench lsp-realistic` (1,021 diagnostics, 410 KB) that was about half of the server's
// CPU per edit, more than the check. Here a publishDiagnostics notification is its head and tail
// around each diagnostic's bytes: a kept diagnostic's are copied from the publish that last sent
// it, a run of them at once, and only a new one is stringified (that file's publish after a
// keystroke: 1.3-1.8 -> 0.1-0.4 ms to encode, at load ~10). A diagnostic moved by whole lines
// (moved-diagnostic.ts) is its new range's JSON and the rest of its original's bytes. Every other
// message is encoded as vscode-jsonrpc does (JSON.stringify, then the charset).
import type { ContentTypeEncoder, ContentTypeEncoderOptions, Message } from 'vscode-jsonrpc';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { forgetOriginal, originalOf } from './moved-diagnostic';

const PUBLISH_DIAGNOSTICS = 'textDocument/publishDiagnostics';
const PLACEHOLDER = '"diagnostics":[]';

/**
 * The bytes of a uri's last publish (its buffer may be longer), kept to copy its diagnostics from:
 * one buffer per uri with diagnostics, overwritten by each of its publishes (`publish` counts
 * them). The message buffers themselves are not kept: they are handed to the stream and die young,
 * where a kept one would be promoted and freed only by a full GC (keeping them held some 80 MB of
 * dead publishes of the mixed file between full GCs).
 */
interface LastPublish {
  bytes: Buffer;
  publish: number;
}
const lastPublishes = new Map<string, LastPublish>();
/** A uri's buffer more than this many times its publish is replaced by one that fits. */
const SHRINK_BELOW = 4;

/**
 * Where a diagnostic's JSON was last written: a range of a uri's last publish, valid while that is
 * still the publish it was written in. Diagnostics are never changed once made (they are only kept
 * or replaced), so those bytes are its JSON.
 */
interface WrittenDiagnostic {
  last: LastPublish;
  publish: number;
  start: number;
  end: number;
}
const written = new WeakMap<Diagnostic, WrittenDiagnostic>();
const COMMA = 0x2c;

function isPublishDiagnostics(msg: Message): msg is Message & { method: string; params: PublishDiagnosticsParams } {
  const m = msg as { method?: unknown; params?: { diagnostics?: unknown } };
  return m.method === PUBLISH_DIAGNOSTICS && Array.isArray(m.params?.diagnostics);
}

/**
 * Exactly `JSON.stringify(msg)` in UTF-8. A publish is written into `into(length)`'s buffer, by
 * default a new one.
 */
export function encodeMessage(msg: Message, charset: BufferEncoding = 'utf-8', into: (length: number) => Buffer = Buffer.allocUnsafe): Buffer {
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
  const diagnostics = msg.params.diagnostics;
  const count = diagnostics.length;
  // Each diagnostic's bytes in a last publish, else its JSON (a moved one's: its range's, then
  // its original's bytes after the original's range).
  const { kept, json, rest, restStarts, starts, ends } = scratchFor(count);
  let length = Buffer.byteLength(head, 'utf-8') + Buffer.byteLength(tail, 'utf-8') + Math.max(0, count - 1);
  for (let i = 0; i < count; i++) {
    const d = diagnostics[i];
    const w = written.get(d);
    if (w && w.publish === w.last.publish) {
      kept[i] = w;
      json[i] = undefined;
      length += w.end - w.start;
      continue;
    }
    kept[i] = undefined;
    rest[i] = undefined;
    const original = originalOf(d);
    const from = original && written.get(original);
    if (from && from.publish === from.last.publish) {
      forgetOriginal(d);
      const originalHead = rangeHead(original!);
      // The original's bytes start with its range (always, as toDiagnostic and movedDiagnostic
      // order the keys); checked, since the rest is copied blind.
      if (from.last.bytes.toString('latin1', from.start, from.start + originalHead.length) === originalHead) {
        json[i] = rangeHead(d);
        rest[i] = from;
        restStarts[i] = from.start + originalHead.length;
        length += json[i]!.length + from.end - restStarts[i];
        continue;
      }
    }
    json[i] = JSON.stringify(d) ?? 'null';
    length += Buffer.byteLength(json[i]!, 'utf-8');
  }
  // One buffer of the message's exact length, each piece written into it once. Diagnostics that
  // were sent one after the other (a comma between) are copied as one run: after a keystroke in a
  // large file, a publish is a few runs of the last one's bytes around the diagnostics that changed.
  const bytes = into(length);
  let offset = bytes.write(head, 0, 'utf-8');
  for (let i = 0; i < count; ) {
    if (i > 0) bytes[offset++] = COMMA;
    const first = kept[i];
    if (!first) {
      starts[i] = offset;
      offset += bytes.write(json[i]!, offset, 'utf-8');
      json[i] = undefined;
      const from = rest[i];
      if (from) {
        offset += from.last.bytes.copy(bytes, offset, restStarts[i], from.end);
        rest[i] = undefined;
      }
      ends[i++] = offset;
      continue;
    }
    let next = i + 1;
    let end = first.end;
    for (let w = kept[next]; next < count && w !== undefined && w.last === first.last && w.start === end + 1; w = kept[++next]) end = w.end;
    const shift = offset - first.start;
    offset += first.last.bytes.copy(bytes, offset, first.start, end);
    for (; i < next; i++) {
      starts[i] = kept[i]!.start + shift;
      ends[i] = kept[i]!.end + shift;
      kept[i] = undefined;
    }
  }
  bytes.write(tail, offset, 'utf-8');
  keep(String(msg.params.uri), bytes, diagnostics, starts, ends);
  return bytes;
}

/**
 * The per-diagnostic lists of encodeMessage, kept from one publish to the next: four new lists of
 * 1,000 entries on every keystroke were a tenth of what the server allocated per edit of the mixed
 * file. encodeMessage is synchronous, so one call never sees another's entries; it sets each of
 * its first `count` entries before reading them, and empties `kept`, `json` and `rest` as it
 * writes them, so nothing is held past the publish.
 */
interface Scratch {
  kept: (WrittenDiagnostic | undefined)[];
  json: (string | undefined)[];
  /** A moved diagnostic's original, whose bytes from restStarts[i] follow json[i]. */
  rest: (WrittenDiagnostic | undefined)[];
  restStarts: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
}
let scratch: Scratch = { kept: [], json: [], rest: [], restStarts: new Int32Array(0), starts: new Int32Array(0), ends: new Int32Array(0) };

function scratchFor(count: number): Scratch {
  if (scratch.starts.length < count) {
    const size = count + (count >> 2);
    scratch = { kept: new Array(size).fill(undefined), json: new Array(size).fill(undefined), rest: new Array(size).fill(undefined), restStarts: new Int32Array(size), starts: new Int32Array(size), ends: new Int32Array(size) };
  }
  return scratch;
}

/**
 * The start of a diagnostic's JSON up to its range's end: ASCII, and what JSON.stringify writes for
 * positions (integers print alike in a template; a range with more in it is not matched by the check).
 */
function rangeHead({ range: { start, end } }: Diagnostic): string {
  return `{"range":{"start":{"line":${start.line},"character":${start.character}},"end":{"line":${end.line},"character":${end.character}}}`;
}

/** `bytes` become the uri's last publish; each diagnostic's JSON is where `starts` and `ends` say. */
function keep(uri: string, bytes: Buffer, diagnostics: Diagnostic[], starts: Int32Array, ends: Int32Array): void {
  if (diagnostics.length === 0) {
    lastPublishes.delete(uri);
    return;
  }
  let last = lastPublishes.get(uri);
  // A new buffer, with room to grow, when the publish outgrows the uri's, or is a quarter of it (a
  // file fixed from 10,000 findings to one would hold 5 MB until closed): the old one is never
  // written again, so what was written in it stays valid (until its diagnostics are written anew).
  if (!last || last.bytes.length < bytes.length || last.bytes.length > SHRINK_BELOW * bytes.length) lastPublishes.set(uri, (last = { bytes: Buffer.allocUnsafeSlow(bytes.length + (bytes.length >> 2)), publish: 0 }));
  last.publish++;
  bytes.copy(last.bytes);
  for (let i = 0; i < diagnostics.length; i++) {
    const w = written.get(diagnostics[i]);
    if (w) {
      w.last = last;
      w.publish = last.publish;
      w.start = starts[i];
      w.end = ends[i];
    } else written.set(diagnostics[i], { last, publish: last.publish, start: starts[i], end: ends[i] });
  }
}

/**
 * The encoder of the messages written to `stream`. A message that cannot be encoded rejects, so
 * the writer reports it on its error path. A publish is written into one buffer, used again for
 * the next publish when the stream has written everything it was given (writableLength 0: no
 * chunk is queued or being written, so none still reads the buffer), else into a new one. Over
 * --stdio the buffer is free at every encode: vscode-jsonrpc 10's WriteableStreamMessageWriter
 * encodes and writes under a Semaphore(1) held until the stream's write callback, when Node has
 * taken the chunk off writableLength (a pipe write may well complete asynchronously); the check
 * guards against anything else writing to stdout. After a
 * keystroke in a large file, a new 410 KB buffer per publish was fresh memory to fault in and free
 * again: 3.3-4.3 -> 2.6-2.7 ms of CPU per edit of the mixed file, in-process (bench check-path), at load 8-11.
 * The buffer is never shrunk: publishes of every open uri share it, and a small one between two
 * large ones would make each a new buffer again. It holds 1.25 times the largest publish.
 */
export function streamMessageEncoder(stream: { readonly writableLength: number }): ContentTypeEncoder {
  let buffer: Buffer | undefined;
  const into = (length: number): Buffer => {
    if (!buffer || buffer.length < length || stream.writableLength !== 0) buffer = Buffer.allocUnsafeSlow(length + (length >> 2));
    return buffer.subarray(0, length);
  };
  return {
    name: 'application/json',
    encode: (msg: Message, options: ContentTypeEncoderOptions) => {
      try {
        return Promise.resolve(encodeMessage(msg, options.charset, into));
      } catch (err) {
        return Promise.reject(err);
      }
    },
  };
}
