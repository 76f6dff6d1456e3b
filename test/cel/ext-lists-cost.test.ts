// Costs of cel-go's lists extension (ext/lists.go, ListsVersion 3 as Kubernetes uses it from 1.34):
// the estimators the API server uses for a CRD rule's estimated cost (CompileOptions ->
// CostEstimatorOptions: estimateListSlice, estimateListsRange, estimateListReverse,
// estimateListFlatten, estimateListDistinct, estimateListSort), and the trackers it charges when a
// rule runs (ProgramOptions -> CostTrackerOptions: trackListOutputSize, trackListFlatten,
// trackListDistinct, trackListSort). Kubernetes' library/cost.go has no entry of its own for them.
// Every figure below is worked out from those functions:
//   estimate: ceil(n x factor) + 1 (callCostEstimate) + 10 (common.ListCreateBaseCost), plus 1 for `self`
//   runtime:  uint64(n x factor) + 1 (callCost) + 10 (common.ListCreateBaseCost)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { declTypeOf } from '../../server/src/cel/decl-type';
import { analyseExpression } from '../../server/src/cel/static-analysis';
import { compileExpression, CostMeter } from '../../server/src/cel/environment';
import { PER_CALL_LIMIT } from '../../server/src/cel/cost';

const ints = declTypeOf({ type: 'array', maxItems: 100, items: { type: 'integer' } });
const strings = declTypeOf({ type: 'array', maxItems: 100, items: { type: 'string', maxLength: 10 } });

test('estimated cost (checker.Cost with the lists estimators), on lists of at most 100 items', () => {
  const cost = (source: string, self = ints) => analyseExpression(source, self).maxCost;
  // estimateListSlice: n = end - start from the literal indexes.
  assert.equal(cost('self.slice(1, 3)'), 1 + (2 + 11));
  // ... without literal indexes, 0 and the list's size.
  assert.equal(cost('self.slice(0, size(self))'), 1 + 1 + 1 + (100 + 11));
  // estimateListReverse: n = size.
  assert.equal(cost('self.reverse()'), 1 + (100 + 11));
  // estimateListFlatten: factor = depth (1 by default).
  assert.equal(cost('self.flatten()'), 1 + (100 + 11));
  assert.equal(cost('self.flatten(3)'), 1 + (300 + 11));
  // estimateListDistinct: n = size x size, factor 2.
  assert.equal(cost('self.distinct()'), 1 + (100 * 100 * 2 + 11));
  // estimateListSortCost: the same, factor 2.1 for strings (2 + common.StringTraversalCostFactor).
  assert.equal(cost('self.sort()'), 1 + (100 * 100 * 2 + 11));
  assert.equal(cost('self.sort()', strings), 1 + (Math.ceil(100 * 100 * 2.1) + 11));
  // estimateListsRange: n = the literal size.
  assert.equal(cost('lists.range(5)'), 5 + 11);
  // A size that is not a literal counts as the largest uint64 (nodeAsIntValue's default): over every limit.
  assert.ok(cost('lists.range(size(self))') >= 2 ** 64 - 1);
  assert.ok(cost('self.flatten(size(self))') >= 2 ** 64 - 1);
  // The result's size carries on: sort's result has size x size items, so a walk over it costs that many times.
  assert.equal(cost('self.reverse().all(x, x > 0)') > cost('self.all(x, x > 0)'), true);
});

test('a rule whose list functions pass the per-rule estimate is refused when the CRD is created', async () => {
  const { checkDefinition } = await import('../../server/src/crd/definition-checks');
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: { tags: { type: 'array', maxItems: 3000, items: { type: 'string', maxLength: 8 } } },
        // The sort alone: 3,000 x 3,000 x 2.1 + 11 = 18,900,011 > StaticEstimatedCostLimit (10,000,000).
        'x-kubernetes-validations': [{ rule: 'self.tags.sort() == self.tags' }],
      },
    },
  };
  const errors = checkDefinition({ spec: { group: 'example.com', names: { kind: 'W' }, versions: [{ name: 'v1', served: true, schema: { openAPIV3Schema: schema } }] } }, '1.35');
  assert.ok(errors.some((e) => e.type === 'Forbidden' && /estimated rule cost exceeds budget/.test(e.detail)), JSON.stringify(errors));
});

test('runtime cost (the trackers): charged per call by the size of the lists', () => {
  const spent = (source: string) => {
    const program = compileExpression(source);
    assert.ok(!('unsupported' in program), source);
    const meter = new CostMeter(PER_CALL_LIMIT);
    const result = program.evaluate({}, meter);
    assert.equal(result.kind, 'value', source);
    return meter.spent;
  };
  // trackListSort -> trackListSelfCompare: 3 x 3 x 2 + 11.
  assert.equal(spent('[3, 1, 2].sort()'), 29);
  // 2 x 2 x 2.1 = 8.4, truncated to 8 (uint64), + 11.
  assert.equal(spent("['b', 'a'].sort()"), 19);
  assert.equal(spent('[1, 2, 1].distinct()'), 29);
  // trackListOutputSize: the result's items.
  assert.equal(spent('lists.range(5)'), 16);
  assert.equal(spent('[1, 2, 3, 4].slice(1, 3)'), 2 + 11);
  assert.equal(spent('[1, 2, 3].reverse()'), 3 + 11);
  // trackListFlatten: the input's items times the depth.
  assert.equal(spent('[1, [2, [3]]].flatten(2)'), 2 * 2 + 11);
  // Chained: range 1,000 (1,011), then its sort: 1,000 x 1,000 x 2 + 11 = 2,000,011 > PerCallLimit.
  const program = compileExpression('lists.range(1000).sort().size() == 1000');
  assert.ok(!('unsupported' in program));
  assert.deepEqual({ ...program.evaluate({}, new CostMeter(PER_CALL_LIMIT)) }, { kind: 'cost', message: 'operation cancelled: actual cost limit exceeded' });
});

test('lists.range is charged before its result is made (as slice is): past the limit no list of that size is allocated', () => {
  const from = Array.from;
  let largest = 0;
  Array.from = function (this: unknown, source: any, ...rest: any[]) {
    if (source && typeof source.length === 'number') largest = Math.max(largest, source.length);
    return (from as any).call(this, source, ...rest);
  } as typeof Array.from;
  try {
    for (const source of ['lists.range(10000000).size() > 0', 'lists.range(5000).size() > 0']) {
      const program = compileExpression(source);
      assert.ok(!('unsupported' in program), source);
      largest = 0;
      assert.deepEqual({ ...program.evaluate({}, new CostMeter(1_500)) }, { kind: 'cost', message: 'operation cancelled: actual cost limit exceeded' }, source);
      assert.ok(largest <= 1_000, `${source}: a list of ${largest} items was made before the meter stopped it`);
    }
  } finally {
    Array.from = from;
  }
});
