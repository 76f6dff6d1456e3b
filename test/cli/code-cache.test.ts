// dist/cli.js compiles the command's bundle with V8's code cache kept in the user's cache folder
// (server/src/cli/command-bundle.ts): the output is the same with and without it, a damaged cache is
// written again, and a cache folder or file someone else may write is not used. Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'kdry-cli-code-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const posix = process.platform !== 'win32';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function kdry(args: string[], env: Record<string, string>): Run {
  const { KDRY_NO_CODE_CACHE: _, ...inherited } = process.env;
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...inherited, ...env }, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SIMULATE = ['simulate', 'examples/corrected/deployment-rolling-update.yaml', '--cluster', 'examples/cluster-kind.yaml', '--format', 'json'];
const withoutCache = kdry(SIMULATE, { KDRY_NO_CODE_CACHE: '1', XDG_CACHE_HOME: join(dir, 'unused') });

function cacheHome(name: string): { home: string; file: string } {
  const home = join(dir, name);
  return { home, file: join(home, 'kdry', 'cli-simulate.js.v8cache') };
}

test('KDRY_NO_CODE_CACHE=1: no cache folder is made', () => {
  assert.equal(withoutCache.status, 0, withoutCache.stderr);
  assert.ok(withoutCache.stdout.length > 1000);
  assert.equal(existsSync(join(dir, 'unused')), false);
});

test('the first run writes the cache in the user cache folder (0700), the next takes it and does not write it again; the output is the same', () => {
  const { home, file } = cacheHome('fresh');
  const first = kdry(SIMULATE, { XDG_CACHE_HOME: home });
  assert.deepEqual(first, withoutCache);
  assert.deepEqual(readdirSync(join(home, 'kdry')), ['cli-simulate.js.v8cache'], 'the simulate bundle only, no temporary file');
  if (posix) {
    assert.equal(statSync(join(home, 'kdry')).mode & 0o777, 0o700);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  }
  const written = readFileSync(file);
  const writtenAt = statSync(file).mtimeMs;
  assert.deepEqual(kdry(SIMULATE, { XDG_CACHE_HOME: home }), withoutCache, 'the same output from the cached code');
  assert.equal(statSync(file).mtimeMs, writtenAt, 'a taken cache is not written again');
  assert.deepEqual(readFileSync(file), written);
});

test('a damaged cache: the same output, and the cache is written again', () => {
  const { home, file } = cacheHome('damaged');
  kdry(SIMULATE, { XDG_CACHE_HOME: home });
  const good = readFileSync(file);
  const damaged = Buffer.from(good);
  damaged[damaged.length - 200] ^= 0x10;
  writeFileSync(file, damaged);
  assert.deepEqual(kdry(SIMULATE, { XDG_CACHE_HOME: home }), withoutCache);
  assert.notDeepEqual(readFileSync(file), damaged, 'replaced');
  writeFileSync(file, 'not a cache');
  assert.deepEqual(kdry(SIMULATE, { XDG_CACHE_HOME: home }), withoutCache);
  assert.ok(statSync(file).size > 1000, 'replaced');
});

test('a cache file others may write is not taken (it is replaced by one of the user\'s own)', { skip: !posix }, () => {
  const { home, file } = cacheHome('planted');
  kdry(SIMULATE, { XDG_CACHE_HOME: home });
  chmodSync(file, 0o666);
  const plantedAt = statSync(file).mtimeMs;
  assert.deepEqual(kdry(SIMULATE, { XDG_CACHE_HOME: home }), withoutCache);
  assert.notEqual(statSync(file).mtimeMs, plantedAt, 'not taken, so written again');
  assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('a cache folder others may write is neither read nor written', { skip: !posix }, () => {
  const { home, file } = cacheHome('shared');
  kdry(SIMULATE, { XDG_CACHE_HOME: home });
  chmodSync(join(home, 'kdry'), 0o777);
  writeFileSync(file, 'planted');
  assert.deepEqual(kdry(SIMULATE, { XDG_CACHE_HOME: home }), withoutCache);
  assert.equal(readFileSync(file, 'utf8'), 'planted', 'left alone');
  assert.deepEqual(readdirSync(join(home, 'kdry')), ['cli-simulate.js.v8cache']);
});

test('a cache folder that cannot be made: the command runs as without a cache', () => {
  const home = join(dir, 'a-file');
  writeFileSync(home, 'x');
  assert.deepEqual(kdry(SIMULATE, { XDG_CACHE_HOME: home }), withoutCache);
});

test('kdry check: the same output with its cache written, then taken', () => {
  const home = join(dir, 'check');
  const args = ['check', 'examples/original', '--format', 'json'];
  const plain = kdry(args, { KDRY_NO_CODE_CACHE: '1', XDG_CACHE_HOME: home });
  assert.equal(plain.status, 1, plain.stderr);
  assert.deepEqual(kdry(args, { XDG_CACHE_HOME: home }), plain);
  const file = join(home, 'kdry', 'cli-check.js.v8cache');
  const writtenAt = statSync(file).mtimeMs;
  assert.deepEqual(kdry(args, { XDG_CACHE_HOME: home }), plain);
  assert.equal(statSync(file).mtimeMs, writtenAt, 'taken');
});

test('a run that ends in an input error (exit 2) writes no cache: it would hold little more than the bundle\'s top level', () => {
  const home = join(dir, 'input-error');
  const r = kdry(['simulate', 'examples/no-such-file.yaml'], { XDG_CACHE_HOME: home });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /no-such-file\.yaml/);
  assert.ok(existsSync(join(home, 'kdry')), 'the bundle was run from the cache folder');
  assert.deepEqual(readdirSync(join(home, 'kdry')), []);
});
