// Runtime cost limits like the API server's (k8s.io/apiserver/pkg/apis/cel/config.go): one rule
// evaluation may cost at most PerCallLimit, all rules of one object RuntimeCELCostBudget.
//
// The cost is cel-go's (interpreter/runtimecost.go costTrackerFactory.Observe, under the
// OptOptimize planner Kubernetes uses, environment/base.go): every evaluated identifier, field
// selection and index costs 1, a list literal 10 and a map literal 30 unless all their items are
// constants (folded at plan time, decorators.go decOptimize, as are conversions of a constant and
// `x in [constants]`), a presence test costs its operand's qualifiers only
// (PresenceTestHasCost(false)), `&&`, `||`, `?:` and the comprehension itself cost nothing, and
// a function call costs what call-cost.ts says for its actual arguments and result.
//
// cel-es has no such observer, so kdry counts in two parts:
//   - calls: the environment's functions are wrapped (meteredFunctions), each call charging its
//     cost when it returns: exact;
//   - the other steps, known before evaluation: instrument() sums them per expression (charged
//     when it starts) and per comprehension iteration (charged as the iteration starts, or for
//     every item up front where the loop cannot stop early: map, filter, exists_one).
// The static part counts the arms of `&&` and `||` even when one is not evaluated, except an arm
// of 10 or more (one with a list or map literal), which is charged only when it runs; the arms of
// `?:` are both charged as they run when either costs 10 or more (as filter()'s do), else both
// with the expression; a loop that stops early is charged one step more. So kdry's count is cel-go's, or a few units more
// when an arm is skipped: never fewer, and what fits here fits the API server.
// A call whose operand fails: cel-es returns at the first failed operand without calling the
// function, while cel-go's evalUnary, evalBinary and evalEq evaluate every operand first and its
// observer charges the failed call with the error among its arguments (runtimecost.go costCall:
// an error's actualSize is 1); evalVarArgs (three operands or more) stops at the first error, and
// the call is charged only when the failed one is the last (dropArgs finds every operand). The
// program kdry runs notes on the meter when an operand of `&&` or `||` fails (detectFailure); then,
// or when the result is an error, the caller runs the rule again with every metered call's operands
// rewritten to do as cel-go does (chargeFailedOperands, slower): worked example,
// `self.missing.matches(self.pattern.lowerAscii())` with a 40-character pattern, `self.missing`
// absent: cel-go still evaluates the second operand (lowerAscii: ceil(40 x 0.1) = 4) and charges
// matches ceil((1 + 1) x 0.1) x ceil(40 x 0.25) = 10: 2 + 2 steps + 4 + 10 = 18, where cel-es
// alone counted the 4 steps only.
// Worked example:
// `self.items.all(i, i.name != "")` over 1,000 items costs 2 (self.items) + 1,000 x (2 for the
// loop condition `@not_strictly_false(__result__)`, 1 for `__result__`, 2 for `i.name`, 0 for
// `!= ""` against an empty string) + 1 (the result) = 5,003.
import { CelScalar, celError, celFunc, celType, isCelError, isCelList, isCelMap, type CelFunc, type CelResult, type CelValue } from '@bufbuild/cel';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { callCost, fixedCost, TYPE_CONVERSIONS } from './call-cost';

export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_COST_BUDGET = 10_000_000;
/** cel-go's message when a call passes its limit (interpreter.CostTracker). */
export const COST_LIMIT_MESSAGE = 'operation cancelled: actual cost limit exceeded';

/** Per item of a loop that cannot stop early, charged with its range: kdry.cost(range, steps). */
const UPFRONT = 'kdry.cost';
/** Per iteration of a loop that can stop early: kdry.iteration(steps) && condition. */
const ITERATION = 'kdry.iteration';
/** An arm charged only when it runs: kdry.then(kdry.charge(steps), arm). */
const CHARGE = 'kdry.charge';
const THEN = 'kdry.then';
// The failed-call charges (chargeFailedOperands).
const PUSH = 'kdry.push';
const DROP = 'kdry.drop';
/** `kdry.call<n>(name, receiver, id, ...n operands' pushes)`: the call itself, on the pushed operands. */
const CALL = 'kdry.call';
const FIRST_FAILED = 'kdry.firstFailed';
const BOTH_FAILED = 'kdry.bothFailed';
const LAST_FAILED = 'kdry.lastFailed';
// Failure detection (detectFailure).
const OK_AND = 'kdry.okAnd';
const OK_OR = 'kdry.okOr';
const FAILED_AND = 'kdry.failedAnd';
const FAILED_OR = 'kdry.failedOr';
/** Calls that charge what they must themselves, left unwrapped by meteredFunctions (their ids are negative anyway). */
const SELF_CHARGING = new Set([PUSH, DROP, FIRST_FAILED, BOTH_FAILED, LAST_FAILED, OK_AND, OK_OR, FAILED_AND, FAILED_OR, ...[1, 2, 3, 4, 5].map((n) => `${CALL}${n}`)]);

