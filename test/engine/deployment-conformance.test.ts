// Runs the public conformance vectors for Deployment and ReplicaSet through their adapters and
// compares every expected field exactly (sets compared order-free where the README says "set").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapters as deploymentAdapters } from '../../conformance/adapters/deployment';
import { adapters as replicaSetAdapters } from '../../conformance/adapters/replicaset';

const SET_FIELDS = new Set(['allOldReplicaSets', 'requiredOldReplicaSets', 'deletedReplicaSets']);

function normalise(field: string, value: unknown): unknown {
  return SET_FIELDS.has(field) && Array.isArray(value) ? [...value].sort() : value;
}

for (const [file, adapters] of [
  ['deployment.json', deploymentAdapters],
  ['replicaset.json', replicaSetAdapters],
] as const) {
  const vectors = JSON.parse(readFileSync(join(__dirname, '../../conformance/vectors', file), 'utf8'));
  for (const vector of vectors) {
    test(`${file} ${vector.id}`, () => {
      const adapter = adapters[vector.input.kind];
      assert.ok(adapter, `no adapter for ${vector.input.kind}`);
      const actual = adapter(vector.input) as Record<string, unknown>;
      for (const [field, expected] of Object.entries(vector.expected)) {
        assert.deepEqual(normalise(field, actual[field]), normalise(field, expected), `${vector.id}: ${field}`);
      }
    });
  }
}
