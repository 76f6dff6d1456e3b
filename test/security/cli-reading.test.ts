// `kdry check` and `kdry simulate` over repositories that try to make them read what they should
// not: links to /dev/zero and out of the tree, a FIFO, huge files, hostile git revisions, cluster
// files that never end. Each case finishes within the deadline and heap cap of runKdry, says what
// it refused, reads nothing outside the roots, and fails the run where something went unchecked.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { badDeployment, GOOD_DEPLOYMENT, hostileRepos, runKdry } from './hostile-repo';

const repo = hostileRepos();

describe('kdry check DIR reads regular files inside DIR only', () => {
  test('a link to /dev/zero, a FIFO and a link out of the folder are listed as not checked, and not read', async () => {
    // Before: zero.yaml -> /dev/zero read 468 MB in 6 s; a FIFO hung the walk for ever.
    const outside = repo({ 'secret.yaml': badDeployment('outside') });
    const root = repo({
      'k8s/zero.yaml': { link: '/dev/zero' },
      'k8s/pipe.yaml': { fifo: true },
      'k8s/leak.yaml': { link: join(outside, 'secret.yaml') },
      'k8s/web.yaml': badDeployment('inside'),
    });
    const r = await runKdry(['check', 'k8s'], root);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /k8s\/leak\.yaml: a symbolic link to .*secret\.yaml, outside .*k8s; not followed/);
    assert.match(r.stdout, /k8s\/pipe\.yaml: not a regular file \(a FIFO\); not read/);
    assert.match(r.stdout, /k8s\/zero\.yaml: a symbolic link to \/dev\/zero, outside .*; not followed/);
    assert.match(r.stdout, /k8s\/web\.yaml/);
    const json = JSON.parse((await runKdry(['check', '--format', 'json', 'k8s'], root)).stdout);
    assert.deepEqual(json.files.filter((f: { coverage: string }) => f.coverage !== 'none').map((f: { path: string }) => f.path), ['k8s/web.yaml'], 'only the file inside was read');
  });

  test('a link to a folder above (loop -> ../..) is not walked: nothing outside is checked, nothing twice; the link is listed', async () => {
    const parent = repo({ 'elsewhere.yaml': badDeployment('elsewhere'), 'checkout/k8s/loop': { link: '../..' }, 'checkout/k8s/web.yaml': badDeployment('web') });
    const root = join(parent, 'checkout');
    const r = await runKdry(['check', '--format', 'json', 'k8s'], root);
    const files = JSON.parse(r.stdout).files.map((f: { path: string; coverage: string }) => [f.path, f.coverage]);
    assert.deepEqual(files, [['k8s/web.yaml', 'full'], ['k8s/loop', 'none']]);
  });

  test('a link inside the folder to a file inside it is read once', async () => {
    const root = repo({ 'k8s/web.yaml': badDeployment(), 'k8s/alias.yaml': { link: 'web.yaml' } });
    const r = await runKdry(['check', '--format', 'json', 'k8s'], root);
    assert.equal(JSON.parse(r.stdout).files.length, 1);
  });

  test('devices, FIFOs and huge files named outright: refused without reading them', async () => {
    const root = repo({ 'pipe.yaml': { fifo: true }, 'huge.yaml': { sparse: 64 * 1024 * 1024 } });
    const r = await runKdry(['check', 'pipe.yaml', 'huge.yaml', '/dev/zero'], root);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /huge\.yaml: file is 64 MB; kdry reads files up to 20 MB/);
    assert.match(r.stdout, /pipe\.yaml: not a regular file \(a FIFO\); not read/);
    assert.match(r.stdout, /\/dev\/zero: not a regular file \(a device\); not read/);
  });

  test('a glob does not follow links out of the working directory either', async () => {
    const root = repo({ 'a/zero.yaml': { link: '/dev/zero' }, 'a/ok.yaml': GOOD_DEPLOYMENT });
    const r = await runKdry(['check', 'a/*.yaml'], root);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /a\/zero\.yaml: a symbolic link to \/dev\/zero/);
  });
});