/** An arm of `&&`, `||` or `?:` whose own steps reach this is charged when it runs, not with its expression. */
const CHARGED_ARM = 10;

export class CostMeter {
  spent = 0;
  /**
   * An operand of `&&` or `||` failed in a program instrumented to 'detect' failures: a call may
   * have failed on an operand, which cel-go charges and the program did not (see the header).
   */
  failureSeen = false;
  constructor(public limit: number) {}
  get exceeded(): boolean {
    return this.spent > this.limit;
  }
  charge(units: number): void {
    if (this.exceeded) throw new CostLimitExceeded(COST_LIMIT_MESSAGE);
    this.spent += units;
    if (this.exceeded) throw new CostLimitExceeded(COST_LIMIT_MESSAGE);
  }
}

export class CostLimitExceeded extends Error {}

let active: CostMeter | undefined;

/** Runs `fn` with `meter` charged by every instrumented step and call. */
export function metered<T>(meter: CostMeter, fn: () => T): T {
  const previous = active;
  const depth = operands.length;
  active = meter;
  try {
    return fn();
  } finally {
    active = previous;
    // An evaluation the meter stopped leaves its pending operands behind.
    operands.length = depth;
  }
}

/** Charges the evaluation under way for a library call that has a cel-go cost tracker (library/ext-lists.ts). */
export function chargeCall(units: number): void {
  active?.charge(units);
}

export const COST_FUNCS: CelFunc[] = [
  celFunc(UPFRONT, [CelScalar.DYN, CelScalar.INT], CelScalar.DYN, (range, perItem) => {
    const size = isCelList(range) || isCelMap(range) ? range.size : 0;
    active?.charge(size * Number(perItem));
    return range;
  }),
  celFunc(ITERATION, [CelScalar.INT], CelScalar.BOOL, (steps) => {
    active?.charge(Number(steps));
    return true;
  }),
  celFunc(CHARGE, [CelScalar.INT], CelScalar.BOOL, (steps) => {
    active?.charge(Number(steps));
    return true;
  }),
  celFunc(THEN, [CelScalar.BOOL, CelScalar.DYN], CelScalar.DYN, (_charged, value) => value),
  celFunc(OK_AND, [CelScalar.DYN], CelScalar.DYN, (value) => {
    okNoted = value === true;
    return value;
  }),
  celFunc(OK_OR, [CelScalar.DYN], CelScalar.DYN, (value) => {
    okNoted = value === false;
    return value;
  }),
  celFunc(FAILED_AND, [], CelScalar.BOOL, () => {
    noteFailure();
    return true;
  }),
  celFunc(FAILED_OR, [], CelScalar.BOOL, () => {
    noteFailure();
    return false;
  }),
  celFunc(PUSH, [CelScalar.DYN], CelScalar.BOOL, (value) => {
    operands.push(value);
    return true;
  }),
  celFunc(DROP, [CelScalar.INT], CelScalar.BOOL, (count) => {
    operands.length -= Number(count);
    return false;
  }),
  celFunc(FIRST_FAILED, [CelScalar.STRING, CelScalar.BOOL, CelScalar.DYN], CelScalar.BOOL, (name, receiver, second) => {
    firstFailureCharged = true;
    chargeFailedCall(name, receiver, [FAILED, second]);
    return false;
  }),
  celFunc(BOTH_FAILED, [CelScalar.STRING, CelScalar.BOOL], CelScalar.BOOL, (name, receiver) => {
    if (firstFailureCharged) firstFailureCharged = false;
    else chargeFailedCall(name, receiver, [FAILED, FAILED]);
    return false;
  }),
  celFunc(LAST_FAILED, [CelScalar.STRING, CelScalar.BOOL, CelScalar.INT], CelScalar.BOOL, (name, receiver, before) => {
    const values = operands.splice(operands.length - Number(before));
    chargeFailedCall(name, receiver, [...values, FAILED]);
    return false;
  }),
  ...[1, 2, 3, 4, 5].map((n) =>
    celFunc(`${CALL}${n}`, [CelScalar.STRING, CelScalar.BOOL, CelScalar.INT, ...Array.from({ length: n }, () => CelScalar.BOOL)], CelScalar.DYN, (name, receiver, id) =>
      callWithOperands(name, receiver, id, operands.splice(operands.length - n)),
    ),
  ),
];

