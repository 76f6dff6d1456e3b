// The value of an ordinary manifest and its packed events (event-ranges.ts), read in one pass over
// the text, for `kdry check`: fast-load.ts gets the same from js-yaml, which builds an event object
// per node (~100 per document, most of the parse's allocation) and then the value from those.
//
// It answers only for what it reads exactly as fastLoad does (value and events alike): one document
// (after an optional `---` line) whose root is a block map or sequence at column 0; block maps with
// plain keys; block sequences, with a map compacted into an item (`- name: x`); one-line flow maps
// and sequences; plain scalars on one line (typed by js-yaml's own resolution with fast-load.ts's
// schema), quoted scalars on one line without escapes; comments. Anything else (anchors, aliases,
// merge keys, tags, block or multi-line scalars, quoted keys, escapes, duplicate keys, tabs, carriage
// returns, deep nesting) returns undefined, and the caller takes fastLoad, which reads it or reports
// it at its exact position. test/manifest/direct-load.test.ts checks the agreement on every example
// and fixture and on thousands of seeded mutations.
import { EVENT_ID, SCALAR_STYLE } from 'js-yaml';
import { declinedByFastLoad, FAST_LOAD_SCHEMA } from './fast-load';
import type { PackedEvents } from './event-ranges';

const { DOCUMENT, SEQUENCE, MAPPING, SCALAR, POP } = EVENT_ID;
const { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED } = SCALAR_STYLE;
// The packed form of a scalar's first number (event-ranges.ts): its type and style.
const PLAIN_SCALAR = SCALAR | (PLAIN << 3);
const SINGLE_SCALAR = SCALAR | (SINGLE_QUOTED << 3);
const DOUBLE_SCALAR = SCALAR | (DOUBLE_QUOTED << 3);

/** Nesting beyond this is left to fastLoad (js-yaml has its own depth limit, and this reader recurses). */
const MAX_DEPTH = 64;

/** What the reader leaves to fastLoad wherever it occurs: tabs, carriage returns, directives, document ends. */
const OUTSIDE = /[\t\r]|^%|^\.\.\./m;

export interface DirectLoaded {
  value: unknown;
  /** What packEvents(source, parseEvents(source)) gives. */
  events: PackedEvents;
}

/** Thrown inside the reader when the text leaves what it reads; never escapes directLoad. */
const NOT_READ = new (class NotRead {})();

export function directLoad(source: string): DirectLoaded | undefined {
  if (OUTSIDE.test(source) || declinedByFastLoad(source)) return undefined;
  const reader = new Reader(source);
  try {
    const value = reader.document();
    return { value, events: reader.events.slice(0, reader.count) };
  } catch (e) {
    if (e === NOT_READ) return undefined;
    throw e;
  }
}

const SPACE = 32;
const NEWLINE = 10;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Characters a plain key may hold (a key both loaders read as the same string; see isStringKey). */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 47 || c === DASH;
}

/** First characters of a plain scalar js-yaml's core schema may read as something other than a string (its tags' implicitFirstChars). */
function mayResolve(c: number): boolean {
  return c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70 || c === 126 || c === 46 || c === 43 || c === DASH || c === 60 || (c >= 48 && c <= 57);
}

/** Characters that start something other than a plain scalar (an anchor, alias, tag, block scalar, quoted or flow node, reserved indicator...). */
function isIndicator(c: number): boolean {
  return c === 38 || c === 42 || c === 33 || c === 124 || c === 62 || c === 37 || c === 64 || c === 96 || c === 63 || c === 44 || c === 91 || c === 93 || c === 123 || c === 125 || c === HASH || c === 34 || c === 39 || c === COLON;
}

/** A plain scalar's value, as js-yaml types it with fast-load.ts's schema. */
function plainValue(text: string): unknown {
  return mayResolve(text.charCodeAt(0)) ? FAST_LOAD_SCHEMA.resolveImplicitScalarTag(text).value : text;
}

