import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestCache, parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';

const URI = 'file:///ws/app.yaml';
const service = (name: string, port: number) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  ports:\n  - port: ${port}\n`;
const deployment = (name: string, image: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n      - name: main\n        image: ${image}\n`;

/** What lookups answer: kind, name, the document's offset and its port or image, by kind. */
function lookups(workspace: WorkspaceIndex) {
  const view = (kind: string) => [...workspace.documents(kind)].map(({ uri, file, doc }) => ({ uri, name: doc.name, offset: doc.offset, text: file.text.slice(doc.offset, doc.offset + doc.source.length) }));
  return { services: view('Service'), deployments: view('Deployment'), named: workspace.named('Service', 'db').map((e) => e.doc.offset), names: [...workspace.namesOf('Deployment')] };
}

test('edits keep the object index answering as a fresh index would', () => {
  const workspace = new WorkspaceIndex();
  const cache = new ManifestCache();
  const other = parseManifest(service('db', 5432), 'file:///ws/other.yaml');
  workspace.set(other);
  const texts = [
    [service('web', 80), deployment('web', 'nginx:1'), service('db', 5432)].join('---\n'),
    // an image edited, a line added above: same objects, moved
    [`# edited\n${service('web', 80)}`, deployment('web', 'nginx:2'), service('db', 5432)].join('---\n'),
    // a name changed
    [service('web', 80), deployment('api', 'nginx:2'), service('db', 5432)].join('---\n'),
    // a document removed, then back
    [service('web', 80), service('db', 5432)].join('---\n'),
    [service('web', 8080), deployment('api', 'nginx:3'), service('db', 5432)].join('---\n'),
  ];
  for (const text of texts) {
    workspace.set(parseManifest(text, URI, cache));
    lookups(workspace); // the index is built (or refreshed) between edits, as checks do
    const fresh = new WorkspaceIndex();
    fresh.set(other);
    fresh.set(parseManifest(text, URI));
    assert.deepEqual(lookups(workspace), lookups(fresh), text);
  }
  workspace.delete('file:///ws/other.yaml');
  workspace.set(parseManifest(texts[0], URI, cache));
  assert.deepEqual(workspace.named('Service', 'db').map((e) => e.uri), [URI], 'a deleted file leaves the index');
});
