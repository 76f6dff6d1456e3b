// The public scheduler conformance vectors through conformance/adapters/scheduler.ts: every
// expected field must match exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapters } from '../../conformance/adapters/scheduler';

const vectors = JSON.parse(readFileSync(join(__dirname, '../../conformance/vectors/scheduler.json'), 'utf8'));

for (const vector of vectors) {
  test(`scheduler.json ${vector.id}`, () => {
    const adapter = adapters[vector.input.kind];
    assert.ok(adapter, `no adapter for ${vector.input.kind}`);
    const actual = adapter(vector.input) as Record<string, unknown>;
    for (const [field, expected] of Object.entries(vector.expected)) {
      assert.deepEqual(actual[field], expected, `${vector.id}: ${field}`);
    }
  });
}
