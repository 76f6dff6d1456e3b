// A CEL expression's first syntax error worded as cel-go words it, for expressions kdry's own parser
// (cel-es) rejects. cel-go's syntax errors are ANTLR's messages for its grammar: "mismatched input
// ')' expecting {...}", "extraneous input ...", "no viable alternative at input ...", "token
// recognition error at: ...", whose expected-token sets come from the grammar's ATN. So kdry runs
// the parser antlr-ng generates from cel-go's own CEL.g4 (./cel-go-grammar/), with ANTLR's default
// error strategy, as cel-go does (parser/parser.go parse()). It is loaded only when kdry's parser
// has already rejected an expression (see loadCelGoSyntaxError), so a valid rule never pays for it.
//
// What is cel-go's, and what is not:
// - parser.go SyntaxError: "Syntax error: " + ANTLR's message, at the offending token's line and
//   column; "no viable alternative at input '.true'" (a reserved word after a dot) is reworded
//   "mismatched input 'true' expecting IDENTIFIER". Past 100 reports (errorReportingLimit) it
//   reports "More than 100 syntax errors" and stops.
// - parser.go recoveryLimitErrorStrategy: at the 31st recovery (errorRecoveryLimit 30) "error
//   recovery attempt limit exceeded: 30" at the current token, then stop; one recovery may consume
//   at most 256 tokens (lookaheadConsumer), past which the internal error "error recovery token
//   lookahead limit exceeded: 256" stops the parse. recursionListener: past 250 nested rules of one
//   kind, the internal error "expression recursion limit exceeded: 250". A left-recursive chain
//   (`a.b.c...`, `1 + 2 + ...`) never nests there (the generated parser exits the rule before it
//   re-enters it), but parser.go Visit counts it: checkAndIncrementRecursionDepth on each ternary,
//   relation, arithmetic operator, select, member call and index it visits inside another, so past
//   250 of them "max recursion depth exceeded" (checked here on a tree the grammar accepts). Internal
//   errors have no location (common.NoLocation: line -1, column -1).
// - Every error is shown by ./display-errors.ts as common/errors.go ToDisplayString shows them.
// - Not reproduced, so undefined here (the caller keeps kdry's own wording): a stack overflow in the
//   generated parser, and the errors cel-go's visitor reports on a tree the grammar accepts
//   ("reserved identifier", "invalid int literal", "unsupported syntax '?'"). When the grammar
//   rejects the expression, the visitor's errors on the recovered tree are not added either.
import { BaseErrorListener, CharStream, CommonTokenStream, DefaultErrorStrategy, ParserRuleContext, type Parser, type ParseTree, type ParseTreeListener, type Recognizer, type Token, type ATNSimulator, type RecognitionException } from 'antlr4ng';
import { CELLexer } from './cel-go-grammar/generated/CELLexer';
import { CalcContext, CELParser, ExprContext, IndexContext, MemberCallContext, RelationContext, SelectContext } from './cel-go-grammar/generated/CELParser';
import type { CelError } from './display-errors';

/** cel-go parser.go options (MaxRecursionDepth, ErrorReportingLimit, ErrorRecoveryLimit, ErrorRecoveryLookaheadTokenLimit). */
export interface ParserLimits {
  maxRecursionDepth: number;
  errorReportingLimit: number;
  errorRecoveryLimit: number;
  errorRecoveryLookaheadTokenLimit: number;
}

/** NewParser's defaults, which the API server keeps. */
const DEFAULT_LIMITS: ParserLimits = { maxRecursionDepth: 250, errorReportingLimit: 100, errorRecoveryLimit: 30, errorRecoveryLookaheadTokenLimit: 256 };

/** cel-go parser.go: reservedIdentifier and mismatchedReservedIdentifier. */
const RESERVED_AFTER_DOT = /no viable alternative at input '.(true|false|null)'/g;

/** Ends the parse, as cel-go's panics do; `internal` is reported at no location. */
class Stop extends Error {
  constructor(readonly internal?: string) {
    super(internal ?? 'stop');
  }
}

class Collector extends BaseErrorListener {
  readonly errors: CelError[] = [];
  constructor(private readonly limit: number) {
    super();
  }
  override syntaxError<S extends Token, T extends ATNSimulator>(_r: Recognizer<T>, _symbol: S | null, line: number, column: number, msg: string, _e: RecognitionException | null): void {
    const message = msg.includes('no viable alternative') ? msg.replace(RESERVED_AFTER_DOT, "mismatched input '$1' expecting IDENTIFIER") : msg;
    if (this.errors.length < this.limit) {
      this.errors.push({ line, column, message: `Syntax error: ${message}` });
      return;
    }
    this.errors.push({ line, column, message: `Syntax error: More than ${this.limit} syntax errors` });
    throw new Stop();
  }
}

