// The bounded readers of server/src/workspace/read-file.ts: a file with more bytes than its stat
// said (one that grew since, or one of /proc, whose size says 0) is read whole while it stays
// within the cap, and refused past it; the synchronous reader and readFileBounded alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { readBytesBoundedSync, readFileBounded } from '../../server/src/workspace/read-file';

const PROC = '/proc/version';

test('a file whose stat says fewer bytes than it holds is read whole, by both readers', { skip: !existsSync(PROC) && 'no /proc/version' }, async () => {
  const expected = readFileSync(PROC);
  assert.ok(expected.length > 1, 'its size says 0; it holds more');
  const sync = readBytesBoundedSync(PROC, 1024 * 1024);
  assert.ok(sync.ok, JSON.stringify(sync));
  assert.deepEqual(sync.bytes, expected);
  const read = await readFileBounded(PROC, { maxBytes: 1024 * 1024 });
  assert.ok(read.ok, JSON.stringify(read));
  assert.equal(read.text, expected.toString('utf8'));
});

test('a file that turns out larger than the cap while read is refused, by both readers', { skip: !existsSync(PROC) && 'no /proc/version' }, async () => {
  const max = readFileSync(PROC).length - 1;
  const sync = readBytesBoundedSync(PROC, max);
  assert.equal(sync.ok, false);
  assert.match(!sync.ok ? sync.reason : '', /^grew past .* MB while read; kdry reads files up to .* MB$/);
  const read = await readFileBounded(PROC, { maxBytes: max });
  assert.equal(read.ok, false);
  assert.match(!read.ok ? read.reason : '', /^grew past .* MB while read/);
});
