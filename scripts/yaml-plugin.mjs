// esbuild plugin: how the `yaml` library is bundled, for parsing speed. Its parser reads
// `process.env.LOG_TOKENS` for every token and its composer `process.env.LOG_STREAM` for every
// document (debug logging); each read of process.env is a call into the C++ environment. With
// both read as false the tree of a 1 KB manifest is built about 25% faster (0.52 -> 0.38 ms per
// document, 200 documents of the bench's mixed file). Tests run the library unbundled, unchanged.
// A bundle that holds the library but not both patches fails to build: the library's layout or
// its debug switches changed, and the gain is silently gone otherwise.
import { readFile } from 'node:fs/promises';

const DEBUG_LOGGING = /node_process\.env\.LOG_(?:TOKENS|STREAM)/g;
const YAML_DIST = /[\\/]node_modules[\\/]yaml[\\/]dist[\\/]/;
const PATCHED_FILES = /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](?:parse[\\/]parser|compose[\\/]composer)\.js$/;
/** The parser and the composer. */
const EXPECTED_PATCHES = 2;

export const yamlPlugin = {
  name: 'yaml',
  setup(build) {
    let bundlesYaml = false;
    let patched = 0;
    build.onStart(() => {
      bundlesYaml = false;
      patched = 0;
    });
    build.onLoad({ filter: YAML_DIST }, async (args) => {
      bundlesYaml = true;
      if (!PATCHED_FILES.test(args.path)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const patchedSource = source.replace(DEBUG_LOGGING, 'false');
      if (patchedSource !== source) patched++;
      return { contents: patchedSource, loader: 'js' };
    });
    build.onEnd(() => {
      if (!bundlesYaml || patched >= EXPECTED_PATCHES) return undefined;
      return { errors: [{ text: `scripts/yaml-plugin.mjs patched ${patched} of yaml's ${EXPECTED_PATCHES} files (dist/parse/parser.js, dist/compose/composer.js reading process.env.LOG_TOKENS / LOG_STREAM): yaml's layout changed; update the plugin` }] };
    });
  },
};
