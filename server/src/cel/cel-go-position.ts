// Where cel-go places an expression, from where the CEL parser kdry uses places it. Both record one
// offset per expression id, and they agree except on calls:
// - a function call, global or member, is at its '(' in cel-go (parser.go VisitGlobalCall:
//   ctx.GetOp(), VisitMemberCall: ctx.GetOpen()), at its name or the '.' before it in kdry's parser;
// - a binary operator is at the operator token in cel-go (VisitCalc, VisitRelation: ctx.GetOp()),
//   at the end of the left operand in kdry's parser. Worked example: in `x  +  1` cel-go places
//   the call at 3 (the '+'), kdry's parser at 1, so the whitespace after 1 is skipped.
// (`&&`, `||` and `?:` kdry's parser places at the start of their first operand; not corrected.)
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

const BINARY_OPERATORS = new Set(['_+_', '_-_', '_*_', '_/_', '_%_', '_<_', '_<=_', '_>_', '_>=_', '_==_', '_!=_', '@in']);

export function celGoOffset(source: string, e: Expr, parsedOffset: number): number {
  if (e.exprKind.case !== 'callExpr') return parsedOffset;
  const fn = e.exprKind.value.function;
  if (/^[A-Za-z]/.test(fn)) {
    const paren = source.indexOf('(', parsedOffset);
    return paren < 0 ? parsedOffset : paren;
  }
  if (!BINARY_OPERATORS.has(fn)) return parsedOffset;
  let at = parsedOffset;
  while (at < source.length && /\s/.test(source[at])) at++;
  return at;
}
