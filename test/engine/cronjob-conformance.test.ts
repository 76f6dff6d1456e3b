// The public cronjob conformance vectors through conformance/adapters/cronjob.ts: every expected
// field must match exactly ("non-null" only asks for some time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adapters } from '../../conformance/adapters/cronjob';

const vectors = JSON.parse(readFileSync(join(__dirname, '../../conformance/vectors/cronjob.json'), 'utf8'));

for (const vector of vectors) {
  test(`cronjob.json ${vector.id}`, () => {
    const adapter = adapters[vector.input.kind];
    assert.ok(adapter, `no adapter for ${vector.input.kind}`);
    const actual = adapter(vector.input) as Record<string, unknown>;
    for (const [field, expected] of Object.entries(vector.expected)) {
      if (expected === 'non-null') assert.notEqual(actual[field] ?? null, null, `${vector.id}: ${field}`);
      else assert.deepEqual(actual[field], expected, `${vector.id}: ${field}`);
    }
  });
}
