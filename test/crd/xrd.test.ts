// Crossplane XRs and claims are judged by the CRD Crossplane generates from their XRD in the
// workspace (crossplane-runtime pkg/xcrd/crd.go ForCompositeResource, ForCompositeResourceClaim,
// genCrdVersion; schemas.go CompositeResourceSpecProps, CompositeResourceClaimSpecProps).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { checkFile } from '../../server/src/check';

const xrd = (apiVersion: string, required: string, extra = '') => `apiVersion: apiextensions.crossplane.io/${apiVersion}
kind: CompositeResourceDefinition
metadata: { name: tests.example.org }
spec:
  group: example.org
  names: { kind: Test, plural: tests }
${extra}  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              coolField: { type: string }
            required: [${required}]
`;

function findings(files: Record<string, string>, checked: string): string[] {
  const workspace = new WorkspaceIndex();
  for (const [path, text] of Object.entries(files)) workspace.set(parseManifest(text, `file:///repo/${path}`));
  return checkFile(workspace.get(`file:///repo/${checked}`)!, workspace).filter((f) => f.ruleId === 'custom-resource').map((f) => `${f.severity ?? 'error'} ${f.message}`);
}

const XR = (spec: string) => `apiVersion: example.org/v1alpha1\nkind: Test\nmetadata: { name: t, namespace: default }\nspec:\n${spec}`;

test('a v2 XR (Namespaced) is judged by its XRD\'s schema with Crossplane\'s spec.crossplane fields, saying which source judged it', () => {
  const files = { 'setup/definition.yaml': xrd('v2', 'coolField') };
  assert.deepEqual(findings({ ...files, 'xr.yaml': XR('  coolField: x\n  crossplane: { compositionRef: { name: c }, compositionUpdatePolicy: Manual }\n') }, 'xr.yaml'), []);
  const [missing, ...rest] = findings({ ...files, 'xr.yaml': XR('  crossplane: { compositionRef: { name: c } }\n') }, 'xr.yaml');
  assert.deepEqual(rest, []);
  assert.match(missing, /^error spec is missing the required field "coolField"\. .*\(schema from the XRD in `setup\/definition\.yaml`, as Crossplane generates the CRD from it\)$/);
  // A v2 XR has no top-level compositionRef (it is under spec.crossplane), and an enum of Crossplane's own is checked.
  assert.match(findings({ ...files, 'xr.yaml': XR('  coolField: x\n  compositionRef: { name: c }\n') }, 'xr.yaml')[0], /Unknown field "compositionRef" in spec/);
  assert.match(findings({ ...files, 'xr.yaml': XR('  coolField: x\n  crossplane: { compositionUpdatePolicy: Sometimes }\n') }, 'xr.yaml')[0], /compositionUpdatePolicy/);
});

test('a v1 XRD (LegacyCluster) gives its XRs the fields beside their own, and its claim kind a CRD of its own', () => {
  const files = { 'definition.yaml': xrd('v1', 'coolField', '  claimNames: { kind: TestClaim, plural: testclaims }\n') };
  const legacy = `apiVersion: example.org/v1alpha1\nkind: Test\nmetadata: { name: t }\nspec:\n  coolField: x\n  compositionRef: { name: c }\n  writeConnectionSecretToRef: { name: s, namespace: n }\n`;
  assert.deepEqual(findings({ ...files, 'xr.yaml': legacy }, 'xr.yaml'), []);
  const claim = (spec: string) => `apiVersion: example.org/v1alpha1\nkind: TestClaim\nmetadata: { name: c, namespace: default }\nspec:\n${spec}`;
  assert.deepEqual(findings({ ...files, 'claim.yaml': claim('  coolField: x\n  compositeDeletePolicy: Foreground\n') }, 'claim.yaml'), []);
  assert.match(findings({ ...files, 'claim.yaml': claim('  compositeDeletePolicy: Foreground\n') }, 'claim.yaml')[0], /missing the required field "coolField"/);
});

test('two XRDs of one kind that generate different CRDs (a test suite\'s setups): neither judges, no false error', () => {
  const files = { 'a/definition.yaml': xrd('v2', 'coolField'), 'b/definition.yaml': xrd('v2', '') };
  assert.deepEqual(findings({ ...files, 'xr.yaml': XR('  crossplane: {}\n') }, 'xr.yaml'), []);
});

/** The XRD as a chart's template installs it: labels from a helper, behind a value (as for CRDs: custom-resource-templates.test.ts). */
const templatedXrd = (spec: string) => `{{- if .Values.installDefinitions }}\n${spec.replace('metadata: { name: tests.example.org }', 'metadata:\n  name: tests.example.org\n  labels:\n    {{- include "chart.labels" . | nindent 4 }}')}{{- end }}\n`;

test('an XRD in a chart\'s templates/ whose spec is literal judges its XRs, in a plain file and in a template, as a plain XRD does', () => {
  const files = { 'chart/templates/definition.yaml': templatedXrd(xrd('v2', 'coolField')) };
  const [missing, ...rest] = findings({ ...files, 'xr.yaml': XR('  crossplane: { compositionRef: { name: c } }\n') }, 'xr.yaml');
  assert.deepEqual(rest, []);
  assert.match(missing, /^error spec is missing the required field "coolField"\. .*\(schema from the XRD in `templates\/definition\.yaml`, as Crossplane generates the CRD from it\)$/);
  assert.deepEqual(findings({ ...files, 'xr.yaml': XR('  coolField: x\n') }, 'xr.yaml'), []);
  // An XR in a template of the same chart: its literal unknown field is an error.
  const templatedXr = `apiVersion: example.org/v1alpha1\nkind: Test\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  coolField: {{ .Values.field }}\n  coolFeld: x\n`;
  assert.match(findings({ ...files, 'chart/templates/xr.yaml': templatedXr }, 'chart/templates/xr.yaml')[0] ?? '', /Unknown field "coolFeld" in spec.*XRD in `templates\/definition\.yaml`/);
});

test('a chart template\'s XRD whose spec has a template action is no source; a plain XRD of the kind wins over a template\'s', () => {
  const rendered = templatedXrd(xrd('v2', 'coolField')).replace('group: example.org', 'group: example.org\n  scope: {{ .Values.scope }}');
  assert.deepEqual(findings({ 'chart/templates/definition.yaml': rendered, 'xr.yaml': XR('  crossplane: {}\n') }, 'xr.yaml'), []);
  // The plain XRD requires nothing; the template's, which differs, would require coolField: the plain one judges, not an ambiguity.
  const both = { 'setup/definition.yaml': xrd('v2', ''), 'chart/templates/definition.yaml': templatedXrd(xrd('v2', 'coolField')) };
  assert.deepEqual(findings({ ...both, 'xr.yaml': XR('  crossplane: {}\n  coolFeld: x\n') }, 'xr.yaml').map((f) => f.replace(/\. Did you mean.*/, '')), ['error Unknown field "coolFeld" in spec']);
});
