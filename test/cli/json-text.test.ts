// jsonText: JSON.stringify's text with what it leaves raw and a terminal would act on escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonText } from '../../server/src/cli/format/escape';

test('DEL, C1 controls, the line separators and bidi overrides are escaped, wherever they are', () => {
  const value = { name: 'web\u007f\u009b31m', note: ['a\u2028b\u2029', { x: '\u202eevil\u2066' }] };
  const text = jsonText(value, 0);
  assert.equal(text, '{"name":"web\\u007f\\u009b31m","note":["a\\u2028b\\u2029",{"x":"\\u202eevil\\u2066"}]}');
  assert.deepEqual(JSON.parse(text), value);
});

test('a text without them is JSON.stringify\'s, indented or on one line', () => {
  const value = { steps: [{ pods: [{ name: 'web-abcde', ready: true }] }], message: 'é \u0001 "q"' };
  assert.equal(jsonText(value, 0), JSON.stringify(value));
  assert.equal(jsonText(value), JSON.stringify(value, null, 2));
});
