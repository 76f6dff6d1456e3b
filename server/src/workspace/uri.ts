// File URIs as the editor and the CLI write them, to local paths; where a path lies.
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The local path of a file: URI, else undefined. */
export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}

/** `path` lies strictly below the folder `root`. */
export function isBelow(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}