/**
 * The operands of the metered calls under way (chargeFailedOperands): each pushed once evaluated,
 * taken back by the call, or by the failure that stops it.
 */
const operands: CelValue[] = [];
/** OK_AND or OK_OR saw its operand succeed and FAILED_AND or FAILED_OR comes next (detectFailure). */
let okNoted = false;

function noteFailure(): void {
  if (okNoted) okNoted = false;
  else if (active) active.failureSeen = true;
}

/** FIRST_FAILED charged the call: BOTH_FAILED, evaluated right after it, must not charge it again. */
let firstFailureCharged = false;
/** An operand that failed, as cel-go's cost tracker sees it: no size (actualSize 1), not a string. */
const FAILED = celError('failed operand') as unknown as CelValue;

function chargeFailedCall(name: string, receiver: boolean, values: CelValue[]): void {
  active?.charge(callCost(name, receiver ? values[0] : undefined, receiver ? values.slice(1) : values, FAILED));
}

/** The environment's functions, unmetered (meteredFunctions): what kdry.call<n> calls. */
let environmentFunctions: Functions | undefined;
const calledFunctions = new Map<string, Callable | undefined>();

/**
 * The call of `name` on its evaluated operands, charged as the metered functions charge it. Its
 * error (the function's, or cel-es's when no overload takes the operands) is thrown: cel-es's
 * Callable.call returns a thrown CelError as the call's result.
 */
function callWithOperands(name: string, receiver: boolean, id: bigint, values: CelValue[]): CelValue {
  const target = receiver ? values[0] : undefined;
  const args = receiver ? values.slice(1) : values;
  let callable = calledFunctions.get(name);
  if (callable === undefined && environmentFunctions) calledFunctions.set(name, (callable = environmentFunctions.find(name)));
  const result = callable?.call(Number(id), target, args);
  if (result === undefined) throw celError(`found no matching overload for '${name}' applied to '${target !== undefined ? `${celType(target).name}.` : ''}(${args.map((x) => celType(x).name).join(', ')})'`, id);
  active?.charge(fixedCost(name) ?? callCost(name, target, args, result as CelValue));
  if (isCelError(result)) throw result;
  return result;
}

/** The resolver of an environment's functions (cel-es's FuncResolver, as the planner reads it). */
interface Functions {
  find(name: string): Callable | undefined;
}
interface Callable {
  call(id: number, target: CelValue | undefined, args: CelValue[]): CelResult | undefined;
}

/**
 * `functions` with every call charging its cost (call-cost.ts) to the evaluation under way. A call
 * whose id instrument() negated is one cel-go's planner folded into a constant: free.
 */
export function meteredFunctions(functions: Functions): Functions {
  environmentFunctions = functions;
  const wrapped = new Map<string, Callable>();
  const wrap = (name: string, group: Callable | undefined): Callable | undefined => {
    if (!group) return undefined;
    // Most calls cost the same whatever their arguments: priced once, here.
    const fixed = fixedCost(name);
    return {
      call(id, target, args) {
        const result = group.call(id, target, args);
        if (active && id >= 0 && result !== undefined) active.charge(fixed ?? callCost(name, target, args, result as CelValue));
        return result;
      },
    };
  };
  return {
    find(name) {
      let hit = wrapped.get(name);
      if (!hit) {
        // Not remembered when absent: the planner also asks for names that are not functions (`self.items.size`).
        hit = SELF_CHARGING.has(name) ? functions.find(name) : wrap(name, functions.find(name));
        if (hit) wrapped.set(name, hit);
      }
      return hit;
    },
  };
}

