// What `npm run package` puts in the .vsix: only the bundles, the Kubernetes schema data they read
// (seven releases) and the static files the manifest points at, under 3 MB. The package is built in
// a temporary copy (production bundles), so the dist/ that other tests run is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const ALLOWED = [
  /^(README\.md|CHANGELOG\.md|LICENSE|package\.json)$/,
  // The entry points, and the worker threads they start (named *-worker.js).
  /^dist\/(client|server|cli|[a-z-]+-worker)\.js$/,
  // The language server's code, which dist/server.js compiles with a code cache (server/src/server-start.ts).
  /^dist\/server-main\.js$/,
  // The CLI's commands, each required by dist/cli.js when it runs (scripts/build.mjs).
  /^dist\/cli-(simulate|check)\.js$/,
  // cel-go's grammar, required only when a CEL expression does not parse, and the CEL library the CLI's
  // command bundles require when a check first meets an expression (scripts/build.mjs).
  /^dist\/cel-(go-syntax|library)\.js$/,
  // The Dry-run view's script and stylesheet, alone in its resource root.
  /^dist\/view\/(webview\.js|dryrun\.css)$/,
  // The definitions, the byte span of each (read on demand) and each release's index.
  /^dist\/k8s\/(definitions\.txt|structures\.txt|definitions-index\.json|\d+\.\d+\.json)$/,
  /^dist\/rule-examples\/[a-z0-9-]+\.yaml$/,
  /^images\/icon\.png$/,
  /^syntaxes\/[\w.-]+\.tmLanguage\.json$/,
  /^schemas\/[\w.-]+\.json$/,
  /^schemas\/crd-catalog\/[\w.-]+\.json$/,
  /^media\/[\w.-]+\.(svg|png)$/,
];
const REQUIRED = ['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json', 'dist/client.js', 'dist/server.js', 'dist/server-main.js', 'dist/simulation-worker.js', 'dist/simulation-checks-worker.js', 'dist/cli.js', 'dist/cli-simulate.js', 'dist/cli-check.js', 'dist/check-worker.js', 'dist/cel-go-syntax.js', 'dist/cel-library.js', 'dist/view/webview.js', 'dist/view/dryrun.css', 'dist/k8s/definitions.txt', 'dist/k8s/structures.txt', 'dist/k8s/definitions-index.json', 'dist/k8s/1.35.json', 'dist/rule-examples/selector-mismatch.yaml', 'images/icon.png'];
const STAGED = ['package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'images', 'syntaxes', 'schemas', 'media'];

function node(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout;
}

test('the package holds only the bundles, the schema data and static files, under 3 MB', () => {
  const stage = mkdtempSync(join(tmpdir(), 'kdry-vsix-'));
  for (const entry of STAGED) if (existsSync(join(root, entry))) cpSync(join(root, entry), join(stage, entry), { recursive: true });
  node([join(root, 'scripts', 'build.mjs'), '--production', '--outdir', join(stage, 'dist')], root);
  cpSync(join(root, 'package.json'), join(stage, 'package.json'));

  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const files = node([vsce, 'ls', '--no-dependencies'], stage).split('\n').map((l) => l.trim()).filter(Boolean);
  const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  assert.deepEqual(unexpected, [], 'nothing outside the allow-list (no node_modules, sources, maps, tests)');
  for (const f of REQUIRED) assert.ok(files.includes(f), `${f} is packaged`);

  const vsix = join(stage, 'kdry.vsix');
  node([vsce, 'package', '--no-dependencies', '--out', vsix], stage);
  const size = statSync(vsix).size;
  assert.ok(size < 3 * 1024 * 1024, `the .vsix is ${size} bytes`);
});

test('the manifest carries what the Marketplace needs', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.categories, ['Linters', 'Programming Languages', 'Visualization']);
  assert.ok(pkg.keywords.includes('kubernetes'));
  assert.ok(pkg.repository?.url);
  assert.ok(pkg.icon && statSync(join(root, pkg.icon)).size > 0);
  assert.ok(['limited', true, false].includes(pkg.capabilities.untrustedWorkspaces.supported));
  assert.equal(pkg.main, './dist/client.js');
  assert.equal(pkg.bin['kdry-language-server'], './dist/server.js');
});
