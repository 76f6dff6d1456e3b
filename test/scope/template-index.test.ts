// The workspace's pod templates by label (scope/workspace-lookup.ts templateIndex) follow edits:
// after each edit of one file, selector lookups answer as they do on a fresh workspace of the
// same texts, in the same order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestCache, parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { podTemplatesNear, templatesSelectedBy } from '../../server/src/scope/workspace-lookup';
import { uri } from './helpers';

const deployment = (name: string, labels: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}}\nspec:\n  selector: {matchLabels: ${labels}}\n  template:\n    metadata: {labels: ${labels}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;
const service = (selector: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: ${selector}\n  ports: [{port: 80}]\n`;

test('selector lookups after edits answer as on a fresh workspace', () => {
  const fixed: Record<string, string> = {
    'a/service.yaml': service('{app: web}'),
    // No kustomization adds tier=b: its lookup reads the label index (app=web is added in c/, so that one scans all).
    'a/tier.yaml': service('{tier: b}'),
    'a/one.yaml': deployment('one', '{app: web}'),
    'b/two.yaml': deployment('two', '{app: web, tier: b}'),
    'c/kustomization.yaml': 'commonLabels: {app: web}\nresources: [three.yaml]\n',
    'c/three.yaml': deployment('three', '{tier: c}'),
  };
  const edited = 'a/edited.yaml';
  // Edits that keep the labels (another image) keep the lists in order, with the new documents in them.
  const texts = [deployment('four', '{app: web}'), deployment('four', '{app: web}').replace('image: nginx', 'image: nginx:1.27'), deployment('four', '{app: web}').replace('image: nginx', 'image: nginx:1.28'), deployment('four', '{app: api, tier: b}'), deployment('four', '{app: api}'), `${deployment('four', '{app: api}')}---\n${deployment('five', '{app: web}')}`, deployment('four', '{app: web}'), 'kind: ConfigMap\n'];
  const workspace = new WorkspaceIndex();
  const cache = new ManifestCache();
  for (const [path, text] of Object.entries({ ...fixed, [edited]: texts[0] })) workspace.set(parseManifest(text, uri(path), path === edited ? cache : undefined));
  const answers = (w: WorkspaceIndex) => {
    const svc = w.get(uri('a/service.yaml'))!;
    const from = { uri: svc.uri, doc: svc.documents[0] };
    const tier = w.get(uri('a/tier.yaml'))!;
    const selected = templatesSelectedBy(w, from, true).templates;
    const near = podTemplatesNear(w, svc.documents[0]);
    // Each template is the workspace's current document, not the one before the edit.
    for (const t of [...selected, ...near]) assert.ok(w.get(t.entry.uri)!.documents.includes(t.entry.doc), `${t.entry.uri} ${t.entry.doc.name}: the current document`);
    return {
      selected: selected.map((t) => `${t.entry.uri} ${t.entry.doc.name}`),
      tier: templatesSelectedBy(w, { uri: tier.uri, doc: tier.documents[0] }, true).templates.map((t) => `${t.entry.uri} ${t.entry.doc.name}`),
      near: near.map((t) => t.entry.doc.name),
    };
  };
  for (const text of texts) {
    answers(workspace);
    workspace.set(parseManifest(text, uri(edited), cache));
    const fresh = new WorkspaceIndex();
    for (const [path, t] of Object.entries({ ...fixed, [edited]: text })) fresh.set(parseManifest(t, uri(path)));
    assert.deepEqual(answers(workspace), answers(fresh), text);
  }
  assert.deepEqual(answers(workspace).selected, [`${uri('a/one.yaml')} one`], 'the last text has no template: the same folder\'s Deployment');
});
