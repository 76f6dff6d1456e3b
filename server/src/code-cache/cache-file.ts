// A V8 code cache on disk: a header naming what it was made for (the key: the bundle's content hash,
// Node's version, the V8 flags), a checksum of the data, then the data V8 produced. V8 itself checks
// only the source's length, its own version and its flags, and verifies no checksum in release
// builds (v8 flag verify_snapshot_checksum, on in debug builds only), so a file damaged on disk is
// caught here, not by V8.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { readBytesBoundedSync } from '../workspace/read-file';

const MAGIC = Buffer.from('kdry-v8-code-cache-1\n');
const CHECKSUM_BYTES = 20;
/** The server bundle's cache is about 2.3 MB; anything far larger is not one of ours. */
const MAX_CACHE_BYTES = 64 * 1024 * 1024;

function checksum(data: Uint8Array): Buffer {
  return createHash('sha1').update(data).digest();
}

/**
 * The cache's data when `file` holds one made for `key` and intact; undefined otherwise (absent, other
 * key, damaged, or refused by `refuse`, which judges the opened file: see user-cache-folder.ts).
 */
export function readCodeCache(file: string, key: string, refuse?: (stat: Stats) => string | undefined): Buffer | undefined {
  // Bounded, and only a regular file: a FIFO or device put in its place must not stall the start.
  const read = readBytesBoundedSync(file, MAX_CACHE_BYTES, refuse);
  if (!read.ok) return undefined;
  const bytes = read.bytes;
  const header = Buffer.concat([MAGIC, Buffer.from(`${key}\n`)]);
  if (bytes.length < header.length + CHECKSUM_BYTES || !bytes.subarray(0, header.length).equals(header)) return undefined;
  const sum = bytes.subarray(header.length, header.length + CHECKSUM_BYTES);
  const data = bytes.subarray(header.length + CHECKSUM_BYTES);
  return data.length > 0 && checksum(data).equals(sum) ? data : undefined;
}

/**
 * Writes the cache for `key` whole or not at all: into a file of this process's own beside it, then
 * renamed over it, so a reader (another window's server starting) never sees half a file. The folder
 * is created for this user only.
 */
export function writeCodeCache(file: string, key: string, data: Uint8Array): boolean {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temporary, Buffer.concat([MAGIC, Buffer.from(`${key}\n`), checksum(data), data]), { mode: 0o600 });
    renameSync(temporary, file);
    return true;
  } catch {
    // A cache that cannot be written (read-only or full disk) only means the next start compiles again.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written
    }
    return false;
  }
}
