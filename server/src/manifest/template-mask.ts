// Go/Helm templates: what can be checked before rendering. Each `{{ ... }}` action is masked in
// place (same length, so every offset still points into the user's text): an action alone on its
// line (`{{- if ... }}`, `{{ include ... | nindent 4 }}`) becomes an empty line, one inside a line
// becomes a placeholder scalar. What is written literally around the actions (keys, fixed values)
// can then be read as YAML; findings that touch a masked action are not reported.

/** The placeholder character: a letter, so a masked action reads as a plain scalar or key. */
export const TEMPLATE_PLACEHOLDER = 'ǂ';

export interface MaskedTemplate {
  /** The source with every action masked, as long as the source. */
  masked: string;
  /** Where the actions were, as [start, end) offsets into the source. */
  spans: [number, number][];
  /** What `if`, `with`, `range`, `define` and `block` actions enclose (up to their `end`): rendered conditionally, repeatedly or elsewhere. */
  blocks: [number, number][];
}

export function maskTemplateActions(source: string): MaskedTemplate {
  const spans = templateActions(source);
  // UTF-16 code units, not a string per character: a 1.3 MB chart line was 1.3 million strings to collect.
  const chars = new Uint16Array(source.length);
  for (let i = 0; i < source.length; i++) chars[i] = source.charCodeAt(i);
  for (const [start, end] of spans) for (let i = start; i < end; i++) if (chars[i] !== LF && chars[i] !== CR) chars[i] = PLACEHOLDER;
  for (const span of spans) if (opensIndentedBlock(source, chars, span)) for (let i = span[0]; i < span[1]; i++) if (chars[i] === PLACEHOLDER) chars[i] = SPACE;
  // Lines that hold only actions (control flow, included blocks) are emptied. A line of spaces would
  // not do: inside a block scalar YAML reads it as content (and rejects a leading one indented
  // deeper than the text). So each run of such lines, with the whitespace before it back to the
  // last written character, is rewritten as its spaces first (trailing spaces on that written
  // line), then its line breaks: same length, same line count. One pass, one rewrite per run.
  let lineStart = 0;
  let written = 0; // just past the last non-blank character of the last line with text
  let emptied = -1; // end of the pending run of action-only lines
  for (let i = 0; i <= chars.length; i++) {
    if (i < chars.length && chars[i] !== LF) continue;
    const line = lineKind(chars, lineStart, i);
    if (line === 'actions') emptied = i < chars.length ? i + 1 : i;
    else if (line === 'text') {
      if (emptied >= 0) spacesThenBreaks(chars, written, emptied);
      emptied = -1;
      written = i;
      while (written > 0 && (chars[written - 1] === SPACE || chars[written - 1] === TAB || chars[written - 1] === CR)) written--;
    }
    lineStart = i + 1;
  }
  if (emptied >= 0) spacesThenBreaks(chars, written, emptied);
  return { masked: fromCodes(chars), spans, blocks: controlBlocks(source, spans) };
}

/** The string of these code units, lone surrogates kept (a TextDecoder would replace them). */
function fromCodes(chars: Uint16Array): string {
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += 8192) pieces.push(String.fromCharCode(...chars.subarray(i, i + 8192)));
  return pieces.join('');
}

const PLACEHOLDER = TEMPLATE_PLACEHOLDER.charCodeAt(0);
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;

/** Indentation, a list dash, a key: what may precede an action that ends its line. */
const BEFORE_TRAILING_ACTION = /^( *)(- +)?([^\s#"'-][^#]*?: *)?$/;
/** How far to look for the line after a trailing action (past lines of actions only). */
const LOOKAHEAD_LINES = 50;

/**
 * `labels: {{- include "labels" . | nindent 4 }}` or `- {{ toYaml . | nindent 8 }}` followed by
 * deeper-indented lines: the action renders the start of a block the written lines continue, so it
 * is blanked (an empty value or list item the lines below fill) rather than made a scalar.
 */
function opensIndentedBlock(source: string, chars: Uint16Array, [start, end]: [number, number]): boolean {
  let lineEnd = blankToLineEnd(source, end);
  if (lineEnd < 0) return false;
  // Only the last action of a line gets here, so the text before it is read once per line.
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const before = BEFORE_TRAILING_ACTION.exec(source.slice(lineStart, start));
  if (!before) return false;
  const [, indent, dash, key] = before;
  if (dash === undefined && key === undefined) return false; // alone on its line: emptied with the others
  // The lines below continue the key's value (its column is after any dash), or the list item.
  const column = indent.length + (key !== undefined ? (dash?.length ?? 0) : 0);
  for (let n = 0; n < LOOKAHEAD_LINES && lineEnd < source.length; n++) {
    const next = lineEnd + 1;
    lineEnd = source.indexOf('\n', next);
    if (lineEnd < 0) lineEnd = source.length;
    if (lineKind(chars, next, lineEnd) !== 'text') continue;
    let deeper = 0;
    while (source[next + deeper] === ' ') deeper++;
    return deeper > column;
  }
  return false;
}

/**
 * The line break after `from` when only whitespace (what `trim` removes) lies between; -1 when text
 * follows first or no line break does. It stops at the first other character, at the latest the next
 * action's `{{`, so the calls for all the actions of a line read it once together, not once each.
 */
export function blankToLineEnd(source: string, from: number): number {
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '\n') return i;
    if (!/\s/.test(c)) return -1;
  }
  return -1;
}

