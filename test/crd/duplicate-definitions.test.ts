// Two CustomResourceDefinitions for one group and kind in the repository (trial T21): which one the
// cluster serves once `kubectl apply -f . -R` has applied them, files in path order (kubectl's
// visitor walks the folder with filepath.Walk, each folder read sorted by name). Of one name, the
// last applied replaces the spec; of another name, the first applied holds the kind and the
// naming controller refuses it to the others (apiextensions-apiserver controller/status/
// naming_controller.go calculateNamesAndConditions, equalToAcceptedOrFresh: KindConflict
// "\"Widget\" is already in use"). Both CRDs say so, naming each other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { checkFile } from '../../server/src/check';

const crd = (name: string, versions: string[], extra = '') => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${name}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: ${name.split('.')[0]}}
  versions:
${versions.map((v, i) => `  - name: ${v}
    served: true
    storage: ${i === versions.length - 1}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: string, enum: [small, large${extra}]}`).join('\n')}
`;

const WIDGET = `apiVersion: example.com/v2
kind: Widget
metadata: { name: w, namespace: default }
spec:
  size: huge
`;

/** Every finding of the workspace's files (inserted in `order`), as `file: severity rule message`. */
function check(files: Record<string, string>, order = Object.keys(files)): string[] {
  const workspace = new WorkspaceIndex();
  const parsed = order.map((name) => parseManifest(files[name], `file:///repo/${name}`));
  for (const file of parsed) workspace.set(file);
  return parsed.flatMap((file) => checkFile(file, workspace).filter((f) => f.ruleId === 'crd-definition' || f.ruleId === 'custom-resource').map((f) => `${file.uri.slice('file:///repo/'.length)}: ${f.severity ?? ''} ${f.ruleId} ${f.message}`));
}

test('the same CRD in two files: the one applied last judges, whatever order the workspace read them in, and both name the other', () => {
  const files = { 'a-old/crd.yaml': crd('widgets.example.com', ['v1']), 'b-new/crd.yaml': crd('widgets.example.com', ['v1', 'v2'], ', huge'), 'w.yaml': WIDGET };
  for (const order of [['a-old/crd.yaml', 'b-new/crd.yaml', 'w.yaml'], ['w.yaml', 'b-new/crd.yaml', 'a-old/crd.yaml']]) {
    const out = check(files, order).sort();
    assert.equal(out.length, 2, out.join('\n'));
    // The v2 Widget is judged by b-new's schema (`huge` is in its enum): no custom-resource finding, no "no matches".
    assert.match(out[0], /^a-old\/crd\.yaml: warning crd-definition Another CustomResourceDefinition `widgets\.example\.com` for Widget \(example\.com\) is in `b-new\/crd\.yaml`\. .*the one in `b-new\/crd\.yaml`, applied after this one, replaces its spec; kdry judges Widget resources by that one\.$/);
    assert.match(out[1], /^b-new\/crd\.yaml: warning crd-definition Another CustomResourceDefinition for Widget \(example\.com\) is in `a-old\/crd\.yaml`\. kdry judges Widget resources by this one: .*the last one applied with the name `widgets\.example\.com`/);
  }
});

test('path order is by folder then name, as filepath.Walk reads folders: `crds/x.yaml` is applied before `crds-new/x.yaml`', () => {
  // As strings "crds-new/..." < "crds/..." ('-' before '/'); walked, the folder "crds" comes before "crds-new".
  const out = check({ 'crds-new/x.yaml': crd('widgets.example.com', ['v1', 'v2'], ', huge'), 'crds/x.yaml': crd('widgets.example.com', ['v1']), 'w.yaml': WIDGET });
  assert.ok(out.some((f) => f.startsWith('crds-new/x.yaml: warning crd-definition') && f.includes('kdry judges Widget resources by this one')), out.join('\n'));
});

test('a CRD of another name for the same kind: the first applied holds the kind, the other is not served (KindConflict)', () => {
  const out = check({ 'a/crd.yaml': crd('widgets.example.com', ['v1']), 'b/crd.yaml': crd('gadgets.example.com', ['v1', 'v2'], ', huge'), 'w.yaml': WIDGET }).sort();
  assert.match(out[0], /^a\/crd\.yaml: warning crd-definition .*is in `b\/crd\.yaml`\. kdry judges Widget resources by this one: .*this one first, and the API server refuses the kind to a CustomResourceDefinition of another name \(KindConflict: "Widget" is already in use\)\.$/);
  assert.match(out[1], /^b\/crd\.yaml: warning crd-definition .*The one in `a\/crd\.yaml` is applied before this one \(files in path order\) and holds the kind, so the API server does not accept this one's names \(NamesAccepted False, KindConflict/);
  // a/crd.yaml serves only v1: the v2 Widget is not served, as kubectl would say.
  assert.match(out[2], /^w\.yaml: error custom-resource .*no matches for kind "Widget" in version "example\.com\/v2"/);
});

test('the CRDs of other kinds applied before them do not change which one is used', () => {
  const gadget = crd('widgets.example.com', ['v1']).replace('kind: Widget', 'kind: Gadget').replace('name: widgets.example.com', 'name: gadgets.example.com');
  const out = check({ '0/gadget.yaml': gadget, 'a-old/crd.yaml': crd('widgets.example.com', ['v1']), 'b-new/crd.yaml': crd('widgets.example.com', ['v1', 'v2'], ', huge'), 'w.yaml': WIDGET });
  assert.ok(out.some((f) => f.startsWith('b-new/crd.yaml: warning') && f.includes('kdry judges Widget resources by this one')), out.join('\n'));
  assert.ok(!out.some((f) => f.startsWith('w.yaml')), out.join('\n'));
});

test('two copies of the same spec (a chart\'s crds/ and a vendored copy) are not reported', () => {
  assert.deepEqual(check({ 'chart/crds/w.yaml': crd('widgets.example.com', ['v1', 'v2'], ', huge'), 'vendor/w.yaml': crd('widgets.example.com', ['v1', 'v2'], ', huge'), 'w.yaml': WIDGET }), []);
});
