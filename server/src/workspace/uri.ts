// File URIs as the editor and the CLI write them, to local paths; where a path lies.
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The local path of a file: URI, else undefined. */
export function uriToPath(uri: string): string | undefined {
  // Asked several times per check for the same uri (the edited file's): URL parsing each time was
  // a few percent of a keystroke's first checks.
  if (uri === last.uri) return last.path;
  let path: string | undefined;
  try {
    path = uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    path = undefined;
  }
  last = { uri, path };
  return path;
}

let last: { uri: string; path: string | undefined } = { uri: '', path: undefined };

/** `path` lies strictly below the folder `root`. */
export function isBelow(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
