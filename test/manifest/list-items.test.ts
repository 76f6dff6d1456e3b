// A `kind: List` document (what `kubectl get -o json|yaml` writes; kubectl apply takes it) is read
// as its items: each a document with its own value and exact ranges in the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestCache, keyRange, parseManifest, restoreManifest, summarizeManifest, valueRange } from '../../server/src/manifest';

const JSON_LIST = JSON.stringify(
  {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2 } },
    ],
    metadata: { resourceVersion: '' },
  },
  null,
  4,
);

const YAML_LIST = `# kubectl get deploy,svc -o yaml
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    name: web
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
  spec:
    replicas: 3
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: after
`;

function text(file: { text: string }, range: [number, number] | undefined): string {
  assert.ok(range);
  return file.text.slice(range[0], range[1]);
}

test('a JSON List is its items, each with its kind, name, namespace and ranges in the file', () => {
  const file = parseManifest(JSON_LIST, 'file:///app/list.json');
  assert.deepEqual(file.documents.map((d) => [d.index, d.kind, d.name, d.namespace]), [[0, 'Service', 'web', undefined], [1, 'Deployment', 'web', 'shop']]);
  const deployment = file.documents[1];
  assert.equal(text(file, valueRange(deployment, ['spec', 'replicas'])), '2');
  assert.equal(text(file, keyRange(deployment, ['metadata', 'namespace'])), '"namespace"');
  assert.equal(file.documents[0].problems.length, 0);
});

test('a YAML List (block items) keeps its items aligned; the documents after it follow', () => {
  const file = parseManifest(YAML_LIST, 'file:///app/list.yaml');
  assert.deepEqual(file.documents.map((d) => [d.index, d.kind, d.name]), [[0, 'Service', 'web'], [1, 'Deployment', 'web'], [2, 'ConfigMap', 'after']]);
  assert.deepEqual(file.documents[1].value, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } });
  const replicas = valueRange(file.documents[1], ['spec', 'replicas']);
  assert.equal(text(file, replicas), '3');
  assert.equal(YAML_LIST.slice(0, replicas![0]).split('\n').length, 14, 'line 14 of the file');
});

test('an edit above a List moves its items with it (the cache keeps them); a worker summary restores them', () => {
  const cache = new ManifestCache();
  parseManifest(YAML_LIST, 'file:///app/list.yaml', cache);
  const edited = `# one more line\n${YAML_LIST}`;
  const file = parseManifest(edited, 'file:///app/list.yaml', cache);
  assert.equal(text(file, valueRange(file.documents[1], ['spec', 'replicas'])), '3');
  const restored = restoreManifest(edited, 'file:///app/list.yaml', summarizeManifest(file));
  assert.deepEqual(restored.documents.map((d) => [d.kind, d.range]), file.documents.map((d) => [d.kind, d.range]));
});

test('other documents stay as they are: a List with a broken item; an empty List is no object', () => {
  assert.deepEqual(parseManifest('apiVersion: v1\nkind: List\nitems:\n- a: 1\n  a: 2\n').documents.map((d) => d.kind), ['List'], 'a duplicate key is reported on the List as written');
  assert.deepEqual(parseManifest('apiVersion: v1\nkind: List\nitems: []\n').documents, []);
});

test("any object with items is a list kubectl applies item by item (unstructuredJSONScheme.decode): a typed ConfigMapList, a DeploymentList, a list's items without kind take it from the list (decodeToList)", () => {
  const typed = parseManifest('apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: dash}\n  data: {a: b}\n- metadata: {name: bare}\n', 'file:///app/dashboards.yaml');
  assert.deepEqual(typed.documents.map((d) => [d.apiVersion, d.kind, d.name]), [['v1', 'ConfigMap', 'dash'], ['v1', 'ConfigMap', 'bare']]);
  assert.deepEqual(typed.documents[1].value, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bare' } });
  assert.equal(text(typed, valueRange(typed.documents[1], ['metadata', 'name'])), 'bare');
  const deployments = parseManifest('apiVersion: apps/v1\nkind: DeploymentList\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n');
  assert.deepEqual(deployments.documents.map((d) => [d.kind, d.name]), [['Deployment', 'web']]);
  // An item that names its own kind keeps it; a List of another apiVersion is a list too.
  assert.deepEqual(parseManifest('apiVersion: example.com/v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n').documents.map((d) => d.kind), ['Secret']);
});
