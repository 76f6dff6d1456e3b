// Whole-line views of YAML pairs, for edits that move or re-indent them. Ranges come from the
// parser's node ranges (via manifest/locate); only line boundaries and indentation are read here.
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { pairAt, type ManifestDocument, type ObjectPath } from '../../manifest';

/** A run of whole lines: [start, end) in file offsets, `end` just past the last line's newline. */
export interface LineBlock {
  start: number;
  end: number;
  /** Column of the pair's key. */
  column: number;
  /** File offset of the key. */
  keyStart: number;
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the newline ending the line that contains `offset` (or the text's end). */
export function nextLineStart(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function isCommentLine(line: string): boolean {
  return line.trimStart().startsWith('#');
}

/**
 * The lines of the pair at `path`: the full-line comments directly above its key, the key line and
 * every line its value spans (a trailing comment on the last line comes along).
 */
export function pairBlock(text: string, doc: ManifestDocument, path: ObjectPath): LineBlock | undefined {
  const pair = pairAt(doc, path);
  if (!pair || !isScalar(pair.key) || !pair.key.range) return undefined;
  return blockOfPair(text, doc, pair);
}

export function blockOfPair(text: string, doc: ManifestDocument, pair: Pair<Node, Node | null>): LineBlock | undefined {
  const key = pair.key;
  if (!key?.range) return undefined;
  const keyStart = doc.offset + key.range[0];
  let last = doc.offset + key.range[1] - 1;
  const value = pair.value;
  if (value?.range && value.range[1] > value.range[0]) last = Math.max(last, doc.offset + value.range[1] - 1);
  let start = lineStart(text, keyStart);
  while (start > doc.offset) {
    const prev = lineStart(text, start - 1);
    if (!isCommentLine(text.slice(prev, start - 1))) break;
    start = prev;
  }
  return { start, end: nextLineStart(text, last), column: columnOf(text, keyStart), keyStart };
}

/** Lines of `block`, re-indented so that its key sits at `column` (nested lines keep their offsets). */
export function reindentBlock(text: string, block: LineBlock, column: number): string {
  const lines = text.slice(block.start, block.end).replace(/\n$/, '').split('\n');
  return lines.map((line) => shiftLine(line, block.column, column)).join('\n') + '\n';
}

function shiftLine(line: string, from: number, to: number): string {
  if (line.trim() === '') return '';
  const indent = line.length - line.trimStart().length;
  const shifted = indent >= from ? indent - from + to : to;
  return ' '.repeat(shifted) + line.trimStart();
}

/** The key line of a pair whose children will be rewritten: `key:` plus its same-line comment. */
export function headerLine(text: string, doc: ManifestDocument, pair: Pair<Node, Node | null>, column: number): string {
  const block = blockOfPair(text, doc, pair)!;
  const keyLineEnd = nextLineStart(text, block.keyStart);
  let line = text.slice(block.start, keyLineEnd).replace(/\n$/, '');
  const value = pair.value;
  // an explicit null (`strategy: ~`) or `{}` would make the rebuilt children invalid YAML: drop the token
  const emptyFlow = isMap(value) && value.flow && value.items.length === 0;
  if (((isScalar(value) && value.value === null) || emptyFlow) && value?.range && value.range[1] > value.range[0]) {
    const from = doc.offset + value.range[0] - block.start;
    const to = doc.offset + value.range[1] - block.start;
    line = line.slice(0, from) + line.slice(to);
  }
  const lines = line.split('\n').map((l) => shiftLine(l.trimEnd(), block.column, column));
  return lines.join('\n') + '\n';
}

/** A top-level key with nothing after it on its line (`metadata:`, `spec:  # comment`): a block follows. */
const BARE_TOP_KEY = /^[^\s#\-][^\n]*:[ \t]*(?:#[^\n]*)?$/;
/** An indented mapping key (not a sequence item, not a comment). */
const NESTED_KEY = /^( +)(?:"[^"\n]*"|'[^'\n]*'|[^\s#\-'"{[][^\n:]*?):(?:[ \t]|$)/;

/**
 * The document's indentation unit: how far the first block mapping nested in the top-level map is
 * indented relative to its parent key (the seed's manifests use 3, most use 2). Read from the
 * lines, which stops at the first such key (line 4 of most manifests): no YAML tree needed.
 */
export function indentUnit(text: string, doc: ManifestDocument): number {
  const end = doc.range[1];
  let previousBare = false;
  for (let at = doc.offset; at < end; ) {
    const nl = text.indexOf('\n', at);
    const lineEnd = nl < 0 || nl > end ? end : nl;
    const line = text.slice(at, lineEnd).replace(/\r$/, '');
    at = lineEnd + 1;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (previousBare) {
      const nested = NESTED_KEY.exec(line);
      if (nested) return nested[1].length;
    }
    previousBare = BARE_TOP_KEY.test(line);
  }
  return 2;
}

