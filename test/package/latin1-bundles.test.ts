// V8 keeps each bundle's source text while its functions live: one byte per character when every
// character is Latin-1, two otherwise, so one stray character in a comment doubles the string
// (the 3 MB server bundle held 6 MB). scripts/build.mjs escapes what esbuild leaves in comments.
// Needs `npm run build`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const dist = join(__dirname, '..', '..', 'dist');

test('every bundle Node runs is Latin-1 text', () => {
  const bundles = readdirSync(dist).filter((f) => f.endsWith('.js'));
  assert.ok(bundles.includes('server.js'), 'run npm run build first');
  for (const file of bundles) {
    const wide = readFileSync(join(dist, file), 'utf8').match(/[^\x00-\xff]/g) ?? [];
    assert.deepEqual(wide, [], `${file} has characters beyond Latin-1`);
  }
});
