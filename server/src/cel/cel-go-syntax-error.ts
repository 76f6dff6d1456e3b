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
//   "mismatched input 'true' expecting IDENTIFIER".
// - common/errors.go ToDisplayString sorts the errors by line, then column; common/error.go shows
//   each as "ERROR: <input>:<line>:<column + 1>: <message>" (columns in code points). kdry gives the
//   first one, without the source snippet cel-go appends, as it does for its type errors.
// - Not reproduced, so undefined here (the caller keeps kdry's own wording): cel-go's recursion
//   limit (parser.go recursionListener: "expression recursion limit exceeded: 250"), which kdry
//   only uses to stop, and the errors cel-go's visitor reports on a tree the grammar accepts
//   ("reserved identifier", "invalid int literal", "unsupported syntax '?'").
import { BaseErrorListener, CharStream, CommonTokenStream, type ParserRuleContext, type ParseTreeListener, type Recognizer, type Token, type ATNSimulator, type RecognitionException } from 'antlr4ng';
import { CELLexer } from './cel-go-grammar/generated/CELLexer';
import { CELParser } from './cel-go-grammar/generated/CELParser';

/** cel-go parser.go NewParser: maxRecursionDepth defaults to 250 per grammar rule. */
const MAX_RULE_DEPTH = 250;

/** cel-go parser.go: reservedIdentifier and mismatchedReservedIdentifier. */
const RESERVED_AFTER_DOT = /no viable alternative at input '.(true|false|null)'/g;

interface SyntaxError {
  line: number;
  /** 0-based, in code points. */
  column: number;
  message: string;
}

class Collector extends BaseErrorListener {
  readonly errors: SyntaxError[] = [];
  override syntaxError<S extends Token, T extends ATNSimulator>(_r: Recognizer<T>, _symbol: S | null, line: number, column: number, msg: string, _e: RecognitionException | null): void {
    const message = msg.includes('no viable alternative') ? msg.replace(RESERVED_AFTER_DOT, "mismatched input '$1' expecting IDENTIFIER") : msg;
    this.errors.push({ line, column, message: `Syntax error: ${message}` });
  }
}

class TooDeep extends Error {}

/** cel-go's recursionListener: depth counted per grammar rule; past the limit kdry stops (see the header). */
function depthGuard(): ParseTreeListener {
  const depth = new Map<number, number>();
  return {
    visitTerminal() {},
    visitErrorNode() {},
    enterEveryRule(ctx: ParserRuleContext) {
      const d = (depth.get(ctx.ruleIndex) ?? 0) + 1;
      depth.set(ctx.ruleIndex, d);
      if (d > MAX_RULE_DEPTH) throw new TooDeep();
    },
    exitEveryRule(ctx: ParserRuleContext) {
      const d = depth.get(ctx.ruleIndex) ?? 0;
      if (d > 0) depth.set(ctx.ruleIndex, d - 1);
    },
  };
}

/**
 * The first of cel-go's syntax errors for `source`, as "<input>:<line>:<column>: Syntax error: ...",
 * or undefined when cel-go's grammar accepts it or kdry cannot say (see the header).
 */
export function celGoSyntaxError(source: string): string | undefined {
  const collector = new Collector();
  const lexer = new CELLexer(CharStream.fromString(source));
  lexer.removeErrorListeners();
  lexer.addErrorListener(collector);
  const parser = new CELParser(new CommonTokenStream(lexer));
  parser.removeErrorListeners();
  parser.addErrorListener(collector);
  parser.addParseListener(depthGuard());
  try {
    parser.start();
  } catch (err) {
    if (err instanceof TooDeep || err instanceof RangeError) return undefined;
    throw err;
  }
  // common/errors.go ToDisplayString: a stable sort by line, then column.
  const first = [...collector.errors].sort((a, b) => a.line - b.line || a.column - b.column)[0];
  return first && `<input>:${first.line}:${first.column + 1}: ${first.message}`;
}
