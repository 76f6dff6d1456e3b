// One policy's evaluation for one parameter object, as the API server's
// k8s.io/apiserver/pkg/admission/plugin/policy/validating/validator.go Validate runs it: the
// matchConditions (webhook/matchconditions/matcher.go Match), the validations, their
// messageExpressions and the auditAnnotations, each list a filter of its own
// (admission/plugin/cel/condition.go ForInput) with a runtime cost budget it spends expression
// by expression (cel/activation.go Evaluate), and `variables` computed lazily, once per filter,
// when an expression first reads them (cel/composition.go variableAccessor.Callback).
import type { CelInput, CelMap, CelResult } from '@bufbuild/cel';
import type { Evaluation } from '../cel/environment';
import { celLibrary } from '../cel/on-demand';
import type { CelEnvironment } from '../cel/release-environment';
import type { Policy } from './policies';

/** k8s.io/apiserver/pkg/apis/cel/config.go: matchConditions get their own, smaller budget. */
export const RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS = 2_500_000;
const MAX_EVALUATED_MESSAGE_EXPRESSION_SIZE_BYTES = 5 * 1024;
/** activation.go Evaluate: the budget's error, which stops the filter. */
export const OUT_OF_BUDGET = 'validation failed due to running out of cost budget, no further validation rules will be run';

export interface PolicyDecision {
  /** policyDecisionActionForError: an error denies under failurePolicy Fail, admits under Ignore. */
  action: 'deny' | 'admit';
  evaluation: 'deny' | 'error' | 'admit';
  message: string;
}

export interface AuditAnnotation {
  key: string;
  action: 'publish' | 'exclude' | 'error';
  value?: string;
  error?: string;
}

export interface ValidateResult {
  /** No decision and no annotation: a matchCondition was false (or, under Ignore, failed). */
  decisions: PolicyDecision[];
  auditAnnotations: AuditAnnotation[];
  /** Expressions kdry could not evaluate (a function it lacks): what the API server does there is unknown. */
  unsupported: string[];
}

/**
 * The activation's inputs other than `variables`: object, oldObject, request, params, and the
 * namespace (`namespaceObject`, CreateNamespaceObject's copy; `namespace`, the object as read, which
 * the auditAnnotations get). A value kdry cannot know is an unsupported error value (settledError):
 * an expression that reads it is noted, not judged, and CEL's logic absorbs it as cel-go does.
 */
export interface Inputs {
  object: CelInput;
  oldObject: CelInput;
  request: CelInput;
  params: CelInput;
  namespaceObject: CelInput;
  namespace: CelInput;
}

/**
 * What one filter's activation binds (cel/activation.go newActivation): validator.go Validate gives
 * the validations the authorizer and the cleaned namespace, the messageExpressions the cleaned
 * namespace without authorizer, the auditAnnotations the namespace as read without authorizer;
 * matchconditions/matcher.go Match gives the matchConditions the authorizer and no namespace (null).
 */
type FilterKind = 'matchConditions' | 'validations' | 'messageExpressions' | 'auditAnnotations';

/** `authorizer` asks the cluster's authorizer about the requesting user: only the cluster can answer. */
const AUTHORIZER_UNKNOWN = 'it reads authorizer, which asks the cluster\'s authorizer about the requesting user: only the cluster can answer';
/**
 * validator.go Validate compiles auditAnnotations with `authorizer` declared but runs them with
 * OptionalVariableBindings{VersionedParams} only, so reading it fails there (the activation does not
 * resolve the name): a run-time error, a denial under Fail, left out under Ignore. cel-go's text
 * (`no such attribute(s): id: <n>, names: [...]`) gives the attribute's internal expression id,
 * which kdry's parser does not number alike: kdry says what the error is and that its words differ.
 */
const AUTHORIZER_UNBOUND = 'no such attribute(s): authorizer (kdry\'s words: the API server binds no authorizer when it evaluates auditAnnotations, validator.go Validate; its own message also gives cel-go\'s expression id)';

