// The documents of a cluster file written as plain data (`kubectl get nodes -o yaml`, or Node
// manifests by hand), read line by line: js-yaml running cold took about 200 ms of a 1,000-node
// file, most of `kdry simulate --cluster`'s time before the engine starts.
//
// It answers only for what it reads exactly as js-yaml's loadAll with the core schema does: block
// maps and sequences, one-line flow maps and sequences, plain scalars (typed by js-yaml's own
// resolution, Schema.resolveImplicitScalarTag), quoted scalars without escapes, comments and `---`
// between documents. Anything else (anchors, aliases, tags, block or multi-line scalars, escapes,
// complex or duplicate keys, tabs, `...`) gives undefined, and the caller reads the text with
// js-yaml. test/engine/cluster-plain-yaml.test.ts checks the agreement on the cluster files and
// thousands of mutations of them.
import { CORE_SCHEMA } from 'js-yaml';
import { MAX_NESTING } from '../../manifest/nesting-limit';

/** Raised inside the reader when the text leaves the subset; never escapes readPlainDocuments. */
class NotPlain {}
const NOT_PLAIN = new NotPlain();

const STR_TAG = 'tag:yaml.org,2002:str';
/** Text this reader leaves to js-yaml wherever it occurs. */
const OUTSIDE_SUBSET = /\t|\r(?!\n)|\\|^\.\.\.|^%|__proto__/m;
/** A plain key: js-yaml must still resolve it to a string (`true:` or `1:` is not one). */
const PLAIN_KEY = /^[A-Za-z_/][A-Za-z0-9_./-]*$/;
/** Characters that start something other than a plain scalar (an anchor, tag, block scalar, directive...). */
const INDICATOR = /^[&*!|>%@`?,\]}#-]/;

interface Line {
  indent: number;
  /** The line after its indentation, trailing spaces removed. */
  text: string;
}

/** Every document's value as js-yaml's loadAll (core schema) gives it, or undefined when the text is outside the subset. */
export function readPlainDocuments(text: string): unknown[] | undefined {
  if (OUTSIDE_SUBSET.test(text)) return undefined;
  try {
    const documents: unknown[] = [];
    let lines: Line[] = [];
    let started = false;
    for (const raw of text.split(/\r?\n/)) {
      if (raw === '---' || raw.startsWith('--- ')) {
        if (raw.trim() !== '---') return undefined;
        if (started || lines.length > 0) documents.push(readDocument(lines));
        lines = [];
        started = true;
        continue;
      }
      const content = raw.trimEnd();
      const indent = content.length - content.trimStart().length;
      if (indent === content.length || content[indent] === '#') continue;
      lines.push({ indent, text: content.slice(indent) });
    }
    if (started || lines.length > 0) documents.push(readDocument(lines));
    return documents;
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}

function readDocument(lines: Line[]): unknown {
  if (lines.length === 0) return null;
  const reader = new BlockReader(lines);
  if (lines[0].indent !== 0) throw NOT_PLAIN;
  const value = reader.block();
  if (reader.at < lines.length) throw NOT_PLAIN;
  return value;
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/** Keys found plain so far: a cluster file repeats a few dozen keys on every node. */
const plainKeys = new Set<string>();

/** A key js-yaml reads as this string; anything else leaves the subset. */
function plainKey(key: string): string {
  if (plainKeys.has(key)) return key;
  if (!PLAIN_KEY.test(key) || CORE_SCHEMA.resolveImplicitScalarTag(key).tag.tagName !== STR_TAG) throw NOT_PLAIN;
  if (plainKeys.size < 1000) plainKeys.add(key);
  return key;
}

/** `key:` or `key: rest` with a plain key; undefined when the line is not a map entry. */
function mapEntry(text: string): { key: string; rest: string } | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0 || (colon + 1 < text.length && text.charCodeAt(colon + 1) !== 32)) return undefined;
  return { key: plainKey(text.slice(0, colon)), rest: colon + 1 === text.length ? '' : withoutComment(text.slice(colon + 2).trimStart()) };
}

/** A block value's text without its trailing comment (a plain scalar's ` #` starts one). */
function withoutComment(rest: string): string {
  if (rest.startsWith('#')) return '';
  const hash = rest.indexOf(' #');
  return hash < 0 ? rest : rest.slice(0, hash).trimEnd();
}

function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  if (Object.prototype.hasOwnProperty.call(map, key)) throw NOT_PLAIN;
  map[key] = value;
}

class BlockReader {
  at = 0;
  /** Collections open: past MAX_NESTING the text is left to the guarded reader, which says why (a thrown reader is dropped, so no unwinding). */
  private depth = 0;

  constructor(private readonly lines: Line[]) {}

  /** The block node starting at the current line (a map or a sequence). */
  block(): unknown {
    const line = this.lines[this.at];
    if (isSequenceItem(line.text)) return this.sequence(line.indent);
    if (!mapEntry(line.text)) throw NOT_PLAIN;
    return this.map(line.indent);
  }

  private map(indent: number): Record<string, unknown> {
    if (++this.depth > MAX_NESTING) throw NOT_PLAIN;
    const map: Record<string, unknown> = {};
    const lines = this.lines;
    while (this.at < lines.length && lines[this.at].indent === indent && !isSequenceItem(lines[this.at].text)) {
      const entry = mapEntry(lines[this.at].text);
      if (!entry) throw NOT_PLAIN;
      this.at++;
      setKey(map, entry.key, this.valueAfterKey(entry.rest, indent));
    }
    if (this.at < lines.length && lines[this.at].indent > indent) throw NOT_PLAIN;
    this.depth--;
    return map;
  }

