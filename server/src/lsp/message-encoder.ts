// The bytes of the messages the server writes over a stream (--stdio), with each publish's
// diagnostics written from the bytes of the uri's publish before wherever they are the same.
// After a keystroke in a large file nearly every diagnostic is the very object published last
// time (document-diagnostics.ts keeps them), yet vscode-jsonrpc's encoder stringified the whole
// notification and converted it to UTF-8 again: for the mixed 1,000-document file of
// `npm run bench lsp-realistic` (1,021 diagnostics, 410 KB) that was about half of the server's
// CPU per edit, more than the check. Here a publishDiagnostics notification is its head and tail
// around its diagnostics. The diagnostics it shares with the last publish at its start and at its
// end (the same objects: all but the edited document's, after a keystroke) are two copies of
// that publish's bytes; only those in between are looked at one by one, among the ones they
// replace: a kept one is copied, a moved one (moved-diagnostic.ts) is its new range and the rest
// of its original's bytes, and only a new one is stringified. So a keystroke's publish costs what
// the edit changed, not one step per diagnostic of the file. Every other message is encoded as
// vscode-jsonrpc does (JSON.stringify, then the charset).
import type { ContentTypeEncoder, ContentTypeEncoderOptions, Message } from 'vscode-jsonrpc';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import { forgetOriginal, originalOf } from './moved-diagnostic';

const PUBLISH_DIAGNOSTICS = 'textDocument/publishDiagnostics';
const PLACEHOLDER = '"diagnostics":[]';

/**
 * A uri's last publish: its bytes (the buffer may be longer), its diagnostics (a copy of the list),
 * and where each one's JSON is in the bytes. The message buffers themselves are not kept: they are
 * handed to the stream and die young, where a kept one would be promoted and freed only by a full
 * GC (keeping them held some 80 MB of dead publishes of the mixed file between full GCs).
 * Diagnostics are never changed once made (they are only kept or replaced), so a diagnostic's
 * bytes here are its JSON.
 */
interface LastPublish {
  bytes: Buffer;
  diagnostics: Diagnostic[];
  starts: Int32Array;
  ends: Int32Array;
}
const lastPublishes = new Map<string, LastPublish>();
/** A uri's buffer more than this many times its publish is replaced by one that fits. */
const SHRINK_BELOW = 4;
/** Replaced diagnostics are searched one by one up to this many, else through a map of them. */
const SEARCHED = 32;
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
  const uri = String(msg.params.uri);
  const diagnostics = msg.params.diagnostics;
  const count = diagnostics.length;
  const last = lastPublishes.get(uri);
  const before = last?.diagnostics ?? [];
  // The diagnostics shared with the last publish at the start and at the end.
  const most = Math.min(count, before.length);
  let same = 0;
  while (same < most && diagnostics[same] === before[same]) same++;
  let sameEnd = 0;
  while (sameEnd < most - same && diagnostics[count - 1 - sameEnd] === before[before.length - 1 - sameEnd]) sameEnd++;
  const middleEnd = count - sameEnd;
  const replaced = new Replaced(before, same, before.length - sameEnd);
  // Each diagnostic in between: where its bytes are in the last publish, else its JSON (a moved
  // one's: its range's, then its original's bytes after the original's range).
  const { json, from, to } = scratchFor(count);
  let length = Buffer.byteLength(head, 'utf-8') + Buffer.byteLength(tail, 'utf-8') + Math.max(0, count - 1);
  if (same > 0) length += last!.ends[same - 1] - last!.starts[0] - (same - 1);
  if (sameEnd > 0) length += last!.ends[before.length - 1] - last!.starts[before.length - sameEnd] - (sameEnd - 1);
  for (let i = same; i < middleEnd; i++) {
    const d = diagnostics[i];
    from[i] = -1;
    json[i] = undefined;
    const k = replaced.indexOf(d);
    if (k >= 0) {
      from[i] = last!.starts[k];
      to[i] = last!.ends[k];
      length += to[i] - from[i];
      continue;
    }
    const original = originalOf(d);
    const o = original ? replaced.indexOf(original) : -1;
    if (original) forgetOriginal(d);
    if (o >= 0) {
      const originalHead = rangeHead(original!);
      // The original's bytes start with its range (always, as toDiagnostic and movedDiagnostic
      // order the keys); checked, since the rest is copied blind.
      if (last!.bytes.toString('latin1', last!.starts[o], last!.starts[o] + originalHead.length) === originalHead) {
        json[i] = rangeHead(d);
        from[i] = last!.starts[o] + originalHead.length;
        to[i] = last!.ends[o];
        length += json[i]!.length + to[i] - from[i];
        continue;
      }
    }
    json[i] = JSON.stringify(d) ?? 'null';
    length += Buffer.byteLength(json[i]!, 'utf-8');
  }
  // One buffer of the message's exact length, each piece written into it once; where each
  // diagnostic's JSON went, for the next publish.
  const bytes = into(length);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  let offset = bytes.write(head, 0, 'utf-8');
  if (same > 0) offset = copyRun(last!, 0, same, bytes, offset, starts, ends, 0);
  for (let i = same; i < middleEnd; i++) {
    if (i > 0) bytes[offset++] = COMMA;
    starts[i] = offset;
    if (json[i] !== undefined) {
      offset += bytes.write(json[i]!, offset, 'utf-8');
      json[i] = undefined;
    }
    if (from[i] >= 0) offset += last!.bytes.copy(bytes, offset, from[i], to[i]);
    ends[i] = offset;
  }
  if (sameEnd > 0) {
    if (middleEnd > 0) bytes[offset++] = COMMA;
    offset = copyRun(last!, before.length - sameEnd, before.length, bytes, offset, starts, ends, middleEnd);
  }
  bytes.write(tail, offset, 'utf-8');
  keep(uri, bytes, diagnostics, starts, ends);
  return bytes;
}

