// The CEL environment Kubernetes gives validation rules (k8s.io/apiserver/pkg/cel/environment/base.go):
// the standard library, the strings extension, optional values (with their syntax, lowered by
// ./syntax-extensions.ts), two-variable comprehensions (./two-variable-comprehensions.ts) and the Kubernetes libraries kdry implements (lists, regex, URLs, IP and
// CIDR, quantity, semver, format) and the sets extension. Which of them a release has is data
// (./release-environment.ts): a function the release's environment lacks makes the expression one
// the API server would not compile, so it is not run. Expressions are parsed and planned once and
// kept by environment and source text, so a CRD's rules compile once, not per keystroke.
import { celEnv, isCelError, parse, plan, type CelEnv, type CelInput, type CelResult, type CelValue } from '@bufbuild/cel';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { strings } from '@bufbuild/cel/ext';
import { COST_FUNCS, COST_LIMIT_MESSAGE, CostLimitExceeded, CostMeter, instrument, metered, meteredFunctions } from './cost';
import { COMPARE_FUNCS } from './library/compare';
import { COMPREHENSION_FUNCS } from './library/comprehensions';
import { EXT_LIST_FUNCS } from './library/ext-lists';
import { FORMAT_FUNCS } from './library/format';
import { IP_FUNCS } from './library/ip';
import { LIST_FUNCS } from './library/lists';
import { UNDECLARED_FUNCTIONS } from './library/not-in-kubernetes';
import { CelLibraryError } from './library/opaque';
import { OPTIONAL_FUNCS } from './library/optionals';
import { QUANTITY_FUNCS } from './library/quantity';
import { REGEX_FUNCS } from './library/regex';
import { SEMVER_FUNCS } from './library/semver';
import { SET_FUNCS } from './library/sets';
import { URL_FUNCS } from './library/urls';
import { withGoUrlRules } from './library/go-url';
import { lowerOptionals, rewriteOptionalSyntax } from './syntax-extensions';
import { lowerTwoVariableComprehensions, TWO_VARIABLE_QUANTIFIERS } from './two-variable-comprehensions';
import { lowerSortBy } from './sort-by';
import { firstError, placedErrors } from './display-errors';
import { locatedMacroErrors, macroExpansionErrors } from './macro-errors';
import { checkerAggregateErrors, literalTypeName, validateLiterals } from './literal-validators';
import { celGoTypeOf } from './cel-go-type-name';
import { absenceReason, type CelEnvironment } from './release-environment';
import { SettledError, settledByMessage } from './settled-error';
import { IN_MAP_FUNCS } from './lazy-map';
import { GLOBAL_MATCHES_FUNCS } from './library/global-matches';
import { LIST_TYPE_FUNCS } from './list-types';
import { expressionSizeError } from './expression-size-limit';

export type Evaluation =
  | { kind: 'value'; value: CelValue }
  /** What the API server would also fail with (no such key, overflow, division by zero...). */
  | { kind: 'error'; message: string }
  /** Cost limit passed: the API server stops evaluating rules. */
  | { kind: 'cost'; message: string }
  /** kdry cannot evaluate it (a function or syntax it lacks): never reported as the user's mistake. */
  | { kind: 'unsupported'; reason: string };

export interface CompiledExpression {
  source: string;
  /** The variables the expression reads (`self`, `oldSelf`, `object`...), as cel-go's checker finds them. */
  identifiers: ReadonlySet<string>;
  evaluate(bindings: Record<string, CelInput>, meter: CostMeter): Evaluation;
}

