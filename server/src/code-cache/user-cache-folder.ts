// Where `kdry` on the command line keeps V8's code cache of its command bundles (cli/command-bundle.ts):
// the user's own cache folder. A code cache is compiled code that V8 runs without parsing the source
// again (it checks only the source's length), so a cache file another user could write would run their
// code in this user's process, as one planted in a shared temporary folder would. The folder and the
// file are used only when they are this user's and no one else may write them.
import { lstatSync, mkdirSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * `$XDG_CACHE_HOME/kdry`, else `~/.cache/kdry`; `~/Library/Caches/kdry` on macOS; `%LOCALAPPDATA%\kdry`
 * on Windows. Undefined when there is no such place (no home folder, a relative path: the XDG Base
 * Directory specification says a relative $XDG_CACHE_HOME is to be ignored).
 */
export function userCacheFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string | undefined {
  const absolute = (path: string | undefined) => (path && isAbsolute(path) ? path : undefined);
  if (platform === 'win32') return absolute(env.LOCALAPPDATA) && join(env.LOCALAPPDATA!, 'kdry');
  const xdg = platform === 'darwin' ? undefined : absolute(env.XDG_CACHE_HOME);
  if (xdg) return join(xdg, 'kdry');
  if (!absolute(home)) return undefined;
  return platform === 'darwin' ? join(home, 'Library', 'Caches', 'kdry') : join(home, '.cache', 'kdry');
}

/**
 * Why a cache folder or file is not this user's alone (another owner; group or others may write it);
 * undefined when it is. Windows has no owner ids: %LOCALAPPDATA% is the user's by its access list.
 */
export function notPrivate(stat: Pick<Stats, 'uid' | 'mode'>, uid: number | null = process.getuid?.() ?? null): string | undefined {
  if (uid === null) return undefined;
  if (stat.uid !== uid) return `owned by uid ${stat.uid}, not ${uid}`;
  if ((stat.mode & 0o022) !== 0) return `writable by its group or others (mode ${(stat.mode & 0o777).toString(8)})`;
  return undefined;
}

/** `folder`, made (mode 0700) when absent, if it is a folder (not a link to one) private to this user; undefined otherwise. Never throws. */
export function privateFolder(folder: string): string | undefined {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stat = lstatSync(folder);
    return stat.isDirectory() && notPrivate(stat) === undefined ? folder : undefined;
  } catch {
    return undefined;
  }
}
