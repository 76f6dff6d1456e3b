// x-kubernetes-list-type set and map lists in CEL: k8s.io/apiserver/pkg/cel/common/values.go
// unstructuredSetList.Equal/Add (order ignored, union) and unstructuredMapList.Equal/Add (by map keys).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileExpression, CostMeter, type Evaluation } from '../../server/src/cel/environment';
import { PER_CALL_LIMIT } from '../../server/src/cel/cost';
import { toCel } from '../../server/src/cel/values';
import type { StructuralSchema } from '../../server/src/k8s/structural-schema';

const port: StructuralSchema = { type: 'object', properties: { name: { type: 'string' }, proto: { type: 'string' } } };
const schema: StructuralSchema = {
  type: 'object',
  properties: {
    tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    other: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    plain: { type: 'array', items: { type: 'string' } },
    ports: { type: 'array', items: port, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
    reordered: { type: 'array', items: port, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] },
  },
};
const self = {
  tags: ['a', 'b'],
  other: ['b', 'a'],
  plain: ['a', 'b'],
  ports: [{ name: 'a', proto: 'TCP' }, { name: 'b', proto: 'UDP' }],
  reordered: [{ name: 'b', proto: 'UDP' }, { name: 'a', proto: 'TCP' }],
};

function value(expr: string, input: unknown = self, inputSchema: StructuralSchema = schema): unknown {
  const program = compileExpression(expr);
  assert.ok(!('unsupported' in program), expr);
  const r: Evaluation = program.evaluate({ self: toCel(input, inputSchema) }, new CostMeter(PER_CALL_LIMIT));
  assert.equal(r.kind, 'value', `${expr}: ${JSON.stringify(r)}`);
  return (r as { value: unknown }).value;
}

test('a set list on the left of == ignores order; a literal or atomic list on the left does not', () => {
  assert.equal(value("self.tags == ['b', 'a']"), true);
  assert.equal(value("self.tags != ['b', 'a']"), false);
  assert.equal(value('self.tags == self.other'), true);
  assert.equal(value("self.tags == ['a', 'c']"), false);
  assert.equal(value("['b', 'a'] == self.tags"), false); // cel-go's literal list compares in order
  assert.equal(value("self.plain == ['b', 'a']"), false);
});

test('set + list is a union keeping the set first', () => {
  assert.equal(value("(self.tags + ['a', 'c']).size() == 3"), true);
  assert.equal(value("self.tags + ['c', 'a'] == ['c', 'b', 'a']"), true);
  assert.equal(value("(self.tags + ['a', 'c'])[2] == 'c'"), true);
  assert.equal(value("(self.plain + ['a']).size() == 3"), true);
});

test('map lists compare and merge by their keys with another map list; a literal map never matches a key', () => {
  assert.equal(value('self.ports == self.reordered'), true);
  assert.equal(value("(self.ports + self.reordered).size() == 2"), true);
  assert.equal(value("self.ports == [{'name': 'a', 'proto': 'TCP'}, {'name': 'b', 'proto': 'UDP'}]"), false);
  assert.equal(value("(self.ports + [{'name': 'a', 'proto': 'SCTP'}]).size() == 3"), true);
});

// values.go unstructuredMap.Equal / unstructuredList.Equal / unstructuredMapList.Equal: each member by its own Equal.
const nestedSchema: StructuralSchema = {
  type: 'object',
  properties: {
    a: { type: 'object', properties: { tags: schema.properties!.tags, n: { type: 'integer' } } },
    b: { type: 'object', properties: { tags: schema.properties!.tags, n: { type: 'integer' } } },
    groups: { type: 'array', items: schema.properties!.tags },
    rules: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, verbs: schema.properties!.tags } } },
    other: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, verbs: schema.properties!.tags } } },
  },
};
const nested = {
  a: { tags: ['x', 'y'], n: 1 },
  b: { tags: ['y', 'x'], n: 1 },
  groups: [['p', 'q'], ['r']],
  rules: [{ name: 'r1', verbs: ['get', 'list'] }],
  other: [{ name: 'r1', verbs: ['list', 'get'] }],
};

const nestedValue = (expr: string): unknown => value(expr, nested, nestedSchema);

test('a set list inside an object, an atomic list or a map list item still ignores order when the container is compared', () => {
  assert.equal(nestedValue('self.a == self.b'), true);
  assert.equal(nestedValue("self.a == {'tags': ['y', 'x'], 'n': 1}"), true);
  assert.equal(nestedValue("self.a == {'tags': ['y', 'x'], 'n': 2}"), false);
  assert.equal(nestedValue("self.groups == [['q', 'p'], ['r']]"), true);
  assert.equal(nestedValue("self.groups == [['r'], ['q', 'p']]"), false); // the atomic outer list keeps its order
  assert.equal(nestedValue('self.rules == self.other'), true);
  // A literal on the left compares as cel-go's own values do, in order.
  assert.equal(nestedValue("{'tags': ['y', 'x'], 'n': 1} == self.a"), false);
  assert.equal(nestedValue("self.a != self.b"), false);
});
