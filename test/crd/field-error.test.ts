// The API server's field.Error text for custom resource violations (apimachinery field/errors.go),
// as kubectl prints it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorText, goValue } from '../../server/src/crd/field-error';

test('a rule on the root of the object has a nil path, printed "<nil>" (field/path.go (*Path).String)', () => {
  assert.equal(fieldErrorText({ type: 'Invalid', path: [], value: 'object', detail: 'failed rule: self.a == self.b' }), '<nil>: Invalid value: "object": failed rule: self.a == self.b');
  assert.equal(fieldErrorText({ type: 'Invalid', path: ['spec'], value: 'object', detail: 'x' }), 'spec: Invalid value: "object": x');
});

test("map values print as Go's %#v does: keys sorted (fmt sorts map keys), nested values the same way", () => {
  assert.equal(goValue({ value: 'a', type: 'exact', nested: { z: 1, b: [true] } }), 'map[string]interface {}{"nested":map[string]interface {}{"b":[]interface {}{true}, "z":1}, "type":"exact", "value":"a"}');
  assert.equal(fieldErrorText({ type: 'Duplicate', path: ['spec', 'http', 1], value: { value: '/a', type: 'Exact' }, detail: '' }), 'spec.http[1]: Duplicate value: map[string]interface {}{"type":"Exact", "value":"/a"}');
});
