// The public job conformance vectors through conformance/adapters/job.ts: every expected
// field must match exactly (createdIndexes is a set).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapters } from '../../conformance/adapters/job';

const vectors = JSON.parse(readFileSync(join(__dirname, '../../conformance/vectors/job.json'), 'utf8'));

for (const vector of vectors) {
  test(`job.json ${vector.id}`, () => {
    const adapter = adapters[vector.input.kind];
    assert.ok(adapter, `no adapter for ${vector.input.kind}`);
    const actual = adapter(vector.input) as Record<string, unknown>;
    for (const [field, expected] of Object.entries(vector.expected)) {
      const set = (v: unknown) => (field === 'createdIndexes' && Array.isArray(v) ? [...v].sort((a, b) => a - b) : v);
      assert.deepEqual(set(actual[field]), set(expected), `${vector.id}: ${field}`);
    }
  });
}