const celEnvironmentOfKdry = celEnv({ funcs: [...strings, ...LIST_FUNCS, ...EXT_LIST_FUNCS, ...REGEX_FUNCS, ...URL_FUNCS, ...IP_FUNCS, ...QUANTITY_FUNCS, ...SEMVER_FUNCS, ...COMPARE_FUNCS, ...OPTIONAL_FUNCS, ...FORMAT_FUNCS, ...COMPREHENSION_FUNCS, ...SET_FUNCS, ...IN_MAP_FUNCS, ...GLOBAL_MATCHES_FUNCS, ...LIST_TYPE_FUNCS, ...COST_FUNCS] });
/** The same environment with every call charging the evaluation's meter (cost.ts), as cel-go's cost tracker does. */
const meteredEnvironment = { namespace: celEnvironmentOfKdry.namespace, registry: celEnvironmentOfKdry.registry, funcs: meteredFunctions(celEnvironmentOfKdry.funcs) } as unknown as CelEnv;
const isFunction = (name: string) => celEnvironmentOfKdry.funcs.find(name) !== undefined;
const compiled = new Map<string, CompiledExpression | { unsupported: string }>();
const MAX_CACHED = 5000;

/**
 * The compiled expression, or why kdry cannot evaluate it. `env`: the release's environment for the
 * expression (release-environment.ts); a function or macro it lacks makes the expression one the
 * API server would not have compiled. Without it, every library kdry has.
 */
export function compileExpression(source: string, env?: CelEnvironment, options: CompileOptions = {}): CompiledExpression | { unsupported: string } {
  const key = `${env ? `${env.key}\0` : ''}${options.optimize === false ? 'unoptimized\0' : ''}${source}`;
  let hit = compiled.get(key);
  if (hit) return hit;
  hit = compile(source, env, options.optimize ?? true);
  if (compiled.size >= MAX_CACHED) compiled.clear();
  compiled.set(key, hit);
  return hit;
}

export interface CompileOptions {
  /**
   * cel-go's OptOptimize, as the API server plans every expression (environment/base.go); false
   * only to compare with cel-go's figures for a program planned without it (library/cost_test.go).
   */
  optimize?: boolean;
}

