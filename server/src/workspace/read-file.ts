// Reading a file from a repository kdry does not trust: a committed symbolic link can point at
// /dev/zero, a FIFO or a file outside the checkout, and any file can be huge. So: links are
// followed only to a target inside the given root, the file is opened without blocking (a FIFO
// would wait for a writer for ever) and must be a regular file, its size is checked before
// reading, and the read stops one byte past the cap (a file that grows while read is still capped).
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { resolve } from 'node:path';
import { closeAsync, fstatAsync, lstatAsync, openAsync, readAsync, realpathAsync } from './async-fs';
import { isBelow } from './uri';

export type ReadFileResult =
  | { ok: true; text: string; bytes: number; /** Text offset of the first byte that is not UTF-8 (read as U+FFFD). */ invalidUtf8At?: number }
  | { ok: false; /** Why it was not read, in words. */ reason: string; /** Missing or unreadable (an I/O error), rather than refused. */ io?: boolean };

export interface ReadFileOptions {
  maxBytes: number;
  /** The real path of the folder the file must lie in, symbolic links resolved. */
  root?: string;
  /** Refuse files with NUL bytes (binary data). */
  text?: boolean;
  /** Refuse a symbolic link instead of following it (O_NOFOLLOW: the check and the open are one step). */
  noFollow?: boolean;
}

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export async function readFileBounded(path: string, options: ReadFileOptions): Promise<ReadFileResult> {
  try {
    if (options.noFollow && (await lstatAsync(path)).isSymbolicLink()) return { ok: false, reason: NOT_FOLLOWED };
    if (options.root !== undefined) {
      const real = await realpathAsync(path);
      if (real !== options.root && !isBelow(real, options.root)) return { ok: false, reason: await outsideRoot(path, real, options.root) };
    }
    const fd = await openAsync(path, OPEN_FLAGS | (options.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0));
    try {
      const stat = await fstatAsync(fd);
      if (!stat.isFile()) return { ok: false, reason: `not a regular file (${fileType(stat)}); not read` };
      if (stat.size > options.maxBytes) return { ok: false, reason: tooLarge(stat.size, options.maxBytes) };
      const reads = cappedRead(stat.size, options.maxBytes);
      let step = reads.next();
      while (!step.done) step = reads.next(await readAsync(fd, step.value));
      const buffer = step.value;
      if (buffer === undefined) return { ok: false, reason: `grew past ${megabytes(options.maxBytes)} MB while read; kdry reads files up to ${megabytes(options.maxBytes)} MB` };
      return decode(buffer, options.text !== false);
    } finally {
      await closeAsync(fd);
    }
  } catch (e) {
    // O_NOFOLLOW: the file became a link after the lstat above.
    if (options.noFollow && (e as NodeJS.ErrnoException).code === 'ELOOP') return { ok: false, reason: NOT_FOLLOWED };
    return { ok: false, reason: describeIoError(e), io: true };
  }
}

const NOT_FOLLOWED = 'a symbolic link; not followed';

/** Why a file outside the folder it must lie in is refused: a link is named as one, a plain path is not. */
async function outsideRoot(path: string, real: string, root: string): Promise<string> {
  const isLink = await lstatAsync(path).then((s) => s.isSymbolicLink(), () => false);
  if (isLink) return `a symbolic link to ${real}, outside ${root}; not followed`;
  return real === resolve(path) ? `outside ${root}; not read` : `${real} through a symbolic link in its path, outside ${root}; not followed`;
}

/**
 * A stream (standard input) read as readFileBounded reads a file: it stops once more than
 * `maxBytes` arrived (a pipe from /dev/zero never ends), refuses NUL bytes when `text`.
 */
export async function readStreamBounded(chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>, options: { maxBytes: number; text?: boolean }): Promise<ReadFileResult> {
  const parts: Buffer[] = [];
  let length = 0;
  try {
    // Leaving the loop early ends the iteration, which destroys a Readable: nothing more is read.
    for await (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      length += bytes.length;
      if (length > options.maxBytes) return { ok: false, reason: `more than ${megabytes(options.maxBytes)} MB arrived; kdry reads up to ${megabytes(options.maxBytes)} MB and stopped reading` };
      parts.push(bytes);
    }
  } catch (e) {
    return { ok: false, reason: describeIoError(e), io: true };
  }
  return decode(Buffer.concat(parts, length), options.text !== false);
}

