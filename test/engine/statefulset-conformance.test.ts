// The public statefulset conformance vectors through conformance/adapters/statefulset.ts: every expected
// field must match exactly (podNames is a set; a sequence step is compared on its pods present).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapters } from '../../conformance/adapters/statefulset';

const vectors = JSON.parse(readFileSync(join(__dirname, '../../conformance/vectors/statefulset.json'), 'utf8'));

for (const vector of vectors) {
  test(`statefulset.json ${vector.id}`, () => {
    const adapter = adapters[vector.input.kind];
    assert.ok(adapter, `no adapter for ${vector.input.kind}`);
    const actual = adapter(vector.input) as Record<string, unknown>;
    for (const [field, expected] of Object.entries(vector.expected)) {
      if (field === 'syncs') {
        // `before` and `note` are prose for readers; the asserted part is which pods exist.
        const steps = expected as { sync: number; expectPodsPresent: number[] }[];
        assert.deepEqual(actual[field], steps.map((s) => ({ sync: s.sync, expectPodsPresent: s.expectPodsPresent })), `${vector.id}: ${field}`);
      } else if (field === 'podNames') {
        assert.deepEqual([...(actual[field] as string[])].sort(), [...(expected as string[])].sort(), `${vector.id}: ${field}`);
      } else assert.deepEqual(actual[field], expected, `${vector.id}: ${field}`);
    }
  });
}
