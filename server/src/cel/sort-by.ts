// cel-go's `sortBy` macro (ext/lists.go sortByMacro, ListsVersion 2, in the Kubernetes environment
// from 1.34): `list.sortBy(e, key)` sorts the list by the key each item gives. The CEL runtime kdry
// uses has no such macro, so it is lowered as cel-go expands it:
//   cel.bind(@input, list, @input.@sortByAssociatedKeys(@input.map(e, key)))
// (the bind is a comprehension over an empty list whose accumulator holds the list, so the list is
// evaluated once); @sortByAssociatedKeys is library/ext-lists.ts's.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { AstBuilder, replaceChildren } from './ast-builder';
import { SORT_BY_ASSOCIATED_KEYS } from './library/ext-lists';

// The macro's errors (a variable that is not a name, a target it cannot sort) are macro-errors.ts's.
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