function compile(source: string, env: CelEnvironment | undefined, optimize: boolean): CompiledExpression | { unsupported: string } {
  let program: (bindings: Record<string, CelInput>) => CelResult;
  let parsed: ReturnType<typeof parse>;
  /** The steps the expression takes whatever the values (cost.ts instrument). */
  let steps: number;
  const tooLarge = expressionSizeError(source);
  if (tooLarge) return { unsupported: `the API server does not compile it: ${tooLarge.message}` };
  const rewritten = rewriteOptionalSyntax(source);
  // Offsets are the source's own only when the optional-syntax rewrite left it as it was.
  const unrewritten = rewritten === source;
  try {
    parsed = parse(rewritten);
  } catch (err) {
    return { unsupported: `kdry's CEL parser cannot read it (${firstLine(err)})` };
  }
  const refused = refusedCall(parsed.expr, env);
  if (refused) return { unsupported: refused };
  // A macro cel-go's parser cannot expand fails to parse (static-analysis.ts says the same for a CRD rule).
  const macroErrors = parsed.expr ? macroExpansionErrors(parsed.expr, env, parsed.sourceInfo?.macroCalls) : [];
  if (macroErrors.length) {
    const located = locatedMacroErrors(source, unrewritten ? parsed.sourceInfo?.positions : undefined, macroErrors);
    return { unsupported: `the API server${env ? ` of Kubernetes ${env.release}` : ''} does not compile it: ${firstError(placedErrors(source, located)) ?? located[0].message}` };
  }
  try {
    if (parsed.expr) parsed.expr = lowerSortBy(lowerTwoVariableComprehensions(lowerOptionals(parsed.expr)));
    // A release's API server refuses a rule its literal validators fail (literal-validators.ts): not run.
    // Without a release (the CEL conformance tests), cel-go's plain environment: no validators.
    const mixed = env?.homogeneousLiterals === 'checker' && unrewritten && parsed.expr ? checkerAggregateErrors(parsed.expr, (e) => celGoTypeOf(e, () => undefined), () => undefined) : [];
    if (mixed.length) return { unsupported: `the API server of Kubernetes ${env!.release} does not compile it: cel-go's checker says ${mixed[0].message}` };
    const invalid = env && parsed.expr && validateLiterals(parsed.expr, literalTypeName, () => undefined, { formats: env.validatesLiterals, aggregates: env.homogeneousLiterals === 'validator' && unrewritten });
    if (invalid && invalid.length) return { unsupported: `the API server of Kubernetes ${env.release} does not compile it: cel-go's literal validators say ${invalid[0].message}` };
    steps = instrument(parsed.expr, { optimize, isFunction, failedCalls: 'detect' });
    program = plan(meteredEnvironment, parsed) as (bindings: Record<string, CelInput>) => CelResult;
  } catch (err) {
    return { unsupported: `kdry's CEL parser cannot read it (${firstLine(err)})` };
  }
  const identifiers = identifiersOf(parsed.expr);
  // The program that charges a call whose operand fails as cel-go does (cost.ts chargeFailedOperands),
  // slower: planned the first time an evaluation needs it, from the same lowered tree.
  let exact: { program: typeof program; steps: number } | undefined;
  const exactProgram = () => {
    if (!exact) {
      const again = parse(rewritten);
      if (again.expr) again.expr = lowerSortBy(lowerTwoVariableComprehensions(lowerOptionals(again.expr)));
      const exactSteps = instrument(again.expr, { optimize, isFunction, failedCalls: 'exact' });
      exact = { program: plan(meteredEnvironment, again) as typeof program, steps: exactSteps };
    }
    return exact;
  };
  const run = (bindings: Record<string, CelInput>, meter: CostMeter, planned: { program: typeof program; steps: number }): CelResult =>
    metered(meter, () => {
      meter.charge(planned.steps);
      return withGoUrlRules(env?.release, () => planned.program(bindings));
    });
  return {
    source,
    identifiers,
    evaluate(bindings, meter) {
      let result: CelResult;
      const spentBefore = meter.spent;
      try {
        meter.failureSeen = false;
        result = run(bindings, meter, { program, steps });
        // A call may have failed on an operand (an error reached `&&`, `||` or the result): evaluated
        // again by the program that charges it as cel-go does, from the cost before.
        if (!meter.exceeded && (meter.failureSeen || isCelError(result))) {
          meter.spent = spentBefore;
          result = run(bindings, meter, exactProgram());
        }
      } catch (err) {
        return err instanceof CostLimitExceeded ? { kind: 'cost', message: err.message } : { kind: 'unsupported', reason: firstLine(err) };
      }
      // The runtime turns the meter's exception into an error value: the meter itself knows.
      if (meter.exceeded) return { kind: 'cost', message: COST_LIMIT_MESSAGE };
      return isCelError(result) ? classify(result) : { kind: 'value', value: result };
    },
  };
}

/** Two-variable forms of the comprehension macros (ext.TwoVarComprehensions). */
const TWO_VARIABLE_MACROS = new Set(TWO_VARIABLE_QUANTIFIERS.filter((m) => m !== 'exists_one'));

/**
 * Why the API server would not compile the expression, from its first call (before macros are
 * lowered) of a function no Kubernetes release declares (library/not-in-kubernetes.ts) or that the
 * release's environment lacks (release-environment.ts).
 */
function refusedCall(e: Expr | undefined, env: CelEnvironment | undefined): string | undefined {
  if (!e) return undefined;
  const kind = e.exprKind;
  const first = (xs: (Expr | undefined)[]) => {
    for (const x of xs) {
      const found = refusedCall(x, env);
      if (found) return found;
    }
    return undefined;
  };
  switch (kind.case) {
    case 'selectExpr':
      return refusedCall(kind.value.operand, env);
    case 'callExpr': {
      const { function: fn, target, args } = kind.value;
      if (!target && UNDECLARED_FUNCTIONS.has(fn)) return `${fn}() is in no Kubernetes release's CEL environment (the image library of kubernetes/kubernetes#130834 was not merged), so the API server refuses the CustomResourceDefinition with this rule: undeclared reference to '${fn}'`;
      if (env) {
        const namespace = target?.exprKind.case === 'identExpr' ? target.exprKind.value.name : undefined;
        const name = namespace && env.missing(`${namespace}.${fn}`) ? `${namespace}.${fn}` : fn;
        const library = env.missing(name);
        if (library) return absenceReason(env, `${name}()`, library);
        const macro = target && TWO_VARIABLE_MACROS.has(fn) && args.length === 3 ? 'twoVariableComprehensions' : target && fn === 'sortBy' ? 'sortBy' : undefined;
        const macroLibrary = macro && env.missingMacro(macro);
        if (macroLibrary) return absenceReason(env, `the macro ${fn}() with ${macro === 'sortBy' ? 'a key expression' : 'two variables'}`, macroLibrary);
      }
      return first([target, ...args]);
    }
    case 'listExpr':
      return first(kind.value.elements);
    case 'structExpr':
      return first(kind.value.entries.flatMap((x) => [x.keyKind.case === 'mapKey' ? x.keyKind.value : undefined, x.value]));
    case 'comprehensionExpr': {
      const c = kind.value;
      return first([c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result]);
    }
    default:
      return undefined;
  }
}

