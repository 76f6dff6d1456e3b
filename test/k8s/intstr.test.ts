// The one reader of int-or-string fields (k8s.io/apimachinery/pkg/util/intstr/intstr.go): what the
// decoder takes (UnmarshalJSON: a number or a string) and what IntValue gives back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getScaledValueFromIntOrPercent, intOrStringIntValue, intOrStringOf } from '../../server/src/k8s/intstr';

test('intOrStringOf: a number or a string as written, anything else left out', () => {
  assert.equal(intOrStringOf(3), 3);
  assert.equal(intOrStringOf('25%'), '25%');
  assert.equal(intOrStringOf(''), '');
  for (const v of [undefined, null, true, {}, [1]]) assert.equal(intOrStringOf(v), undefined, JSON.stringify(v));
});

test('intOrStringIntValue follows IntValue: strconv.Atoi of a string, its error read as 0', () => {
  assert.equal(intOrStringIntValue(5), 5);
  assert.equal(intOrStringIntValue('5'), 5);
  assert.equal(intOrStringIntValue('+5'), 5, 'Atoi takes a sign');
  assert.equal(intOrStringIntValue('-2'), -2);
  assert.equal(intOrStringIntValue('25%'), 0);
  assert.equal(intOrStringIntValue('{{args.count}}'), 0);
  assert.equal(intOrStringIntValue(' 5'), 0, 'Atoi takes no spaces');
  assert.equal(intOrStringIntValue(1.5), 0);
  assert.equal(intOrStringIntValue(undefined), 0);
});

test('getScaledValueFromIntOrPercent: surge rounds up, unavailability down', () => {
  // 25% of 10 is 2.5: maxSurge 3 (up), maxUnavailable 2 (down)
  assert.equal(getScaledValueFromIntOrPercent('25%', 10, true), 3);
  assert.equal(getScaledValueFromIntOrPercent('25%', 10, false), 2);
  assert.throws(() => getScaledValueFromIntOrPercent('5', 10, true), /string is not a percentage/);
});
