// File URIs as the editor and the CLI write them, to local paths.
import { fileURLToPath } from 'node:url';

/** The local path of a file: URI, else undefined. */
export function uriToPath(uri: string): string | undefined {
  try {
    return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