class Reader {
  /** Packed events (event-ranges.ts), grown as needed. */
  events = new Int32Array(256);
  count = 0;
  /** Where the current line's content starts (after its indentation); the text's length at the end. */
  private at = 0;
  /** The current line's indentation; -1 at the end of the text. */
  private indent = -1;
  private depth = 0;

  constructor(private readonly src: string) {}

  document(): unknown {
    const src = this.src;
    this.nextContent(0);
    if (this.indent === 0 && src.startsWith('---', this.at)) {
      const after = this.at + 3;
      if (after < src.length && src.charCodeAt(after) !== NEWLINE) throw NOT_READ;
      this.nextContent(after + 1);
    }
    if (this.indent !== 0) throw NOT_READ; // empty, or a root not at column 0
    this.emit(DOCUMENT);
    const value = this.block(0);
    if (this.at < src.length) throw NOT_READ; // a line less indented than the root's, or a second root
    this.emit(POP);
    return value;
  }

  /** The events and the depth are shared with FlowReader. */
  emit(kind: number): void {
    if (this.count === this.events.length) this.grow();
    this.events[this.count++] = kind;
  }

  emitScalar(kind: number, start: number, end: number): void {
    if (this.count + 3 > this.events.length) this.grow();
    const events = this.events;
    events[this.count] = kind;
    events[this.count + 1] = start;
    events[this.count + 2] = end;
    this.count += 3;
  }

  private grow(): void {
    const bigger = new Int32Array(this.events.length * 2);
    bigger.set(this.events);
    this.events = bigger;
  }

  /** Moves to the first line from `from` (a line start) that is neither blank nor a comment. */
  private nextContent(from: number): void {
    const src = this.src;
    let p = from;
    while (p < src.length) {
      let q = p;
      while (src.charCodeAt(q) === SPACE) q++;
      const c = src.charCodeAt(q);
      if (q < src.length && c !== NEWLINE && c !== HASH) {
        this.at = q;
        this.indent = q - p;
        return;
      }
      const end = src.indexOf('\n', q);
      if (end < 0) break;
      p = end + 1;
    }
    this.at = src.length;
    this.indent = -1;
  }

  /** The line after `p`'s, moved to (its content). */
  private nextLine(p: number): void {
    const end = this.src.indexOf('\n', p);
    this.nextContent(end < 0 ? this.src.length : end + 1);
  }