/**
 * Diagnostics `from` to `to` of the last publish, copied at `offset` as one run (the commas
 * between them included); their places are recorded from `at` on. Returns the offset after them.
 */
function copyRun(last: LastPublish, from: number, to: number, bytes: Buffer, offset: number, starts: Int32Array, ends: Int32Array, at: number): number {
  const shift = offset - last.starts[from];
  for (let k = from; k < to; k++) {
    starts[at + k - from] = last.starts[k] + shift;
    ends[at + k - from] = last.ends[k] + shift;
  }
  return offset + last.bytes.copy(bytes, offset, last.starts[from], last.ends[to - 1]);
}

/** The diagnostics of the last publish a new one replaced (from `start` to `end`), to find kept ones among. */
class Replaced {
  private byDiagnostic: Map<Diagnostic, number> | undefined;

  constructor(
    private readonly before: readonly Diagnostic[],
    private readonly start: number,
    private readonly end: number,
  ) {}

  /** Where `d` was in the last publish, or -1. */
  indexOf(d: Diagnostic): number {
    if (this.end - this.start <= SEARCHED) {
      for (let k = this.start; k < this.end; k++) if (this.before[k] === d) return k;
      return -1;
    }
    if (!this.byDiagnostic) {
      this.byDiagnostic = new Map();
      for (let k = this.start; k < this.end; k++) this.byDiagnostic.set(this.before[k], k);
    }
    return this.byDiagnostic.get(d) ?? -1;
  }
}

/**
 * The per-diagnostic lists of encodeMessage, kept from one publish to the next (new lists on every
 * keystroke were a tenth of what the server allocated per edit of the mixed file).
 * encodeMessage is synchronous, so one call never sees another's entries; it sets each entry it
 * reads first, and empties `json` as it writes, so no string is held past the publish.
 */
interface Scratch {
  /** A new diagnostic's JSON, or a moved one's range. */
  json: (string | undefined)[];
  /** The bytes of the last publish that follow json[i] (-1: none). */
  from: Int32Array;
  to: Int32Array;
}
let scratch: Scratch = { json: [], from: new Int32Array(0), to: new Int32Array(0) };

function scratchFor(count: number): Scratch {
  if (scratch.from.length < count) {
    const size = count + (count >> 2);
    scratch = { json: new Array(size).fill(undefined), from: new Int32Array(size), to: new Int32Array(size) };
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
  // file fixed from 10,000 findings to one would hold 5 MB until closed).
  const buffer = !last || last.bytes.length < bytes.length || last.bytes.length > SHRINK_BELOW * bytes.length ? Buffer.allocUnsafeSlow(bytes.length + (bytes.length >> 2)) : last.bytes;
  bytes.copy(buffer);
  // A copy of the list: the caller may change its own.
  const kept = { bytes: buffer, diagnostics: diagnostics.slice(), starts, ends };
  if (last) Object.assign(last, kept);
  else lastPublishes.set(uri, (last = kept));
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
