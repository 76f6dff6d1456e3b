// esbuild plugin: how js-yaml is bundled, for parsing speed (the language server reads most
// documents with it, see server/src/manifest/fast-load.ts). Measured on `npm run bench lsp`:
// - its CommonJS build: V8 runs the ESM build's parser 3-4x slower;
// - that build's Babel `_objectSpread2` helper, which js-yaml calls twice per document to set up
//   its parser state, replaced by the equivalent Object.assign (the targets are fresh plain
//   objects): opening 1,000 documents in a fresh server ~158 -> ~144 ms (median of 6);
// - `parseNode` makes two objects at every node: a snapshot of the parser state before looking for
//   a tag or an anchor, and an empty set of node properties that only a tag or an anchor fills.
//   Both are made only when one is there (`!` or `&` at the position; readTagProperty and
//   readAnchorProperty, which alone write the properties, return at once otherwise). They were the
//   largest allocation of `kdry check`: 141 of 1,221 MB on 10 mixed files of 1,000 documents,
//   which every collection of the young generation paid for.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** What `require('js-yaml')` loads: the CommonJS build (package.json exports). */
const CJS_BUILD = require.resolve('js-yaml');
const SPREAD_HELPER = /function _objectSpread2\(e\) \{[\s\S]*?\n\}\n/;
const ASSIGN_HELPER = 'function _objectSpread2(e) {\n\tfor (var r = 1; r < arguments.length; r++) Object.assign(e, arguments[r]);\n\treturn e;\n}\n';
/** Each text occurs once in the build, and is replaced as a whole (see above). */
const LAZY_NODE_PROPERTIES = [
  ['function parseNode(', 'const NO_PROPERTIES = Object.freeze(emptyProperties());\nfunction parseNode('],
  ['\tconst props = emptyProperties();\n\tlet allowBlockScalars', '\tlet props = NO_PROPERTIES;\n\tlet allowBlockScalars'],
  [
    '\t\tconst propertyState = snapshotState(state);\n',
    '\t\tconst property = ch === 33 || ch === 38;\n\t\tconst propertyState = property ? snapshotState(state) : null;\n\t\tif (property && props === NO_PROPERTIES) props = emptyProperties();\n',
  ],
];

export const jsYamlPlugin = {
  name: 'js-yaml',
  setup(build) {
    build.onResolve({ filter: /^js-yaml$/ }, () => ({ path: CJS_BUILD }));
    build.onLoad({ filter: /js-yaml\.cjs\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!SPREAD_HELPER.test(source)) {
        return { contents: source, loader: 'js', warnings: [{ text: 'js-yaml no longer has the _objectSpread2 helper: scripts/js-yaml-plugin.mjs patches nothing; re-measure the LSP benchmark' }] };
      }
      const contents = source.replace(SPREAD_HELPER, ASSIGN_HELPER);
      if (!LAZY_NODE_PROPERTIES.every(([from]) => contents.split(from).length === 2)) {
        return { contents, loader: 'js', warnings: [{ text: 'js-yaml parseNode is not as scripts/js-yaml-plugin.mjs expects: its snapshot and properties are not made lazy; re-measure `kdry check`' }] };
      }
      return { contents: LAZY_NODE_PROPERTIES.reduce((text, [from, to]) => text.replace(from, to), contents), loader: 'js' };
    });
  },
};
