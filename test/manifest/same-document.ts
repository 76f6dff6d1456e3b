// What an incrementally read document must share with a fresh parse of its text (incremental.test.ts,
// incremental-lines.test.ts): value (key order too), problems, ranges, the events kept for the next patch.
import assert from 'node:assert/strict';
import { parseEvents } from 'js-yaml';
import { isKubernetesObject, ManifestCache, parseDocuments, splitDocuments, type ManifestDocument, type PathSegment } from '../../server/src/manifest';

/** Every path in a value, the root included. */
function pathsOf(value: unknown, path: PathSegment[] = [], out: PathSegment[][] = []): PathSegment[][] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
  return out;
}

/** Asserts `actual` (read through a cache) is what a fresh parse read (`expected`). */
export function assertSameDocument(actual: ManifestDocument, expected: ManifestDocument, context: string): void {
  assert.deepEqual(actual.value, expected.value, context);
  assert.deepEqual(actual.problems, expected.problems, context);
  assert.deepEqual([actual.templated, actual.range, actual.kind, actual.name], [expected.templated, expected.range, expected.kind, expected.name], context);
  assert.equal(isKubernetesObject(actual), isKubernetesObject(expected), `${context}: declares a Kubernetes object`);
  // Key order too: findings and hovers list a map's keys as written.
  assert.equal(JSON.stringify(actual.value), JSON.stringify(expected.value), context);
  // The events kept for the next keystroke's patch are the loader's own.
  const kept = (actual as { keptEvents?: unknown }).keptEvents;
  if (kept) assert.deepEqual(kept, parseEvents(actual.source, {}), `${context}: events`);
  // Every path of a small document; of a 1,000-line one, a sample (each is a scan of its events).
  const paths = pathsOf(expected.value);
  const step = paths.length > 400 ? 17 : 1;
  for (let p = 0; p < paths.length; p += step) {
    const path = paths[p];
    assert.deepEqual(actual.locateFast(path), expected.locateFast(path), `${context}: ${JSON.stringify(path)}`);
  }
}


/** Reads each text in turn through one cache, as the language server does; the documents of the last. */
export function reader(): (text: string) => ManifestDocument[] {
  const cache = new ManifestCache();
  return (text) => {
    const documents = parseDocuments(splitDocuments(text), cache);
    cache.sweep();
    return documents;
  };
}
