// A CRD's x-kubernetes-validations under the API server's runtime cost limits
// (apiextensions-apiserver/pkg/apiserver/schema/cel/validation.go validateExpressions): a rule is
// planned with cel.CostLimit(PerCallLimit = 1,000,000) and all rules of an object share
// RuntimeCELCostBudget (10,000,000), both in cel-go's units (interpreter/runtimecost.go with
// k8s.io/apiserver/pkg/cel/library/cost.go), which kdry's meter counts (server/src/cel/cost.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateRules } from '../../server/src/crd/validation-rules';

/** A pattern of 100 characters that every name matches: regex cost ceil(100 x 0.25) = 25. */
const PATTERN = `^(?:[a-z0-9]+|${'z'.repeat(84)})$`;
const names = (n: number, length: number) => Array.from({ length: n }, (_, i) => `n${i}`.padEnd(length, 'a'));

function violations(rule: string, value: unknown, itemMaxLength = 600) {
  const schema = { type: 'array', maxItems: 2000, items: { type: 'string', maxLength: itemMaxLength }, 'x-kubernetes-validations': [{ rule }] };
  return evaluateRules([{ path: ['spec', 'names'], value, schema: schema as never }], { release: '1.34' }).violations.map((v) => v.detail);
}

test('a rule whose string matching passes PerCallLimit fails with validation.go\'s words', () => {
  assert.equal(PATTERN.length, 100);
  const rule = `self.all(n, n.matches('${PATTERN}'))`;
  // Per item: 2 (loop condition) + 1 (__result__) + 1 (n) + ceil((1 + 500) x 0.1) x 25 = 1,275 (matches).
  // 700 items: 1 + 700 x 1,279 + 1 = 895,302, within 1,000,000; 800 items: 1,023,202, past it.
  assert.deepEqual(violations(rule, names(700, 500)), []);
  assert.deepEqual(violations(rule, names(800, 500)), [
    `'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${rule}`,
  ]);
});

test('all rules of an object share RuntimeCELCostBudget: past it, validation.go stops with "running out of cost budget"', () => {
  const rule = `self.all(n, n.matches('${PATTERN}'))`;
  const schema = { type: 'array', maxItems: 2000, items: { type: 'string', maxLength: 600 }, 'x-kubernetes-validations': [{ rule }] };
  const value = names(700, 500);
  const sites = (n: number) => Array.from({ length: n }, (_, i) => ({ path: ['spec', `names${i}`], value, schema: schema as never }));
  // 895,302 each: 11 fit in 10,000,000 (9,848,322); the 12th runs out.
  assert.deepEqual(evaluateRules(sites(11), { release: '1.34' }).violations, []);
  const { violations: over } = evaluateRules(sites(12), { release: '1.34' });
  assert.deepEqual(over.map((v) => [v.path.join('.'), v.detail]), [['spec.names11', 'validation failed due to running out of cost budget, no further validation rules will be run']]);
});
