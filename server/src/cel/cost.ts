// Runtime cost limits like the API server's (k8s.io/apiserver/pkg/apis/cel/config.go): one rule
// evaluation may cost at most PerCallLimit, all rules of one object RuntimeCELCostBudget.
// cel-go counts one unit per evaluated step; the CEL runtime here has no such counter, so each
// comprehension (all, exists, map, filter...) is instrumented to charge, per iteration, the
// number of steps its loop body has. Worked example: `self.items.all(i, i.name != "")` over
// 1,000 items charges 1,000 x 4 (the loop step `_&&_`, `_!=_`, `i.name`, `""`) = 4,000.
import { CelScalar, celFunc, isCelList, isCelMap, type CelFunc } from '@bufbuild/cel';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

export const PER_CALL_LIMIT = 1_000_000;
export const RUNTIME_COST_BUDGET = 10_000_000;
/** cel-go's message when a call passes its limit (interpreter.CostTracker). */
export const COST_LIMIT_MESSAGE = 'operation cancelled: actual cost limit exceeded';

const CHARGE = 'kdry.cost';

export class CostMeter {
  spent = 0;
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

/** Runs `fn` with `meter` charged by every instrumented comprehension. */
export function metered<T>(meter: CostMeter, fn: () => T): T {
  const previous = active;
  active = meter;
  try {
    return fn();
  } finally {
    active = previous;
  }
}

/** Charges the evaluation under way for a library call that has a cel-go cost tracker (library/ext-lists.ts). */
export function chargeCall(units: number): void {
  active?.charge(units);
}

export const COST_FUNCS: CelFunc[] = [
  celFunc(CHARGE, [CelScalar.DYN, CelScalar.INT], CelScalar.DYN, (range, perItem) => {
    const size = isCelList(range) || isCelMap(range) ? range.size : 1;
    active?.charge(size * Number(perItem) + 1);
    return range;
  }),
];

/** Rewrites every comprehension's range `r` to `kdry.cost(r, steps)`; returns the expression's own step count. */
export function instrument(expr: Expr | undefined): number {
  if (!expr) return 0;
  const kind = expr.exprKind;
  switch (kind.case) {
    case 'callExpr':
      return 1 + instrument(kind.value.target) + kind.value.args.reduce((n, a) => n + instrument(a), 0);
    case 'selectExpr':
      return 1 + instrument(kind.value.operand);
    case 'listExpr':
      return 1 + kind.value.elements.reduce((n, e) => n + instrument(e), 0);
    case 'structExpr':
      return 1 + kind.value.entries.reduce((n, e) => n + instrument(e.keyKind.case === 'mapKey' ? e.keyKind.value : undefined) + instrument(e.value), 0);
    case 'comprehensionExpr': {
      const c = kind.value;
      const steps = Math.max(1, instrument(c.loopStep) + instrument(c.loopCondition));
      const outer = instrument(c.iterRange) + instrument(c.accuInit) + instrument(c.result);
      c.iterRange = wrapped(expr.id, c.iterRange, steps);
      return outer + 1;
    }
    default:
      return 1;
  }
}

function wrapped(id: bigint, range: Expr | undefined, steps: number): Expr {
  // Ids only need to be unique for error positions: reuse the comprehension's, negated.
  const node = (exprKind: Expr['exprKind']) => ({ $typeName: 'cel.expr.Expr', id: -id, exprKind }) as Expr;
  const count = node({ case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'int64Value', value: BigInt(steps) } } } as Expr['exprKind']);
  return node({ case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: CHARGE, args: range ? [range, count] : [count] } } as Expr['exprKind']);
}
