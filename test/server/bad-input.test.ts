// Bad input: every case gets diagnostics in bounded time, the server keeps serving other files,
// and it never edits the text on its own (no workspace/applyEdit request is ever sent).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ensureBuilt, LspClient, fixture, messageOf } from './lsp-client';

let client: LspClient;
let appliedEdits = 0;
let n = 0;
const uri = (name: string) => `file:///virtual/bad-${n++}-${name}`;

before(async () => {
  ensureBuilt();
  client = new LspClient();
  client.connection.onRequest('workspace/applyEdit', () => {
    appliedEdits++;
    return { applied: false };
  });
  await client.initialize();
});
after(() => client.shutdown());

const workload = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web-${i}
  template:
    metadata:
      labels:
        app: web-${i}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

/** After each bad file the server must still answer for a healthy one. */
async function stillServing(): Promise<void> {
  const u = uri('healthy.yaml');
  const ds = await client.open(u, fixture('deployment-nginx.original.yaml'));
  assert.deepEqual(ds.filter((d) => d.severity === 1), []);
  const symbols = await client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri: u } });
  assert.equal(symbols.length, 1);
  assert.equal(client.process.exitCode, null);
}

describe('bad input', () => {
  test('broken YAML: an unclosed flow sequence and a stray indentation', async () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [web\n spec:\n    replicas: 3\n';
    const ds = await client.open(uri('broken.yaml'), text);
    assert.ok(ds.some((d) => d.code === 'yaml-syntax' && d.severity === 1), JSON.stringify(ds));
    await stillServing();
  });

  test('a tab-indented file', async () => {
    const ds = await client.open(uri('tabs.yaml'), fixture('daemonset-tabs.original.yaml'));
    assert.ok(ds.some((d) => /Tabs/.test(messageOf(d))));
    await stillServing();
  });

  test('binary junk', async () => {
    const bytes = Buffer.alloc(64 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256;
    const ds = await client.open(uri('junk.yaml'), bytes.toString('latin1'));
    assert.equal(ds.length, 1);
    assert.match(messageOf(ds[0]), /binary/);
    await stillServing();
  });

  test('a 5 MB file gets one diagnostic that says it was not validated', async () => {
    const doc = workload(0);
    const text = `${doc}---\n`.repeat(Math.ceil((5 * 1024 * 1024) / (doc.length + 4)));
    const ds = await client.open(uri('huge.yaml'), text);
    assert.equal(ds.length, 1);
    assert.match(messageOf(ds[0]), /MB.*not validated/);
    await stillServing();
  });

  test('a billion-laughs alias bomb is cut off at the alias limit', async () => {
    const lines = ['apiVersion: v1', 'kind: Service', 'metadata:', '  name: lol', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const ds = await client.open(uri('bomb.yaml'), `${lines.join('\n')}\n`);
    assert.ok(ds.some((d) => /alias/i.test(messageOf(d))), JSON.stringify(ds));
    await stillServing();
  });

  test('a 10,000-document file: the first documents are checked, and the message says where it stopped', async () => {
    const docs: string[] = [];
    for (let i = 0; i < 10_000; i++) docs.push(`apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\nspec:\n  selector:\n    app: web-${i}\n  ports:\n  - port: 80\n`);
    const broken = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: broken\n  name: again\n';
    docs[1500] = broken; // checked
    docs[5000] = broken; // past the limit
    const text = docs.join('---\n');
    const ds = await client.open(uri('many.yaml'), text);
    const dup = ds.filter((d) => d.code === 'yaml-syntax');
    assert.equal(dup.length, 1, JSON.stringify(ds.slice(0, 3)));
    assert.equal(dup[0].range.start.line, 1500 * 10 + 4);
    const note = ds.find((d) => d.code === 'file-too-large');
    assert.ok(note);
    // 2000 documents of 10 lines (with their `---`), the broken one 4 lines shorter
    assert.match(messageOf(note), /more than 2000 YAML documents; kdry checked the first 2000 \(up to line 19995\)/);
    await stillServing();
  });

  test('a 40,000-key map read by the full YAML parser (it has an anchor): its one duplicate key is reported', async () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  key-${i}: value-${i}`);
    keys[39_990] = '  key-7: again';
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: &name big\ndata:\n${keys.join('\n')}\n`;
    const ds = await client.open(uri('big-map.yaml'), text);
    assert.deepEqual(ds.map((d) => [d.code, d.range.start.line]), [['yaml-syntax', 5 + 39_990]]);
    await stillServing();
  });

  test('one document with 20,000 containers and 30,000 findings: diagnostics, and code actions for the whole file', async () => {
    const containers = Array.from({ length: 20_000 }, (_, i) => `      - name: c${i % 2 ? i : 0}\n        image: nginx\n`).join('');
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n${containers}`;
    const u = uri('many-containers.yaml');
    const ds = await client.open(u, text);
    assert.equal(ds.filter((d) => d.code === 'duplicate-container-name').length, 9_999);
    assert.equal(ds.filter((d) => d.code === 'image-latest-tag').length, 20_000);
    const actions = await client.request<{ title: string }[]>('textDocument/codeAction', { textDocument: { uri: u }, range: { start: { line: 0, character: 0 }, end: { line: 40_014, character: 0 } }, context: { diagnostics: ds } });
    const renames = new Set(actions.filter((a) => a.title.startsWith('Rename to c0-')).map((a) => a.title));
    assert.equal(renames.size, 9_999, 'each copy of c0 gets its own new name');
    await stillServing();
  });

  test('YAML nested thousands of levels deep: one diagnostic that says so, in words', async () => {
    for (const spec of ['['.repeat(300_000) + ']'.repeat(300_000), '{a: '.repeat(200_000) + '1' + '}'.repeat(200_000)]) {
      const ds = await client.open(uri('deep.yaml'), `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec: ${spec}\n`);
      assert.equal(ds.length, 1, JSON.stringify(ds.map(messageOf)));
      assert.match(messageOf(ds[0]), /nests too deeply to be read/);
      await client.close(uri('deep.yaml'));
    }
    await stillServing();
  });

  test('the server never asked the editor to change text', () => {
    assert.equal(appliedEdits, 0);
  });
});
