// A ValidatingAdmissionPolicy's expressions evaluated as the API server's validator does
// (k8s.io/apiserver/pkg/admission/plugin/policy/validating/validator.go Validate): variables
// computed lazily (admission/plugin/cel/composition.go), auditAnnotations, the runtime cost
// budgets (cel/activation.go Evaluate, apis/cel/config.go), each case a policy with its binding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';
import { parseManifest } from '../../server/src/manifest';
import { readPolicy } from '../../server/src/admission/policies';
import { validate } from '../../server/src/admission/validator';
import { celLibrary } from '../../server/src/cel/on-demand';

interface PolicySpec {
  failurePolicy?: string;
  variables?: [string, string][];
  matchConditions?: string[];
  validations?: string[];
  auditAnnotations?: [string, string][];
}

const quoted = (e: string) => JSON.stringify(e);

function policy(spec: PolicySpec): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: checks.example.com
spec:
${spec.failurePolicy ? `  failurePolicy: ${spec.failurePolicy}\n` : ''}  matchConstraints:
    resourceRules:
      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }
${spec.matchConditions ? `  matchConditions:\n${spec.matchConditions.map((c, i) => `    - name: c${i}\n      expression: ${quoted(c)}\n`).join('')}` : ''}${spec.variables ? `  variables:\n${spec.variables.map(([n, e]) => `    - name: ${n}\n      expression: ${quoted(e)}\n`).join('')}` : ''}${spec.validations ? `  validations:\n${spec.validations.map((e) => `    - expression: ${quoted(e)}\n`).join('')}` : ''}${spec.auditAnnotations ? `  auditAnnotations:\n${spec.auditAnnotations.map(([k, e]) => `    - key: ${k}\n      valueExpression: ${quoted(e)}\n`).join('')}` : ''}`;
}

const BINDING = (actions = '[Deny]') => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: checks-binding
spec:
  policyName: checks.example.com
  validationActions: ${actions}
`;

