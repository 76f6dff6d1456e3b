// Where cel-go places an expression, from where the CEL parser kdry uses places it. Both record one
// offset per expression id, and they agree except on binary operators: cel-go records the operator
// token (parser.go VisitCalc, VisitRelation: p.helper.id(ctx.GetOp())), kdry's parser the end of
// the left operand. Worked example: in `x  +  1` cel-go places the call at 3 (the '+'), kdry's
// parser at 1, so the whitespace after 1 is skipped. (`&&`, `||` and `?:` kdry's parser places at
// the start of their first operand; errors there are not corrected.)
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

const BINARY_OPERATORS = new Set(['_+_', '_-_', '_*_', '_/_', '_%_', '_<_', '_<=_', '_>_', '_>=_', '_==_', '_!=_', '@in']);

export function celGoOffset(source: string, e: Expr, parsedOffset: number): number {
  if (e.exprKind.case !== 'callExpr' || !BINARY_OPERATORS.has(e.exprKind.value.function)) return parsedOffset;
  let at = parsedOffset;
  while (at < source.length && /\s/.test(source[at])) at++;
  return at;
}
