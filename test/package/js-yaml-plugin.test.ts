// scripts/js-yaml-plugin.mjs: the bundled js-yaml, whose parseNode makes its state snapshot and its
// node properties only where a tag or an anchor is, reads every text as the published build does:
// the same events, values and errors on the YAML corpus and thousands of seeded mutations of it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import * as published from 'js-yaml';
import { corpus, mutate, random } from '../manifest/yaml-corpus';

const root = join(__dirname, '..', '..');

/** js-yaml as the build bundles it, loaded as a module. */
async function bundledJsYaml(): Promise<{ source: string; jsYaml: typeof published }> {
  const { jsYamlPlugin } = await import(join(root, 'scripts', 'js-yaml-plugin.mjs'));
  const result = await build({ stdin: { contents: "module.exports = require('js-yaml');\n", resolveDir: root }, bundle: true, write: false, platform: 'node', format: 'cjs', logLevel: 'silent', plugins: [jsYamlPlugin] });
  assert.deepEqual(result.warnings, []);
  const source = result.outputFiles[0].text;
  const module = { exports: {} as typeof published };
  new Function('module', 'exports', 'require', source)(module, module.exports, require);
  return { source, jsYaml: module.exports };
}

/** What a loader makes of `text`: its events and values, or the error it throws. */
function reading(jsYaml: typeof published, text: string): string {
  try {
    return JSON.stringify({ events: jsYaml.parseEvents(text, {}), values: jsYaml.loadAll(text) });
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`;
  }
}

test('the bundled js-yaml is patched, and reads the corpus and its mutations as the published one does', async () => {
  const { source, jsYaml } = await bundledJsYaml();
  assert.match(source, /let props = NO_PROPERTIES;/);
  assert.match(source, /const propertyState = property \? snapshotState\(state\) : null;/);
  const texts = [...corpus, 'a: &x {b: !!str 1}\nc: *x\nd: [1, &y 2, *y]\n? e\n: f\n', '!!map &m\nk: v\n', '- &a !t\n  x: 1\n- *a\n'];
  const next = random(20261207);
  for (let i = 0; i < 3000; i++) {
    let text = corpus[Math.floor(next() * corpus.length)];
    for (let m = 1 + Math.floor(next() * 3); m > 0; m--) text = mutate(text, next);
    texts.push(text);
  }
  let errors = 0;
  for (const text of texts) {
    const expected = reading(published, text);
    if (expected.startsWith('error: ')) errors++;
    assert.equal(reading(jsYaml, text), expected, text);
  }
  // The mutations reach js-yaml's error paths as well as its successful ones.
  assert.ok(errors > 100 && errors < texts.length - 100, `${errors} of ${texts.length} texts fail to parse`);
});
