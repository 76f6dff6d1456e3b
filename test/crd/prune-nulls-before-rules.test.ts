// apiextensions-apiserver pkg/apiserver/schema/defaulting/prunenulls.go PruneNonNullableNullsWithoutDefaults:
// a null of a property that is not nullable and has no default is removed when the object is decoded,
// before validation, whether or not the schema has defaults anywhere, so CEL rules never see it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeCustomResource } from '../../server/src/crd/check-resource';
import { withDefaults } from '../../server/src/crd/defaults';
import { fieldErrorText } from '../../server/src/crd/field-error';
import type { StructuralSchema } from '../../server/src/k8s/structural-schema';

const schema: StructuralSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: { minReplicas: { type: 'integer' }, maxReplicas: { type: 'integer' }, note: { type: 'string', nullable: true } },
      'x-kubernetes-validations': [{ rule: 'self.minReplicas <= self.maxReplicas' }],
    },
  },
};

test('a non-nullable null is pruned though the schema has no default', () => {
  assert.equal(JSON.stringify(withDefaults({ spec: { minReplicas: null, maxReplicas: 2, note: null } }, schema)), '{"spec":{"maxReplicas":2,"note":null}}');
  const unchanged = { spec: { minReplicas: 1, maxReplicas: 2 } };
  assert.equal(withDefaults(unchanged, schema), unchanged); // no null: the same object, not walked
});

test('the rule then reads a missing key: no such key, as the API server refuses it', () => {
  const judged = judgeCustomResource({ apiVersion: 'example.com/v1', kind: 'W', metadata: { name: 'w' }, spec: { minReplicas: null, maxReplicas: 2 } }, schema);
  assert.deepEqual(judged.skipped, []);
  assert.equal(judged.violations.length, 1);
  assert.match(fieldErrorText(judged.violations[0]), /no such key: minReplicas/);
});
