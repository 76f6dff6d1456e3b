// apiextensions-apiserver pkg/registry/customresource/strategy.go PrepareForCreate: where the CRD
// version has the status subresource, a written status is deleted before Validate, so neither its
// schema nor its rules judge it; an unknown field under it already failed strict decoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';

function crd(subresources: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: jobs.example.com
spec:
  group: example.com
  names: {kind: Job2, plural: jobs, singular: job, listKind: Job2List}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
${subresources}    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
            x-kubernetes-validations:
            - rule: "self.size < 5"
              message: size too big
          status:
            type: object
            properties:
              phase: {type: string, enum: [Pending, Done]}
              count: {type: integer, minimum: 0}
            x-kubernetes-validations:
            - rule: "self.count < 10"
              message: count too high
`;
}

const WITH_STATUS = '    subresources:\n      status: {}\n';
const resource = (spec: string, status: string) => `apiVersion: example.com/v1\nkind: Job2\nmetadata:\n  name: j\nspec:\n  ${spec}\nstatus:\n${status}`;

function errors(crdText: string, text: string): string[] {
  return findings('custom-resource', text, { 'file:///w/crd.yaml': crdText })
    .filter((f) => f.severity === 'error')
    .map((f) => f.message);
}

test('with the status subresource a written status is dropped: no enum, minimum or rule finding under it', () => {
  assert.deepEqual(errors(crd(WITH_STATUS), resource('size: 1', '  phase: Running\n  count: -50\n')), []);
  // The spec is still judged, rules included (a status that fails its rules does not block them).
  const specRule = errors(crd(WITH_STATUS), resource('size: 9', '  phase: Running\n  count: 50\n'));
  assert.equal(specRule.length, 1);
  assert.match(specRule[0], /size too big/);
});

test('an unknown field under a dropped status is still a strict decoding error', () => {
  const found = errors(crd(WITH_STATUS), resource('size: 1', '  phase: Running\n  extra: true\n'));
  assert.equal(found.length, 1);
  assert.match(found[0], /strict decoding error: unknown field "status\.extra"/);
});

test('without the status subresource the status is part of the object and judged', () => {
  const found = errors(crd(''), resource('size: 1', '  phase: Running\n  count: 5\n'));
  assert.equal(found.length, 1);
  assert.match(found[0], /Unsupported value: "Running"/);
});
