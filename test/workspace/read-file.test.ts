// The bounded readers of server/src/workspace/read-file.ts: a file with more bytes than its stat
// said (one that grew since, or one of /proc, whose size says 0) is read whole while it stays
// within the cap, and refused past it; the synchronous reader and readFileBounded alike. Links
// refused by noFollow or by the root, each in its own words; a stream read up to its cap and no further.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBytesBoundedSync, readFileBounded, readStreamBounded } from '../../server/src/workspace/read-file';

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

test('noFollow refuses a link even to a file beside it; a plain file is still read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-read-'));
  writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
  symlinkSync('a.yaml', join(dir, 'b.yaml'));
  assert.deepEqual(await readFileBounded(join(dir, 'b.yaml'), { maxBytes: 100, noFollow: true }), { ok: false, reason: 'a symbolic link; not followed' });
  const plain = await readFileBounded(join(dir, 'a.yaml'), { maxBytes: 100, noFollow: true });
  assert.ok(plain.ok && plain.text === 'a: 1\n');
});

test('outside the root: a link is called a link, a plain path is not, a link in the path is named as such', async () => {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'kdry-read-')));
  mkdirSync(join(dir, 'repo'));
  mkdirSync(join(dir, 'outside'));
  writeFileSync(join(dir, 'outside', 'nodes.yaml'), 'a: 1\n');
  symlinkSync('../outside/nodes.yaml', join(dir, 'repo', 'link.yaml'));
  symlinkSync('../outside', join(dir, 'repo', 'out'));
  const root = join(dir, 'repo');
  const reason = async (path: string) => {
    const r = await readFileBounded(path, { maxBytes: 100, root });
    return r.ok ? 'read' : r.reason;
  };
  assert.equal(await reason(join(root, '..', 'outside', 'nodes.yaml')), `outside ${root}; not read`);
  assert.equal(await reason(join(root, 'link.yaml')), `a symbolic link to ${join(dir, 'outside', 'nodes.yaml')}, outside ${root}; not followed`);
  assert.equal(await reason(join(root, 'out', 'nodes.yaml')), `${join(dir, 'outside', 'nodes.yaml')} through a symbolic link in its path, outside ${root}; not followed`);
});

test('a stream is read whole within the cap, and no further past it (an endless source ends)', async () => {
  const read = await readStreamBounded(['a: ', Buffer.from('1\n')], { maxBytes: 10 });
  assert.ok(read.ok && read.text === 'a: 1\n');
  let pulled = 0;
  let closed = false;
  function* endless() {
    try {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024 * 1024, 0x61);
      }
    } finally {
      closed = true;
    }
  }
  const capped = await readStreamBounded(endless(), { maxBytes: 2 * 1024 * 1024 });
  assert.deepEqual(capped, { ok: false, reason: 'more than 2 MB arrived; kdry reads up to 2 MB and stopped reading' });
  assert.equal(pulled, 3, 'one chunk past the cap');
  assert.ok(closed, 'the source was told to stop');
  const binary = await readStreamBounded([Buffer.from([0x61, 0])], { maxBytes: 10 });
  assert.deepEqual(binary, { ok: false, reason: 'binary file (contains NUL bytes), not YAML' });
});

test('UTF-16 with a byte order mark is named as such, not "binary" (goyaml readerc.go yaml_parser_determine_encoding reads it; trial 16 L3)', async () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\n';
  const le = await readStreamBounded([Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(yaml, 'utf16le')])], { maxBytes: 1024 });
  assert.deepEqual(le, { ok: false, reason: 'UTF-16LE text (it starts with that byte order mark); kdry reads YAML as UTF-8 only: save the file as UTF-8 to have it checked' });
  const be = Buffer.from(yaml, 'utf16le').swap16();
  const big = await readStreamBounded([Buffer.concat([Buffer.from([0xfe, 0xff]), be])], { maxBytes: 1024 });
  assert.deepEqual(big, { ok: false, reason: 'UTF-16BE text (it starts with that byte order mark); kdry reads YAML as UTF-8 only: save the file as UTF-8 to have it checked' });
});
