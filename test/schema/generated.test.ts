// The committed Kubernetes schema data is what scripts/schema-data/bundle-versions.ts makes of the official
// OpenAPI files today (when ../shared holds them, as on developer machines and in CI), and it has
// the shape the runtime reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleReleases, offeredReleases, readReleases, releaseFolders, DATA_DIR, DEFAULT_SOURCE, GENERATED_DIR, PACKAGE_JSON } from '../../scripts/schema-data/bundle-versions';
import { BUNDLED_RELEASES } from '../../server/src/schema';

test('the committed data is current: bundling the release folders again gives the same bytes', (t) => {
  if (!existsSync(DEFAULT_SOURCE)) return t.skip(`${DEFAULT_SOURCE} not available here`);
  const files = bundleReleases(readReleases(DEFAULT_SOURCE));
  assert.deepEqual(readdirSync(DATA_DIR).sort(), [...files.keys()].filter((f) => f.startsWith('k8s/')).map((f) => f.slice(4)).sort());
  for (const [path, text] of files) {
    assert.ok(readFileSync(join(GENERATED_DIR, path), 'utf8') === text, `${path} is stale: run node --import tsx scripts/schema-data/bundle-versions.ts`);
  }
  assert.deepEqual([...BUNDLED_RELEASES], releaseFolders(DEFAULT_SOURCE));
});

test('seven releases share their definitions: the pool is far smaller than seven copies', () => {
  const pool = readFileSync(join(DATA_DIR, 'definitions.txt'), 'utf8').trim().split('\n');
  const perRelease = BUNDLED_RELEASES.map((v) => Object.keys(JSON.parse(readFileSync(join(DATA_DIR, `${v}.json`), 'utf8')).definitions).length);
  const total = perRelease.reduce((a, b) => a + b, 0);
  assert.ok(pool.length < total / 3, `${pool.length} distinct definitions for ${total} release definitions`);
  const text = pool.join('\n');
  // (allOf/oneOf also name fields of CustomResourceDefinition's JSONSchemaProps: look for the keywords' shapes.)
  for (const leftover of [/"allOf":\[\{"\$ref"/, /"oneOf":\[\{"type"/, /"x-kubernetes-group-version-kind"/, /#\/components\//]) assert.doesNotMatch(text, leftover);
});

test('adding a release is one script: it also makes the editor setting offer it (package.json kdry.kubernetesVersion), the rest of package.json as it was', () => {
  const pkg = readFileSync(PACKAGE_JSON, 'utf8');
  assert.equal(offeredReleases(pkg, BUNDLED_RELEASES), pkg, 'package.json is current for the bundled releases');
  const next = offeredReleases(pkg, [...BUNDLED_RELEASES, '1.36']);
  const setting = JSON.parse(next).contributes.configuration.properties['kdry.kubernetesVersion'];
  assert.deepEqual(setting.examples, ['', '1.36', ...[...BUNDLED_RELEASES].reverse()]);
  assert.match(setting.markdownDescription, /\(1\.29 to 1\.36 bundled\)/);
  assert.match(setting.markdownDescription, /A newer release is checked against 1\.36/);
  const { ['kdry.kubernetesVersion']: _a, ...before } = JSON.parse(pkg).contributes.configuration.properties;
  const { ['kdry.kubernetesVersion']: _b, ...after } = JSON.parse(next).contributes.configuration.properties;
  assert.deepEqual(after, before);
});

test('the committed definitions index gives each committed definition its own bytes (checked without ../shared too)', () => {
  // The runtime reads a definition at its span (schema/bundled-releases.ts definitionByHash): an
  // index out of step with the pool would hand JSON.parse another definition's bytes.
  const pool = readFileSync(join(DATA_DIR, 'definitions.txt'));
  const spans = JSON.parse(readFileSync(join(DATA_DIR, 'definitions-index.json'), 'utf8')) as Record<string, [number, number]>;
  const lines = pool.toString('utf8').trim().split('\n');
  assert.equal(Object.keys(spans).length, lines.length);
  for (const line of lines) {
    const hash = line.slice(0, line.indexOf(' '));
    const [start, end] = spans[hash];
    assert.equal(pool.toString('utf8', start, end), line.slice(hash.length + 1), hash);
  }
});
