// cel-go parser/parser.go: an expression of more than ExpressionSizeCodePointLimit code points
// (NewParser's default 100,000, which the API server keeps) is not parsed at all: the error
// "expression code point size exceeds limit: size: N, limit 100000", at no location.
import type { CelError } from './display-errors';

export const EXPRESSION_SIZE_CODE_POINT_LIMIT = 100_000;

/** The parser's size error for `source`, or undefined within the limit. */
export function expressionSizeError(source: string): CelError | undefined {
  // A code point takes one or two UTF-16 units: only a longer string can exceed the limit.
  if (source.length <= EXPRESSION_SIZE_CODE_POINT_LIMIT) return undefined;
  let size = 0;
  for (const _ of source) size++;
  return size > EXPRESSION_SIZE_CODE_POINT_LIMIT ? { line: -1, column: -1, message: `expression code point size exceeds limit: size: ${size}, limit ${EXPRESSION_SIZE_CODE_POINT_LIMIT}` } : undefined;
}
