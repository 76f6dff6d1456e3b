// The code cache's file: read back only for the key it was written for and only intact; written
// whole (renamed into place) into a folder made for this user.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCodeCache, writeCodeCache } from '../../server/src/code-cache/cache-file';

const data = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256));

test('written into a new folder of its own, then read back for its key', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'kdry-code-cache-')), 'nested', 'cache');
  const file = join(dir, 'bundle.v8cache');
  writeCodeCache(file, 'key-1', data);
  assert.deepEqual(readCodeCache(file, 'key-1'), data);
  assert.deepEqual(readdirSync(dir), ['bundle.v8cache'], 'no temporary file left');
  if (process.platform !== 'win32') {
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  }
});

test('another key, a damaged byte, a cut file, an empty or absent file: no cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-code-cache-'));
  const file = join(dir, 'bundle.v8cache');
  assert.equal(readCodeCache(file, 'key-1'), undefined, 'absent');
  writeCodeCache(file, 'key-1', data);
  assert.equal(readCodeCache(file, 'key-2'), undefined, 'made for another key');
  assert.equal(readCodeCache(file, 'key-'), undefined, 'a key that is a prefix of the written one');
  const bytes = readFileSync(file);
  const damaged = Buffer.from(bytes);
  damaged[damaged.length - 100] ^= 0x40;
  writeFileSync(file, damaged);
  assert.equal(readCodeCache(file, 'key-1'), undefined, 'one bit flipped in the data');
  writeFileSync(file, bytes.subarray(0, bytes.length - 1));
  assert.equal(readCodeCache(file, 'key-1'), undefined, 'the last byte cut');
  writeFileSync(file, '');
  assert.equal(readCodeCache(file, 'key-1'), undefined, 'empty');
  writeFileSync(file, bytes);
  assert.deepEqual(readCodeCache(file, 'key-1'), data, 'the intact bytes again');
});

test('a folder that cannot be made: nothing written, nothing thrown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-code-cache-'));
  writeFileSync(join(dir, 'a-file'), 'x');
  assert.doesNotThrow(() => writeCodeCache(join(dir, 'a-file', 'bundle.v8cache'), 'key-1', data));
  assert.deepEqual(readdirSync(dir), ['a-file']);
});
