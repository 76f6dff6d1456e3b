// esbuild plugin: how js-yaml is bundled, for parsing speed (the language server reads most
// documents with it, see server/src/manifest/fast-load.ts). Measured on `npm run bench lsp`:
// - its CommonJS build: V8 runs the ESM build's parser 3-4x slower;
// - that build's Babel `_objectSpread2` helper, which js-yaml calls twice per document to set up
//   its parser state, replaced by the equivalent Object.assign (the targets are fresh plain
//   objects): opening 1,000 documents in a fresh server ~158 -> ~144 ms (median of 6).
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** What `require('js-yaml')` loads: the CommonJS build (package.json exports). */
const CJS_BUILD = require.resolve('js-yaml');
const SPREAD_HELPER = /function _objectSpread2\(e\) \{[\s\S]*?\n\}\n/;
const ASSIGN_HELPER = 'function _objectSpread2(e) {\n\tfor (var r = 1; r < arguments.length; r++) Object.assign(e, arguments[r]);\n\treturn e;\n}\n';

export const jsYamlPlugin = {
  name: 'js-yaml',
  setup(build) {
    build.onResolve({ filter: /^js-yaml$/ }, () => ({ path: CJS_BUILD }));
    build.onLoad({ filter: /js-yaml\.cjs\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!SPREAD_HELPER.test(source)) {
        return { contents: source, loader: 'js', warnings: [{ text: 'js-yaml no longer has the _objectSpread2 helper: scripts/js-yaml-plugin.mjs patches nothing; re-measure the LSP benchmark' }] };
      }
      return { contents: source.replace(SPREAD_HELPER, ASSIGN_HELPER), loader: 'js' };
    });
  },
};
