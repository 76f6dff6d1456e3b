// dist/server.js: starts the language server, whose code is the bundle dist/server-main.js (server.ts).
// Given a folder for V8's code cache (--code-cache-dir=, which the VS Code client points at the
// extension's global storage), the bundle is compiled with the cache kept there, and the cache is
// written once the server has warmed up (code-cache/save-point.ts), when the rules, the validator and
// the parser are compiled: the next start does not compile them again. Without the folder the bundle
// is required as any module. The folder is only ever the one given: nothing is read from or written
// to the workspace or the working directory.
import { join } from 'node:path';
import { codeCacheKey, runWithCodeCache } from './code-cache/cached-script';
import { SAVE_CODE_CACHE } from './code-cache/save-point';
import { SERVER_CODE_CACHE_FILE, codeCacheDirOf } from './protocol/server-process';

/** The SHA-256 of dist/server-main.js, written by scripts/build.mjs. */
declare const KDRY_SERVER_MAIN_SHA256: string | undefined;

const main = join(__dirname, 'server-main.js');
const dir = codeCacheDirOf(process.argv);
if (dir && typeof KDRY_SERVER_MAIN_SHA256 === 'string') {
  const run = runWithCodeCache(main, join(dir, SERVER_CODE_CACHE_FILE), codeCacheKey(KDRY_SERVER_MAIN_SHA256), module);
  (globalThis as Record<symbol, unknown>)[SAVE_CODE_CACHE] = () => run.save();
} else {
  require(main);
}