/** A binding whose value kdry cannot know: an expression that reads it is noted with `reason`. */
export function unknownInput(reason: string): CelInput {
  // The runtime takes an error value as a binding, as it does a variable's (lazy-map.ts).
  return celLibrary().settledError({ kind: 'unsupported', reason }) as unknown as CelInput;
}

/** A binding the API server does not resolve: an expression that reads it fails with `message`. */
function unresolvedInput(message: string): CelInput {
  return celLibrary().settledError({ kind: 'error', message }) as unknown as CelInput;
}

/** What reading `authorizer` gives: unknown (only the cluster can answer) or the API server's run-time error. */
type AuthorizerOutcome = Extract<Evaluation, { kind: 'unsupported' | 'error' }>;

/** The filter's bindings, and what reading its `authorizer` gives (undefined: not declared). */
function filterBindings(kind: FilterKind, inputs: Inputs): { bindings: Record<string, CelInput>; authorizer?: AuthorizerOutcome } {
  const { object, oldObject, request, params } = inputs;
  const common = { object, oldObject, request, params };
  switch (kind) {
    case 'matchConditions':
      return { bindings: { ...common, namespaceObject: null, authorizer: unknownInput(AUTHORIZER_UNKNOWN) }, authorizer: { kind: 'unsupported', reason: AUTHORIZER_UNKNOWN } };
    case 'validations':
      return { bindings: { ...common, namespaceObject: inputs.namespaceObject, authorizer: unknownInput(AUTHORIZER_UNKNOWN) }, authorizer: { kind: 'unsupported', reason: AUTHORIZER_UNKNOWN } };
    case 'messageExpressions':
      return { bindings: { ...common, namespaceObject: inputs.namespaceObject } };
    case 'auditAnnotations':
      return { bindings: { ...common, namespaceObject: inputs.namespace, authorizer: unresolvedInput(AUTHORIZER_UNBOUND) }, authorizer: { kind: 'error', message: AUTHORIZER_UNBOUND } };
  }
}

/**
 * The expression's outcome on `context.bindings`, with the cost it spent (its own, not the variables' it read).
 * Never activation.go's "compilation error: ...": only a policy the API server accepted is evaluated
 * (evaluate.ts), and the StoredExpressions environment it runs in has all it was checked with.
 */
function run(expression: string, context: { bindings: Record<string, CelInput>; authorizer?: AuthorizerOutcome }, env: CelEnvironment | undefined): { outcome: Evaluation; cost: number } {
  const { compileExpression, CostMeter, PER_CALL_LIMIT } = celLibrary();
  const program = compileExpression(expression, env);
  if (!('unsupported' in program)) {
    const meter = new CostMeter(PER_CALL_LIMIT);
    let outcome = program.evaluate(context.bindings, meter);
    // kdry lacks the authorizer library (library/authz.go): an expression that reaches one of its
    // calls has read `authorizer`, whose outcome is then the expression's: unknown, or where the API
    // server does not bind it, its error.
    if (outcome.kind === 'unsupported' && context.authorizer && program.identifiers.has('authorizer') && (context.authorizer.kind === 'unsupported' || reachedAuthorizerLibrary(outcome.reason))) outcome = context.authorizer;
    return { outcome, cost: meter.spent };
  }
  // What kdry cannot compile though the API server did (a function kdry lacks): noted, not judged.
  return { outcome: { kind: 'unsupported', reason: program.unsupported }, cost: 0 };
}

/** library/authz.go's functions: their receivers all come from `authorizer`. */
const AUTHORIZER_LIBRARY = new Set(['path', 'group', 'serviceAccount', 'resource', 'subresource', 'namespace', 'name', 'check', 'allowed', 'reason', 'errored', 'error', 'fieldSelector', 'labelSelector']);