interface Steps {
  /** The steps evaluated whenever the node is, calls' own costs aside. */
  cost: number;
  /** Folded at plan time by cel-go's optimizer: no step at run time. */
  constant: boolean;
  /** An attribute (identifier, selection, index): a selection adds a qualifier to it rather than a relative attribute. */
  attribute: boolean;
}

export interface InstrumentOptions {
  /** cel-go's OptOptimize (Kubernetes plans with it): constant literals and conversions folded. */
  optimize: boolean;
  /**
   * A call whose operand fails: 'exact' charges it as cel-go does (chargeFailedOperands), at some
   * cost in speed; 'detect' leaves calls as they are and only notes, on the meter, that an operand
   * of `&&` or `||` failed (detectFailure), after which the caller evaluates the exact program.
   */
  failedCalls: 'exact' | 'detect';
  /** Whether a qualified name (`sets.contains`) is a function, so its receiver is not evaluated. */
  isFunction(name: string): boolean;
}

/**
 * Rewrites the expression so that its comprehensions and costly arms charge their steps as they
 * run, and negates the ids of the calls the optimizer folds; returns the steps charged when the
 * expression starts.
 */
export function instrument(expr: Expr | undefined, options: InstrumentOptions): number {
  return expr ? new Instrumenter(options).steps(expr).cost : 0;
}

const STEP = (cost: number, attribute = false): Steps => ({ cost, constant: false, attribute });
const CONSTANT: Steps = { cost: 0, constant: true, attribute: false };

class Instrumenter {
  constructor(private readonly options: InstrumentOptions) {}

  steps(e: Expr): Steps {
    const kind = e.exprKind;
    switch (kind.case) {
      case 'constExpr':
        return CONSTANT;
      case 'identExpr':
        return STEP(1, true);
      case 'selectExpr': {
        const operand = this.steps(kind.value.operand!);
        // A presence test costs its qualifiers: the operand's root is resolved, not observed, and the
        // test-only step's own 1 is taken back (runtimecost.go, evalTestOnly).
        if (kind.value.testOnly) return STEP(operand.cost + (operand.attribute ? 0 : 1));
        // A selection on a value that is not an attribute makes a relative attribute (1) first.
        return STEP(operand.cost + (operand.attribute ? 1 : 2), true);
      }
      case 'listExpr': {
        const items = kind.value.elements.map((x) => this.steps(x));
        if (this.options.optimize && items.every((x) => x.constant)) return CONSTANT;
        return STEP(10 + sum(items));
      }
      case 'structExpr': {
        const items = kind.value.entries.flatMap((x) => [...(x.keyKind.case === 'mapKey' ? [this.steps(x.keyKind.value)] : []), ...(x.value ? [this.steps(x.value)] : [])]);
        if (kind.value.messageName) return STEP(40 + sum(items));
        if (this.options.optimize && items.every((x) => x.constant)) return CONSTANT;
        return STEP(30 + sum(items));
      }
      case 'comprehensionExpr':
        return this.comprehension(e, kind.value);
      case 'callExpr':
        return this.call(e, kind.value);
      default:
        return STEP(1);
    }
  }