  /** A map entry's value: on its line, a block below it, a sequence at its own indentation, or null. */
  private valueAfterKey(rest: string, indent: number): unknown {
    const lines = this.lines;
    const next = this.at < lines.length ? lines[this.at] : undefined;
    if (rest !== '') {
      if (next && next.indent > indent) throw NOT_PLAIN;
      return inlineValue(rest);
    }
    if (next && next.indent > indent) return this.block();
    if (next && next.indent === indent && isSequenceItem(next.text)) return this.sequence(indent);
    return null;
  }

  private sequence(indent: number): unknown[] {
    if (++this.depth > MAX_NESTING) throw NOT_PLAIN;
    const items: unknown[] = [];
    const lines = this.lines;
    while (this.at < lines.length && lines[this.at].indent === indent && isSequenceItem(lines[this.at].text)) {
      const line = lines[this.at];
      const after = line.text.slice(1);
      const content = after.trimStart();
      if (content === '' || content.startsWith('#')) {
        this.at++;
        const next = this.at < lines.length ? lines[this.at] : undefined;
        items.push(next && next.indent > indent ? this.block() : null);
        continue;
      }
      if (isSequenceItem(content)) throw NOT_PLAIN;
      if (mapEntry(content)) {
        // `- key: value`: a map whose entries line up with this first key.
        lines[this.at] = { indent: indent + 1 + after.length - content.length, text: content };
        items.push(this.map(lines[this.at].indent));
        continue;
      }
      this.at++;
      if (this.at < lines.length && lines[this.at].indent > indent) throw NOT_PLAIN;
      items.push(inlineValue(withoutComment(content)));
    }
    if (this.at < lines.length && lines[this.at].indent > indent) throw NOT_PLAIN;
    this.depth--;
    return items;
  }
}

/** A value written on one line: a flow collection or a scalar. */
function inlineValue(text: string): unknown {
  if (text[0] === '{' || text[0] === '[') {
    const flow = new FlowReader(text);
    const value = flow.value();
    flow.end();
    return value;
  }
  if (text[0] === '"' || text[0] === "'") {
    const close = text.indexOf(text[0], 1);
    if (close < 0 || withoutComment(text.slice(close + 1).trim()) !== '' || text[close + 1] === text[0]) throw NOT_PLAIN;
    return text.slice(1, close);
  }
  return plainScalar(text);
}

/** A plain scalar typed as js-yaml types it (null, booleans, integers, floats, else the string). */
function plainScalar(text: string): unknown {
  if (text === '' || INDICATOR.test(text) || text.includes(': ') || text.endsWith(':') || text.includes(' #')) throw NOT_PLAIN;
  return CORE_SCHEMA.resolveImplicitScalarTag(text).value;
}

/** One-line flow collections: `{ cpu: "4", memory: 8Gi }`, `[{ type: Ready, status: "True" }]`. */
class FlowReader {
  private at = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  value(): unknown {
    this.spaces();
    const c = this.text[this.at];
    if (c === '{') return this.map();
    if (c === '[') return this.sequence();
    if (c === '"' || c === "'") return this.quoted(c);
    return this.plain();
  }

  /** Only a comment may follow the collection. */
  end(): void {
    this.spaces();
    if (this.at < this.text.length && this.text[this.at] !== '#') throw NOT_PLAIN;
    if (this.at < this.text.length && this.text[this.at - 1] !== ' ') throw NOT_PLAIN;
  }

  private map(): Record<string, unknown> {
    if (++this.depth > MAX_NESTING) throw NOT_PLAIN;
    const map: Record<string, unknown> = {};
    this.at++;
    for (;;) {
      this.spaces();
      if (this.text[this.at] === '}') break;
      const colon = this.text.indexOf(':', this.at);
      if (colon < 0) throw NOT_PLAIN;
      if (this.text.charCodeAt(colon + 1) !== 32) throw NOT_PLAIN;
      const key = plainKey(this.text.slice(this.at, colon).trimEnd());
      this.at = colon + 1;
      setKey(map, key, this.value());
      if (!this.separator('}')) break;
    }
    this.at++;
    this.depth--;
    return map;
  }

  private sequence(): unknown[] {
    if (++this.depth > MAX_NESTING) throw NOT_PLAIN;
    const items: unknown[] = [];
    this.at++;
    for (;;) {
      this.spaces();
      if (this.text[this.at] === ']') break;
      items.push(this.value());
      if (!this.separator(']')) break;
    }
    this.at++;
    this.depth--;
    return items;
  }

  /** After an entry: `,` (true, more may follow) or the closing bracket (false); anything else leaves the subset. */
  private separator(close: string): boolean {
    this.spaces();
    const c = this.text[this.at];
    if (c === ',') {
      this.at++;
      return true;
    }
    if (c !== close) throw NOT_PLAIN;
    return false;
  }

  private quoted(quote: string): string {
    const close = this.text.indexOf(quote, this.at + 1);
    if (close < 0 || this.text[close + 1] === quote) throw NOT_PLAIN;
    const value = this.text.slice(this.at + 1, close);
    this.at = close + 1;
    return value;
  }

  private plain(): unknown {
    const start = this.at;
    while (this.at < this.text.length && !',[]{}#:'.includes(this.text[this.at])) this.at++;
    const c = this.text[this.at];
    if (c === '#' || c === ':' || c === '[' || c === '{') throw NOT_PLAIN;
    return plainScalar(this.text.slice(start, this.at).trim());
  }

  private spaces(): void {
    while (this.text.charCodeAt(this.at) === 32) this.at++;
  }
}
