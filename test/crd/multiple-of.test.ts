import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMultipleOf } from '../../server/src/crd/multiple-of';

// kube-openapi pkg/validation/validate/values.go MultipleOf with swag IsFloat64AJSONInteger.
test('multipleOf below 1 inverts the factor first, as kube-openapi MultipleOf', () => {
  assert.equal(isMultipleOf(0.3, 0.1), true); // 0.3 / 0.1 = 2.9999999999999996, 1 / 0.1 * 0.3 = 3
  assert.equal(isMultipleOf(0.7, 0.1), true);
  assert.equal(isMultipleOf(0.15, 0.05), true);
  assert.equal(isMultipleOf(0.07, 0.01), true); // 7.000000000000001: within the relative 1e-9
  assert.equal(isMultipleOf(0.35, 0.1), false);
  assert.equal(isMultipleOf(-0.3, 0.1), true); // -3 exactly
});

test('multipleOf of 1 or more divides, and only a near-integer quotient passes', () => {
  assert.equal(isMultipleOf(2.2, 1.1), true);
  assert.equal(isMultipleOf(9, 3), true);
  assert.equal(isMultipleOf(10, 3), false);
  assert.equal(isMultipleOf(2 ** 60, 8), true); // integer by integer: MultipleOfInt, exact
  assert.equal(isMultipleOf(3.0000000001, 1), true); // relative error 1.7e-11
  assert.equal(isMultipleOf(3.0001, 1), false);
});

test('multipleOf refuses what IsFloat64AJSONInteger refuses: negative non-integers, quotients beyond 2^53, a negative factor', () => {
  assert.equal(isMultipleOf(-3.0000000001, 1), false); // Go's uint64(f) of a negative float is not its truncation
  assert.equal(isMultipleOf(2 ** 54 + 0.5 * 2 ** 2, 0.5), false); // 1 / 0.5 * data is beyond 2^53
  assert.equal(isMultipleOf(4, -2), false);
});
