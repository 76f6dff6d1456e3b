// Starting the language server with a code cache folder, as the VS Code client does
// (client/src/language-client.ts), for the tests that compare it with a start without one.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CODE_CACHE_DIR_ARG, SERVER_CODE_CACHE_FILE, SERVER_EXEC_ARGV } from '../../server/src/protocol/server-process';
import { SERVER, startedClient, type ClientOptions, type LspClient } from './lsp-client';

/** The file the server keeps its bundle's code cache in, in the folder it is given. */
export const codeCacheFile = (dir: string) => join(dir, SERVER_CODE_CACHE_FILE);

/** The server's command line with the code cache folder `dir`. */
export function codeCacheCommand(dir: string): string[] {
  return [process.execPath, ...SERVER_EXEC_ARGV, SERVER, '--stdio', `${CODE_CACHE_DIR_ARG}=${dir}`];
}

/** Resolves once `file` exists (the server writes its cache after its start-up warm-up). */
export async function written(file: string, timeoutMs = 60_000): Promise<void> {
  for (const start = performance.now(); !existsSync(file); await sleep(50)) {
    if (performance.now() - start > timeoutMs) throw new Error(`${file} was not written within ${timeoutMs} ms`);
  }
}

/** A new folder holding the cache a server wrote after its warm-up. */
export async function primedCodeCache(options: ClientOptions = {}): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'kdry-code-cache-')), 'cache');
  const client: LspClient = await startedClient({ ...options, command: codeCacheCommand(dir) });
  try {
    await written(codeCacheFile(dir));
  } finally {
    await client.shutdown();
  }
  return dir;
}