/** parser.go recoveryLimitErrorStrategy with its lookaheadConsumer. */
class RecoveryLimitErrorStrategy extends DefaultErrorStrategy {
  private attempts = 0;
  constructor(private readonly limits: ParserLimits) {
    super();
  }

  override recover(recognizer: Parser, e: RecognitionException): void {
    this.checkAttempts(recognizer);
    this.limitLookahead(recognizer, () => super.recover(recognizer, e));
  }

  override recoverInline(recognizer: Parser): Token {
    this.checkAttempts(recognizer);
    return this.limitLookahead(recognizer, () => super.recoverInline(recognizer));
  }

  private checkAttempts(recognizer: Parser): void {
    if (this.attempts++ === this.limits.errorRecoveryLimit) {
      recognizer.notifyErrorListeners(`error recovery attempt limit exceeded: ${this.limits.errorRecoveryLimit}`, null, null);
      throw new Stop();
    }
  }

  private limitLookahead<T>(recognizer: Parser, recover: () => T): T {
    const consume = recognizer.consume;
    const limit = this.limits.errorRecoveryLookaheadTokenLimit;
    let consumed = 0;
    recognizer.consume = function (this: Parser) {
      if (consumed++ >= limit) throw new Stop(`error recovery token lookahead limit exceeded: ${limit}`);
      return consume.call(this);
    };
    try {
      return recover();
    } finally {
      recognizer.consume = consume;
    }
  }
}

/** cel-go's recursionListener: depth counted per grammar rule. */
function depthGuard(maxDepth: number): ParseTreeListener {
  const depth = new Map<number, number>();
  return {
    visitTerminal() {},
    visitErrorNode() {},
    enterEveryRule(ctx: ParserRuleContext) {
      const d = (depth.get(ctx.ruleIndex) ?? 0) + 1;
      depth.set(ctx.ruleIndex, d);
      if (d > maxDepth) throw new Stop(`expression recursion limit exceeded: ${maxDepth}`);
    },
    exitEveryRule(ctx: ParserRuleContext) {
      const d = depth.get(ctx.ruleIndex) ?? 0;
      if (d > 0) depth.set(ctx.ruleIndex, d - 1);
    },
  };
}

/** The contexts parser.go Visit wraps in checkAndIncrementRecursionDepth (unnest passes an operator-less expr, relation or calc down). */
function countsTowardDepth(node: ParseTree): boolean {
  if (node instanceof ExprContext || node instanceof RelationContext || node instanceof CalcContext) return node._op !== undefined && node._op !== null;
  return node instanceof SelectContext || node instanceof MemberCallContext || node instanceof IndexContext;
}

/** Whether Visit's depth passes `max` anywhere in the tree (iterative: a chain may be long). */
function visitDepthExceeds(root: ParseTree, max: number): boolean {
  const stack: [ParseTree, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, above] = stack.pop()!;
    const depth = above + (countsTowardDepth(node) ? 1 : 0);
    if (depth > max) return true;
    if (node instanceof ParserRuleContext) for (const child of node.children) stack.push([child, depth]);
  }
  return false;
}

/**
 * cel-go's parse errors for `source`, in the order cel-go reports them, or undefined when cel-go's
 * grammar accepts it or kdry cannot say (see the header).
 */
export function celGoSyntaxErrors(source: string, limits: ParserLimits = DEFAULT_LIMITS): CelError[] | undefined {
  const collector = new Collector(limits.errorReportingLimit);
  const lexer = new CELLexer(CharStream.fromString(source));
  lexer.removeErrorListeners();
  lexer.addErrorListener(collector);
  const parser = new CELParser(new CommonTokenStream(lexer));
  parser.removeErrorListeners();
  parser.addErrorListener(collector);
  parser.addParseListener(depthGuard(limits.maxRecursionDepth));
  parser.errorHandler = new RecoveryLimitErrorStrategy(limits);
  try {
    const tree = parser.start();
    if (collector.errors.length === 0 && visitDepthExceeds(tree, limits.maxRecursionDepth)) collector.errors.push({ line: -1, column: -1, message: 'max recursion depth exceeded' });
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    if (!(err instanceof Stop)) throw err;
    if (err.internal) collector.errors.push({ line: -1, column: -1, message: err.internal });
  }
  return collector.errors.length ? collector.errors : undefined;
}