/**
 * readFileBounded for a caller that cannot wait (kustomize's generators read their files while
 * an object is built): the same checks, read loop (cappedRead) and reasons (links are the
 * caller's to check), the bytes undecoded.
 */
export function readBytesBoundedSync(
  path: string,
  maxBytes: number,
  /** Why the opened file is refused (its owner, its mode), if it is: judged on the open file, so it cannot be swapped after the check. */
  refuse?: (stat: Stats) => string | undefined,
): { ok: true; bytes: Buffer; mtimeMs: number } | { ok: false; reason: string; io?: boolean } {
  try {
    const fd = openSync(path, OPEN_FLAGS);
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return { ok: false, reason: `not a regular file (${fileType(stat)}); not read` };
      const refused = refuse?.(stat);
      if (refused !== undefined) return { ok: false, reason: refused };
      if (stat.size > maxBytes) return { ok: false, reason: tooLarge(stat.size, maxBytes) };
      const reads = cappedRead(stat.size, maxBytes);
      let step = reads.next();
      while (!step.done) step = reads.next(readSync(fd, step.value, 0, step.value.length, null));
      if (step.value === undefined) return { ok: false, reason: `grew past ${megabytes(maxBytes)} MB while read; kdry reads files up to ${megabytes(maxBytes)} MB` };
      return { ok: true, bytes: step.value, mtimeMs: stat.mtimeMs };
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    return { ok: false, reason: describeIoError(e), io: true };
  }
}

/**
 * The read loop of both readers, as a generator: it yields the part of its buffer to fill next
 * and is sent how many bytes arrived (0: the end of the file); it returns the file's bytes, or
 * undefined once more than `max` arrived (it reads at most max + 1). The buffer starts one byte
 * past the size the stat gave and doubles, up to max + 1, for a file that grew since (or one of
 * /proc, whose size says 0): such a file is read whole while it stays within the cap.
 */
function* cappedRead(size: number, max: number): Generator<Buffer, Buffer | undefined, number> {
  let buffer = Buffer.allocUnsafe(Math.min(size, max) + 1);
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (length > max) return undefined;
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, max + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const bytesRead = yield buffer.subarray(length);
    if (bytesRead === 0) return buffer.subarray(0, length);
    length += bytesRead;
  }
}

function decode(buffer: Buffer, text: boolean): ReadFileResult {
  if (text && buffer.includes(0)) return { ok: false, reason: utf16Reason(buffer) ?? 'binary file (contains NUL bytes), not YAML' };
  const decoded = buffer.toString('utf8');
  if (isUtf8(buffer)) return { ok: true, text: decoded, bytes: buffer.length };
  return { ok: true, text: decoded, bytes: buffer.length, invalidUtf8At: buffer.subarray(0, firstInvalidUtf8(buffer)).toString('utf8').length };
}

/**
 * Byte offset of the first byte that does not start or continue a well-formed UTF-8 sequence
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). Only called when
 * isUtf8 already said there is one.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte -> sequence length and the range of the second byte (Unicode Table 3-7).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) low = 0xa0;
      if (b === 0xed) high = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) low = 0x90;
      if (b === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return i;
    for (let k = 2; k < length; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    i += length;
  }
  return bytes.length;
}

function fileType(stat: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}

export function tooLarge(bytes: number, max: number): string {
  return `file is ${megabytes(bytes)} MB; kdry reads files up to ${megabytes(max)} MB`;
}

function megabytes(bytes: number): string {
  const mb = bytes / 1048576;
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}

export function describeIoError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    default:
      return err.message ?? String(e);
  }
}

/**
 * UTF-16 with a byte order mark (what Windows PowerShell 5's `>` writes) is text, not binary data:
 * goyaml reads it (readerc.go yaml_parser_determine_encoding: FF FE is UTF-16LE, FE FF UTF-16BE),
 * so kubectl applies a one-document file. kdry reads UTF-8 only, and says so.
 */
function utf16Reason(buffer: Buffer): string | undefined {
  const order = buffer[0] === 0xff && buffer[1] === 0xfe ? 'UTF-16LE' : buffer[0] === 0xfe && buffer[1] === 0xff ? 'UTF-16BE' : undefined;
  return order && `${order} text (it starts with that byte order mark); kdry reads YAML as UTF-8 only: save the file as UTF-8 to have it checked`;
}