/** Whether kdry stopped at a call of the authorizer library (environment.ts classify words it so). */
function reachedAuthorizerLibrary(reason: string): boolean {
  const unbound = /^kdry does not implement the CEL function (\w+)\(\)$/.exec(reason);
  return unbound !== null && AUTHORIZER_LIBRARY.has(unbound[1]!);
}

/** activation.go Evaluate: an evaluation error (the per-call cost limit's too) names the expression. */
function errorOf(expression: string, r: Exclude<Evaluation, { kind: 'value' | 'unsupported' }>): string {
  return `expression '${expression}' resulted in error: ${r.message}`;
}

/**
 * A policy's variables for one evaluation (one request, one param). Upstream evaluates a variable
 * again in each filter that reads it (each has its own composition context), with the same value
 * and cost every time: kdry evaluates it once and charges each context what upstream would, its
 * own cost and that of the variables it read, once per context.
 */
class PolicyVariables {
  /**
   * By name. The filters that read variables (validations, messageExpressions, auditAnnotations; the
   * matchConditions have none) bind the same namespace fields the policy can name, and an
   * `authorizer` kdry cannot know in each, so a variable's value is the same in all of them.
   */
  private readonly results = new Map<string, { value: CelResult; cost: number; reads: string[] }>();
  /** The variables being evaluated, each with the variables it has read so far. */
  private readonly evaluating: { name: string; reads: string[] }[] = [];

  constructor(
    private readonly expressions: ReadonlyMap<string, string>,
    readonly inputs: Inputs,
    readonly env: CelEnvironment | undefined,
  ) {}

  get names(): string[] {
    return [...this.expressions.keys()];
  }

  /** variableAccessor.Callback, read through `context`: the value, or the error its readers report ("expression '<e>' resulted in error: " + it). */
  read(name: string, context: CompositionContext): CelResult {
    const { settledError } = celLibrary();
    this.evaluating.at(-1)?.reads.push(name);
    let result = this.results.get(name);
    if (!result) {
      if (this.evaluating.some((e) => e.name === name)) return settledError({ kind: 'unsupported', reason: `its variable "${name}" reads itself` });
      const frame = { name, reads: [] as string[] };
      this.evaluating.push(frame);
      const { outcome, cost } = run(this.expressions.get(name)!, context, this.env);
      this.evaluating.pop();
      result = { value: valueOf(name, outcome), cost, reads: frame.reads };
      this.results.set(name, result);
    }
    this.charge(name, context);
    return result.value;
  }

  private charge(name: string, context: CompositionContext): void {
    const result = this.results.get(name);
    if (result && !context.charged.has(name)) {
      context.charged.add(name);
      for (const read of result.reads) this.charge(read, context);
      context.spent += result.cost;
    }
  }
}

function valueOf(name: string, outcome: Evaluation): CelResult {
  const { settledError } = celLibrary();
  switch (outcome.kind) {
    case 'value':
      return outcome.value;
    case 'unsupported':
      return settledError({ kind: 'unsupported', reason: `its variable "${name}" could not be evaluated (${outcome.reason})` });
    default:
      return settledError({ kind: 'error', message: `composited variable "${name}" fails to evaluate: ${outcome.message}` });
  }
}

/**
 * One filter's composition context (composition.go compositionContext): `variables` read lazily,
 * and the cost they spent since the last expression (GetAndResetCost).
 */
class CompositionContext {
  spent = 0;
  readonly charged = new Set<string>();
  readonly bindings: Record<string, CelInput>;
  /** What reading this filter's `authorizer` gives. */
  readonly authorizer?: AuthorizerOutcome;

  constructor(
    variables: PolicyVariables,
    kind: FilterKind,
  ) {
    const map: CelMap = celLibrary().lazyCelMap(variables.names, (name) => variables.read(name, this));
    const { bindings, authorizer } = filterBindings(kind, variables.inputs);
    this.bindings = { ...bindings, variables: map };
    this.authorizer = authorizer;
  }

