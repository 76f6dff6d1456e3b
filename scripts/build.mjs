// Bundles the extension client, the language server, the CLI and the webview with esbuild.
// `--production` minifies and drops sourcemaps (used by `npm run package`); `--outdir DIR`
// writes somewhere else than dist/ (the package test builds into a temporary folder).
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { jsYamlPlugin } from './js-yaml-plugin.mjs';
import { yamlPlugin } from './yaml-plugin.mjs';

const production = process.argv.includes('--production');
const outdirFlag = process.argv.indexOf('--outdir');
const outdir = outdirFlag > 0 ? process.argv[outdirFlag + 1] : 'dist';
const { version } = JSON.parse(await (await import('node:fs/promises')).readFile('package.json', 'utf8'));
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { KDRY_VERSION: JSON.stringify(version) },
};
// cel-go's grammar (the ANTLR runtime and the parser generated from CEL.g4, about 230 KB minified) is
// a file of its own beside the bundles, required only when kdry's CEL parser rejects an expression
// (server/src/cel/static-analysis.ts), so no process start reads it.
const celGoSyntaxApart = {
  name: 'cel-go-syntax-apart',
  setup(b) {
    b.onResolve({ filter: /\/cel-go-syntax-error$/ }, (args) => (args.kind === 'require-call' ? { path: './cel-go-syntax.js', external: true } : undefined));
  },
};
// The check worker thread runs the check command's bundle (server/src/cli/check-worker.ts): its own
// copy of the check pipeline was 400 KB of the .vsix, compressed.
const checkWorkerThin = {
  name: 'check-worker-thin',
  setup(b) {
    b.onResolve({ filter: /^\.\/check-entry$/ }, () => ({ path: './cli-check.js', external: true }));
  },
};
// Each `kdry` command's code is a bundle of its own that dist/cli.js requires when the command runs
// (server/src/cli.ts), so `kdry --version` and `kdry simulate` do not compile the check pipeline.
const cliCommandsApart = {
  name: 'cli-commands-apart',
  setup(b) {
    b.onResolve({ filter: /\/cli\/(simulate|check)-entry$/ }, (args) =>
      args.kind === 'require-call' ? { path: `./cli-${args.path.match(/(simulate|check)-entry$/)[1]}.js`, external: true } : undefined,
    );
  },
};
// The CEL library (cel-es, its protobuf descriptors, RE2 for CEL's matches(), kdry's CEL code: about 650 KB)
// is a file of its own beside the CLI's command bundles, required when a check first meets an expression
// (server/src/cel/on-demand.ts): `kdry simulate` of a workload without CRD validation rules never reads it,
// and the two command bundles share one copy.
const celLibraryApart = {
  name: 'cel-library-apart',
  setup(b) {
    b.onResolve({ filter: /\/on-demand-library$/ }, (args) => (args.kind === 'require-call' ? { path: './cel-library.js', external: true } : undefined));
  },
};
// ESM dependencies bundled into CommonJS still ask for import.meta.url (e.g. createRequire).
const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  define: { ...common.define, 'import.meta.url': '__kdryImportMetaUrl' },
  inject: ['scripts/import-meta-url.js'],
  plugins: [jsYamlPlugin, yamlPlugin, celGoSyntaxApart],
};

const entries = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: outdir + '/client.js', external: ['vscode'] },
  // The language server's code; dist/server.js (below) starts it.
  { ...node, entryPoints: ['server/src/server.ts'], outfile: outdir + '/server-main.js' },
  // kdry/simulate's engine runs in this worker thread (server/src/lsp/simulation-runner.ts).
  { ...node, entryPoints: ['server/src/lsp/simulation-worker.ts'], outfile: outdir + '/simulation-worker.js' },
  // The simulation-backed diagnostics run the engine in this worker thread (server/src/lsp/simulation-checks-runner.ts).
  { ...node, entryPoints: ['server/src/lsp/simulation-checks-worker.ts'], outfile: outdir + '/simulation-checks-worker.js' },
  { ...node, entryPoints: ['server/src/cli/simulate-entry.ts'], outfile: outdir + '/cli-simulate.js', plugins: [...node.plugins, celLibraryApart] },
  { ...node, entryPoints: ['server/src/cli/check-entry.ts'], outfile: outdir + '/cli-check.js', plugins: [...node.plugins, celLibraryApart] },
  { ...node, entryPoints: ['server/src/cel/on-demand-library.ts'], outfile: outdir + '/cel-library.js' },
  // `kdry check --jobs`: the worker threads cli.js starts (server/src/cli/check-pool.ts)
  { ...node, entryPoints: ['server/src/cli/check-worker.ts'], outfile: outdir + '/check-worker.js', plugins: [...node.plugins, checkWorkerThin] },
  { ...node, entryPoints: ['server/src/cel/cel-go-syntax-error.ts'], outfile: outdir + '/cel-go-syntax.js' },
  { ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['client/webview/main.ts'], outfile: outdir + '/view/webview.js' },
];

