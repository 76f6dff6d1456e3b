// The public daemonset conformance vectors through conformance/adapters/daemonset.ts: every expected
// field must match exactly (tolerations is a set).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapters } from '../../conformance/adapters/daemonset';

const vectors = JSON.parse(readFileSync(join(__dirname, '../../conformance/vectors/daemonset.json'), 'utf8'));

for (const vector of vectors) {
  test(`daemonset.json ${vector.id}`, () => {
    const adapter = adapters[vector.input.kind];
    assert.ok(adapter, `no adapter for ${vector.input.kind}`);
    const actual = adapter(vector.input) as Record<string, unknown>;
    for (const [field, expected] of Object.entries(vector.expected)) {
      const set = (v: unknown) => (field === 'tolerations' && Array.isArray(v) ? v.map((t) => JSON.stringify(t)).sort() : v);
      assert.deepEqual(set(actual[field]), set(expected), `${vector.id}: ${field}`);
    }
  });
}
