// scripts/yaml-plugin.mjs: the bundled `yaml` reads no process.env per token or document, and a
// bundle of a `yaml` whose layout no longer matches fails to build instead of losing the gain silently.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..');
const plugin = async () => (await import(join(root, 'scripts', 'yaml-plugin.mjs'))).yamlPlugin;
/** `source` bundled as if it were a file in `dir`. */
const bundle = async (source: string, dir: string) => build({ stdin: { contents: source, resolveDir: dir }, bundle: true, write: false, platform: 'node', format: 'cjs', logLevel: 'silent', plugins: [await plugin()] });

test('the real yaml is bundled with both debug switches read as false', async () => {
  const out = (await bundle("module.exports = require('yaml').parseAllDocuments('a: 1');\n", root)).outputFiles[0].text;
  assert.match(out, /parseAllDocuments/);
  assert.doesNotMatch(out, /LOG_TOKENS|LOG_STREAM/);
});

test('a yaml whose files are not where the plugin looks fails the build; a bundle without yaml builds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdry-yaml-plugin-'));
  mkdirSync(join(dir, 'node_modules', 'yaml', 'dist', 'parse'), { recursive: true });
  writeFileSync(join(dir, 'node_modules', 'yaml', 'package.json'), JSON.stringify({ name: 'yaml', main: 'dist/index.js' }));
  // The parser is where it was, the composer moved: one file patched of two.
  writeFileSync(join(dir, 'node_modules', 'yaml', 'dist', 'parse', 'parser.js'), "const node_process = require('process');\nexports.debug = () => node_process.env.LOG_TOKENS;\n");
  writeFileSync(join(dir, 'node_modules', 'yaml', 'dist', 'index.js'), "const node_process = require('process');\nexports.parser = require('./parse/parser.js');\nexports.compose = () => node_process.env.LOG_STREAM;\n");
  await assert.rejects(bundle("module.exports = require('yaml');\n", dir), /patched 1 of yaml's 2 files/);
  await bundle('module.exports = 1;\n', dir);
});
