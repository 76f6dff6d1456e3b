// The strategic-merge keys kdry ships (server/src/k8s/patch-merge-keys-data.ts) are what
// scripts/schema-data/patch-merge-keys.ts reads from the newest bundled release's OpenAPI files today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_SOURCE } from '../../scripts/schema-data/bundle-versions';
import { newestRelease, OUTPUT, patchMergeKeysModule } from '../../scripts/schema-data/patch-merge-keys';
import { patchField, patchTypeOf } from '../../server/src/k8s/patch-merge-keys';

test('the committed merge keys are current', (t) => {
  if (!existsSync(DEFAULT_SOURCE)) return t.skip(`${DEFAULT_SOURCE} not available here`);
  assert.ok(readFileSync(OUTPUT, 'utf8') === patchMergeKeysModule(newestRelease()), 'stale: run node --import tsx scripts/schema-data/patch-merge-keys.ts');
});

test('a pod template merges containers by name, their ports by containerPort, volumes by name; args are replaced', () => {
  const template = patchField(patchField(patchTypeOf('apps/v1', 'Deployment'), 'spec').type, 'template').type;
  const pod = patchField(template, 'spec').type;
  const containers = patchField(pod, 'containers');
  assert.equal(containers.mergeKey, 'name');
  assert.equal(patchField(containers.type, 'ports').mergeKey, 'containerPort');
  assert.equal(patchField(containers.type, 'args').mergeKey, undefined);
  assert.equal(patchField(pod, 'volumes').mergeKey, 'name');
  assert.equal(patchField(patchField(patchTypeOf('v1', 'Pod'), 'metadata').type, 'finalizers').mergeKey, '', 'a set of scalars');
  assert.equal(patchTypeOf('argoproj.io/v1alpha1', 'Rollout'), undefined);
  assert.equal(patchTypeOf('v1', '__proto__'), undefined);
});
