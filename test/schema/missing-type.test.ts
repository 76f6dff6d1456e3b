// Half a type (apiVersion without kind, or kind without apiVersion) is a manifest kubectl cannot
// decode (apimachinery runtime/error.go NewMissingKindErr, NewMissingVersionErr); YAML that is not
// Kubernetes at all stays silent (found by a user trial: such documents were skipped, exit 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFile } from '../../server/src/check';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';

function messages(text: string, uri = 'file:///repo/app.yaml'): string[] {
  const ws = new WorkspaceIndex();
  const file = parseManifest(text, uri);
  ws.set(file);
  return checkFile(file, ws).map((f) => `${text.slice(f.range[0], f.range[1])}: ${f.message}`);
}

const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n';

test('an object with metadata, or beside Kubernetes objects, that lacks kind or apiVersion is an error at the key it has', () => {
  assert.deepEqual(messages('apiVersion: apps/v1\nmetadata: {name: web}\nspec: {}\n'), [
    "apiVersion: This object has no kind: kubectl cannot decode it and applies nothing of it (`Object 'Kind' is missing in '{...}'`). Add `kind:`.",
  ]);
  const [noVersion] = messages(`${SERVICE}---\nkind: ConfigMap\ndata: {a: b}\n`).filter((m) => m.includes('no apiVersion'));
  assert.equal(noVersion, "kind: This object has no apiVersion: kubectl cannot decode it and applies nothing of it (`Object 'apiVersion' is missing in '{...}'`). Add `apiVersion:`.");
});

test('YAML that is not Kubernetes is left alone: a Chart.yaml, a compose file, a kustomization without kind', () => {
  assert.deepEqual(messages('apiVersion: v2\nname: web\nversion: 0.1.0\n', 'file:///repo/chart/Chart.yaml'), []);
  assert.deepEqual(messages('services:\n  web: {image: nginx}\n', 'file:///repo/compose.yaml'), []);
  assert.deepEqual(messages('apiVersion: kustomize.config.k8s.io/v1beta1\nmetadata: {name: app}\nresources: [svc.yaml]\n', 'file:///repo/kustomization.yaml'), []);
});