/**
 * A line of actions may end in a YAML comment (`{{- if .Values.x }}  # why`, valid Helm): the
 * comment belongs to no value, so the line is still one of actions only, emptied with its comment.
 */
function lineKind(chars: Uint16Array, start: number, end: number): 'actions' | 'blank' | 'text' {
  let actions = false;
  for (let j = start; j < end; j++) {
    const c = chars[j];
    if (c === PLACEHOLDER) actions = true;
    else if (c === HASH && actions && (chars[j - 1] === SPACE || chars[j - 1] === TAB)) return 'actions';
    else if (c !== SPACE && c !== TAB && c !== CR) return 'text';
  }
  return actions ? 'actions' : 'blank';
}

/** Rewrites [from, to) as spaces followed by the line breaks it holds, in order. */
function spacesThenBreaks(chars: Uint16Array, from: number, to: number): void {
  const breaks: number[] = [];
  for (let j = from; j < to; j++) if (chars[j] === LF) breaks.push(...(chars[j - 1] === CR ? [CR, LF] : [LF]));
  for (let j = from; j < to - breaks.length; j++) chars[j] = SPACE;
  for (let j = 0; j < breaks.length; j++) chars[to - breaks.length + j] = breaks[j];
}

const OPENS_BLOCK = new Set(['if', 'with', 'range', 'define', 'block']);

/** The text between each block-opening action and its matching `end`, outermost included. */
function controlBlocks(source: string, spans: [number, number][]): [number, number][] {
  const blocks: [number, number][] = [];
  const open: number[] = [];
  for (const [start, end] of spans) {
    const keyword = /^\{\{-?\s*(\w+)/.exec(source.slice(start, Math.min(end, start + 32)))?.[1] ?? '';
    if (OPENS_BLOCK.has(keyword)) open.push(end);
    else if (keyword === 'end' && open.length > 0) blocks.push([open.pop()!, start]);
  }
  return blocks;
}

/**
 * Where each `{{ ... }}` action is, as Go's text/template lexer delimits it: a comment action
 * (opened by a slash and a star) ends at its closing star and slash, and a quoted or raw string
 * inside an action may hold `}}`. One linear pass; an action left open ends the scan.
 */
export function templateActions(source: string): [number, number][] {
  const spans: [number, number][] = [];
  for (let start = source.indexOf('{{'); start >= 0; start = source.indexOf('{{', start)) {
    const end = actionEnd(source, start + 2);
    if (end < 0) break;
    spans.push([start, end]);
    start = end;
  }
  return spans;
}

/** The offset just past the `}}` that closes the action whose body starts at `i`; -1 if none does. */
function actionEnd(source: string, i: number): number {
  const comment = /^-?\s*\/\*/.exec(source.slice(i, i + 64));
  if (comment) {
    const close = source.indexOf('*/', i + comment[0].length);
    const end = close < 0 ? -1 : source.indexOf('}}', close + 2);
    return end < 0 ? -1 : end + 2;
  }
  while (i < source.length) {
    const c = source[i];
    if (c === '}' && source[i + 1] === '}') return i + 2;
    if (c === '"' || c === "'") {
      for (i++; i < source.length && source[i] !== c && source[i] !== '\n'; i++) if (source[i] === '\\') i++;
    } else if (c === '`') {
      i = source.indexOf('`', i + 1);
      if (i < 0) return -1;
    }
    i++;
  }
  return -1;
}

/** [start, end) overlaps one of the spans (an empty range overlaps a span it lies inside or at the start of). */
export function touchesSpan(spans: readonly (readonly [number, number])[], start: number, end: number): boolean {
  return spans.some(([s, e]) => (end > start ? start < e && end > s : start >= s && start < e));
}
