// The code of `kdry simulate` and of `kdry check` (with rules and capacity) is a bundle of its own
// beside dist/cli.js (scripts/build.mjs). dist/cli.js compiles it with V8's code cache, kept in the
// user's cache folder (code-cache/user-cache-folder.ts), so a run does not parse and compile again the
// functions an earlier run compiled; the cache is written after a run that did the command's work
// (exit 0 or 1), when it holds them. KDRY_NO_CODE_CACHE=1 turns it off; a folder or file that is not
// the user's alone, or that cannot be made or read, means a plain require, as does running from source.
import { join } from 'node:path';
import type Module from 'node:module';
import { codeCacheKey, runWithCodeCache, type CachedRun } from '../code-cache/cached-script';
import { notPrivate, privateFolder, userCacheFolder } from '../code-cache/user-cache-folder';

/** The SHA-256 of dist/cli-simulate.js and of dist/cli-check.js, written by scripts/build.mjs; undefined when run from source. */
declare const KDRY_CLI_SIMULATE_SHA256: string | undefined;
declare const KDRY_CLI_CHECK_SHA256: string | undefined;

function bundleHash(name: CommandBundleName): string | undefined {
  if (name === 'simulate') return typeof KDRY_CLI_SIMULATE_SHA256 === 'string' ? KDRY_CLI_SIMULATE_SHA256 : undefined;
  return typeof KDRY_CLI_CHECK_SHA256 === 'string' ? KDRY_CLI_CHECK_SHA256 : undefined;
}

export type CommandBundleName = 'simulate' | 'check';

export interface CommandBundle<T> {
  entry: T;
  /** Given the command's exit code, writes the code cache if it was not taken and the command did its work; returns the code. */
  finish(code: number): number;
}

/** The command's entry module: `plainRequire()` from source, else dist/cli-<name>.js compiled with the code cache when there may be one. */
export function commandBundle<T>(name: CommandBundleName, plainRequire: () => T, env: NodeJS.ProcessEnv = process.env): CommandBundle<T> {
  const hash = bundleHash(name);
  const off = !!env.KDRY_NO_CODE_CACHE && env.KDRY_NO_CODE_CACHE !== '0';
  const folder = hash && !off ? userCacheFolder(env) : undefined;
  const run = hash && folder && privateFolder(folder) && cachedRun(join(__dirname, `cli-${name}.js`), join(folder, `cli-${name}.js.v8cache`), codeCacheKey(hash));
  if (!run) return { entry: plainRequire(), finish: (code) => code };
  return {
    entry: run.exports as T,
    finish(code) {
      if (code === 0 || code === 1) run.save();
      return code;
    },
  };
}

function cachedRun(bundle: string, cacheFile: string, key: string): CachedRun | undefined {
  try {
    return runWithCodeCache(bundle, cacheFile, key, module as Module, (stat) => notPrivate(stat));
  } catch {
    // Whatever failed, the bundle is then required as any module is, afresh.
    delete require.cache[bundle];
    return undefined;
  }
}
