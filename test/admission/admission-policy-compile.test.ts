// What the API server refuses when a ValidatingAdmissionPolicy is created
// (pkg/apis/admissionregistration/validation/validation.go): each expression compiled in the
// release's environment for new expressions with admission/plugin/cel/compile.go's declarations
// (`object`, `oldObject`, `params` dyn; `request`, `namespaceObject` typed; `variables` those
// compiled before), and compile.go CompileCELExpression's result-type check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings } from '../rules/helpers';
import { parseManifest } from '../../server/src/manifest';
import { readPolicy } from '../../server/src/admission/policies';
import { policyCompileErrors } from '../../server/src/admission/policy-compile';

const policy = (spec: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: checks.example.com
spec:
  matchConstraints:
    resourceRules:
      - { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE"], resources: ["deployments"] }
${spec}`;

function refused(spec: string): string[] {
  return findings('admission-policy', policy(spec)).map((f) => {
    assert.equal(f.severity, 'error');
    return f.message.replace('The API server refuses this policy: The ValidatingAdmissionPolicy "checks.example.com" is invalid: ', '');
  });
}

test('a policy whose expressions compile is not reported', () => {
  assert.deepEqual(
    refused(`  matchConditions:
    - { name: create, expression: "request.operation == 'CREATE' && has(object.spec)" }
  variables:
    - { name: replicas, expression: "object.spec.replicas" }
    - { name: big, expression: "variables.replicas > 5" }
  validations:
    - expression: "!variables.big && namespaceObject.metadata.labels['tier'] != 'frozen'"
      messageExpression: "'too many replicas: ' + string(variables.replicas)"
    - expression: "request.userInfo.groups.exists(g, g == 'admins') || authorizer.group('apps').resource('deployments').check('scale').allowed()"
  auditAnnotations:
    - { key: replicas, valueExpression: "string(object.spec.replicas)" }
    - { key: none, valueExpression: "null" }
`),
    [],
  );
});

// compile.go createEnvForOpts: `variables` only through the composited compiler, which matchConditions
// do not use (validateMatchConditionsExpression); a variable sees those before it (CompileAndStoreVariable);
// `params` only with paramKind (validateValidationExpression's HasParams); `request` is typed.
test('undeclared references and undefined fields, with cel-go\'s text and caret', () => {
  assert.deepEqual(
    refused(`  matchConditions:
    - { name: early, expression: "variables.replicas > 1" }
  variables:
    - { name: doubled, expression: "variables.replicas * 2" }
    - { name: replicas, expression: "object.spec.replicas" }
  validations:
    - expression: "params.max > variables.doubled"
    - expression: "request.operaton == 'CREATE'"
`),
    [
      `spec.matchConditions[0].expression: Invalid value: "variables.replicas > 1": compilation failed: ERROR: <input>:1:1: undeclared reference to 'variables' (in container '')\n | variables.replicas > 1\n | ^`,
      `spec.variables[0].expression: Invalid value: "variables.replicas * 2": compilation failed: ERROR: <input>:1:10: undefined field 'replicas'\n | variables.replicas * 2\n | .........^`,
      `spec.validations[0].expression: Invalid value: "params.max > variables.doubled": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.max > variables.doubled\n | ^`,
      `spec.validations[1].expression: Invalid value: "request.operaton == 'CREATE'": compilation failed: ERROR: <input>:1:8: undefined field 'operaton'\n | request.operaton == 'CREATE'\n | .......^`,
    ],
  );
});

// compile.go CompileCELExpression: the output type must be exactly a return type (a validation and a
// matchCondition bool, a messageExpression string, an auditAnnotation string or null); `object` is dyn.
test('a result of the wrong type: "must evaluate to bool but got dyn"', () => {
  assert.deepEqual(
    refused(`  validations:
    - expression: "object.spec.paused"
    - expression: "size(object.spec.template.spec.containers)"
      messageExpression: "1 == 1"
  auditAnnotations:
    - { key: count, valueExpression: "size(object.spec.template.spec.containers)" }
`),
    [
      'spec.validations[0].expression: Invalid value: "object.spec.paused": must evaluate to bool but got dyn',
      'spec.validations[1].expression: Invalid value: "size(object.spec.template.spec.containers)": must evaluate to bool but got int',
      'spec.validations[1].messageExpression: Invalid value: "1 == 1": must evaluate to string but got bool',
      'spec.auditAnnotations[0].valueExpression: Invalid value: "size(object.spec.template.spec.containers)": must evaluate to one of [string null_type] but got int',
    ],
  );
});

// The environment for new expressions is DefaultCompatibilityVersion's (one release back): a policy
// created on 1.34 cannot call the lists extension of 1.34 (cel/release-environment.ts).
test('functions the release does not give new expressions are undeclared', () => {
  const spec = `  validations:\n    - expression: "object.spec.template.spec.containers.map(c, c.name).sort() == ['a']"\n`;
  const doc = parseManifest(policy(spec)).documents[0];
  const on = (release: string) => policyCompileErrors(readPolicy(doc)!, release).map((e) => e.message);
  assert.match(on('1.34')[0], /compilation failed: ERROR: <input>:1:\d+: undeclared reference to 'sort' \(in container ''\)/);
  assert.deepEqual(on('1.35'), []);
});

// validation.go validateValidatingAdmissionPolicySpec sets allowParamsInMatchConditions only when
// spec.ParamKind != nil, and validateMatchConditionsExpression and validateMessageExpression declare
// `params` from it (HasParams): without paramKind, `params` is undeclared there too.
test('params in matchConditions and messageExpressions only with paramKind', () => {
  const spec = (paramKind: string) => `${paramKind}  matchConditions:
    - { name: limited, expression: "params.limit > 0" }
  validations:
    - expression: "object.spec.replicas > 0"
      messageExpression: "'over ' + string(params.limit)"
`;
  assert.deepEqual(refused(spec('')), [
    `spec.matchConditions[0].expression: Invalid value: "params.limit > 0": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.limit > 0\n | ^`,
    `spec.validations[0].messageExpression: Invalid value: "'over ' + string(params.limit)": compilation failed: ERROR: <input>:1:18: undeclared reference to 'params' (in container '')\n | 'over ' + string(params.limit)\n | .................^`,
  ]);
  assert.deepEqual(refused(spec('  paramKind: { apiVersion: v1, kind: ConfigMap }\n')), []);
});

// validateValidatingAdmissionPolicySpec getCompiler: the composited compiler, which declares
// `variables`, only when len(spec.Variables) > 0; otherwise the stateless one does not know it.
test('variables in a policy without variables is an undeclared reference', () => {
  assert.deepEqual(refused(`  validations:\n    - expression: "variables.x == 1"\n`), [
    `spec.validations[0].expression: Invalid value: "variables.x == 1": compilation failed: ERROR: <input>:1:1: undeclared reference to 'variables' (in container '')\n | variables.x == 1\n | ^`,
  ]);
});

// validateMatchCondition compiles strings.TrimSpace(expression) and quotes it; validateAuditAnnotation
// compiles the trimmed valueExpression but quotes v.ValueExpression; validateValidation compiles the text as written.
test('matchConditions and auditAnnotations are compiled trimmed', () => {
  assert.deepEqual(
    refused(`  matchConditions:
    - { name: op, expression: "  request.operaton == 'CREATE'" }
  validations:
    - expression: "  request.operaton == 'CREATE'"
  auditAnnotations:
    - { key: op, valueExpression: "  request.operaton" }
`),
    [
      `spec.matchConditions[0].expression: Invalid value: "request.operaton == 'CREATE'": compilation failed: ERROR: <input>:1:8: undefined field 'operaton'\n | request.operaton == 'CREATE'\n | .......^`,
      `spec.validations[0].expression: Invalid value: "  request.operaton == 'CREATE'": compilation failed: ERROR: <input>:1:10: undefined field 'operaton'\n |   request.operaton == 'CREATE'\n | .........^`,
      `spec.auditAnnotations[0].valueExpression: Invalid value: "  request.operaton": compilation failed: ERROR: <input>:1:8: undefined field 'operaton'\n | request.operaton\n | .......^`,
    ],
  );
});

// validation.go: a blank expression is not compiled but refused (validateMatchCondition, validateVariable,
// validateValidation, validateAuditAnnotation: field.Required; a blank messageExpression field.Invalid),
// so such a policy judges no document either.
test('a blank expression is refused: Required value', () => {
  assert.deepEqual(
    refused(`  matchConditions:
    - { name: blank, expression: " " }
  variables:
    - { name: v, expression: "" }
  validations:
    - expression: " "
      messageExpression: "  "
    - expression: "true"
      messageExpression: ""
  auditAnnotations:
    - { key: k, valueExpression: "" }
`),
    [
      'spec.matchConditions[0].expression: Required value',
      'spec.variables[0].expression: Required value: expression is not specified',
      'spec.validations[0].expression: Required value: expression is not specified',
      'spec.validations[0].messageExpression: Invalid value: "  ": must be non-empty if specified',
      'spec.auditAnnotations[0].valueExpression: Required value: valueExpression is not specified',
    ],
  );
});
