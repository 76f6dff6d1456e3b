// Bundles the extension client, the language server, the CLI and the webview with esbuild.
// `--production` minifies and drops sourcemaps (used by `npm run package`).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';

// Schema validators are ajv standalone code, generated before bundling (schemas/compile.ts;
// it rewrites server/src/schema/generated/validators.js only when the schemas changed).
const compiled = spawnSync(process.execPath, ['--import', 'tsx', 'schemas/compile.ts'], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const production = process.argv.includes('--production');
const { version } = JSON.parse(await (await import('node:fs/promises')).readFile('package.json', 'utf8'));
const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  define: { KDRY_VERSION: JSON.stringify(version) },
};
// ESM dependencies bundled into CommonJS still ask for import.meta.url (e.g. createRequire).
const node = {
  ...common,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  define: { ...common.define, 'import.meta.url': '__kdryImportMetaUrl' },
  inject: ['scripts/import-meta-url.js'],
};

const entries = [
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { ...node, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['client/webview/main.ts'], outfile: 'dist/webview.js' },
];

const { existsSync } = await import('node:fs');
await Promise.all(entries.filter((e) => existsSync(e.entryPoints[0])).map((e) => build(e)));