  private isItem(p: number): boolean {
    if (this.src.charCodeAt(p) !== DASH) return false;
    const c = this.src.charCodeAt(p + 1);
    return c === SPACE || c === NEWLINE || p + 1 === this.src.length;
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) throw NOT_READ;
  }

  leave(): void {
    this.depth--;
  }

  /** The block node at the current line, whose indentation is `column`. */
  private block(column: number): unknown {
    return this.isItem(this.at) ? this.sequence(column) : this.map(column);
  }

  private map(column: number): Record<string, unknown> {
    this.enter();
    this.emit(MAPPING);
    const map: Record<string, unknown> = {};
    const src = this.src;
    do {
      const start = this.at;
      const end = this.keyEnd(start);
      if (end < 0) throw NOT_READ;
      const key = src.slice(start, end);
      if (!isStringKey(key) || Object.hasOwn(map, key)) throw NOT_READ;
      this.emitScalar(PLAIN_SCALAR, start, end);
      let p = end + 1;
      while (src.charCodeAt(p) === SPACE) p++;
      map[key] = this.valueAfter(p, column);
    } while (this.indent === column && !this.isItem(this.at));
    if (this.indent > column) throw NOT_READ;
    this.emit(POP);
    this.leave();
    return map;
  }

  /** The end of a plain key at `p` followed by `:` and a space or the line's end; -1 when there is none. */
  private keyEnd(p: number): number {
    const src = this.src;
    let q = p;
    while (q < src.length && isKeyChar(src.charCodeAt(q))) q++;
    if (q === p || src.charCodeAt(q) !== COLON) return -1;
    const c = src.charCodeAt(q + 1);
    return c === SPACE || c === NEWLINE || q + 1 === src.length ? q : -1;
  }

  /**
   * The value of an entry or item whose content goes on at `p` (spaces skipped), in a collection
   * at `column`: on this line, or a block below it (for a map entry, a sequence at the same
   * indentation too), or null.
   */
  private valueAfter(p: number, column: number, inMap = true): unknown {
    const src = this.src;
    const c = src.charCodeAt(p);
    if (p >= src.length || c === NEWLINE || c === HASH) {
      this.nextLine(p);
      if (this.indent > column) return this.block(this.indent);
      if (inMap && this.indent === column && this.isItem(this.at)) return this.sequence(column);
      this.emitScalar(PLAIN_SCALAR, -1, -1);
      return null;
    }
    const value = this.inline(p);
    if (this.indent > column) throw NOT_READ; // a multi-line scalar, or broken indentation
    return value;
  }

  private sequence(column: number): unknown[] {
    this.enter();
    this.emit(SEQUENCE);
    const items: unknown[] = [];
    const src = this.src;
    do {
      let p = this.at + 1;
      while (src.charCodeAt(p) === SPACE) p++;
      if (this.isItem(p)) throw NOT_READ; // `- - x`
      if (this.keyEnd(p) >= 0) {
        // `- key: value`: a map whose entries line up with this first key.
        this.indent = column + p - this.at;
        this.at = p;
        items.push(this.map(this.indent));
      } else items.push(this.valueAfter(p, column, false));
    } while (this.indent === column && this.isItem(this.at));
    if (this.indent > column) throw NOT_READ;
    this.emit(POP);
    this.leave();
    return items;
  }

  /** A value written on the line from `p` (a flow collection or a scalar), then the next line moved to. */
  private inline(p: number): unknown {
    const src = this.src;
    const c = src.charCodeAt(p);
    let value: unknown;
    let end: number;
    if (c === 123 || c === 91) {
      const flow = new FlowReader(this, src, p);
      value = flow.node();
      end = flow.at;
    } else if (c === 34 || c === 39) {
      const close = this.quotedEnd(p);
      value = src.slice(p + 1, close);
      this.emitScalar(c === 34 ? DOUBLE_SCALAR : SINGLE_SCALAR, p + 1, close);
      end = close + 1;
    } else {
      const stop = this.plainEnd(p);
      value = plainValue(src.slice(p, stop));
      this.emitScalar(PLAIN_SCALAR, p, stop);
      end = stop;
    }
    // Only a comment may follow on the line, after a space.
    let q = end;
    while (src.charCodeAt(q) === SPACE) q++;
    if (q < src.length && src.charCodeAt(q) !== NEWLINE && !(src.charCodeAt(q) === HASH && q > end)) throw NOT_READ;
    this.nextLine(q);
    return value;
  }

  /** The closing quote of a one-line quoted scalar at `p` without escapes. */
  quotedEnd(p: number): number {
    const src = this.src;
    const quote = src.charCodeAt(p);
    for (let q = p + 1; q < src.length; q++) {
      const c = src.charCodeAt(q);
      if (c === quote) {
        if (src.charCodeAt(q + 1) === quote) throw NOT_READ; // `''` stands for one quote
        return q;
      }
      if (c === NEWLINE || c === 92) throw NOT_READ; // multi-line, or a `\` escape
    }
    throw NOT_READ;
  }

  /** The end of a block plain scalar at `p` on its line (trailing spaces and a comment left out). */
  private plainEnd(p: number): number {
    const src = this.src;
    const c = src.charCodeAt(p);
    if (isIndicator(c) || (c === DASH && this.isItem(p))) throw NOT_READ;
    let end = p;
    for (let q = p; q < src.length; q++) {
      const d = src.charCodeAt(q);
      if (d === NEWLINE) break;
      if (d === SPACE) {
        if (src.charCodeAt(q + 1) === HASH) break;
        continue;
      }
      if (d === COLON) {
        const next = src.charCodeAt(q + 1);
        if (next === SPACE || next === NEWLINE || q + 1 === src.length) throw NOT_READ; // `a: b: c`
      } else if (d === 91 || d === 93 || d === 123 || d === 125) throw NOT_READ;
      end = q + 1;
    }
    return end;
  }
}