/** Every identifier the expression reads, comprehension variables aside. */
function identifiersOf(root: Expr | undefined): Set<string> {
  const found = new Set<string>();
  const walk = (e: Expr | undefined, bound: ReadonlySet<string>): void => {
    if (!e) return;
    const kind = e.exprKind;
    switch (kind.case) {
      case 'identExpr':
        if (!bound.has(kind.value.name)) found.add(kind.value.name);
        break;
      case 'selectExpr':
        walk(kind.value.operand, bound);
        break;
      case 'callExpr':
        walk(kind.value.target, bound);
        for (const a of kind.value.args) walk(a, bound);
        break;
      case 'listExpr':
        for (const x of kind.value.elements) walk(x, bound);
        break;
      case 'structExpr':
        for (const x of kind.value.entries) {
          if (x.keyKind.case === 'mapKey') walk(x.keyKind.value, bound);
          walk(x.value, bound);
        }
        break;
      case 'comprehensionExpr': {
        const c = kind.value;
        walk(c.iterRange, bound);
        walk(c.accuInit, bound);
        const inner = new Set([...bound, c.iterVar, c.iterVar2, c.accuVar]);
        walk(c.loopCondition, inner);
        walk(c.loopStep, inner);
        walk(c.result, inner);
        break;
      }
    }
  };
  walk(root, new Set());
  return found;
}

/** Sorts a runtime error into the user's (as cel-go words it) and kdry's own gaps. */
function classify(error: Error): Evaluation {
  const causes = errorChain(error);
  const settled = causes.find((c): c is SettledError => c instanceof SettledError)?.evaluation ?? settledByMessage(error.message);
  if (settled) return settled;
  const library = causes.find((c) => c instanceof CelLibraryError);
  const message = library?.message ?? error.message;
  const unbound = /^unbound function: (.+)$/.exec(message);
  if (unbound) return { kind: 'unsupported', reason: `kdry does not implement the CEL function ${unbound[1]}()` };
  if (/no matching overload|no such overload|unresolved attribute|unknown/i.test(message)) return { kind: 'unsupported', reason: message };
  return { kind: 'error', message: asCelGo(message) };
}

/** The runtime's error texts as cel-go (and so the API server) words them. */
function asCelGo(message: string): string {
  const missing = /^field not found: (.+)$/.exec(message);
  if (missing) return `no such key: ${missing[1]}`;
  if (/^(int|uint) overflow/.test(message)) return 'integer overflow';
  if (/divide by zero/.test(message)) return 'division by zero';
  if (/modulus by zero/.test(message)) return 'modulus by zero';
  return message;
}

/**
 * The error and its causes, breadth first. cel-es's celErrorMerge (`&&`, `||` and the macros'
 * loops meeting two errors) keeps the first error's message and makes the others its cause, a
 * list: each of those is followed too, so a settled error merged behind another is still found.
 */
function errorChain(error: unknown): unknown[] {
  const out: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 20) {
    const e = queue.shift();
    if (e === undefined || e === null) continue;
    if (Array.isArray(e)) {
      queue.push(...e);
      continue;
    }
    out.push(e);
    queue.push((e as { cause?: unknown }).cause);
  }
  return out;
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

export { CostMeter } from './cost';
