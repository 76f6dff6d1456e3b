// What ships: the CLI bundle resolves its modules at build time (a `node_modules` beside an
// installed dist/cli.js must not be able to inject code), runtime dependencies are only what the
// bundles need, the Dry-run view's CSP forbids <base> and forms, and Simulate Rollout opens only
// file: and untitled: documents.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { contentSecurityPolicy, VIEW_RESOURCES } from '../../client/src/content-security-policy';
import { hasSimulatableScheme } from '../../client/src/document-uri';
import { CLI, GOOD_DEPLOYMENT, hostileRepo, removeRepo, REPO, runKdry } from './hostile-repo';

const repos: string[] = [];
after(() => repos.forEach(removeRepo));

test('dist/cli.js loads no package from a node_modules near it at run time', async () => {
  // Before: the bundle kept fdir's `require.resolve("picomatch")`, so whatever picomatch sat in a
  // node_modules above the installed CLI was loaded and run.
  const root = hostileRepo({ 'k8s/web.yaml': GOOD_DEPLOYMENT });
  repos.push(root);
  const marker = join(root, 'injected');
  for (const name of ['picomatch', 'yaml', 'js-yaml', 'fdir']) {
    mkdirSync(join(root, 'node_modules', name), { recursive: true });
    writeFileSync(join(root, 'node_modules', name, 'package.json'), JSON.stringify({ name, main: 'index.js' }));
    writeFileSync(join(root, 'node_modules', name, 'index.js'), `require('fs').appendFileSync(${JSON.stringify(marker)}, ${JSON.stringify(name + '\n')});`);
  }
  mkdirSync(join(root, 'bin'));
  const bundles = ['cli.js', 'cli-simulate.js', 'cli-check.js', 'cel-library.js'];
  for (const bundle of bundles) copyFileSync(join(dirname(CLI), bundle), join(root, 'bin', bundle));
  const r = await new Promise<{ code: number | null }>((resolve) => {
    const child = spawn(process.execPath, [join(root, 'bin', 'cli.js'), 'check', 'k8s/*.yaml', 'k8s'], { cwd: root, stdio: 'ignore' });
    child.on('close', (code) => resolve({ code }));
  });
  assert.equal(r.code, 0);
  assert.equal(existsSync(marker) ? readFileSync(marker, 'utf8') : '', '', 'no module was loaded from the node_modules beside the bundle');
  for (const bundle of bundles) assert.doesNotMatch(readFileSync(join(dirname(CLI), bundle), 'utf8'), /require\.resolve\(|__require\("(?!node:)[a-z]/, `no dynamic require left in ${bundle}`);
});

test('runtime dependencies are what the bundles import; build-time and unused packages are not among them', () => {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  for (const name of ['ajv', 'ajv-formats', 'cron-parser', 'tinyglobby']) assert.equal(pkg.dependencies[name], undefined, `${name} is no runtime dependency`);
  assert.equal(pkg.devDependencies.ajv !== undefined, true, 'ajv compiles the schema validators at build time');
});

test('the Dry-run view: no <base>, no forms, one nonce-d script; its two files exist and load nothing else', () => {
  const csp = contentSecurityPolicy('https://webview.example', 'abc123');
  const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
  assert.deepEqual(directives, {
    'default-src': "'none'",
    'style-src': 'https://webview.example',
    'img-src': 'https://webview.example',
    'font-src': 'https://webview.example',
    'script-src': "'nonce-abc123'",
    'base-uri': "'none'",
    'form-action': "'none'",
  });
  assert.deepEqual(VIEW_RESOURCES.map((parts) => parts.join('/')), ['dist/view/webview.js', 'dist/view/dryrun.css']);
  assert.deepEqual(readdirSync(join(REPO, 'dist', 'view')).filter((f) => !f.endsWith('.map')).sort(), ['dryrun.css', 'webview.js'], 'the resource root holds the two files only (and the sourcemap of a development build)');
  for (const parts of VIEW_RESOURCES) assert.ok(existsSync(join(REPO, ...parts)), `${parts.join('/')} exists`);
  assert.doesNotMatch(readFileSync(join(REPO, 'media', 'dryrun.css'), 'utf8'), /url\(|@import/, 'the stylesheet loads nothing else');
});

test('Simulate Rollout opens file: and untitled: documents only', () => {
  for (const ok of ['file:///w/web.yaml', 'FILE:///w/web.yaml', 'untitled:Untitled-1']) assert.equal(hasSimulatableScheme(ok), true, ok);
  for (const bad of ['vscode-vfs://github/x/y.yaml', 'git:/w/web.yaml?{}', 'https://example.com/web.yaml', 'command:workbench.action.terminal.new', '/w/web.yaml', 'web.yaml', '']) assert.equal(hasSimulatableScheme(bad), false, bad);
});

test('the CLI still checks through a glob and a folder with the dependencies swapped', async () => {
  const root = hostileRepo({ 'a/b/web.yaml': GOOD_DEPLOYMENT, 'a/b/c.yml': GOOD_DEPLOYMENT.replace('name: web', 'name: c'), 'a/.hidden/x.yaml': 'junk: [', 'a/node_modules/m.yaml': 'junk: [' });
  repos.push(root);
  const glob = await runKdry(['check', '--format', 'json', 'a/**/*.{yaml,yml}'], root);
  assert.deepEqual(JSON.parse(glob.stdout).files.map((f: { path: string }) => f.path), ['a/b/c.yml', 'a/b/web.yaml']);
  const none = await runKdry(['check', 'a/**/*.json'], root);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /a\/\*\*\/\*\.json: no files match this pattern/);
});