/** A flow map or sequence on one line: `{ cpu: 100m, memory: 1Gi }`, `["sleep", "3600"]`. */
class FlowReader {
  constructor(
    private readonly reader: Reader,
    private readonly src: string,
    public at: number,
  ) {}

  node(): unknown {
    const c = this.src.charCodeAt(this.at);
    return c === 123 ? this.map() : this.sequence();
  }

  private map(): Record<string, unknown> {
    const { reader, src } = this;
    reader.enter();
    reader.emit(MAPPING);
    const map: Record<string, unknown> = {};
    this.at++;
    this.spaces();
    if (src.charCodeAt(this.at) !== 125) {
      for (;;) {
        const start = this.at;
        while (this.at < src.length && isKeyChar(src.charCodeAt(this.at))) this.at++;
        if (this.at === start || src.charCodeAt(this.at) !== COLON || src.charCodeAt(this.at + 1) !== SPACE) throw NOT_READ;
        const key = src.slice(start, this.at);
        if (!isStringKey(key) || Object.hasOwn(map, key)) throw NOT_READ;
        reader.emitScalar(PLAIN_SCALAR, start, this.at);
        this.at += 2;
        this.spaces();
        map[key] = this.value();
        if (!this.separator(125)) break;
      }
    }
    this.at++;
    reader.emit(POP);
    reader.leave();
    return map;
  }

  private sequence(): unknown[] {
    const { reader, src } = this;
    reader.enter();
    reader.emit(SEQUENCE);
    const items: unknown[] = [];
    this.at++;
    this.spaces();
    if (src.charCodeAt(this.at) !== 93) {
      for (;;) {
        items.push(this.value());
        if (!this.separator(93)) break;
      }
    }
    this.at++;
    reader.emit(POP);
    reader.leave();
    return items;
  }

  /** After an entry: `,` and another entry (true), or the closing bracket (false, left to read). */
  private separator(close: number): boolean {
    const src = this.src;
    this.spaces();
    const c = src.charCodeAt(this.at);
    if (c === close) return false;
    if (c !== 44) throw NOT_READ;
    this.at++;
    this.spaces();
    const d = src.charCodeAt(this.at);
    if (d === 93 || d === 125 || d === 44) throw NOT_READ; // a trailing or doubled comma
    return true;
  }

  private value(): unknown {
    const { reader, src } = this;
    const c = src.charCodeAt(this.at);
    if (c === 123 || c === 91) return this.node();
    if (c === 34 || c === 39) {
      const close = reader.quotedEnd(this.at);
      reader.emitScalar(c === 34 ? DOUBLE_SCALAR : SINGLE_SCALAR, this.at + 1, close);
      const value = src.slice(this.at + 1, close);
      this.at = close + 1;
      return value;
    }
    if (isIndicator(c) || c === NEWLINE || this.at >= src.length) throw NOT_READ;
    const start = this.at;
    let end = start;
    for (; this.at < src.length; this.at++) {
      const d = src.charCodeAt(this.at);
      if (d === 44 || d === 93 || d === 125) break;
      if (d === NEWLINE || d === COLON || d === HASH || d === 91 || d === 123) throw NOT_READ;
      if (d !== SPACE) end = this.at + 1;
    }
    if (c === DASH && src.charCodeAt(start + 1) === SPACE) throw NOT_READ;
    reader.emitScalar(PLAIN_SCALAR, start, end);
    return plainValue(src.slice(start, end));
  }

  private spaces(): void {
    while (this.src.charCodeAt(this.at) === SPACE) this.at++;
  }
}

/**
 * A plain key both loaders read as this string, as fast-load.ts's stringKey allows it: starting with
 * a letter or `_`, and not a null or boolean (`null:`, `true:`).
 */
function isStringKey(key: string): boolean {
  const c = key.charCodeAt(0);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) return false;
  return !mayResolve(c) || plainValue(key) === key;
}
