// A CEL compile error set as cel-go prints it, and so as the API server shows it after
// "compilation failed: " (apiextensions-apiserver schema/cel/compilation.go: issues.String(), which
// is common/errors.go Errors.ToDisplayString):
// - only the first 100 reported are kept (maxErrorsToReport: ReportErrorAtID counts the others
//   but drops them), then "<n> more errors were truncated";
// - those sorted by line, then column, stably (sort.SliceStable), so errors at one place keep
//   the order they were reported in;
// - each one (common/error.go Error.ToDisplayString) as "ERROR: <input>:<line>:<column + 1>: <message>",
//   followed, when its source line is at most 16,384 bytes (maxSnippetLength), by that line (tabs
//   shown as spaces) and a marker line: one '.' per code point before the column ('．' U+FF0E for a
//   code point of more than one UTF-8 byte) and '^' ('＾' U+FF3E when the marked code point is wide).
// Worked example: `self.a + +` fails at line 1, column 9 (0-based), so the marker is 9 dots and a caret:
//   ERROR: <input>:1:10: Syntax error: mismatched input '+' expecting {...}
//    | self.a + +
//    | .........^

export interface CelError {
  /** 1-based line. */
  line: number;
  /** 0-based column, in code points. */
  column: number;
  message: string;
}

const MAX_ERRORS_TO_REPORT = 100;
const MAX_SNIPPET_LENGTH = 16384;

/** common/errors.go ToDisplayString over `errors` reported (in that order) against `source`. */
export function displayErrors(source: string, errors: readonly CelError[]): string {
  const lines = source.length === 0 ? [] : source.split('\n');
  const shown = shownInOrder(errors).map((e) => displayError(e, lines));
  if (errors.length > MAX_ERRORS_TO_REPORT) shown.push(`${errors.length - MAX_ERRORS_TO_REPORT} more errors were truncated`);
  return shown.join('\n');
}

/** The errors ToDisplayString shows, in its order: the first 100 reported, sorted stably by line then column. */
function shownInOrder(errors: readonly CelError[]): CelError[] {
  return errors
    .slice(0, MAX_ERRORS_TO_REPORT)
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.line - b.e.line || a.e.column - b.e.column || a.i - b.i)
    .map(({ e }) => e);
}

/** The error ToDisplayString shows first, as `<input>:<line>:<column + 1>: <message>` (the API server's one-line wording); undefined for none. */
export function firstError(errors: readonly CelError[]): string | undefined {
  const [first] = shownInOrder(errors);
  return first && `<input>:${first.line}:${first.column + 1}: ${first.message}`;
}

/** common/error.go Error.ToDisplayString. */
function displayError(e: CelError, lines: readonly string[]): string {
  const head = `ERROR: <input>:${e.line}:${e.column + 1}: ${e.message}`;
  const line = lines[e.line - 1];
  // common/source.go Snippet: found for a line the source has (none in an empty source).
  if (line === undefined || Buffer.byteLength(line, 'utf8') > MAX_SNIPPET_LENGTH) return head;
  const snippet = line.replace(/\t/g, ' ');
  const codePoints = [...snippet];
  const wide = (c: string | undefined) => c !== undefined && c.codePointAt(0)! > 0x7f;
  const dots = codePoints.slice(0, e.column).map((c) => (wide(c) ? '\uff0e' : '.')).join('');
  const caret = wide(codePoints[e.column]) ? '\uff3e' : '^';
  return `${head}\n | ${snippet}\n | ${dots}${caret}`;
}

/** The errors of `errors` that have an offset in `source`, each at its line and column. */
export function placedErrors(source: string, errors: readonly { offset?: number; message: string }[]): CelError[] {
  return errors.filter((e) => e.offset !== undefined).map((e) => ({ ...locationOf(source, e.offset!), message: e.message }));
}

/** The line and code-point column of a UTF-16 `offset` in `source`. */
export function locationOf(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length };
}

/** cel-go's display of errors found at offsets of `source`; one kdry cannot place is shown without a location, last. */
export function displayLocatedErrors(source: string, errors: readonly { offset?: number; message: string }[]): string {
  const placed = placedErrors(source, errors);
  const unplaced = errors.filter((e) => e.offset === undefined).map((e) => `ERROR: ${e.message}`);
  return [...(placed.length ? [displayErrors(source, placed)] : []), ...unplaced].join('\n');
}
