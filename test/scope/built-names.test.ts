// The names kustomize builds (server/src/scope/built-names.ts) are kept per unit index, the one
// scope.ts unitIndex rebuilds when the workspace's structure moves: a kustomization edited
// (namePrefix, nameSuffix), or one added above a base. These prove the kept answers follow such
// an edit, and stay for an edit that leaves the structure alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { nameForms, renamingsOf } from '../../server/src/scope/built-names';
import { findingsIn, uri, workspaceOf } from './helpers';

const config = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config}\ndata: {A: "1"}\n';
const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec:\n  containers:\n  - name: sh\n    image: "busybox:1.36"\n    envFrom:\n    - configMapRef: {name: ${name}}\n`;

/** Whether tools/pod.yaml's reference resolves (no missing-reference finding). */
const resolves = (workspace: ReturnType<typeof workspaceOf>) => findingsIn(workspace, 'tools/pod.yaml', 'missing-reference').length === 0;

test('a namePrefix changed in the kustomization changes what an outside reference resolves to, though the forms were asked before', () => {
  const workspace = workspaceOf({
    'app/kustomization.yaml': 'namePrefix: prod-\nresources: [config.yaml]\n',
    'app/config.yaml': config,
    'tools/pod.yaml': pod('prod-web-config'),
  });
  assert.ok(resolves(workspace), 'built as prod-web-config');
  assert.deepEqual(nameForms(workspace, uri('app/config.yaml'), 'ConfigMap').map((f) => f.rename('web-config')), ['web-config', 'prod-web-config']);

  workspace.set(parseManifest('namePrefix: staging-\nnameSuffix: -v2\nresources: [config.yaml]\n', uri('app/kustomization.yaml')));
  assert.deepEqual(nameForms(workspace, uri('app/config.yaml'), 'ConfigMap').map((f) => f.rename('web-config')), ['web-config', 'staging-web-config-v2']);
  assert.deepEqual(renamingsOf(workspace, 'ConfigMap'), [{ prefix: 'staging-', suffix: '-v2' }]);
  assert.ok(!resolves(workspace), 'prod-web-config is no longer built');
  workspace.set(parseManifest(pod('staging-web-config-v2'), uri('tools/pod.yaml')));
  assert.ok(resolves(workspace));

  // The prefix removed: only the name as written.
  workspace.set(parseManifest('resources: [config.yaml]\n', uri('app/kustomization.yaml')));
  assert.deepEqual(renamingsOf(workspace, 'ConfigMap'), []);
  assert.ok(!resolves(workspace));
});

test('an overlay added above a base adds the name it builds; an edit of a resource keeps the kept forms', () => {
  const workspace = workspaceOf({
    'base/kustomization.yaml': 'namePrefix: a-\nresources: [config.yaml]\n',
    'base/config.yaml': config,
    'tools/pod.yaml': pod('b-a-web-config'),
  });
  assert.ok(!resolves(workspace), 'no overlay builds b-a-web-config yet');
  const before = nameForms(workspace, uri('base/config.yaml'), 'ConfigMap');
  // Not a structural edit (the same object, new data): the same forms, not worked out again.
  workspace.set(parseManifest(config.replace('A: "1"', 'A: "2"'), uri('base/config.yaml')));
  assert.equal(nameForms(workspace, uri('base/config.yaml'), 'ConfigMap'), before);

  workspace.set(parseManifest('namePrefix: b-\nresources: [../base]\n', uri('overlay/kustomization.yaml')));
  assert.deepEqual(nameForms(workspace, uri('base/config.yaml'), 'ConfigMap').map((f) => f.rename('web-config')), ['web-config', 'a-web-config', 'b-a-web-config']);
  assert.ok(resolves(workspace), "the overlay's build");
  workspace.delete(uri('overlay/kustomization.yaml'));
  assert.ok(!resolves(workspace), 'the overlay gone');
});
