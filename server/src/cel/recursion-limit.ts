// cel-go parser/parser.go recursionListener: past 250 nested entries of one grammar rule the parse
// stops with "expression recursion limit exceeded: 250". kdry's own parser reads deeper
// expressions, so one that may reach that depth is handed to cel-go's grammar
// (cel-go-syntax-error.ts, loaded only then). A rule's nesting is bounded by the brackets around
// it plus the syntax tree's depth (left-recursive chains such as `a.b.c` or `1 + 2 + 3` nest in
// the tree, parentheses only in the text), so below that bound no rule can reach the limit.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { childrenOf } from './ast-builder';

/** parser.go NewParser's maxRecursionDepth default, kept by the API server. */
const MAX_RECURSION_DEPTH = 250;
/** Rules entered once per expression level (expr, conditionalOr ... primary) beyond the two bounds. */
const MARGIN = 4;

export function mayExceedRecursionLimit(source: string, root: Expr | undefined): boolean {
  const bracketDepth = maxBracketDepth(source);
  if (bracketDepth + MARGIN > MAX_RECURSION_DEPTH) return true;
  return root !== undefined && bracketDepth + treeDepth(root, MAX_RECURSION_DEPTH) + MARGIN > MAX_RECURSION_DEPTH;
}

/** The deepest nesting of ( [ { in the text (brackets inside strings count too: an overestimate only). */
function maxBracketDepth(source: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) max = Math.max(max, ++depth);
    else if ((c === 41 || c === 93 || c === 125) && depth > 0) depth--;
  }
  return max;
}

/** The tree's depth, counted up to `cap` (iterative: the tree may be deep). */
function treeDepth(root: Expr, cap: number): number {
  let max = 0;
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop()!;
    if (depth > max) max = depth;
    if (max >= cap) return max;
    for (const child of childrenOf(e)) stack.push([child, depth + 1]);
  }
  return max;
}
