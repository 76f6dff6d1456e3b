// A long list's items are walked again only where the list changed (crd/validate.ts walkItems): an
// item that is the same value at the same index as in the list last walked at that path
// contributes what it did then. Checked over seeded random list edits (an item replaced, removed,
// inserted, two items swapped, the list copied as it is, the list aliased at a second path) against
// a walk of a deep copy, which shares nothing with any earlier walk; and the reuse itself is seen,
// so the test does not pass by walking everything again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateResource, type SchemaResult } from '../../server/src/crd/validate';
import type { StructuralSchema } from '../../server/src/k8s/structural-schema';
import { random } from '../manifest/yaml-corpus';

const ITEM: StructuralSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[a-z0-9-]+$', maxLength: 12 },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    weight: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
    zone: { type: 'string', enum: ['a', 'b'] },
  },
  'x-kubernetes-validations': [{ rule: 'self.port != 22', message: 'no ssh' }],
};
const SCHEMA: StructuralSchema = {
  type: 'object',
  properties: {
    spec: { type: 'object', properties: { items: { type: 'array', items: ITEM }, other: { type: 'array', items: ITEM } } },
  },
};

/** An item with a violation about half the time: a bad name, a port out of range, an unknown key, a bad zone, no name. */
function item(next: () => number, n: number): Record<string, unknown> {
  switch (Math.floor(next() * 10)) {
    case 0:
      return { name: `Item_${n}`, port: 80 };
    case 1:
      return { name: `item-${n}`, port: 70000 };
    case 2:
      return { name: `item-${n}`, port: 80, extra: true };
    case 3:
      return { name: `item-${n}`, zone: 'c' };
    case 4:
      return { port: 443 };
    default:
      return { name: `item-${n}`, port: 8000 + n, weight: next() < 0.5 ? n : `${n}%`, zone: 'a' };
  }
}

/** A new list: `count` items of `list` from `at` replaced by `by` (an edit leaves the list it was made from as it was). */
function replaced<T>(list: readonly T[], at: number, by: T[], count = 1): T[] {
  const copy = list.slice();
  copy.splice(at, count, ...by);
  return copy;
}

/** What a walk found, comparable across walks (a site's schema node by identity, its value by content). */
function comparable(result: SchemaResult) {
  return {
    violations: result.violations.map(({ type, path, value, detail, allowed }) => ({ type, path: [...path], value, detail, allowed })),
    sites: result.sites.map(({ path, value, schema }) => ({ path: [...path], value, rules: schema['x-kubernetes-validations'] })),
  };
}

test('a list edited item by item is judged as a fresh copy of it is', () => {
  const next = random(20261207);
  let n = 0;
  let items = Array.from({ length: 40 }, () => item(next, n++));
  const other = Array.from({ length: 20 }, () => item(next, n++));
  let reused = 0;
  let previous: SchemaResult | undefined;
  let compared = 0;
  for (let step = 0; step < 300; step++) {
    const before = items;
    const at = Math.floor(next() * items.length);
    switch (Math.floor(next() * 6)) {
      case 0:
      case 1:
        items = replaced(items, at, [item(next, n++)]);
        break;
      case 2:
        items = items.length > 17 ? replaced(items, at, []) : replaced(items, at, [item(next, n++)], 0);
        break;
      case 3:
        items = replaced(items, at, [item(next, n++)], 0);
        break;
      case 4: {
        const other = Math.floor(next() * items.length);
        items = replaced(replaced(items, at, [items[other]]), other, [items[at]]);
        break;
      }
      default:
        items = items.slice();
    }
    // A new object around the lists, as a keystroke patched into the resource makes. Every third
    // step the second list is the first one (a YAML alias): the same items at another path.
    const value = { spec: { items, other: step % 3 === 0 ? items : other } };
    const result = validateResource(value, SCHEMA);
    // A copy shares no object with any walk (and no list with another: no alias), under a copy of
    // the schema, whose records are its own: the copy's walk must not replace what the next step reuses.
    const fresh = validateResource(JSON.parse(JSON.stringify(value)), structuredClone(SCHEMA));
    assert.deepEqual(comparable(result), comparable(fresh), `step ${step}`);
    compared += fresh.violations.length + fresh.sites.length;
    // An item at the index it had is taken as it was walked: the very violation objects of the last walk.
    if (previous) {
      const kept = new Set(previous.violations);
      for (let i = 0; i < items.length; i++) {
        if (items[i] !== before[i]) continue;
        const mine = result.violations.filter((v) => v.path[1] === 'items' && v.path[2] === i);
        if (mine.length > 0 && mine.every((v) => kept.has(v))) reused++;
      }
    }
    previous = result;
  }
  assert.ok(compared >= 3000, `only ${compared} violations and sites compared`);
  assert.ok(reused >= 1000, `only ${reused} items were taken as walked`);
});

test('a short list is walked item by item, and its results are still those of a fresh copy', () => {
  const next = random(7);
  let items = Array.from({ length: 5 }, (_, n) => item(next, n));
  for (let step = 0; step < 50; step++) {
    items = replaced(items, Math.floor(next() * items.length), [item(next, 100 + step)]);
    const result = validateResource({ spec: { items } }, SCHEMA);
    assert.deepEqual(comparable(result), comparable(validateResource(JSON.parse(JSON.stringify({ spec: { items } })), structuredClone(SCHEMA))), `step ${step}`);
  }
});