  takeCost(): number {
    const cost = this.spent;
    this.spent = 0;
    return cost;
  }
}

/** A policy's variables by name (CompileAndStoreVariable: the last of two with one name wins; the API forbids duplicates). */
const variablesByPolicy = new WeakMap<Policy, ReadonlyMap<string, string>>();

function variablesOf(policy: Policy): ReadonlyMap<string, string> {
  let hit = variablesByPolicy.get(policy);
  if (!hit) variablesByPolicy.set(policy, (hit = new Map(policy.variables.map((v) => [v.name, v.expression]))));
  return hit;
}

/**
 * condition.go ForInput: each expression in turn (undefined: a placeholder, as for a validation
 * without messageExpression), its variables' cost then its own taken from the budget; running out
 * is the filter's error, and no further expression runs.
 */
function forInput(kind: FilterKind, expressions: (string | undefined)[], budget: number, variables: PolicyVariables): { outcomes: (Evaluation | undefined)[]; remaining: number } | { error: string } {
  const outcomes: (Evaluation | undefined)[] = [];
  if (expressions.length === 0) return { outcomes, remaining: budget };
  const context = new CompositionContext(variables, kind);
  const { env } = variables;
  let remaining = budget;
  for (const expression of expressions) {
    if (expression === undefined) {
      outcomes.push(undefined);
      continue;
    }
    const { outcome, cost } = run(expression, context, env);
    const composition = context.takeCost();
    if (composition > remaining) return { error: OUT_OF_BUDGET };
    remaining -= composition;
    if (cost > remaining) return { error: OUT_OF_BUDGET };
    remaining -= cost;
    outcomes.push(outcome);
  }
  return { outcomes, remaining };
}

/** validator.go Validate for one parameter object (`inputs.params`). */
export function validate(policy: Policy, inputs: Inputs, env: CelEnvironment | undefined): ValidateResult {
  const { RUNTIME_COST_BUDGET } = celLibrary();
  const actionForError = policy.failurePolicy === 'Ignore' ? 'admit' : 'deny';
  const result: ValidateResult = { decisions: [], auditAnnotations: [], unsupported: [] };
  const variables = new PolicyVariables(variablesOf(policy), inputs, env);
  const failed = (message: string): ValidateResult => ({ decisions: [{ action: actionForError, evaluation: 'error', message }], auditAnnotations: [], unsupported: result.unsupported });

  if (policy.matchConditions.length) {
    const match = matchConditions(policy, variables);
    if (match === 'no') return result;
    if (typeof match === 'object') {
      if ('unsupported' in match) return { ...result, unsupported: [match.unsupported] };
      // matcher.go Match: errors under Fail are the decision; under Ignore the policy does not match.
      return policy.failurePolicy === 'Fail' ? failed(match.error) : result;
    }
  }

  const validations = forInput('validations', policy.validations.map((v) => v.expression), RUNTIME_COST_BUDGET, variables);
  if ('error' in validations) return failed(validations.error);
  const messages = forInput('messageExpressions', policy.validations.map((v) => v.messageExpression), validations.remaining, variables);
  policy.validations.forEach((validation, i) => {
    const r = validations.outcomes[i]!;
    if (r.kind === 'unsupported') {
      result.unsupported.push(`the expression \`${validation.expression}\` could not be evaluated (${r.reason})`);
    } else if (r.kind !== 'value') {
      result.decisions.push({ action: actionForError, evaluation: 'error', message: errorOf(validation.expression, r) });
    } else if ('error' in messages) {
      // The messageExpressions ran out of the budget the validations left: every decision is that error.
      result.decisions.push({ action: actionForError, evaluation: 'error', message: `failed messageExpression: ${messages.error}` });
    } else if (r.value !== true) {
      result.decisions.push({ action: 'deny', evaluation: 'deny', message: messageOf(validation, messages.outcomes[i]) });
    } else {
      result.decisions.push({ action: 'admit', evaluation: 'admit', message: '' });
    }
  });

  const annotations = forInput('auditAnnotations', policy.auditAnnotations.map((a) => a.valueExpression), RUNTIME_COST_BUDGET, variables);
  if ('error' in annotations) return failed(annotations.error);
  policy.auditAnnotations.forEach((annotation, i) => {
    const r = annotations.outcomes[i]!;
    if (r.kind === 'unsupported') {
      result.unsupported.push(`the auditAnnotation "${annotation.key}" could not be evaluated (${r.reason})`);
      return;
    }
    result.auditAnnotations.push({ key: annotation.key, ...auditAnnotationOf(annotation.valueExpression, r, policy.failurePolicy) });
  });
  return result;
}

