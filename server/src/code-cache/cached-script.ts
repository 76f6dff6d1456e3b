// Runs a CommonJS bundle as Node's own loader does (the same wrapper, module, require, __filename,
// __dirname), but compiled by vm.Script with a V8 code cache: the bytecode of the functions an earlier
// process had compiled, so they are neither parsed nor compiled again. Node 20 has no
// module.enableCompileCache (Node 22.1); the npm packages made for this (v8-compile-cache,
// v8-compile-cache-lib) hook every require and take the cache right after compiling, when only the
// top level is compiled, not the rules and the validator a check calls. This takes it when asked
// (save()), after the process has done its work, which V8 includes (ScriptCompiler::CreateCodeCache).
import { readFileSync, type Stats } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';
import { readCodeCache, writeCodeCache } from './cache-file';

export interface CachedRun {
  /** What the bundle exported (module.exports once it ran). */
  readonly exports: unknown;
  /** V8 took the cache read from disk. */
  readonly used: boolean;
  /** Writes the cache of every function compiled so far, unless V8 took the one on disk (it was good). What happened, for the log. */
  save(): string;
}

/**
 * What a cache must have been made for: the bundle's content (its hash, written at build time), and
 * Node, V8 and the flags V8 runs with (V8 rejects a cache made under other flags or another version).
 */
export function codeCacheKey(contentHash: string): string {
  return JSON.stringify([contentHash, process.version, process.versions.v8, process.arch, process.execArgv]);
}

/**
 * Runs `bundle` as a module of `parent`, compiled with the cache in `cacheFile` made for `key`, if any
 * (and not refused by `refuse`, see readCodeCache).
 */
export function runWithCodeCache(bundle: string, cacheFile: string, key: string, parent: Module, refuse?: (stat: Stats) => string | undefined): CachedRun {
  const source = readFileSync(bundle, 'utf8').replace(/^#!/, '//');
  const cachedData = readCodeCache(cacheFile, key, refuse);
  // On one line with the bundle's first, so line numbers in stack traces stay the bundle's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: bundle, cachedData });
  const used = cachedData !== undefined && !script.cachedDataRejected;
  const bundleModule = new Module(bundle, parent);
  bundleModule.filename = bundle;
  bundleModule.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(bundle));
  require.cache[bundle] = bundleModule;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(bundleModule.exports, bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
  bundleModule.loaded = true;
  let said: string | undefined;
  return {
    exports: bundleModule.exports,
    used,
    save() {
      if (used) said ??= `started from the code cache ${cacheFile}`;
      said ??= writeCodeCache(cacheFile, key, script.createCachedData()) ? `wrote the code cache ${cacheFile}` : `could not write the code cache ${cacheFile}`;
      return said;
    },
  };
}
