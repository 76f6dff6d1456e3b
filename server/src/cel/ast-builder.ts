// Builds CEL expression nodes (cel.expr.Expr) for the lowerings that run after parsing
// (./syntax-extensions.ts, ./two-variable-comprehensions.ts), with ids above every id the
// parsed tree holds, so each node keeps a distinct id for the runtime's error positions.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

export class AstBuilder {
  private nextId: bigint;

  constructor(root: Expr) {
    this.nextId = maxId(root) + 1n;
  }

  node(exprKind: unknown): Expr {
    return { $typeName: 'cel.expr.Expr', id: this.nextId++, exprKind } as Expr;
  }

  call(fn: string, args: Expr[], target?: Expr): Expr {
    return this.node({ case: 'callExpr', value: { $typeName: 'cel.expr.Expr.Call', function: fn, args, ...(target ? { target } : {}) } });
  }

  constant(constantKind: unknown): Expr {
    return this.node({ case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind } });
  }

  string(value: string): Expr {
    return this.constant({ case: 'stringValue', value });
  }

  int(value: number): Expr {
    return this.constant({ case: 'int64Value', value: BigInt(value) });
  }

  bool(value: boolean): Expr {
    return this.constant({ case: 'boolValue', value });
  }

  list(elements: Expr[]): Expr {
    return this.node({ case: 'listExpr', value: { $typeName: 'cel.expr.Expr.CreateList', elements, optionalIndices: [] } });
  }

  emptyMap(): Expr {
    return this.node({ case: 'structExpr', value: { $typeName: 'cel.expr.Expr.CreateStruct', messageName: '', entries: [] } });
  }

  ident(name: string): Expr {
    return this.node({ case: 'identExpr', value: { $typeName: 'cel.expr.Expr.Ident', name } });
  }

  comprehension(parts: { iterVar: string; iterRange: Expr; accuVar: string; accuInit: Expr; loopCondition: Expr; loopStep: Expr; result: Expr }): Expr {
    return this.node({ case: 'comprehensionExpr', value: { $typeName: 'cel.expr.Expr.Comprehension', iterVar2: '', ...parts } });
  }
}

/** The direct sub-expressions of a node. */
export function childrenOf(e: Expr): Expr[] {
  const kind = e.exprKind;
  const out: (Expr | undefined)[] = [];
  switch (kind.case) {
    case 'selectExpr':
      out.push(kind.value.operand);
      break;
    case 'callExpr':
      out.push(kind.value.target, ...kind.value.args);
      break;
    case 'listExpr':
      out.push(...kind.value.elements);
      break;
    case 'structExpr':
      for (const entry of kind.value.entries) out.push(entry.keyKind.case === 'mapKey' ? entry.keyKind.value : undefined, entry.value);
      break;
    case 'comprehensionExpr':
      out.push(kind.value.iterRange, kind.value.accuInit, kind.value.loopCondition, kind.value.loopStep, kind.value.result);
      break;
  }
  return out.filter((x): x is Expr => x !== undefined);
}

function maxId(e: Expr): bigint {
  let best = e.id;
  for (const child of childrenOf(e)) {
    const id = maxId(child);
    if (id > best) best = id;
  }
  return best;
}

/** Rewrites each direct child of a node (comprehension parts included) in place. */
export function replaceChildren(e: Expr, map: (child: Expr) => Expr): void {
  const kind = e.exprKind;
  switch (kind.case) {
    case 'selectExpr':
      if (kind.value.operand) kind.value.operand = map(kind.value.operand);
      break;
    case 'callExpr':
      if (kind.value.target) kind.value.target = map(kind.value.target);
      kind.value.args = kind.value.args.map(map);
      break;
    case 'listExpr':
      kind.value.elements = kind.value.elements.map(map);
      break;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') entry.keyKind.value = map(entry.keyKind.value);
        if (entry.value) entry.value = map(entry.value);
      }
      break;
    case 'comprehensionExpr':
      for (const part of ['iterRange', 'accuInit', 'loopCondition', 'loopStep', 'result'] as const) {
        const child = kind.value[part];
        if (child) kind.value[part] = map(child);
      }
      break;
  }
}
