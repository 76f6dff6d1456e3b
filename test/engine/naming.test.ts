// Generated name suffixes are part of every timeline (pod names): the values below were produced by
// the implementation that built the string `${seed}#${round}` for each round; the current one
// continues the seed's hash instead and must give the same suffixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NAME_SUFFIX_ALPHABET, nameSuffix } from '../../server/src/engine/naming';

test('nameSuffix gives the same suffixes as hashing `${seed}#${round}` strings did', () => {
  assert.equal(nameSuffix('web-577cd7bb#0'), '4mnv2');
  assert.equal(nameSuffix('web-577cd7bb#9999'), 'mv5l4');
  assert.equal(nameSuffix('', 5), 'dpgzb');
  // More than one round (6 characters each): round 1 and 2 hash `#1`, `#2`.
  assert.equal(nameSuffix('daemon/node-1/abc/0', 13), 'wvxtvdn4lrwd7');
  assert.equal(nameSuffix('x', 7), 'xsc4wb7');
  // Rounds 10 and over hash two digits.
  assert.equal(nameSuffix('x', 64), 'xsc4wb7lnwl87gxcmhlhc2bwf8vjlxsr5d9twj8gc7q8gd9tncs7mzmc22bwtnzb');
});

test('nameSuffix bounds the length and uses the alphabet only', () => {
  assert.equal(nameSuffix('x', 0), '');
  assert.equal(nameSuffix('x', -3), '');
  assert.equal(nameSuffix('x', 1000).length, 64);
  assert.equal(nameSuffix('x', Number.NaN).length, 5);
  for (const c of nameSuffix('seed', 64)) assert.ok(NAME_SUFFIX_ALPHABET.includes(c));
});
