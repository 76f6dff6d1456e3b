// What the API server refuses when a ValidatingAdmissionPolicy is created: an expression that
// does not compile (pkg/apis/admissionregistration/validation/validation.go, validateVariable,
// validateValidation, validateMatchConditionsExpression, validateMessageExpression,
// validateAuditAnnotation), in the environment of new expressions (DefaultCompatibilityVersion).
// admission/plugin/cel/compile.go createEnvForOpts declares `object`, `oldObject` and `params` as
// dyn, `request` and `namespaceObject` typed; so the API server cannot type-check `object` against
// the matched kinds here (that is validating/typechecking.go's status warning, not a refusal), but
// it does refuse syntax errors, undeclared references, undefined fields of `request`,
// `namespaceObject` and `variables`, functions the release lacks, and a result of the wrong type
// (compile.go CompileCELExpression: "must evaluate to bool but got int").
import type { DeclType } from '../cel/decl-type';
import { declTypeOf } from '../cel/decl-type';
import { celLibrary } from '../cel/on-demand';
import { celEnvironment, type CelEnvironment } from '../cel/release-environment';
import type { ObjectPath } from '../manifest';
import type { Policy } from './policies';
import { fieldPath, type PolicyCompileError } from './creation-error';


const string = { type: 'string' };
const strings = { type: 'array', items: string };
const object = (properties: Record<string, unknown>) => ({ type: 'object', properties });

/** compile.go BuildRequestType. `options` is dyn: a field without a type, which the analysis reads as unknown. */
const REQUEST = declTypeOf(
  object({
    kind: object({ group: string, version: string, kind: string }),
    resource: object({ group: string, version: string, resource: string }),
    subResource: string,
    requestKind: object({ group: string, version: string, kind: string }),
    requestResource: object({ group: string, version: string, resource: string }),
    requestSubResource: string,
    name: string,
    namespace: string,
    operation: string,
    userInfo: object({ username: string, uid: string, groups: strings, extra: { type: 'object', additionalProperties: strings } }),
    dryRun: { type: 'boolean' },
    options: {},
  }),
);

/** compile.go BuildNamespaceType. */
const NAMESPACE = declTypeOf(
  object({
    metadata: object({
      name: string,
      generateName: string,
      namespace: string,
      labels: { type: 'object', additionalProperties: string },
      annotations: { type: 'object', additionalProperties: string },
      UID: string,
      creationTimestamp: { type: 'string', format: 'date-time' },
      deletionGracePeriodSeconds: { type: 'integer' },
      deletionTimestamp: { type: 'string', format: 'date-time' },
      generation: { type: 'integer' },
      resourceVersion: string,
      finalizers: strings,
    }),
    spec: object({ finalizers: strings }),
    status: object({
      conditions: { type: 'array', items: object({ status: string, type: string, lastTransitionTime: { type: 'string', format: 'date-time' }, message: string, reason: string }) },
      phase: string,
    }),
  }),
);

/** The `variables` object after `names` were compiled (composition.go compositionState.AddField); their types stay dyn. */
function variablesType(names: string[]): DeclType {
  const fields = new Map<string, DeclType>(names.map((n) => [n, { kind: 'dyn', maxElements: 0, minSerializedSize: 0 }]));
  return { kind: 'object', fields, fieldNames: new Map(names.map((n) => [n, n])), hidden: new Set(), maxElements: 0, minSerializedSize: 0 };
}

/** createEnvForOpts's declarations; `variables` only with the composited compiler (not for matchConditions). */
function declarations(params: boolean, authorizer: boolean, variables: string[] | undefined): Map<string, DeclType | undefined> {
  const out = new Map<string, DeclType | undefined>([
    ['object', undefined],
    ['oldObject', undefined],
    ['namespaceObject', NAMESPACE],
    ['request', REQUEST],
  ]);
  if (params) out.set('params', undefined);
  if (authorizer) out.set('authorizer', undefined);
  if (variables) out.set('variables', variablesType(variables));
  return out;
}