await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => build(e)));
// V8 keeps a script's source text for as long as its functions live, one byte per character when all
// of them are Latin-1 and two otherwise. esbuild escapes non-ASCII characters in code but keeps
// comments as written, and four characters in @bufbuild/re2's comments (an arrow, a long s, the Kelvin sign, a dash) made the
// 3 MB development server bundle a 6 MB string (peak RSS about 30 MB higher: npm run bench
// custom-resource). Escaped here, in comment lines only (minified bundles have none).
for (const e of entries.filter((e) => e.platform === 'node' && existsSync(e.outfile))) {
  const text = readFileSync(e.outfile, 'utf8');
  const escaped = text.replace(/^([ \t]*(?:\/\/|\/\*|\*).*)$/gm, (line) => line.replace(/[^\x00-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  if (escaped !== text) writeFileSync(e.outfile, escaped);
}
// dist/server.js compiles dist/server-main.js with a V8 code cache made for its content
// (server/src/server-start.ts): its hash is written into it here, once the bundle is final.
const serverMainSha256 = createHash('sha256').update(readFileSync(outdir + '/server-main.js')).digest('hex');
await build({
  ...node,
  entryPoints: ['server/src/server-start.ts'],
  outfile: outdir + '/server.js',
  banner: { js: '#!/usr/bin/env node' },
  define: { ...node.define, KDRY_SERVER_MAIN_SHA256: JSON.stringify(serverMainSha256) },
});
// dist/cli.js compiles each command's bundle with a V8 code cache made for its content
// (server/src/cli/command-bundle.ts): their hashes are written into it here, once they are final.
const cliBundleSha256 = (name) => JSON.stringify(createHash('sha256').update(readFileSync(`${outdir}/cli-${name}.js`)).digest('hex'));
await build({
  ...node,
  entryPoints: ['server/src/cli.ts'],
  outfile: outdir + '/cli.js',
  banner: { js: '#!/usr/bin/env node' },
  plugins: [...node.plugins, cliCommandsApart],
  define: { ...node.define, KDRY_CLI_SIMULATE_SHA256: cliBundleSha256('simulate'), KDRY_CLI_CHECK_SHA256: cliBundleSha256('check') },
});
// The Kubernetes schema data (scripts/schema-data/bundle-versions.ts writes it) is read at run time, next to
// the server and CLI bundles, one release at a time (server/src/schema/bundled-releases.ts).
rmSync(outdir + '/k8s', { recursive: true, force: true });
// The Dry-run view's stylesheet sits beside its script: dist/view/ is the view's only resource root.
cpSync('media/dryrun.css', outdir + '/view/dryrun.css');
cpSync('server/src/schema/generated/k8s', outdir + '/k8s', { recursive: true });
// Each rule's example (its fixtures/<rule-id>/bad-1.yaml) for `kdry rules --format markdown`
// (server/src/rules/fixture-files.ts); the other fixtures are test data and stay out of dist/.
rmSync(outdir + '/rule-examples', { recursive: true, force: true });
mkdirSync(outdir + '/rule-examples', { recursive: true });
for (const root of ['server/src/rules/fixtures', 'server/src/simulation-checks/fixtures']) {
  for (const id of readdirSync(root)) cpSync(`${root}/${id}/bad-1.yaml`, `${outdir}/rule-examples/${id}.yaml`);
}
