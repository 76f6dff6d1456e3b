// Kubernetes quantity parsing: suffixes, exponents, exact millicores, rounding up, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidQuantity, isWholeUnits, parseQuantity, quantityMilliValue, quantityValue, resourceAmount } from '../../server/src/k8s/quantity';

test('decimal SI suffixes and plain numbers', () => {
  assert.equal(parseQuantity('500m'), 0.5);
  assert.equal(parseQuantity('1.5'), 1.5);
  assert.equal(parseQuantity('2k'), 2000);
  assert.equal(parseQuantity('100M'), 1e8);
  assert.equal(parseQuantity('3G'), 3e9);
  assert.equal(parseQuantity('250u'), 0.00025);
  assert.equal(parseQuantity(2), 2);
});

test('binary SI suffixes', () => {
  assert.equal(parseQuantity('1Ki'), 1024);
  assert.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
  assert.equal(parseQuantity('1Gi'), 2 ** 30);
  assert.equal(parseQuantity('1.5Gi'), 1.5 * 2 ** 30);
  assert.equal(parseQuantity('2Ti'), 2 * 2 ** 40);
});

test('decimal exponents, and E alone as the exa suffix', () => {
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('129e6'), 129e6);
  assert.equal(parseQuantity('5E-1'), 0.5);
  assert.equal(parseQuantity('1E'), 1e18);
});

test('millicores are exact and round up like Quantity.MilliValue', () => {
  assert.equal(quantityMilliValue('0.1'), 100);
  assert.equal(quantityMilliValue('0.3'), 300);
  assert.equal(quantityMilliValue('250m'), 250);
  assert.equal(quantityMilliValue('2'), 2000);
  assert.equal(quantityMilliValue(0.5), 500);
  assert.equal(quantityMilliValue('0.0001'), 1);
  assert.equal(quantityMilliValue('1n'), 1);
});

test('whole values round up like Quantity.Value', () => {
  assert.equal(quantityValue('1.5'), 2);
  assert.equal(quantityValue('500m'), 1);
  assert.equal(quantityValue('128974848'), 128974848);
  assert.equal(quantityValue('123Mi'), 128974848);
  assert.equal(quantityValue('-1.5'), -1);
});

test('resourceAmount: cpu in millicores, everything else in whole units', () => {
  assert.equal(resourceAmount('cpu', '1.5'), 1500);
  assert.equal(resourceAmount('memory', '256Mi'), 256 * 2 ** 20);
  assert.equal(resourceAmount('nvidia.com/gpu', 2), 2);
  assert.ok(Number.isNaN(resourceAmount('cpu', { nested: true })));
});

test('bad input is NaN, never an exception', () => {
  for (const bad of ['', ' ', 'abc', '1.2.3', '1Gb', '1 Gi', 'm', '1e', '--1', '1e999', 'Infinity']) {
    assert.ok(Number.isNaN(parseQuantity(bad)), bad);
    assert.equal(isValidQuantity(bad), false, bad);
  }
  assert.ok(Number.isNaN(parseQuantity(Number.NaN)));
  assert.equal(isValidQuantity(null), false);
  assert.equal(isValidQuantity('64Mi'), true);
});

test('isWholeUnits: Quantity.MilliValue a multiple of 1000 (whole bytes), read through the one quantity memo', () => {
  // MilliValue rounds up: 0.5 -> 500m and 100u -> 1m are not whole, 1k -> 1000000m is.
  const cases: [string | number, boolean | undefined][] = [['512Mi', true], ['1k', true], [1000, true], ['0.5', false], ['100u', false], ['1.5Gi', true], ['1.0001k', false], ['x', undefined]];
  for (let round = 0; round < 2; round++) for (const [text, whole] of cases) assert.equal(isWholeUnits(text), whole, `${text} (round ${round})`);
  // The memo is bounded: thousands of distinct texts neither grow it without end nor change an answer.
  for (let i = 0; i < 10_000; i++) assert.equal(quantityMilliValue(`${i}m`), i);
  assert.equal(quantityMilliValue('0.0001'), 1);
  assert.equal(quantityValue(' 1.5 '), 2);
  assert.equal(isValidQuantity('12Mi'), true);
  assert.equal(isValidQuantity('12MB'), false);
});
