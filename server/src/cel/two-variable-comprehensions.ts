// cel-go's two-variable comprehensions (ext/comprehensions.go, ext.TwoVarComprehensions, in the
// Kubernetes environment from 1.32): `all(i, v, p)`, `exists(i, v, p)`, `existsOne(i, v, p)`,
// `transformList(i, v, [filter,] e)`, `transformMap(k, v, [filter,] e)` and
// `transformMapEntry(k, v, [filter,] e)` over a list (index, element) or a map (key, value).
// The CEL runtime kdry uses has one iteration variable, so each is lowered to a one-variable
// comprehension over the pairs of its range, the two names read from the pair:
// `{'a': 1}.all(k, v, v > 0)` runs as a fold over `kdry.pairs({'a': 1})` = [['a', 1]] with
// k = pair[0] and v = pair[1], the accumulator stepped as cel-go's macro steps it.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { AstBuilder, replaceChildren } from './ast-builder';
import { MAP_INSERT, PAIRS } from './library/comprehensions';

/** The quantifier macros that take two variables (`exists_one` is cel-go's other name for `existsOne`). */
export const TWO_VARIABLE_QUANTIFIERS: readonly string[] = ['all', 'exists', 'existsOne', 'exists_one'];
/** The transform macros (two variables, with or without a filter). */
export const TWO_VARIABLE_TRANSFORMS: readonly string[] = ['transformList', 'transformMap', 'transformMapEntry'];
const MACROS = new Set([...TWO_VARIABLE_QUANTIFIERS, ...TWO_VARIABLE_TRANSFORMS]);
const RESULT = '@kdry_result';

export function lowerTwoVariableComprehensions(root: Expr): Expr {
  const ast = new AstBuilder(root);
  const lower = (e: Expr): Expr => {
    replaceChildren(e, lower);
    if (e.exprKind.case !== 'callExpr') return e;
    const c = e.exprKind.value;
    const [first, second] = c.args;
    const filtered = c.function.startsWith('transform') && c.args.length === 4;
    if (!c.target || !MACROS.has(c.function) || (c.args.length !== 3 && !filtered) || first.exprKind.case !== 'identExpr' || second.exprKind.case !== 'identExpr') return e;
    const pair = `@kdry_pair${e.id}`;
    const names = new Map([
      [first.exprKind.value.name, () => ast.call('_[_]', [ast.ident(pair), ast.int(0)])],
      [second.exprKind.value.name, () => ast.call('_[_]', [ast.ident(pair), ast.int(1)])],
    ]);
    const body = substitute(c.args[c.args.length - 1], names, new Set());
    const filter = filtered ? substitute(c.args[2], names, new Set()) : undefined;
    const result = ast.ident.bind(ast, RESULT);
    const onlyWhen = (step: Expr) => (filter ? ast.call('_?_:_', [filter, step, result()]) : step);
    const fold = (accuInit: Expr, loopCondition: Expr, loopStep: Expr, out: Expr = result()) =>
      ast.comprehension({ iterVar: pair, iterRange: ast.call(PAIRS, [c.target!]), accuVar: RESULT, accuInit, loopCondition, loopStep, result: out });
    switch (c.function) {
      case 'all':
        return fold(ast.bool(true), ast.call('@not_strictly_false', [result()]), ast.call('_&&_', [result(), body]));
      case 'exists':
        return fold(ast.bool(false), ast.call('@not_strictly_false', [ast.call('!_', [result()])]), ast.call('_||_', [result(), body]));
      case 'existsOne':
      case 'exists_one':
        return fold(ast.int(0), ast.bool(true), ast.call('_?_:_', [body, ast.call('_+_', [result(), ast.int(1)]), result()]), ast.call('_==_', [result(), ast.int(1)]));
      case 'transformList':
        return fold(ast.list([]), ast.bool(true), onlyWhen(ast.call('_+_', [result(), ast.list([body])])));
      case 'transformMap':
        return fold(ast.emptyMap(), ast.bool(true), onlyWhen(ast.call(MAP_INSERT, [result(), names.get(first.exprKind.value.name)!(), body])));
      default:
        // transformMapEntry: the body is a map of entries to add.
        return fold(ast.emptyMap(), ast.bool(true), onlyWhen(ast.call(MAP_INSERT, [result(), body])));
    }
  };
  return lower(root);
}

/** Replaces the free occurrences of `names` (not rebound by an inner comprehension) with fresh expressions. */
function substitute(e: Expr, names: Map<string, () => Expr>, bound: ReadonlySet<string>): Expr {
  const kind = e.exprKind;
  if (kind.case === 'identExpr') {
    const make = bound.has(kind.value.name) ? undefined : names.get(kind.value.name);
    return make ? make() : e;
  }
  if (kind.case === 'comprehensionExpr') {
    const c = kind.value;
    const inner = new Set([...bound, c.iterVar, c.iterVar2, c.accuVar]);
    if (c.iterRange) c.iterRange = substitute(c.iterRange, names, bound);
    if (c.accuInit) c.accuInit = substitute(c.accuInit, names, bound);
    for (const part of ['loopCondition', 'loopStep', 'result'] as const) {
      const child = c[part];
      if (child) c[part] = substitute(child, names, inner);
    }
    return e;
  }
  replaceChildren(e, (child) => substitute(child, names, bound));
  return e;
}
