// Rename and find references of an object follow the kustomizations that name it by name (trial
// T5): a `replicas:` entry, a patch's `target.name`, a strategic merge patch file's
// `metadata.name`, a replacement's source. kustomize matches these by name
// (ReplicaCountTransformer.go createMatcher, PatchTransformer.go, api/types/selector.go), so a
// rename that leaves them makes `kustomize build` of the overlay fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Diagnostic, Location, Position, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { inEditor } from '../scope/helpers';
import { applyEdits, type LspClient } from './lsp-client';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: "nginx:1.27"
`;

const OVERLAY = `resources:
- ../base
replicas:
- name: web
  count: 3
patches:
- path: patch.yaml
- target:
    kind: Deployment
    name: web
  patch: |-
    - op: add
      path: /metadata/annotations
      value: {tier: front}
replacements:
- source: {kind: Deployment, name: web, fieldPath: metadata.name}
  targets:
  - select: {kind: ConfigMap, name: web}
    fieldPaths: [data.app]
configMapGenerator:
- name: web
  literals: [app=x]
images:
- name: web
  newTag: "2"
`;

const PATCH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  minReadySeconds: 5
`;

/** An overlay of the overlay with a prefix: its entries name the object as the prefix built it. */
const PROD = `resources:
- ../overlay
namePrefix: prod-
nameSuffix: -v1
replicas:
- name: prod-web-v1
  count: 5
`;

const FILES = {
  'base/deployment.yaml': DEPLOYMENT,
  'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'overlay/kustomization.yaml': OVERLAY,
  'overlay/patch.yaml': PATCH,
  'prod/kustomization.yaml': PROD,
  // Another app's `web`, built by its own kustomization: not the renamed object.
  'other/deployment.yaml': DEPLOYMENT,
  'other/kustomization.yaml': 'resources:\n- deployment.yaml\nreplicas:\n- name: web\n  count: 2\n',
};

function positionOf(text: string, needle: string, shift = 0): Position {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `${needle} is in the text`);
  const before = text.slice(0, at + shift);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

const renameAt = (client: LspClient, uri: string, position: Position, newName: string) => client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName });
const referencesAt = (client: LspClient, uri: string, position: Position) => client.connection.sendRequest<Location[]>('textDocument/references', { textDocument: { uri }, position, context: { includeDeclaration: false } });
const builds = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === 'kustomize-build').map((d) => String(d.message));

test("rename of a workload's name edits the kustomizations that name it (replicas, patch target, patch file, replacement), in each name form, and the overlays still build", async () => {
  await inEditor(FILES, async (client, uriOf) => {
    const at = positionOf(DEPLOYMENT, 'name: web', 7);
    const edit = await renameAt(client, uriOf('base/deployment.yaml'), at, 'shop');
    const changes = edit.changes!;
    assert.deepEqual(Object.keys(changes).sort(), [uriOf('base/deployment.yaml'), uriOf('overlay/kustomization.yaml'), uriOf('overlay/patch.yaml'), uriOf('prod/kustomization.yaml')].sort(), 'other/ names its own web');

    const overlay = applyEdits(OVERLAY, changes[uriOf('overlay/kustomization.yaml')]);
    assert.match(overlay, /replicas:\n- name: shop\n/);
    assert.match(overlay, /target:\n {4}kind: Deployment\n {4}name: shop\n/);
    assert.match(overlay, /source: \{kind: Deployment, name: shop,/);
    // The ConfigMap `web`, the generator and the image are other objects and an image: unchanged.
    assert.match(overlay, /select: \{kind: ConfigMap, name: web\}/);
    assert.match(overlay, /configMapGenerator:\n- name: web\n/);
    assert.match(overlay, /images:\n- name: web\n/);
    assert.match(applyEdits(PATCH, changes[uriOf('overlay/patch.yaml')]), /name: shop\n/);
    assert.match(applyEdits(PROD, changes[uriOf('prod/kustomization.yaml')]), /- name: prod-shop-v1\n/, 'the prefixed form gets the prefix');

    // The base alone renamed breaks the overlays, as kustomize build would fail; with the edits they build.
    const base = applyEdits(DEPLOYMENT, changes[uriOf('base/deployment.yaml')]);
    await client.change(uriOf('base/deployment.yaml'), base);
    const broken = builds(await client.change(uriOf('overlay/kustomization.yaml'), OVERLAY + '\n'));
    assert.ok(broken.some((m) => /no resource matches strategic merge patch|does not match/.test(m)), `the overlay fails without the edits: ${broken.join(' | ')}`);
    await client.change(uriOf('overlay/patch.yaml'), applyEdits(PATCH, changes[uriOf('overlay/patch.yaml')]));
    assert.deepEqual(builds(await client.change(uriOf('overlay/kustomization.yaml'), overlay)), []);
    assert.deepEqual(builds(await client.change(uriOf('prod/kustomization.yaml'), applyEdits(PROD, changes[uriOf('prod/kustomization.yaml')]))), []);
  });
});

test("find references from a workload's name lists the kustomization entries and patch files that name it", async () => {
  await inEditor(FILES, async (client, uriOf) => {
    const found = await referencesAt(client, uriOf('base/deployment.yaml'), positionOf(DEPLOYMENT, 'name: web', 7));
    const lines = found.map((l) => `${l.uri.slice(l.uri.indexOf('/', 8)).split('/').slice(-2).join('/')}:${l.range.start.line + 1}`).sort();
    assert.deepEqual(lines, ['overlay/kustomization.yaml:10', 'overlay/kustomization.yaml:16', 'overlay/kustomization.yaml:4', 'overlay/patch.yaml:4', 'prod/kustomization.yaml:6']);
  });
});
