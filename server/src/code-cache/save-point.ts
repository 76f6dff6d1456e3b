// The moment the language server has compiled what a check uses (its warm-up is done): the loader
// that compiled the server's bundle with a code cache (dist/server.js, server-start.ts) hears of it
// through this registered symbol, the only name the loader and the bundle share.
export const SAVE_CODE_CACHE = Symbol.for('kdry.saveCodeCache');

/** Tells the loader, if one is listening, to write the code cache now; what it did, for the log. */
export function codeCacheSavePoint(): string | undefined {
  const save = (globalThis as Record<symbol, unknown>)[SAVE_CODE_CACHE];
  return typeof save === 'function' ? String(save()) : undefined;
}
