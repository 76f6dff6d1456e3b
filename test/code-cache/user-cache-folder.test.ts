// The CLI's code cache folder: the user's cache folder by platform, used only when it and the cache
// file are this user's alone (a cache is code V8 runs; one another user could write would run theirs).
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCodeCache, writeCodeCache } from '../../server/src/code-cache/cache-file';
import { notPrivate, privateFolder, userCacheFolder } from '../../server/src/code-cache/user-cache-folder';

const posix = process.platform !== 'win32';

test('the user cache folder: XDG_CACHE_HOME when absolute, else ~/.cache; ~/Library/Caches on macOS; %LOCALAPPDATA% on Windows', () => {
  assert.equal(userCacheFolder({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u'), join('/x/cache', 'kdry'));
  assert.equal(userCacheFolder({ XDG_CACHE_HOME: 'relative/cache' }, 'linux', '/home/u'), join('/home/u', '.cache', 'kdry'), 'a relative XDG_CACHE_HOME is ignored');
  assert.equal(userCacheFolder({}, 'linux', '/home/u'), join('/home/u', '.cache', 'kdry'));
  assert.equal(userCacheFolder({ XDG_CACHE_HOME: '/x/cache' }, 'darwin', '/Users/u'), join('/Users/u', 'Library', 'Caches', 'kdry'));
  assert.equal(userCacheFolder({}, 'linux', ''), undefined, 'no home folder');
  assert.equal(userCacheFolder({}, 'linux', 'home'), undefined, 'a relative home folder');
  if (!posix) assert.equal(userCacheFolder({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), 'C:\\Users\\u\\AppData\\Local\\kdry');
  assert.equal(userCacheFolder({}, 'win32', 'C:\\Users\\u'), undefined, 'Windows without LOCALAPPDATA');
});

test('private: owned by this user and written by no one else', () => {
  assert.equal(notPrivate({ uid: 1000, mode: 0o40700 }, 1000), undefined);
  assert.equal(notPrivate({ uid: 1000, mode: 0o100644 }, 1000), undefined, 'others may read a cache, not write it');
  assert.match(notPrivate({ uid: 1001, mode: 0o40700 }, 1000)!, /owned by uid 1001, not 1000/);
  assert.match(notPrivate({ uid: 1000, mode: 0o40770 }, 1000)!, /writable by its group or others \(mode 770\)/);
  assert.match(notPrivate({ uid: 1000, mode: 0o100602 }, 1000)!, /mode 602/);
  assert.equal(notPrivate({ uid: 0, mode: 0o100666 }, null), undefined, 'no owner ids (Windows): the folder is the user\'s by its access list');
});

test('the folder is made for this user only; a shared folder, a link or a file in its place is refused', { skip: !posix }, () => {
  const base = mkdtempSync(join(tmpdir(), 'kdry-cache-folder-'));
  const made = join(base, 'home', '.cache', 'kdry');
  assert.equal(privateFolder(made), made);
  assert.equal(statSync(made).mode & 0o777, 0o700);

  const shared = join(base, 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o777);
  assert.equal(privateFolder(shared), undefined, 'writable by others');

  const link = join(base, 'link');
  symlinkSync(made, link);
  assert.equal(privateFolder(link), undefined, 'a link, even to a private folder');

  const file = join(base, 'file');
  writeFileSync(file, 'x');
  assert.equal(privateFolder(file), undefined);
});

test('a cache file that is not this user\'s alone is not read, even made for the key and intact', { skip: !posix }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-cache-folder-'));
  const file = join(dir, 'bundle.v8cache');
  const data = Buffer.from('compiled code, as far as this test knows');
  writeCodeCache(file, 'key-1', data);
  const refuse = (stat: { uid: number; mode: number }) => notPrivate(stat);
  assert.deepEqual(readCodeCache(file, 'key-1', refuse), data);
  chmodSync(file, 0o620);
  assert.equal(readCodeCache(file, 'key-1', refuse), undefined, 'group-writable');
  assert.deepEqual(readCodeCache(file, 'key-1'), data, 'the server, which gives no such check, still reads it');
  chmodSync(file, 0o600);
  if (process.getuid?.() === 0) {
    chownSync(file, 65534, 65534);
    assert.equal(readCodeCache(file, 'key-1', refuse), undefined, "another user's file");
  }
});