  private call(e: Expr, call: Extract<Expr['exprKind'], { case: 'callExpr' }>['value']): Steps {
    const { function: fn, target, args } = call;
    // `sets.contains(a, b)`: a qualified function name, not a receiver that is evaluated.
    const qualified = target && qualifiedName(target);
    if (qualified && this.options.isFunction(`${qualified}.${fn}`)) {
      const steps = STEP(sum(args.map((x) => this.steps(x))));
      if (this.options.failedCalls === 'exact') chargeFailedOperands(e, `${qualified}.${fn}`, false);
      return steps;
    }
    switch (fn) {
      case '_[_]': {
        // planner.go planIndex: the operand becomes an attribute and the index its qualifier: a
        // constant or computed index costs 1 as a qualifier, an attribute its own steps.
        const [operand, index] = args.map((x) => this.steps(x));
        return STEP(operand!.cost + (operand!.attribute ? 0 : 1) + index!.cost + (index!.attribute ? 0 : 1), true);
      }
      case '_&&_':
      case '_||_': {
        const [first, ...rest] = args;
        const steps = STEP(this.steps(first!).cost + sum(rest.map((x, i) => this.arm(call.args, i + 1, x))));
        if (this.options.failedCalls === 'detect') call.args = call.args.map((x) => (canFail(x) ? detectFailure(fn, x) : x));
        return steps;
      }
      case '_?_:_': {
        // One arm runs: when either is charged as it runs, both are, so the one not taken is never
        // counted (filter()'s `p ? __result__ + [x] : __result__` would count 1 more per kept item).
        const arms = [this.steps(args[1]!), this.steps(args[2]!)];
        const lazy = arms.some((a) => a.cost >= CHARGED_ARM);
        return STEP(this.steps(args[0]!).cost + this.arm(call.args, 1, args[1]!, arms[0]!, lazy).cost + this.arm(call.args, 2, args[2]!, arms[1]!, lazy).cost);
      }
      case '@not_strictly_false':
      case '__not_strictly_false__':
        return STEP(1 + this.steps(args[0]!).cost);
    }
    const all = [...(target ? [this.steps(target)] : []), ...args.map((x) => this.steps(x))];
    if (this.options.optimize) {
      // decorators.go maybeOptimizeConstUnary: a conversion of a constant is a constant.
      if (!target && TYPE_CONVERSIONS.has(fn) && all.length === 1 && all[0]!.constant) return fold(e, CONSTANT);
      // maybeOptimizeSetMembership: `x in [constants]` is a set lookup, observed as no step.
      if (fn === '@in' && isPrimitiveConstantList(args[1]!)) return fold(e, STEP(all[0]!.cost));
    }
    // kdry's own calls (the meter's, the lowered syntax) are no call cel-go observes.
    if (this.options.failedCalls === 'exact' && !fn.startsWith('kdry.')) chargeFailedOperands(e, fn, target !== undefined);
    return STEP(sum(all));
  }

  /** An arm of a conditional: charged with its expression, or when it runs if it costs CHARGED_ARM or more (or `lazy`). */
  private arm(parentArgs: Expr[], index: number, arm: Expr, steps = this.steps(arm), lazy = false): Steps {
    if (steps.cost === 0 || (steps.cost < CHARGED_ARM && !lazy)) return steps;
    parentArgs[index] = callNode(arm.id, THEN, [callNode(arm.id, CHARGE, [intNode(arm.id, steps.cost)]), arm]);
    return STEP(0);
  }

  private comprehension(e: Expr, c: Extract<Expr['exprKind'], { case: 'comprehensionExpr' }>['value']): Steps {
    const range = this.steps(c.iterRange!);
    const init = this.steps(c.accuInit!);
    const condition = c.loopCondition!;
    const perItem = this.steps(condition).cost + this.steps(c.loopStep!).cost;
    const result = this.steps(c.result!);
    const canStopEarly = !(condition.exprKind.case === 'constExpr' && condition.exprKind.value.constantKind.case === 'boolValue' && condition.exprKind.value.constantKind.value === true);
    // interpretable.go folder.foldIterable: the condition, then the step, per item, until the condition is false.
    if (canStopEarly) c.loopCondition = callNode(e.id, '_&&_', [callNode(e.id, ITERATION, [intNode(e.id, perItem)]), condition]);
    else c.iterRange = callNode(e.id, UPFRONT, [c.iterRange!, intNode(e.id, perItem)]);
    // The accumulator is initialised when first read (folder.ResolveName), the result read once.
    return STEP(range.cost + init.cost + result.cost);
  }
}

/**
 * Rewrites a metered call `f(o_0, ..., o_n-1)` (the receiver first) so that a failed operand costs
 * what it costs in cel-go (see the header): `kdry.call<n>(f, receiver, id, P_0 || F_0, ...)`, where
 * P_i = push(o_i) is true once o_i is evaluated, and F_i, evaluated only when o_i fails, is false:
 *   - the first of two operands: evaluate the second and charge the call on (failed, second), or on
 *     (failed, failed) when the second fails too (firstFailed(second) || bothFailed());
 *   - the last: the call charged on the operands pushed before it and the failed one (lastFailed);
 *   - another (three operands or more): the operands pushed before it dropped, no charge.
 * `P_i || F_i` is then o_i's own error (`||` keeps its first error), which the call returns as it
 * is; when every operand succeeds, kdry.call<n> calls f on the pushed values and charges it.
 */
