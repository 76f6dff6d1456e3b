// While the editor's workspace scan is still reading files, a custom resource is not judged by
// kdry's bundled schema: a CRD of the workspace read later replaces it, and the two may differ
// (a transient false error on the first publication, found by a user trial).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFile } from '../../server/src/check';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';

const ROLLOUT = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\nspec:\n  myField: 1\n';
const CRD = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: rollouts.argoproj.io\nspec:\n  group: argoproj.io\n  names: { kind: Rollout, plural: rollouts, singular: rollout, listKind: RolloutList }\n  scope: Namespaced\n  versions:\n    - name: v1alpha1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec: { type: object, required: [strategy], properties: { strategy: { type: object } } }\n';

function errorsOf(ws: WorkspaceIndex): string[] {
  const file = parseManifest(ROLLOUT, 'file:///work/k8s/rollout.yaml');
  ws.set(file);
  return checkFile(file, ws).filter((f) => f.ruleId === 'custom-resource' && f.severity !== 'info').map((f) => f.message);
}

test('the bundled schema judges only once the scan has read the workspace', () => {
  const ws = new WorkspaceIndex();
  ws.scanning = true;
  assert.deepEqual(errorsOf(ws), []);
  ws.scanning = false;
  assert.match(errorsOf(ws)[0] ?? '', /Unknown field "myField" in spec.*from kdry's bundled Argo Rollouts schema/);
});

test('a CRD of the workspace already read judges during the scan', () => {
  const ws = new WorkspaceIndex();
  ws.set(parseManifest(CRD, 'file:///work/crds/rollout.yaml'));
  ws.scanning = true;
  const errors = errorsOf(ws);
  assert.equal(errors.length, 2, errors.join('\n'));
  assert.ok(errors.every((m) => m.endsWith('(schema from the CRD in `crds/rollout.yaml`)')), errors.join('\n'));
});
