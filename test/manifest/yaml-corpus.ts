// Test inputs for the YAML loaders: the examples, a fixture with most of YAML's syntax, one with
// anchors, aliases and merge keys as manifests use them, and seeded
// random mutations of them (the kinds of damage typing does: characters inserted or deleted, lines
// indented, duplicated or joined, quotes and flow brackets left open).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const EXAMPLES = join(__dirname, '..', '..', 'examples');
const VARIED = readFileSync(join(__dirname, '..', 'fixtures', 'yaml', 'varied-syntax.yaml'), 'utf8');
const ANCHORS = readFileSync(join(__dirname, '..', 'fixtures', 'yaml', 'anchors.yaml'), 'utf8');
const EXAMPLE_FILES = ['original', 'corrected', 'rollout'].flatMap((dir) =>
  readdirSync(join(EXAMPLES, dir))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => readFileSync(join(EXAMPLES, dir, f), 'utf8')),
);
export const corpus = [
  ...EXAMPLE_FILES,
  VARIED,
  VARIED.replace(/\n/g, '\r\n'),
  ANCHORS,
  // all of them in one file: mutations then also hit document markers and neighbours
  [...EXAMPLE_FILES, VARIED, ANCHORS].join('\n---\n'),
];

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERTS = [' ', '  ', '\n', ':', ': ', '-', '- ', '#', ' #', '"', "'", '{', '}', '[', ']', ',', '|', '>', '?', '\t', '%', '@', '`', '0', 'x', 'e', '.', '\\', '\r\n', '---\n', '&', '*', '<<'];

export function mutate(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const lines = text.split('\n');
  const line = Math.floor(next() * lines.length);
  switch (Math.floor(next() * 7)) {
    case 0:
      return text.slice(0, at) + INSERTS[Math.floor(next() * INSERTS.length)] + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 3));
    case 2:
      lines[line] = ' '.repeat(1 + Math.floor(next() * 3)) + lines[line];
      return lines.join('\n');
    case 3:
      lines[line] = lines[line].replace(/^ {1,2}/, '');
      return lines.join('\n');
    case 4:
      lines.splice(line, 0, lines[line]);
      return lines.join('\n');
    case 5:
      if (line + 1 < lines.length) lines.splice(line, 2, lines[line] + ' ' + lines[line + 1].trimStart());
      return lines.join('\n');
    default: {
      const other = Math.floor(next() * text.length);
      return text.slice(0, at) + text.slice(other, other + 1 + Math.floor(next() * 12)) + text.slice(at);
    }
  }
}

/** What is typed: mostly what a scalar holds (a space too); sometimes what ends or breaks one. */
const TYPED = 'abcdexyzABZ0123456789_-./  ';
const BREAKING = ': #"\'\n{}[],?&*!|>';

/**
 * A typist: a character typed or erased at the cursor, which moves with it; now and then the cursor
 * jumps to the end of another word, the text takes worse damage (mutate), or the
 * last keystrokes are undone (a broken document would otherwise stay broken).
 */
export function typist(next: () => number): (text: string) => string {
  let cursor = Infinity; // placed on the first keystroke
  const undo: { text: string; cursor: number }[] = [];
  return (text) => {
    const r = next();
    if (r < 0.12 && undo.length > 0) {
      const back = undo.splice(Math.floor(next() * undo.length))[0];
      cursor = back.cursor;
      return back.text;
    }
    undo.push({ text, cursor });
    if (r < 0.14) return mutate(text, next);
    if (r < 0.17) return retypedLine(text, next);
    if (r < 0.19) {
      // Enter at the end of the cursor's line, indented like it (as editors do); or a blank line deleted.
      const blank = /\n[ ]*(?=\n)/.exec(text.slice(Math.min(cursor, text.length)));
      if (next() < 0.3 && blank) return text.slice(0, cursor + blank.index) + text.slice(cursor + blank.index + blank[0].length);
      const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
      const lineEnd = text.indexOf('\n', cursor) < 0 ? text.length : text.indexOf('\n', cursor);
      const indent = /^ */.exec(text.slice(lineStart))![0];
      cursor = lineEnd + 1 + indent.length;
      return `${text.slice(0, lineEnd)}\n${indent}${text.slice(lineEnd)}`;
    }
    if (r < 0.25 || cursor > text.length) cursor = wordEnd(text, Math.floor(next() * (text.length + 1)));
    if (r < 0.45) {
      // Backspace within a word (past it, the damage is mutate's).
      if (cursor === 0 || !/\w/.test(text[cursor - 1])) return text;
      cursor--;
      return text.slice(0, cursor) + text.slice(cursor + 1);
    }
    const typed = next() < 0.05 ? BREAKING[Math.floor(next() * BREAKING.length)] : TYPED[Math.floor(next() * TYPED.length)];
    cursor++;
    return text.slice(0, cursor - 1) + typed + text.slice(cursor - 1);
  };
}

/**
 * A `key: value` line changed at once (a paste, a completion, an undo of several keystrokes): its
 * key misspelled, its value another, or both.
 */
function retypedLine(text: string, next: () => number): string {
  const line = /^( *(?:- +)*)([A-Za-z]\w+)(: +)(\S[^\r]*)(\r?)$/;
  const lines = text.split('\n');
  const candidates = lines.flatMap((l, i) => (line.test(l) ? [i] : []));
  if (candidates.length === 0) return text;
  const i = candidates[Math.floor(next() * candidates.length)];
  const how = Math.floor(next() * 3);
  lines[i] = lines[i].replace(line, (_, indent: string, key: string, colon: string, value: string, cr: string) => {
    const misspelled = how === 1 ? key : key.slice(0, -2) + key.slice(-1) + key.slice(-2, -1);
    const other = how === 0 ? value : ['5', 'web', 'x y', `${value} 2`, `${value}  `, 'true'][Math.floor(next() * 6)];
    return `${indent}${misspelled}${colon}${other}${cr}`;
  });
  return lines.join('\n');
}

/** The end of the word at or after `at` (where one types), or `at` when there is none. */
function wordEnd(text: string, at: number): number {
  const end = /\w(?!\w)/g;
  end.lastIndex = at;
  const found = end.exec(text);
  return found ? found.index + 1 : at;
}
