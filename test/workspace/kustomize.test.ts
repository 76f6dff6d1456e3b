import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { kustomizationCandidates, patchPaths } from '../../server/src/workspace/kustomize';

test('patchPaths reads patches, patchesJson6902 and patchesStrategicMerge paths relative to the kustomization', () => {
  const config = {
    patches: [{ path: 'a.yaml' }, { patch: 'inline: yes\n' }, { path: '../shared/b.yaml', target: { kind: 'Deployment' } }],
    patchesJson6902: [{ path: 'ops.yaml', target: { kind: 'Service' } }],
    patchesStrategicMerge: ['c.yaml', 'apiVersion: apps/v1\nkind: Deployment\n'],
  };
  assert.deepEqual(patchPaths('/repo/overlays/prod/kustomization.yaml', config), [
    '/repo/overlays/prod/a.yaml',
    '/repo/overlays/shared/b.yaml',
    '/repo/overlays/prod/ops.yaml',
    '/repo/overlays/prod/c.yaml',
  ]);
  assert.deepEqual(patchPaths('/k/kustomization.yaml', 'not a map'), []);
  assert.deepEqual(patchPaths('/k/kustomization.yaml', { patches: 'a.yaml' }), []);
});

test('the workspace marks patch files, forgets them with their kustomization, and leaves them out of cross-document lookups', () => {
  const ws = new WorkspaceIndex();
  const patch = parseManifest('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n', 'file:///repo/o/svc-patch.yaml');
  ws.set(patch);
  assert.equal(ws.isPatch(patch.uri), false);
  assert.equal([...ws.documents('Service')].length, 1);
  ws.set(parseManifest('patches:\n- path: svc-patch.yaml\n', 'file:///repo/o/kustomization.yaml'));
  assert.equal(ws.isPatch(patch.uri), true);
  assert.equal([...ws.documents('Service')].length, 0);
  ws.delete('file:///repo/o/kustomization.yaml');
  assert.equal(ws.isPatch(patch.uri), false);
});

test('a patch does not stand in for the workload it patches: a Service selecting only a patch selects nothing', async () => {
  const { checkFile } = await import('../../server/src/check');
  const ws = new WorkspaceIndex();
  const svc = parseManifest('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n', 'file:///repo/o/svc.yaml');
  const patch = parseManifest('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n', 'file:///repo/o/patch.yaml');
  const other = parseManifest('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: db\nspec:\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers: [{name: db, image: "postgres:17"}]\n', 'file:///repo/o/db.yaml');
  for (const f of [svc, patch, other]) ws.set(f);
  const rulesOn = () => checkFile(svc, ws).map((f) => f.ruleId);
  assert.deepEqual(rulesOn(), [], 'without a kustomization the patch counts as a Deployment');
  ws.set(parseManifest('patches:\n- path: patch.yaml\n', 'file:///repo/o/kustomization.yaml'));
  assert.deepEqual(rulesOn(), ['service-selects-nothing']);
});

test('kustomizationCandidates: the file folder and those above, up to the top folder, or only its own folder outside it', () => {
  const names = (paths: string[]) => paths.filter((p) => p.endsWith('.yaml'));
  assert.deepEqual(names(kustomizationCandidates('/repo/overlays/prod/patch.yaml', '/repo')), [
    '/repo/overlays/prod/kustomization.yaml',
    '/repo/overlays/kustomization.yaml',
    '/repo/kustomization.yaml',
  ]);
  assert.deepEqual(names(kustomizationCandidates('/elsewhere/patch.yaml', '/repo')), ['/elsewhere/kustomization.yaml']);
  assert.deepEqual(names(kustomizationCandidates('/a/b/patch.yaml')), ['/a/b/kustomization.yaml', '/a/kustomization.yaml', '/kustomization.yaml']);
  assert.ok(kustomizationCandidates('/a/patch.yaml').includes('/a/kustomization.yml'));
});
