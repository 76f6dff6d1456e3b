// x-kubernetes-embedded-resource on a list's items and a map's values: each item is a Kubernetes
// object of its own, as apiextensions-apiserver/pkg/apiserver/schema/objectmeta/validation.go
// `validate` walks it (into Items and AdditionalProperties) and `validateEmbeddedResource` checks it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeCustomResource } from '../../server/src/crd/check-resource';
import { fieldErrorText } from '../../server/src/crd/field-error';
import type { StructuralSchema } from '../../server/src/k8s/structural-schema';

const embedded = { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { x: { type: 'string' } } } } };
const schema = {
  type: 'object',
  properties: { spec: { type: 'object', properties: { one: embedded, many: { type: 'array', items: embedded }, byName: { type: 'object', additionalProperties: embedded } } } },
} as unknown as StructuralSchema;
const item = { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'a' }, spec: { x: 'y' } };

function errors(spec: Record<string, unknown>): string[] {
  return judgeCustomResource({ apiVersion: 'r.example.com/v1', kind: 'R', metadata: { name: 'r' }, spec }, schema).violations.map(fieldErrorText);
}

test('a list item marked x-kubernetes-embedded-resource takes apiVersion, kind and metadata, as a single embedded object does', () => {
  assert.deepEqual(errors({ one: item, many: [item, item], byName: { a: item } }), []);
});

test('an embedded list item without apiVersion and kind is Required, with field.Required(path, "")\'s empty detail', () => {
  assert.deepEqual(errors({ many: [item, { spec: { x: 'y' } }] }).sort(), ['spec.many[1].apiVersion: Required value', 'spec.many[1].kind: Required value']);
  // An empty string is Required too: validateEmbeddedResource's `len(apiVersion) == 0` branch is field.Required(path, "")
  // (objectmeta/validation.go; older releases said field.Invalid(path, "", "must not be empty")).
  assert.deepEqual(errors({ one: { ...item, apiVersion: '', kind: '' } }).sort(), ['spec.one.apiVersion: Required value', 'spec.one.kind: Required value']);
});
