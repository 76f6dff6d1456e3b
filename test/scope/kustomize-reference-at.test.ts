// From a kustomization's side: `replicas: - name:`, a patch's `target.name` lead to the object they
// name (go to definition), and F2 there renames the object with every reference, each in the form
// of the name at its step of the build (kustomize-name-references.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rename, definition, prepareRename } from '../../server/src/lsp/navigation';
import { uri, workspaceOf } from './helpers';

const KUSTOMIZATION = `resources:
- deploy.yaml
namePrefix: prod-
replicas:
- name: prod-web
  count: 3
patches:
- target: {kind: Deployment, name: web}
  patch: |-
    - op: replace
      path: /spec/template/spec/containers/0/image
      value: nginx:1.27
`;
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx:1}]}\n';

test("F2 on a kustomization's replicas name renames the Deployment; the name typed there keeps the prefix the build adds before it", () => {
  const ws = workspaceOf({ 'app/kustomization.yaml': KUSTOMIZATION, 'app/deploy.yaml': DEPLOY });
  const k = ws.get(uri('app/kustomization.yaml'))!;
  const at = KUSTOMIZATION.indexOf('prod-web') + 3;
  assert.equal(prepareRename(ws, k, at)?.placeholder, 'prod-web');
  const edits = rename(ws, k, at, 'prod-api')!.changes!;
  assert.deepEqual(edits[uri('app/deploy.yaml')].map((e) => e.newText), ['api'], 'the object is renamed to its own name');
  assert.deepEqual(edits[uri('app/kustomization.yaml')].map((e) => e.newText), ['prod-api', 'api'], 'replicas (after the prefix) and the patch target (before it)');
  assert.deepEqual(definition(ws, k, at).map((l) => [l.uri, l.range.start.line]), [[uri('app/deploy.yaml'), 2]]);
});

test("F2 on a patch target's name renames the same way; a name the kustomization does not build leads nowhere", () => {
  const ws = workspaceOf({ 'app/kustomization.yaml': KUSTOMIZATION, 'app/deploy.yaml': DEPLOY });
  const k = ws.get(uri('app/kustomization.yaml'))!;
  const at = KUSTOMIZATION.indexOf('name: web}') + 7;
  assert.deepEqual(Object.values(rename(ws, k, at, 'api')!.changes!).flat().map((e) => e.newText).sort(), ['api', 'api', 'prod-api']);
  const other = KUSTOMIZATION.replace('name: prod-web', 'name: prod-db');
  const ws2 = workspaceOf({ 'app/kustomization.yaml': other, 'app/deploy.yaml': DEPLOY });
  assert.equal(prepareRename(ws2, ws2.get(uri('app/kustomization.yaml'))!, other.indexOf('prod-db') + 2), undefined);
});
