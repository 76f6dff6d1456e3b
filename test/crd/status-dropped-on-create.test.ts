// apiextensions-apiserver pkg/registry/customresource/strategy.go PrepareForCreate: where the CRD
// version has the status subresource, a written status is deleted before Validate, so neither its
// schema nor its rules judge it; an unknown field under it already failed strict decoding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';
import { crdYaml } from '../fixtures/crd';

const indent = (lines: string) => lines.replace(/^(?=.)/gm, '              ');
const crd = (statusSubresource: boolean) =>
  crdYaml({
    group: 'example.com',
    kind: 'Job2',
    plural: 'jobs',
    statusSubresource,
    spec: indent('type: object\nproperties:\n  size: {type: integer}\nx-kubernetes-validations:\n- rule: "self.size < 5"\n  message: size too big\n'),
    status: indent('type: object\nproperties:\n  phase: {type: string, enum: [Pending, Done]}\n  count: {type: integer, minimum: 0}\nx-kubernetes-validations:\n- rule: "self.count < 10"\n  message: count too high\n'),
  });

const resource = (spec: string, status: string) => `apiVersion: example.com/v1\nkind: Job2\nmetadata:\n  name: j\nspec:\n  ${spec}\nstatus:\n${status}`;

function errors(crdText: string, text: string): string[] {
  return findings('custom-resource', text, { 'file:///w/crd.yaml': crdText })
    .filter((f) => f.severity === 'error')
    .map((f) => f.message);
}

test('with the status subresource a written status is dropped: no enum, minimum or rule finding under it', () => {
  assert.deepEqual(errors(crd(true), resource('size: 1', '  phase: Running\n  count: -50\n')), []);
  // The spec is still judged, rules included (a status that fails its rules does not block them).
  const specRule = errors(crd(true), resource('size: 9', '  phase: Running\n  count: 50\n'));
  assert.equal(specRule.length, 1);
  assert.match(specRule[0], /size too big/);
});

test('an unknown field under a dropped status is still a strict decoding error', () => {
  const found = errors(crd(true), resource('size: 1', '  phase: Running\n  extra: true\n'));
  assert.equal(found.length, 1);
  assert.match(found[0], /strict decoding error: unknown field "status\.extra"/);
});

test('without the status subresource the status is part of the object and judged', () => {
  const found = errors(crd(false), resource('size: 1', '  phase: Running\n  count: 5\n'));
  assert.equal(found.length, 1);
  assert.match(found[0], /Unsupported value: "Running"/);
});
