// FileStore's workspace generation: it moves only when something cross-document rules read
// changed, which is what keeps cross-document findings cached across ordinary edits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_CHECKED_DOCUMENTS } from '../../server/src/check';
import { FileStore } from '../../server/src/lsp/files';
import { parseManifest, valueRange } from '../../server/src/manifest';
import { packEvents } from '../../server/src/manifest/event-ranges';
import { parseEvents } from 'js-yaml';
import { TextSnapshot } from '../../server/src/lsp/document-text';

const deployment = (image: string, app: string, replicas = 3) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  annotations:
    note: ${image}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
      - name: web
        image: ${image}
        ports:
        - name: http
          containerPort: 80
`;

test('image, replicas and annotation edits keep the generation; labels, ports and new files move it', () => {
  const store = new FileStore();
  store.update('file:///a.yaml', deployment('nginx:1.27', 'web'));
  const start = store.generation;
  store.update('file:///a.yaml', deployment('nginx:1.28', 'web', 5));
  assert.equal(store.generation, start, 'image/replicas/annotations are read by no cross-document rule');
  store.update('file:///a.yaml', deployment('nginx:1.28', 'api', 5));
  assert.equal(store.generation, start + 1, 'template labels are');
  store.update('file:///a.yaml', deployment('nginx:1.28', 'api', 5).replace('name: http', 'name: web'));
  assert.equal(store.generation, start + 2, 'port names are');
  store.update('file:///b.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n');
  assert.equal(store.generation, start + 3, 'a new file is');
  store.remove('file:///b.yaml');
  assert.equal(store.generation, start + 4, 'a removed file is');
  assert.equal(store.get('file:///b.yaml'), undefined);
});

test('a file past the document limit is indexed up to the limit, with its whole text', () => {
  const store = new FileStore();
  const text = Array.from({ length: 2100 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: s${i}\n`).join('---\n');
  const file = store.update('file:///many.yaml', text);
  assert.equal(file.documents.length, 2000);
  assert.equal(file.text, text);
});

test("around the document limit, the store's chunk count cuts the file where a scan for `---` lines would", () => {
  // The cut as checkedLength defines it, counted here independently: the document after
  // MAX_CHECKED_DOCUMENTS starts at its `---` line; a first `---` after leading comments counts too.
  const cutAt = (text: string) => {
    let documents = 1;
    for (const m of text.matchAll(/\n---(?=[ \t\r\n]|$)/g)) if (++documents > MAX_CHECKED_DOCUMENTS) return m.index + 1;
    return text.length;
  };
  for (const count of [MAX_CHECKED_DOCUMENTS - 1, MAX_CHECKED_DOCUMENTS, MAX_CHECKED_DOCUMENTS + 1]) {
    for (const head of ['', '# generated\n---\n', '---\n']) {
      const store = new FileStore();
      const text = head + Array.from({ length: count }, (_, i) => `a: ${i}\n`).join('---\n');
      const offsets = store.update('file:///limit.yaml', text).documents.map((d) => d.offset);
      assert.deepEqual(offsets, parseManifest(text.slice(0, cutAt(text))).documents.map((d) => d.offset), `${count} documents after ${JSON.stringify(head)}`);
    }
  }
});

test('the same text again is the file as parsed and indexed then (a republish re-reads nothing)', () => {
  const store = new FileStore();
  const text = deployment('nginx:1.27', 'web');
  const first = store.update('file:///a.yaml', text);
  const generation = store.generation;
  const revision = store.workspace.revision;
  assert.equal(store.update('file:///a.yaml', `${text}`), first);
  assert.equal(store.workspace.revision, revision, 'the workspace index did not change');
  assert.equal(store.generation, generation);
  const edited = store.update('file:///a.yaml', deployment('nginx:1.28', 'web'));
  assert.notEqual(edited, first);
  assert.equal(store.get('file:///a.yaml'), edited);
});

test("a large file's first documents are read with their events (the direct loader's, or the fast loader's kept): the ranges of their findings, wanted at once for the first publication, do not parse them again", () => {
  // Document 1 holds a block scalar, which the direct loader leaves to the fast loader.
  const docs = Array.from({ length: 250 }, (_, i) => deployment(`nginx:${i}`, `app-${i}`));
  docs[1] = docs[1].replace('note: nginx:1', 'note: |\n      nginx:1');
  const text = docs.join('---\n');
  const store = new FileStore();
  const head = store.head('file:///big.yaml', TextSnapshot.of(text), 20, 200)!;
  assert.equal(head.documents.length, 20);
  assert.ok((head.documents[1] as { keptEvents?: unknown }).keptEvents !== undefined, 'the fast loader keeps its events');
  for (const doc of head.documents as unknown as { index: number; source: string; hasEvents: boolean; packedEvents(): unknown }[]) {
    assert.ok(doc.hasEvents, `document ${doc.index}`);
    assert.deepEqual(doc.packedEvents(), fresh(doc.source), `document ${doc.index}'s events are those of a parse`);
  }
  // Ranges from those events are those of a fresh parse.
  const parsed = parseManifest(text).documents;
  for (const doc of head.documents) assert.deepEqual(valueRange(doc, ['spec', 'template', 'spec', 'containers', 0, 'image']), valueRange(parsed[doc.index], ['spec', 'template', 'spec', 'containers', 0, 'image']));
  // The whole file's update takes them from the cache.
  const whole = store.update('file:///big.yaml', TextSnapshot.of(text));
  assert.equal(whole.documents.length, 250);
  assert.ok(whole.documents.slice(0, 20).every((d, i) => d.value === head.documents[i].value));
});

/** The packed events of a parse of `source` by the fast loader's parser. */
function fresh(source: string) {
  return packEvents(source, parseEvents(source, {}));
}
