// parseManifest for text with Windows line endings. manifest/split.ts only recognises a `---`
// marker followed by a space, tab or LF, so in a CRLF file every `---\r` line is missed and the
// whole stream becomes one document (yaml then reports "multiple documents"). Replacing the CR of
// marker lines with a space keeps every offset, so ranges still point into the real text.
import { parseManifest, type ManifestCache, type ManifestFile } from '../../manifest';

const CR_AFTER_MARKER = /^(---|\.\.\.)\r(?=\n|$)/gm;

export function parseManifestText(text: string, uri?: string, cache?: ManifestCache): ManifestFile {
  const masked = text.includes('\r') ? text.replace(CR_AFTER_MARKER, '$1 ') : text;
  return { ...parseManifest(masked, uri, cache), text };
}
