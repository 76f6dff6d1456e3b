// cel-go's `sortBy` macro (ext/lists.go sortByMacro, ListsVersion 2, in the Kubernetes environment
// from 1.34): `list.sortBy(e, key)` sorts the list by the key each item gives. The CEL runtime kdry
// uses has no such macro, so it is lowered as cel-go expands it:
//   cel.bind(@input, list, @input.@sortByAssociatedKeys(@input.map(e, key)))
// (the bind is a comprehension over an empty list whose accumulator holds the list, so the list is
// evaluated once); @sortByAssociatedKeys is library/ext-lists.ts's.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { AstBuilder, replaceChildren } from './ast-builder';
import { SORT_BY_ASSOCIATED_KEYS } from './library/ext-lists';

/** The kinds of target sortByMacro expands: a list literal, an identifier, a comprehension, a call or a select. */
const SORTABLE_TARGETS = new Set(['listExpr', 'identExpr', 'comprehensionExpr', 'callExpr', 'selectExpr']);

/**
 * The errors cel-go's parser reports when it expands a `sortBy` it cannot (ext/lists.go sortByMacro,
 * then parser/macro.go MakeMap for the variable), each at the expression it names: the expression
 * does not parse. Worked example: `self.sortBy(x.y, x)` -> "argument is not an identifier" at `x.y`;
 * `'abc'.sortBy(c, c)` -> "sortBy can only be applied to a list, identifier, comprehension, call or
 * select expression" at `'abc'`.
 */
export function sortByMacroErrors(root: Expr): { at: Expr; message: string }[] {
  const errors: { at: Expr; message: string }[] = [];
  const visit = (e: Expr): Expr => {
    replaceChildren(e, visit);
    if (e.exprKind.case !== 'callExpr') return e;
    const { function: fn, target, args } = e.exprKind.value;
    if (fn !== 'sortBy' || !target || args.length !== 2) return e;
    if (!SORTABLE_TARGETS.has(target.exprKind.case ?? '')) {
      errors.push({ at: target, message: 'sortBy can only be applied to a list, identifier, comprehension, call or select expression' });
    } else if (args[0].exprKind.case !== 'identExpr') {
      errors.push({ at: args[0], message: 'argument is not an identifier' });
    } else if (args[0].exprKind.value.name === '__result__') {
      errors.push({ at: args[0], message: 'iteration variable overwrites accumulator variable' });
    }
    return e;
  };
  visit(root);
  return errors;
}

export function lowerSortBy(root: Expr): Expr {
  const ast = new AstBuilder(root);
  const lower = (e: Expr): Expr => {
    replaceChildren(e, lower);
    if (e.exprKind.case !== 'callExpr') return e;
    const c = e.exprKind.value;
    const [binding, key] = c.args;
    if (c.function !== 'sortBy' || !c.target || c.args.length !== 2 || binding.exprKind.case !== 'identExpr') return e;
    const input = `@kdry_sortBy_input${e.id}`;
    const keys = `@kdry_sortBy_keys${e.id}`;
    const mapped = ast.comprehension({
      iterVar: binding.exprKind.value.name,
      iterRange: ast.ident(input),
      accuVar: keys,
      accuInit: ast.list([]),
      loopCondition: ast.bool(true),
      loopStep: ast.call('_+_', [ast.ident(keys), ast.list([key])]),
      result: ast.ident(keys),
    });
    return ast.comprehension({
      iterVar: '#unused',
      iterRange: ast.list([]),
      accuVar: input,
      accuInit: c.target,
      loopCondition: ast.bool(false),
      loopStep: ast.ident(input),
      result: ast.call(SORT_BY_ASSOCIATED_KEYS, [mapped], ast.ident(input)),
    });
  };
  return lower(root);
}
