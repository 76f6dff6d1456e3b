// parseManifest for text as editors hand it over. manifest/split.ts misses two kinds of document
// marker, and then yaml sees several documents in one chunk ("Source contains multiple documents"):
//  - `---\r` in a CRLF file (it only accepts a space, a tab or LF after the marker);
//  - a `---` that opens an empty document (`---\n---\n...`, common in generated and kustomize
//    output): a marker only ends a document that had content.
// Both are masked without moving any offset (CR -> space; an empty document's marker -> spaces),
// so every range still points into the real text.
import { parseManifest, type ManifestCache, type ManifestFile } from '../../manifest';

const MARKER = /^---(?=[ \t\r]|$)/;
const EMPTY_DOCUMENT = /^---[ \t]*\n(?:[ \t]*(?:#.*)?\n)*---/m;

export function parseManifestText(text: string, uri?: string, cache?: ManifestCache): ManifestFile {
  const masked = maskMarkers(text);
  return { ...parseManifest(masked, uri, cache), text };
}

function maskMarkers(text: string): string {
  if (!text.includes('\r') && !EMPTY_DOCUMENT.test(text)) return text;
  const lines = text.split('\n');
  let emptyMarker = -1; // the last `---` line with no content after it yet
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (MARKER.test(line)) {
      if (emptyMarker >= 0 && lines[emptyMarker].trim() === '---') lines[emptyMarker] = lines[emptyMarker].replace('---', '   ');
      if (line.endsWith('\r')) lines[i] = `${line.slice(0, -1)} `;
      emptyMarker = lines[i].slice(3).trim() === '' ? i : -1;
    } else if (line.trim() !== '' && !line.trimStart().startsWith('#')) emptyMarker = -1;
  }
  return lines.join('\n');
}