function chargeFailedOperands(e: Expr, name: string, receiver: boolean): void {
  if (e.exprKind.case !== 'callExpr') return;
  const call = e.exprKind.value;
  const originals = receiver ? [call.target!, ...call.args] : [...call.args];
  const n = originals.length;
  if (n === 0 || n > 5 || !originals.some(canFail)) return;
  const id = e.id;
  const str = (value: string) => node(id, { case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'stringValue', value } } } as Expr['exprKind']);
  const bool = (value: boolean) => node(id, { case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'boolValue', value } } } as Expr['exprKind']);
  const pushed = originals.map((o, i) => {
    let failed: Expr;
    if (i === n - 1) failed = callNode(id, LAST_FAILED, [str(name), bool(receiver), intNode(id, n - 1)]);
    else if (n === 2) failed = callNode(id, '_||_', [callNode(id, FIRST_FAILED, [str(name), bool(receiver), originals[1]!]), callNode(id, BOTH_FAILED, [str(name), bool(receiver)])]);
    else failed = callNode(id, DROP, [intNode(id, i)]);
    return callNode(id, '_||_', [callNode(id, PUSH, [o]), failed]);
  });
  e.exprKind = callNode(id, `${CALL}${n}`, [str(name), bool(receiver), intNode(id, Number(id)), ...pushed]).exprKind;
  e.id = id < 0n ? id : -id;
}

/**
 * `x` as an operand of `&&` (or `||`), noting on the meter when it fails: `ok(x) && failed()`
 * (`ok(x) || failed()`). ok(x) returns x, having noted whether failed() comes next (x true: for
 * `&&` the next operand is evaluated; x false for `||`); failed() is evaluated then or when x
 * fails, and returns true (false) so that the result is x or x's own error. So "ok noted" holds
 * only between ok(x) and failed(), with nothing evaluated between them.
 */
function detectFailure(fn: string, x: Expr): Expr {
  const and = fn === '_&&_';
  return callNode(x.id, fn, [callNode(x.id, and ? OK_AND : OK_OR, [x]), callNode(x.id, and ? FAILED_AND : FAILED_OR, [])]);
}

/** Whether evaluating `e` can give an error: not a constant, an identifier (bound), nor a literal of them. */
function canFail(e: Expr): boolean {
  const kind = e.exprKind;
  switch (kind.case) {
    case 'constExpr':
      return false;
    case 'identExpr':
      // A macro's accumulator (cel-go's @result, __result__) holds the error a step gave.
      return /^(@|__)/.test(kind.value.name);
    case 'listExpr':
      return kind.value.elements.some(canFail);
    case 'selectExpr':
      return !kind.value.testOnly || canFail(kind.value.operand!);
    default:
      return true;
  }
}

function sum(steps: Steps[]): number {
  let n = 0;
  for (const s of steps) n += s.cost;
  return n;
}

/** The call is folded at plan time: its id negated, so the metered call does not charge it. */
function fold(e: Expr, steps: Steps): Steps {
  e.id = -e.id;
  return steps;
}

/** decorators.go maybeOptimizeSetMembership: a constant list of primitives other than bytes. */
function isPrimitiveConstantList(e: Expr): boolean {
  if (e.exprKind.case !== 'listExpr') return false;
  return e.exprKind.value.elements.every((x) => x.exprKind.case === 'constExpr' && x.exprKind.value.constantKind.case !== 'bytesValue' && x.exprKind.value.constantKind.case !== 'nullValue');
}

/** `a.b.c` as a dotted name, or undefined when the expression is not a chain of identifiers. */
function qualifiedName(e: Expr): string | undefined {
  const kind = e.exprKind;
  if (kind.case === 'identExpr') return kind.value.name;
  if (kind.case === 'selectExpr' && !kind.value.testOnly && kind.value.operand) {
    const parent = qualifiedName(kind.value.operand);
    return parent === undefined ? undefined : `${parent}.${kind.value.field}`;
  }
  return undefined;
}

// New nodes reuse the id of the node they wrap, negated: ids only place errors, and a negative id
// tells the metered functions not to charge (these calls charge themselves).
function node(id: bigint, exprKind: Expr['exprKind']): Expr {
  return { $typeName: 'cel.expr.Expr', id: id < 0n ? id : -id, exprKind } as Expr;
}

function intNode(id: bigint, value: number): Expr {
  return node(id, { case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'int64Value', value: BigInt(value) } } } as Expr['exprKind']);
}

function callNode(id: bigint, fn: string, args: Expr[]): Expr {
  return node(id, { case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: fn, args } } as Expr['exprKind']);
}
