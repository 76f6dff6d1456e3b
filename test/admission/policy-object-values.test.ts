// What a ValidatingAdmissionPolicy's `object` holds is the unstructured JSON of the object, with no
// schema: admission/attributes.go LazyObject.CELValue converts ConvertObjectToUnstructured's map with
// types.DefaultTypeAdapter.NativeToValue, and admission/plugin/cel/compile.go createEnvForOpts declares
// `object` as DynType (older releases: filter.go objectToResolveVal hands the same map to the activation).
// So, unlike a CRD's own rules (apiextensions schema/cel/values.go UnstructuredToVal), a policy sees a
// `format: date-time` field as a string and an `x-kubernetes-list-type: set` list as an ordered list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';
import { DENY_BINDING, policyOn } from './fixtures';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                created: { type: string, format: date-time }
                timeout: { type: string, format: duration }
                tags: { type: array, x-kubernetes-list-type: set, items: { type: string } }
`;

const WIDGET = `apiVersion: example.com/v1
kind: Widget
metadata: { name: w, namespace: team }
spec:
  created: "2024-05-01T10:00:00Z"
  timeout: 90s
  tags: [a, b]
`;

function policyFindings(expression: string): [string, string][] {
  return findings('admission-policy', WIDGET, {
    'file:///work/crds/widgets.yaml': CRD,
    'file:///work/p/vap.yaml': policyOn(expression, 'example.com', 'widgets'),
    'file:///work/p/b.yaml': DENY_BINDING,
  }).map((f): [string, string] => [f.severity ?? '', f.message]);
}

test('a policy reads formatted fields of a custom resource as the strings written (NativeToValue, no schema)', () => {
  for (const holds of ["object.spec.created.startsWith('2024-05')", "type(object.spec.created) == string && type(object.spec.timeout) == string", "timestamp(object.spec.created) < timestamp('2025-01-01T00:00:00Z')", "duration(object.spec.timeout) == duration('90s')"]) {
    assert.deepEqual(policyFindings(holds), [], holds);
  }
  // No `<` between a string and a timestamp (cel-go: "no such overload"); kdry notes such an expression, it does not deny.
  const [[severity, message], ...rest] = policyFindings("object.spec.created < timestamp('2025-01-01T00:00:00Z')");
  assert.deepEqual([severity, rest], ['info', []]);
  assert.match(message, /no matching overload for '_<_' applied to '\(string, google\.protobuf\.Timestamp\)'/);
});

test('a policy compares a set list of a custom resource in order (a plain list, not unstructuredSetList)', () => {
  assert.deepEqual(policyFindings("object.spec.tags == ['a', 'b']"), []);
  const [[severity, message]] = policyFindings("object.spec.tags == ['b', 'a']");
  assert.equal(severity, 'error');
  assert.match(message, /failed expression: object\.spec\.tags == \['b', 'a'\]/);
});