/**
 * matcher.go Match over the policy's matchConditions, with their own budget: one false condition
 * means no match whatever the errors; errors are utilerrors' aggregate; a condition kdry cannot
 * evaluate leaves the match unknown.
 */
function matchConditions(policy: Policy, variables: PolicyVariables): 'yes' | 'no' | { error: string } | { unsupported: string } {
  const evaluated = forInput('matchConditions', policy.matchConditions.map((c) => c.expression), RUNTIME_CEL_COST_BUDGET_MATCH_CONDITIONS, variables);
  if ('error' in evaluated) return { error: evaluated.error };
  const errors: string[] = [];
  let unsupported: string | undefined;
  for (const [i, condition] of policy.matchConditions.entries()) {
    const r = evaluated.outcomes[i]!;
    if (r.kind === 'value' && r.value === false) return 'no';
    if (r.kind === 'unsupported') unsupported ??= `its matchCondition "${condition.name}" could not be evaluated (${r.reason})`;
    else if (r.kind !== 'value') errors.push(errorOf(condition.expression, r));
  }
  if (unsupported) return { unsupported };
  if (!errors.length) return 'yes';
  // apimachinery/pkg/util/errors/errors.go aggregate.Error: repeated messages once; one is itself, more are "[e1, e2]".
  const distinct = [...new Set(errors)];
  return { error: distinct.length === 1 ? distinct[0] : `[${distinct.join(', ')}]` };
}

/** The denial's message: the messageExpression's string, else message, else "failed expression: <expression>" (validator.go Validate). */
function messageOf(validation: Policy['validations'][number], r: Evaluation | undefined): string {
  let message = '';
  if (r?.kind === 'value' && typeof r.value === 'string') {
    message = r.value.trim();
    if (Buffer.byteLength(message) > MAX_EVALUATED_MESSAGE_EXPRESSION_SIZE_BYTES || message.includes('\n')) message = '';
  }
  if (!message && validation.message) message = validation.message.trim();
  return message || `failed expression: ${validation.expression.trim()}`;
}

/**
 * validator.go Validate's audit annotations: a non-empty string is published (trimmed), an empty
 * one or null excluded; an error is one under failurePolicy Fail (auditAnnotationEvaluationForError)
 * and excluded under Ignore; any other type is an error whatever the failurePolicy.
 */
function auditAnnotationOf(valueExpression: string, r: Exclude<Evaluation, { kind: 'unsupported' }>, failurePolicy: Policy['failurePolicy']): Omit<AuditAnnotation, 'key'> {
  if (r.kind !== 'value') return failurePolicy === 'Ignore' ? { action: 'exclude' } : { action: 'error', error: errorOf(valueExpression, r) };
  if (r.value === null) return { action: 'exclude' };
  if (typeof r.value === 'string') {
    const value = r.value.trim();
    return value ? { action: 'publish', value } : { action: 'exclude' };
  }
  const type = String(celLibrary().celType(r.value));
  return { action: 'error', error: `valueExpression '${valueExpression}' resulted in unsupported return type: ${type}. Return type must be either string or null.` };
}
