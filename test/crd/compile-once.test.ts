// A CRD is read once per change of its text and its rules compiled once per rule text: typing in
// a custom resource (a new parse of its file, a new workspace revision) finds the same schema
// and the same compiled programs; editing the CRD gives new ones. (Typing cost: npm run bench
// custom-resource.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { resolveCustomResource } from '../../server/src/crd/registry';
import { compileExpression } from '../../server/src/cel/environment';
import { withDefaults } from '../../server/src/crd/defaults';
import { fleet, fleetCrd } from '../../scripts/bench/inputs/custom-resources';

const CRD_URI = 'file:///w/crds/fleets.yaml';
const CR_URI = 'file:///w/fleet.yaml';

function schemaAfter(workspace: WorkspaceIndex, crText: string) {
  workspace.set(parseManifest(crText, CR_URI));
  const doc = workspace.get(CR_URI)!.documents[0];
  const resolution = resolveCustomResource(workspace, doc.apiVersion, doc.kind);
  assert.equal(resolution?.kind, 'schema');
  return resolution.kind === 'schema' ? resolution.schema : undefined;
}

test('typing in a custom resource reuses the CRD schema read once; a CRD edit reads it again', () => {
  const workspace = new WorkspaceIndex();
  workspace.set(parseManifest(fleetCrd(), CRD_URI));
  const text = fleet();
  const first = schemaAfter(workspace, text);
  for (const tag of ['item-10x', 'item-10y', 'item-10']) assert.equal(schemaAfter(workspace, text.replace('name: item-10\n', `name: ${tag}\n`)), first, `after typing ${tag}`);
  workspace.set(parseManifest(fleetCrd('another message'), CRD_URI));
  const edited = schemaAfter(workspace, text);
  assert.notEqual(edited, first, 'the edited CRD is read again');
  assert.equal(schemaAfter(workspace, text.replace('port: 8000', 'port: 8001')), edited);
});

test('a rule is compiled once per rule text', () => {
  const rule = 'self.items.all(i, item, item.weight <= 100 || i == 0)';
  assert.equal(compileExpression(rule), compileExpression(rule));
  assert.notEqual(compileExpression(rule), compileExpression(`${rule} `));
});

test('defaulting copies only what a default changes: an item that has every defaulted field is the parser\'s own object (defaults.ts)', () => {
  const schema = { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, weight: { type: 'integer', default: 1 } } } } } } as const;
  const complete = { name: 'a', weight: 3 };
  const missing = { name: 'b' };
  const value = { items: [complete, missing] };
  const defaulted = withDefaults(value, schema as never) as { items: Record<string, unknown>[] };
  assert.notEqual(defaulted, value, 'a default applied below: a copy');
  assert.equal(defaulted.items[0], complete, 'unchanged: shared');
  assert.deepEqual({ ...defaulted.items[1] }, { name: 'b', weight: 1 });
  assert.deepEqual(missing, { name: 'b' }, 'the input is not mutated');
  const full = { items: [complete] };
  assert.equal(withDefaults(full, schema as never), full, 'nothing to default: the same object');
  // A null of a field that is not nullable is pruned, then defaulted (prunenulls.go, algorithm.go).
  assert.deepEqual({ ...(withDefaults({ name: 'c', weight: null }, schema.properties.items.items as never) as object) }, { name: 'c', weight: 1 });
});

test("a rule's outcome is remembered only where the value outlives a keystroke: not at the object, a top-level field, an embedded resource, or a value too large to key", async () => {
  const { outcomeKey } = await import('../../server/src/crd/validation-rules');
  const schema = { type: 'object' as const };
  const item = { name: 'a', replicas: 2 };
  assert.equal(outcomeKey({ path: [], value: { spec: item }, schema }), undefined, 'the object');
  assert.equal(outcomeKey({ path: ['spec'], value: item, schema }), undefined, 'spec: a Crossplane managed resource\'s rules see it change on every keystroke');
  assert.equal(outcomeKey({ path: ['spec', 'template'], value: item, schema: { ...schema, 'x-kubernetes-embedded-resource': true } }), undefined, 'an embedded resource');
  assert.equal(outcomeKey({ path: ['spec', 'items', 0], value: item, schema }), JSON.stringify(item));
  assert.equal(outcomeKey({ path: ['spec', 'items', 0], value: { note: 'x'.repeat(20_000) }, schema }), undefined, 'a long string');
  assert.equal(outcomeKey({ path: ['spec', 'items'], value: Array.from({ length: 5_000 }, () => item), schema }), undefined, 'many items');
});
