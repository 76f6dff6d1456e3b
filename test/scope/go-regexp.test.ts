import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goRegexp } from '../../server/src/scope/go-regexp';

test('a Go pattern is compiled once and reused; one that RE2 refuses matches nothing (api/types/selector.go SelectorRegex)', () => {
  const first = goRegexp('^(?:web-.*)$');
  assert.ok(first?.matches('web-1'));
  assert.equal(goRegexp('^(?:web-.*)$'), first);
  // A back-reference is not RE2: kustomize's regexp.Compile refuses it too.
  assert.equal(goRegexp('^(a)\\1$'), undefined);
});
