// `yaml`'s parseDocument with a limit on how deeply collections nest. The library composes each
// collection inside its parent by recursion, so a document nested ~800 levels deep (a 200 KB line
// of `[`) ran it out of stack: after ~1 s of CPU on every keystroke, and near the stack's end V8
// could abort the whole process compiling a regular expression. Here the lexer's tokens are counted
// on their way to the parser, and the parse stops at the first collection past MAX_NESTING: the
// text before it is parsed as usual (hover and the outline still see its top-level keys), with one
// error at that collection. The lexer tells quoted, block and plain scalars and comments from
// structure exactly as the parser does (a `[` inside them is no collection), and it stops early.
// The API server's YAML reader refuses nesting past 10,000 (goyaml.v2 scannerc.go `max_flow_level`,
// `max_indents`); no manifest comes near either limit.
import { Composer, Document, Lexer, Parser, YAMLParseError, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

/** Collections nested deeper than this are not read: about half of what the library's recursion reached on Node 20's default stack (~800 flow, ~900 block levels). */
export const MAX_NESTING = 400;

export const TOO_DEEP_MESSAGE = `This YAML nests too deeply to be read: more than ${MAX_NESTING} collections inside each other here; no manifest needs that many levels, so the document is not checked`;

// The lexer's control tokens, which stand for no text (yaml's cst.ts: DOCUMENT, FLOW_END, SCALAR).
const DOCUMENT = '\x02';
const FLOW_END = '\x18';
const SCALAR = '\x1f';

/** parseDocument(source, options), stopped before a collection nested past MAX_NESTING (see the top of this file). */
export function parseDocumentWithin(source: string, options: ParseOptions & DocumentOptions & SchemaOptions): Document.Parsed {
  const nesting = new Nesting();
  const parser = new Parser();
  const composer = new Composer(options);
  let cut = -1;
  function* tokens() {
    for (const lexeme of new Lexer().lex(source)) {
      if (nesting.tooDeep(lexeme)) {
        cut = nesting.lexemeAt;
        break;
      }
      yield* parser.next(lexeme);
    }
    yield* parser.end();
  }
  // As parseDocument: the first document, and an error if there is another.
  let doc: Document.Parsed | undefined;
  for (const composed of composer.compose(tokens(), true, source.length)) {
    if (!doc) doc = composed;
    else {
      doc.errors.push(new YAMLParseError([composed.range[0], composed.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  if (cut >= 0) {
    // What the parser says about the collections the cut left open is not in the text: one error says why.
    doc!.errors = [];
    doc!.errors.push(new YAMLParseError([cut, cut + 1], 'RESOURCE_EXHAUSTION', TOO_DEEP_MESSAGE));
  }
  return doc!;
}

/**
 * How deeply the collections open at the lexer's position nest: flow collections by their brackets,
 * block collections by the columns of their indicators (`- `, `? `, a key's `:`), closed by a line
 * that starts left of them.
 */
class Nesting {
  /** Where the last lexeme taken begins in the text, and the next one. */
  lexemeAt = 0;
  private offset = 0;
  private lineStart = 0;
  private flow = 0;
  /** The open block collections, outermost first: their columns, and whether each is a sequence. */
  private columns: number[] = [];
  private sequences: boolean[] = [];
  /** The first lexeme with text on a line is yet to come. */
  private atLineStart = true;
  /** Where the node before the next block indicator began on this line (-1: none yet), and its offset. */
  private nodeColumn = -1;
  private nodeAt = 0;
  /** The last lexeme was a block scalar's header: its body (which begins a line, with its indentation) comes next. */
  private blockScalarNext = false;
  private scalarNext = false;

  /** Takes `lexeme`; true when it opens a collection past MAX_NESTING (it starts at `lexemeAt`). */
  tooDeep(lexeme: string): boolean {
    if (lexeme === DOCUMENT || lexeme === FLOW_END || lexeme === SCALAR) {
      if (lexeme === DOCUMENT) this.reset();
      else if (lexeme === FLOW_END) this.flow = 0;
      else this.scalarNext = true;
      return false;
    }
    const at = (this.lexemeAt = this.offset);
    const column = at - this.lineStart;
    const scalar = this.scalarNext;
    this.scalarNext = false;
    this.offset += lexeme.length;
    if (scalar) return this.scalar(lexeme, at, column);
    const c = lexeme.charCodeAt(0);
    if (c === 10 || (c === 13 && lexeme.charCodeAt(1) === 10)) {
      this.newLine();
      return false;
    }
    if (c === 32 || c === 9 || c === 35 || lexeme.length === 0) return false; // spaces, a comment
    if (this.flow === 0 && this.atLineStart) {
      this.atLineStart = false;
      this.closeBlocksRightOf(column);
    }
    switch (lexeme) {
      case '[':
      case '{':
        if (this.flow === 0) this.nodeStarts(column, at);
        this.flow++;
        return this.depth() > MAX_NESTING;
      case ']':
      case '}':
        if (this.flow > 0) this.flow--;
        return false;
      case '-':
      case '?':
        if (this.flow > 0) return false;
        this.nodeColumn = -1;
        return this.openBlock(column, lexeme === '-');
      case ':':
        if (this.flow > 0) return false;
        {
          // A key's map begins at the key: so does the cut.
          if (this.nodeColumn >= 0) this.lexemeAt = this.nodeAt;
          const keyColumn = this.nodeColumn >= 0 ? this.nodeColumn : column;
          this.nodeColumn = -1;
          return this.openBlock(keyColumn, false);
        }
      case '---':
      case '...':
        this.reset();
        return false;
    }
    if (c === 124 || c === 62) this.blockScalarNext = true; // `|`, `>`: a block scalar's header
    else if (c === 34 || c === 39) this.multiLine(lexeme, at); // a quoted scalar
    this.nodeStarts(column, at); // an anchor, tag, alias or quoted scalar
    return false;
  }

  private scalar(text: string, at: number, column: number): boolean {
    if (this.blockScalarNext) {
      // The body ends at a line start (it holds its last line break).
      this.blockScalarNext = false;
      if (text.length > 0) this.newLine(at + text.length);
      return false;
    }
    if (this.flow === 0 && this.atLineStart) {
      this.atLineStart = false;
      this.closeBlocksRightOf(column);
    }
    this.nodeStarts(column, at);
    this.multiLine(text, at);
    return false;
  }

  private nodeStarts(column: number, at: number): void {
    if (this.nodeColumn >= 0) return;
    this.nodeColumn = column;
    this.nodeAt = at;
  }

  /** A scalar over several lines: the next lexeme's column counts from its last line. */
  private multiLine(text: string, at: number): void {
    const nl = text.lastIndexOf('\n');
    if (nl >= 0) this.lineStart = at + nl + 1;
  }

  private newLine(at = this.offset): void {
    this.lineStart = at;
    this.atLineStart = true;
    this.nodeColumn = -1;
  }

  private reset(): void {
    this.flow = 0;
    this.columns.length = 0;
    this.sequences.length = 0;
    this.nodeColumn = -1;
  }

  private depth(): number {
    return this.columns.length + this.flow;
  }

  /** A line's first node at `column` closes the block collections right of it. */
  private closeBlocksRightOf(column: number): void {
    while (this.columns.length > 0 && this.columns[this.columns.length - 1] > column) this.pop();
  }

  /**
   * A block indicator of a sequence (`- `) or map (`? `, a key's `:`) at `column`: an entry of the
   * collection open there, or a new one inside it (a sequence may stand at its key's column).
   */
  private openBlock(column: number, sequence: boolean): boolean {
    const top = () => this.columns.length - 1;
    while (top() >= 0 && (this.columns[top()] > column || (this.columns[top()] === column && this.sequences[top()] && !sequence))) this.pop();
    if (top() >= 0 && this.columns[top()] === column && this.sequences[top()] === sequence) return false;
    this.columns.push(column);
    this.sequences.push(sequence);
    return this.depth() > MAX_NESTING;
  }

  private pop(): void {
    this.columns.pop();
    this.sequences.pop();
  }
}