/** A Deployment with 8 replicas and a list of 300 numbers (for expressions that cost). */
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 8
  xs: [${Array.from({ length: 300 }, (_, i) => i).join(', ')}]
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx }] }
`;

function check(spec: PolicySpec, actions?: string) {
  return findings('admission-policy', DEPLOYMENT, { 'file:///work/policy/vap.yaml': policy(spec), 'file:///work/policy/binding.yaml': BINDING(actions) });
}

const DENIED = "The API server refuses this object: ValidatingAdmissionPolicy 'checks.example.com' with binding 'checks-binding' denied request: ";
// validation.go validateVariable refuses a policy whose variable does not compile, so such a policy
// never judges a request (composition.go's "fails to compile" is for stored policies only).
test('variables: a policy whose variable does not compile is refused and judges nothing', () => {
  const all = check({ variables: [['broken', 'object.spec.replicas >']], validations: ['object.spec.replicas < 3', 'variables.broken'] });
  assert.deepEqual(all, []);
});

test('variables: a run-time error is the reader\'s error; CEL\'s logic absorbs it as cel-go does; Ignore admits', () => {
  const spec = (failurePolicy?: string): PolicySpec => ({ failurePolicy, variables: [['ratio', 'object.spec.replicas / 0']], validations: ['variables.ratio > 1', 'variables.ratio > 1 || true'] });
  assert.deepEqual(check(spec()).map((f) => f.message), [`${DENIED}expression 'variables.ratio > 1' resulted in error: composited variable "ratio" fails to evaluate: division by zero`]);
  assert.deepEqual(check(spec('Ignore')), []);
});

// dispatcher.go auditAnnotationCollector and validator.go Validate: a string is recorded as
// "<policy>/<key>" (trimmed; empty and null are left out), errors deny under Fail and are left out
// under Ignore, any other type is an error whatever the failurePolicy; an annotation never denies otherwise.
test('auditAnnotations: a string value is shown as the audit log records it; null and empty are not', () => {
  const all = check({ auditAnnotations: [['replicas', "'replicas: ' + string(object.spec.replicas) + '  '"], ['none', 'null'], ['empty', "'  '"]] });
  assert.deepEqual(all.map((f) => [f.severity, f.message]), [['info', `ValidatingAdmissionPolicy 'checks.example.com' records the audit annotation "checks.example.com/replicas": "replicas: 8"`]]);
});

test('auditAnnotations: an error denies under Fail whatever the validationActions, is left out under Ignore; a non-string value denies under both', () => {
  const erring = { auditAnnotations: [['ratio', 'string(object.spec.replicas / 0)']] as [string, string][] };
  assert.deepEqual(check(erring, '[Audit]').map((f) => [f.severity, f.message]), [['error', `${DENIED}expression 'string(object.spec.replicas / 0)' resulted in error: division by zero`]]);
  assert.deepEqual(check({ ...erring, failurePolicy: 'Ignore' }), []);
  assert.deepEqual(check({ auditAnnotations: [['broken', 'object.spec.replicas >']] }), [], 'validateAuditAnnotation refuses the policy: it judges nothing');
  // validator.go Validate's type check at run time: the API server refuses a dyn valueExpression at creation
  // (compile.go CompileCELExpression), so only a stored policy gets here; validate() runs one directly.
  const stored = readPolicy(parseManifest(policy({ auditAnnotations: [['count', 'object.spec.replicas']] })).documents[0])!;
  for (const failurePolicy of ['Fail', 'Ignore'] as const) {
    const result = validate({ ...stored, failurePolicy }, { object: celLibrary().toCel({ spec: { replicas: 8 } }), oldObject: null, request: null, params: null, namespaceObject: null, namespace: null }, undefined);
    assert.deepEqual(result.auditAnnotations, [{ key: 'count', action: 'error', error: "valueExpression 'object.spec.replicas' resulted in unsupported return type: int. Return type must be either string or null." }]);
  }
});

// The expression below costs 452,104 as cel-go counts it (interpreter/runtimecost.go): 3 for
// object.spec.xs, 300 outer iterations of 2 (@not_strictly_false(__result__)) + 1 (__result__) +
// the inner all (3 + 300 x (2 + 1 + 2 for `b >= 0`) + 1 = 1,504), and 1 for the result.
// So 22 of them fit in 10,000,000 and 23 do not; 5 fit in 2,500,000 and 6 do not.
const HEAVY = 'object.spec.xs.all(a, object.spec.xs.all(b, b >= 0))';
const HEAVIES = (n: number) => Array.from({ length: n }, () => HEAVY);
const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';

// activation.go Evaluate: each expression's cost (its variables' first) comes off the filter's
// budget, RuntimeCELCostBudget (10,000,000) for the validations; running out is one error decision.
test('cost budget: the validations share 10,000,000; running out denies under Fail with activation.go\'s text, admits under Ignore', () => {
  const validations = HEAVIES(23);
  assert.deepEqual(check({ validations }).map((f) => f.message), [`${DENIED}${OUT_OF_BUDGET}`], '23 x 452,104 > 10,000,000');
  assert.deepEqual(check({ validations: validations.slice(1) }), [], '22 x 452,104 fits');
  assert.deepEqual(check({ validations, failurePolicy: 'Ignore' }), []);
  // A variable is evaluated once per filter, however many expressions read it (lazy.MapValue keeps its value).
  assert.deepEqual(check({ variables: [['heavy', HEAVY]], validations: Array.from({ length: 23 }, () => 'variables.heavy') }), []);
});

// matcher.go Match: matchConditions have their own budget, RuntimeCELCostBudgetMatchConditions (2,500,000).
test('cost budget: matchConditions have 2,500,000 of their own', () => {
  assert.deepEqual(check({ matchConditions: HEAVIES(6), validations: ['false'] }).map((f) => f.message), [`${DENIED}${OUT_OF_BUDGET}`]);
  assert.deepEqual(check({ matchConditions: HEAVIES(5), validations: ['false'] }).map((f) => f.message), [`${DENIED}failed expression: false`]);
});

// validator.go Validate: the messageExpressions run on what the validations left; running out makes every decision that error.
test('cost budget: messageExpressions spend what the validations left', () => {
  const text = policy({ validations: HEAVIES(22) }).replace(/(    - expression: .*\n)$/, `$1      messageExpression: ${quoted(`${HEAVY} ? 'x' : 'y'`)}\n`);
  const all = findings('admission-policy', DEPLOYMENT, { 'file:///work/policy/vap.yaml': text, 'file:///work/policy/binding.yaml': BINDING() });
  assert.equal(all.length, 1, 'decisions with one message say it once');
  assert.equal(all[0].message, `${DENIED}failed messageExpression: ${OUT_OF_BUDGET}`);
});

// composition.go: each filter has its own composition context, so a variable the validations read
// costs again when a messageExpression reads it (kdry keeps its value, not its cost, across filters).
test('cost budget: a variable read by the validations is charged again in the messageExpressions\' filter', () => {
  const validations = ['variables.heavy', ...HEAVIES(21)];
  const text = policy({ variables: [['heavy', HEAVY]], validations }).replace(/(    - expression: "variables\.heavy"\n)/, `$1      messageExpression: "variables.heavy ? 'x' : 'y'"\n`);
  const all = findings('admission-policy', DEPLOYMENT, { 'file:///work/policy/vap.yaml': text, 'file:///work/policy/binding.yaml': BINDING() });
  assert.deepEqual(all.map((f) => f.message), [`${DENIED}failed messageExpression: ${OUT_OF_BUDGET}`], '22 x 452,104 in the validations leave less than the variable costs in the messages');
  const cheaper = text.replace(/(    - expression: "object\.spec\.xs.*\n){2}$/, '');
  assert.deepEqual(findings('admission-policy', DEPLOYMENT, { 'file:///work/policy/vap.yaml': cheaper, 'file:///work/policy/binding.yaml': BINDING() }), [], '20 x 452,104 leave enough');
});

// k8s.io/apiserver/pkg/cel/lazy/lazy.go MapValue.Contains: `in` computes the entry and returns its
// error value as it is, so the reader fails with the variable's own words (composition.go
// variableAccessor.Callback), not cel-es's "Unsupported input Error: ...".
test("variables: 'v' in variables evaluates the variable and fails with its error", () => {
  const failing = (failurePolicy?: string) => check({ failurePolicy, variables: [['v', 'object.spec.replicas / 0 == 1']], validations: ["!('v' in variables)", "'v' in variables || true"] });
  assert.deepEqual(failing().map((f) => f.message), [`${DENIED}expression '!('v' in variables)' resulted in error: composited variable "v" fails to evaluate: division by zero`]);
  assert.deepEqual(failing('Ignore'), []);
  assert.deepEqual(check({ variables: [['v', '1 == 1']], validations: ["'v' in variables", "!('w' in variables)"] }), []);
});

// cel-go's presence test on lazy.MapValue calls Find (interpreter/attributes.go refQualify): the
// variable is evaluated, its error is the test's, and its cost is charged.
test('variables: has() evaluates the variable, failing with its error and paying its cost', () => {
  const failing = (failurePolicy?: string) => check({ failurePolicy, variables: [['v', 'object.spec.replicas / 0 == 1']], validations: ['!has(variables.v)', 'has(variables.v) || true'] });
  assert.deepEqual(failing().map((f) => f.message), [`${DENIED}expression '!has(variables.v)' resulted in error: composited variable "v" fails to evaluate: division by zero`]);
  assert.deepEqual(failing('Ignore'), [], 'Ignore admits the error');
  assert.deepEqual(check({ variables: [['v', '1 == 1']], validations: ['has(variables.v)'] }), []);
  // 23 presence tests of a variable costing 452,104: once per filter, so within 10,000,000; 23 of their own exceed it.
  const heavy = (validations: string[]) => check({ variables: [['heavy', HEAVY]], validations }).map((f) => f.message);
  assert.deepEqual(heavy(Array.from({ length: 23 }, () => 'has(variables.heavy)')), []);
  assert.deepEqual(heavy(['has(variables.heavy)', ...HEAVIES(22)]), [`${DENIED}${OUT_OF_BUDGET}`], 'the presence test charges the variable: 23 x 452,104');
});
