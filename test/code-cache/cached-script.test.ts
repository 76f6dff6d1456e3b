// A bundle run with a code cache: run as Node runs a module, its cache written when asked and read
// back by the next process, and ignored (then written again) when the bundle changed or the file is
// damaged. Each run is a process of its own, as each server start is: V8 keeps compiled scripts in
// memory, which would hide whether the cache on disk was taken.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const RUNNER = join(__dirname, '..', '..', 'server', 'src', 'code-cache', 'cached-script.ts');

/** A bundle with a shebang, a lazily compiled function of some size, and the module's own names. */
function bundle(version: number): string {
  const steps = Array.from({ length: 200 }, (_, i) => `  total += (n + ${i}) % ${i + 7};`).join('\n');
  return `#!/usr/bin/env node
exports.version = ${version};
exports.names = { filename: __filename, dirname: __dirname, exportsIsThis: this === exports, required: typeof require('node:path').join };
exports.work = function work(n) {
  let total = 0;
${steps}
  return total;
};
`;
}

interface Run {
  used: boolean;
  version: number;
  names: { filename: string; dirname: string; exportsIsThis: boolean; required: string };
  work: number;
}

/** Runs `file` in a new process with the cache `cacheFile` for `key`; `work` calls the bundle's function before the cache is saved. */
function run(file: string, cacheFile: string, key: string, work = true): Run {
  const script = `
    const { runWithCodeCache } = require(${JSON.stringify(RUNNER)});
    const run = runWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheFile)}, ${JSON.stringify(key)}, module);
    const bundle = require.cache[${JSON.stringify(file)}].exports;
    const work = ${work} ? bundle.work(3) : 0;
    run.save();
    console.log(JSON.stringify({ used: run.used, version: bundle.version, names: bundle.names, work }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop()!);
}

function setUp() {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-cached-script-'));
  const file = join(dir, 'bundle.js');
  writeFileSync(file, bundle(1));
  return { dir, file, cacheFile: join(dir, 'cache', 'bundle.js.v8cache') };
}

test('the bundle runs as a module; its cache is written, then taken by the next process and not written again', () => {
  const { dir, file, cacheFile } = setUp();
  const first = run(file, cacheFile, 'hash-1');
  assert.equal(first.used, false);
  assert.deepEqual(first.names, { filename: file, dirname: dir, exportsIsThis: true, required: 'function' });
  assert.equal(first.version, 1);
  const written = readFileSync(cacheFile);
  const writtenAt = statSync(cacheFile).mtimeMs;

  const second = run(file, cacheFile, 'hash-1');
  assert.equal(second.used, true);
  assert.deepEqual({ ...second, used: false }, first, 'the same results from the cached code');
  assert.deepEqual(readFileSync(cacheFile), written, 'a taken cache is not written again');
  assert.equal(statSync(cacheFile).mtimeMs, writtenAt);
});

test('the cache holds the functions compiled when it was saved, not only the top level', () => {
  const { file, cacheFile } = setUp();
  run(file, cacheFile, 'hash-1', false);
  const loadedOnly = statSync(cacheFile).size;
  writeFileSync(cacheFile, '');
  run(file, cacheFile, 'hash-1', true);
  assert.ok(statSync(cacheFile).size > loadedOnly, `${statSync(cacheFile).size} bytes after work(), ${loadedOnly} before`);
});

test('a changed bundle (a new content hash in the key) does not take the old cache; it writes its own', () => {
  const { file, cacheFile } = setUp();
  run(file, cacheFile, 'hash-1');
  writeFileSync(file, bundle(2));
  const changed = run(file, cacheFile, 'hash-2');
  assert.equal(changed.used, false);
  assert.equal(changed.version, 2);
  assert.equal(run(file, cacheFile, 'hash-2').used, true, 'the rewritten cache is taken');
  assert.equal(run(file, cacheFile, 'hash-1').used, false, 'and the old key finds nothing');
});

test('a bundle changed under an unchanged key: V8 rejects the cache (the source length differs) and it is written again', () => {
  const { file, cacheFile } = setUp();
  run(file, cacheFile, 'hash-1');
  writeFileSync(file, bundle(1000));
  const changed = run(file, cacheFile, 'hash-1');
  assert.equal(changed.used, false);
  assert.equal(changed.version, 1000);
  assert.equal(run(file, cacheFile, 'hash-1').used, true);
});

test('a damaged cache is ignored and written again', () => {
  const { file, cacheFile } = setUp();
  const first = run(file, cacheFile, 'hash-1');
  const bytes = readFileSync(cacheFile);
  bytes[bytes.length - 50] ^= 0xff;
  writeFileSync(cacheFile, bytes);
  const damaged = run(file, cacheFile, 'hash-1');
  assert.equal(damaged.used, false);
  assert.deepEqual({ ...damaged }, first);
  assert.equal(run(file, cacheFile, 'hash-1').used, true);
});
