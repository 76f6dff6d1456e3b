// What `npm run package` puts in the .vsix, listed by vsce itself: only the bundles and the
// static files the manifest points at, and small enough for the Marketplace page to promise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const ALLOWED = [
  /^(README\.md|CHANGELOG\.md|LICENSE|package\.json)$/,
  /^dist\/(client|server|cli|webview)\.js$/,
  /^images\/icon\.png$/,
  /^syntaxes\/[\w.-]+\.tmLanguage\.json$/,
  /^schemas\/[\w.-]+\.json$/,
  /^media\/[\w./-]+\.(css|svg|png)$/,
];
const REQUIRED = ['README.md', 'CHANGELOG.md', 'LICENSE', 'package.json', 'dist/client.js', 'dist/server.js', 'dist/cli.js', 'images/icon.png'];

test('the package holds only the bundles and static files, under 2 MB', () => {
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  const ls = spawnSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  assert.equal(ls.status, 0, ls.stderr);
  const files = ls.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  const unexpected = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  assert.deepEqual(unexpected, [], 'nothing outside the allow-list (no node_modules, sources, maps, tests)');
  for (const f of REQUIRED) assert.ok(files.includes(f), `${f} is packaged`);
  const bytes = files.reduce((n, f) => n + statSync(join(root, f)).size, 0);
  assert.ok(bytes < 2 * 1024 * 1024, `uncompressed contents are ${bytes} bytes`);
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