/** The cel-go names of the result types kdry can tell; a select chain on a dyn variable is dyn. */
const CEL_GO_TYPE: Record<string, string> = { bool: 'bool', int: 'int', uint: 'uint', double: 'double', string: 'string', bytes: 'bytes', null: 'null_type', duration: 'google.protobuf.Duration', timestamp: 'google.protobuf.Timestamp' };
const DYN_CHAIN = /^\s*(object|oldObject|params)(\s*(\.\s*[A-Za-z_][A-Za-z0-9_]*|\[\s*('[^'\\]*'|"[^"\\]*"|\d+)\s*\]))*\s*$/;

const results = new Map<string, string | null>();
const MAX_RESULTS = 2000;

/**
 * compile.go CompileCELExpression's error for `expression` (null: none kdry can tell), as cached by
 * environment, declarations and source. `returnTypes`: what the expression must evaluate to.
 */
function compileError(expression: string, env: CelEnvironment | undefined, globals: Map<string, DeclType | undefined>, returnTypes: string[] | undefined): string | null {
  const key = `${env?.key}\0${[...globals.keys()].join(',')}\0${(globals.get('variables')?.fieldNames ? [...globals.get('variables')!.fieldNames!.keys()] : []).join(',')}\0${returnTypes}\0${expression}`;
  let hit = results.get(key);
  if (hit !== undefined) return hit;
  const analysis = celLibrary().analyseExpression(expression, undefined, false, env, globals);
  hit = null;
  if (analysis.errorDisplay && (analysis.syntaxErrorWording ?? 'cel-go') === 'cel-go') hit = `compilation failed: ${analysis.errorDisplay}`;
  else if (!analysis.syntaxError && !analysis.typeErrors.length && returnTypes) {
    const output = CEL_GO_TYPE[analysis.resultKind] ?? (DYN_CHAIN.test(expression) ? 'dyn' : undefined);
    if (output && !returnTypes.includes(output)) hit = returnTypes.length === 1 ? `must evaluate to ${returnTypes[0]} but got ${output}` : `must evaluate to one of [${returnTypes.join(' ')}] but got ${output}`;
  }
  if (results.size >= MAX_RESULTS) results.clear();
  results.set(key, hit);
  return hit;
}

/**
 * validation.go validateValidatingAdmissionPolicySpec's errors on the expressions of `policy` (blank,
 * or not compiling on `release`'s new-expression environment; every library kdry has when absent).
 */
export function policyCompileErrors(policy: Policy, release: string | undefined): PolicyCompileError[] {
  const env = release === undefined ? undefined : celEnvironment(release, 'new');
  const out: PolicyCompileError[] = [];
  /** `compiled`: the text the compiler sees; `quoted`: the one field.Invalid quotes (validateAuditAnnotation quotes the untrimmed text). */
  const check = (path: ObjectPath, compiled: string, globals: Map<string, DeclType | undefined>, returnTypes?: string[], quoted = compiled): void => {
    const detail = compileError(compiled, env, globals, returnTypes);
    if (detail === null) return;
    const field = fieldPath(path);
    out.push({ path, field, message: `${field}: Invalid value: ${JSON.stringify(quoted)}: ${detail}` });
  };
  /** A blank expression is not compiled but refused all the same: field.Required, or field.Invalid for a messageExpression. */
  const refusedBlank = (path: ObjectPath, text: string, body: string): boolean => {
    if (text.trim()) return false;
    const field = fieldPath(path);
    out.push({ path, field, message: `${field}: ${body}` });
    return true;
  };
  // `params` only with paramKind: HasParams is `paramKind != nil` (validateValidationExpression, validateVariable,
  // validateAuditAnnotation) or opts.allowParamsInMatchConditions, set only when spec.ParamKind != nil
  // (validateMatchConditionsExpression, validateMessageExpression).
  out.push(...policy.creation.errors);
  const hasParams = policy.paramKind !== undefined;
  // getCompiler: the composited compiler, which declares `variables`, only when the policy has variables
  // (needsComposition); without, `variables.x` is an undeclared reference.
  const names: string[] | undefined = policy.variables.length ? [] : undefined;
  // matchConditions: the stateless compiler, no variables; validateMatchCondition compiles and quotes the trimmed text.
  policy.matchConditions.forEach((c) => {
    const path = ['spec', 'matchConditions', c.index, 'expression'];
    if (!refusedBlank(path, c.expression, 'Required value')) check(path, c.expression.trim(), declarations(hasParams, true, undefined), ['bool']);
  });
  // Variables in order, each seeing those before it (CompileAndStoreVariable).
  policy.variables.forEach((v) => {
    const path = ['spec', 'variables', v.index, 'expression'];
    if (!refusedBlank(path, v.expression, 'Required value: expression is not specified')) check(path, v.expression, declarations(hasParams, true, [...names!]));
    names!.push(v.name);
  });
  policy.validations.forEach((v) => {
    const path = ['spec', 'validations', v.index, 'expression'];
    if (!refusedBlank(path, v.expression, 'Required value: expression is not specified')) check(path, v.expression, declarations(hasParams, true, names), ['bool']);
    // validateValidation: an empty messageExpression is as good as none; a blank one is invalid.
    if (!v.messageExpression) return;
    const message = ['spec', 'validations', v.index, 'messageExpression'];
    if (!refusedBlank(message, v.messageExpression, `Invalid value: ${JSON.stringify(v.messageExpression)}: must be non-empty if specified`)) check(message, v.messageExpression, declarations(hasParams, false, names), ['string']);
  });
  // validateAuditAnnotation compiles the trimmed valueExpression and quotes the untrimmed one.
  policy.auditAnnotations.forEach((a) => {
    const path = ['spec', 'auditAnnotations', a.index, 'valueExpression'];
    if (!refusedBlank(path, a.valueExpression, 'Required value: valueExpression is not specified')) check(path, a.valueExpression.trim(), declarations(hasParams, true, names), ['string', 'null_type'], a.valueExpression);
  });
  return out;
}

const refusedByPolicy = new WeakMap<Policy, Map<string | undefined, boolean>>();

/**
 * Whether the API server refuses `policy` when it is created: such a policy never exists in the
 * cluster, so it judges no request. Kept per policy object (policies.ts reads one per source text).
 */
export function isRefusedPolicy(policy: Policy, release: string | undefined): boolean {
  let byRelease = refusedByPolicy.get(policy);
  if (!byRelease) refusedByPolicy.set(policy, (byRelease = new Map()));
  let refused = byRelease.get(release);
  if (refused === undefined) byRelease.set(release, (refused = policy.creation.malformed || policyCompileErrors(policy, release).length > 0));
  return refused;
}