describe('names with control characters cannot rewrite the terminal or inject CI annotations', () => {
  const esc = '\u001b]0;owned\u0007\u001b[2J';
  const injected = 'web\n::error file=x.yaml,line=1::injected';
  test('check: a file name and a workload name with ESC sequences, C1 controls and a newline are escaped', async () => {
    const name = `bad${esc}\u009b31m.yaml`;
    const root = repo({ [name]: badDeployment().replace('name: web', `name: "${JSON.stringify(injected).slice(1, -1)}\\e[31m\\x9b"`).replace('  replica: 2', '  replicas: "two"'), '::warning::x.yaml': badDeployment() });
    const r = await runKdry(['check', '.'], root);
    assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, 'no raw control character reaches the terminal');
    assert.match(r.stdout, /bad\\x1b\]0;owned\\x07\\x1b\[2J\\x9b31m\.yaml/);
    for (const line of r.stdout.split('\n')) assert.doesNotMatch(line, /^\s*(::|##\[)/, `a line GitHub Actions would run as a command: ${line}`);
    assert.match(r.stdout, /\\x3a:warning::x\.yaml/);
  });

  test('simulate: the timeline prints escaped names', async () => {
    const root = repo({ 'web.yaml': GOOD_DEPLOYMENT.replace('      containers:', '      containers:').replace('name: web\nspec:', `name: web\n  annotations:\n    x: y\nspec:`).replace('      - name: web\n', `      - name: "web\\e[2J"\n`) });
    const r = await runKdry(['simulate', 'web.yaml'], root);
    assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('kdry simulate --from git:REV passes no option to git', () => {
  test('a revision starting with "-" is refused; git writes nothing', async () => {
    // Before: with a folder named `out:.` in the repository, `--from 'git:--output=out'` made git write a file there.
    const root = repo({ 'web.yaml': GOOD_DEPLOYMENT, 'out:./keep': '' }, { git: true });
    const r = await runKdry(['simulate', 'web.yaml', '--from', 'git:--output=out'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--from git:--output=out: a revision cannot start with "-"/);
    assert.deepEqual(readdirSync(join(root, 'out:.')), ['keep']);
    assert.equal(existsSync(join(root, 'out')), false);
  });

  test('a revision is resolved to a commit first; the timeline names <sha>:./file', async () => {
    const root = repo({ 'web.yaml': GOOD_DEPLOYMENT }, { git: true });
    const r = await runKdry(['simulate', 'web.yaml', '--from', 'git:HEAD', '--format', 'json'], root);
    assert.equal(r.code, 0, r.stderr);
    const missing = await runKdry(['simulate', 'web.yaml', '--from', 'git:no-such-branch'], root);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--from git:no-such-branch: fatal: /);
    const notCommit = await runKdry(['simulate', 'web.yaml', '--from', 'git:HEAD:web.yaml'], root);
    assert.equal(notCommit.code, 2, 'a blob is not a commit');
  });
});

describe('kdry simulate --cluster reads a cluster file within bounds', () => {
  test('a link to /dev/zero, a FIFO and a link out of the folder are refused at once', async () => {
    const outside = repo({ 'nodes.yaml': 'kind: Node\nmetadata: {name: n}\nstatus: {allocatable: {cpu: 1, memory: 1Gi}}\n' });
    const root = repo({ 'web.yaml': GOOD_DEPLOYMENT, 'zero.yaml': { link: '/dev/zero' }, 'pipe.yaml': { fifo: true }, 'out.yaml': { link: join(outside, 'nodes.yaml') } });
    for (const [file, why] of [
      ['zero.yaml', /zero\.yaml: a symbolic link to \/dev\/zero/],
      ['pipe.yaml', /pipe\.yaml: not a regular file \(a FIFO\)/],
      ['out.yaml', /out\.yaml: a symbolic link to .*nodes\.yaml, outside/],
      ['/dev/zero', /zero: not a regular file \(a device\)/],
    ] as const) {
      const r = await runKdry(['simulate', 'web.yaml', '--cluster', file], root);
      assert.equal(r.code, 2, file);
      assert.match(r.stderr, why);
    }
  });

  test('a 100,000-node cluster file (8.5 MB) is refused by its size before it is read', async () => {
    // Before: read and parsed in full, 16.6 s and 1.27 GB, before the node limit rejected it.
    const node = (i: number) => `- {kind: Node, metadata: {name: n${i}}, status: {allocatable: {cpu: "1", memory: 1Gi}}}`;
    const root = repo({ 'web.yaml': GOOD_DEPLOYMENT, 'nodes.yaml': `kind: List\nitems:\n${Array.from({ length: 100_000 }, (_, i) => node(i)).join('\n')}\n` });
    const r = await runKdry(['simulate', 'web.yaml', '--cluster', 'nodes.yaml'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nodes\.yaml: file is 8\.\d MB; kdry reads files up to 4 MB/);
  });
});

test('SARIF and the CLI use percent-encoded file URIs: `a#b.yaml`, `50%zz.yaml`, a space', async () => {
  const root = repo({ 'k8s/a#b.yaml': badDeployment(), 'k8s/50%zz.yaml': badDeployment(), 'k8s/with space.yaml': badDeployment() });
  const r = await runKdry(['check', '--format', 'sarif', 'k8s'], root);
  const uris = new Set(JSON.parse(r.stdout).runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri));
  assert.deepEqual([...uris].sort(), ['k8s/50%25zz.yaml', 'k8s/a%23b.yaml', 'k8s/with%20space.yaml']);
});
