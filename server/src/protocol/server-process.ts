// How the language server's process is started: declared once, for the client (which starts it in
// VS Code) and for the benchmarks and language-server tests (which must measure the same process).
//
// A young generation of 4 MB per semi-space instead of V8's 16 MB: the server's garbage is short
// lived (a check's findings and diagnostics), so the smaller nursery is scavenged more often at no
// measurable cost per edit, and the process holds about 20 MB less (npm run bench lsp-realistic,
// the mixed 1,000-document file: peak RSS 188 -> 168 MB with the simulation checks' worker, which
// inherits the flag; 151 -> 132 MB without it).
//
// The bytecode V8's optimising compiler may inline into one function is capped at 200 (default
// 920), as for `kdry check` (cli/v8-tuning.ts). A large file's first edits after its open call
// per-file loops (the diagnostics' conversion, the check cache's pass over every document, the
// parser's pass over the chunks) often enough for V8 to optimise them only then, on its helper
// threads: the first 5 edits cost 6-7x the later ones in server CPU, about two thirds of it
// compiling. Inlining less makes each of those compilations (and the open's) cheaper, and the
// edits' own time did not grow (npm run bench lsp-realistic and custom-resource; figures in the
// commit message).
//
// The old generation may grow to twice what the last full collection kept, not V8's up to four
// times: the server keeps little between edits (about 20 MB, most of it code), but each edit's parse
// and findings outlive a scavenge, so a typing session filled the old space with about 60 MB of
// garbage before V8 collected it (npm run bench custom-resource, 420 edits in a 1,000-line Argo
// Rollout, 4 alternating pairs at load 22: peak RSS 144-148 -> 116-120 MB; server CPU per edit
// 5.6 -> 5.2 ms for the swaps, 3.6 -> 3.8 ms for the keystrokes, within the load's noise).
import { isAbsolute } from 'node:path';

export const SERVER_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=4', '--max-inlined-bytecode-size-cumulative=200', '--heap-growing-percent=100'];

/**
 * The folder, given as `--code-cache-dir=<absolute path>`, where the server keeps V8's code cache of
 * its bundle (server-start.ts). The VS Code client passes a folder in the extension's global storage;
 * started without it, the server keeps no cache.
 */
export const CODE_CACHE_DIR_ARG = '--code-cache-dir';
/** The file in that folder holding the cache of dist/server-main.js. */
export const SERVER_CODE_CACHE_FILE = 'server-main.js.v8cache';

/** The code cache folder the command line gives; a relative path (it would name a place in the working directory, often the workspace) gives none. */
export function codeCacheDirOf(argv: readonly string[]): string | undefined {
  const dir = argv.find((arg) => arg.startsWith(`${CODE_CACHE_DIR_ARG}=`))?.slice(CODE_CACHE_DIR_ARG.length + 1);
  return dir && isAbsolute(dir) ? dir : undefined;
}
