// CEL syntax the parser kdry uses (@bufbuild/cel 0.6) does not read, which cel-go and so the API
// server do: the optional syntax (cel-spec "optional values"; cel-go EnableOptionalSyntax, which
// the Kubernetes environment turns on with OptionalTypes), `x.?f`, `x[?k]`, `[?e, ...]`,
// `{?k: v}`, and the optMap/optFlatMap macros; and backtick-quoted field names
// (x.`content-type`, cel-spec 0.25). The source is first rewritten into plain CEL carrying
// markers (a select of `__kdry_opt__f`, a call of `__kdry_opt__(e)`, a select of
// `__kdry_quoted__<hex>`), then the parsed tree is lowered to plain selects and to calls of
// ./library/optionals.ts.
// Worked example: `self.?spec.?replicas.orValue(1)` is rewritten to
// `self.__kdry_opt__spec.__kdry_opt__replicas.orValue(1)` and lowered to
// `kdry.optSelect(kdry.optSelect(self, "spec"), "replicas").orValue(1)`.
// As in cel-go (interpreter/attributes.go, applyQualifiers), once a path is optional every later
// `.f` or `[k]` on it is optional too: `self.?a.b` is none when a or a.b is absent, and
// `has(self.?a.b)` is true only when both are there.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { AstBuilder } from './ast-builder';
import { OPT_HAS, OPT_INDEX, OPT_LIST, OPT_MAP, OPT_SELECT } from './library/optionals';

const FIELD_MARK = '__kdry_opt__';
const CALL_MARK = '__kdry_opt__';
const QUOTED_MARK = '__kdry_quoted__';
const UNUSED_ITER_VAR = '#unused';

interface Frame {
  kind: 'paren' | 'index' | 'list' | 'map' | 'struct';
  /** A marker call was opened for this element and closes before its `,`, `:` or closing bracket. */
  open: boolean;
}

/** The source with optional syntax replaced by markers; unchanged when it has no `?` outside strings. */
export function rewriteOptionalSyntax(source: string): string {
  if (!source.includes('?') && !source.includes('`')) return source;
  let out = '';
  let at = 0;
  /** What the last token was: a value may be indexed (`x[`), an operator starts a list (`in [`). */
  let previous: 'value' | 'word' | 'operator' = 'operator';
  let lastWord = '';
  const frames: Frame[] = [];
  const nextSignificant = (from: number) => {
    let i = from;
    while (i < source.length && /\s/.test(source[i])) i++;
    return i;
  };
  /** Consumes a `?` marker right after position `from` (whitespace allowed), if there is one. */
  const takeMark = (from: number): number | undefined => {
    const i = nextSignificant(from);
    return source[i] === '?' ? i + 1 : undefined;
  };
  const closeElement = () => {
    const top = frames[frames.length - 1];
    if (top?.open) {
      out += ')';
      top.open = false;
    }
  };
  while (at < source.length) {
    const c = source[at];
    const string = /^(?:[rR][bB]?|[bB][rR]?)?('''|"""|'|")/.exec(source.slice(at, at + 5));
    if (string && (string[0].length === string[1].length || !/[\w]/.test(source[at - 1] ?? ''))) {
      const end = stringEnd(source, at + string[0].length, string[1], /[rR]/.test(string[0].slice(0, -string[1].length)));
      out += source.slice(at, end);
      at = end;
      previous = 'value';
      continue;
    }
    if (c === '/' && source[at + 1] === '/') {
      const end = source.indexOf('\n', at);
      const stop = end < 0 ? source.length : end;
      out += source.slice(at, stop);
      at = stop;
      continue;
    }
    if (/\s/.test(c)) {
      out += c;
      at++;
      continue;
    }
    const word = /^[A-Za-z0-9_]+/.exec(source.slice(at, at + 256));
    if (word) {
      out += word[0];
      at += word[0].length;
      lastWord = word[0];
      previous = 'word';
      continue;
    }
    at++;
    switch (c) {
      case '.': {
        const after = takeMark(at);
        const fieldAt = after === undefined ? at : nextSignificant(after);
        out += after === undefined ? '.' : `.${FIELD_MARK}`;
        at = fieldAt;
        const quoted = source[nextSignificant(fieldAt)] === '`' ? /^`([^`]*)`/.exec(source.slice(nextSignificant(fieldAt))) : null;
        if (quoted) {
          out += `${QUOTED_MARK}${Buffer.from(quoted[1], 'utf8').toString('hex')}`;
          at = nextSignificant(fieldAt) + quoted[0].length;
          previous = 'word';
          lastWord = '';
          break;
        }
        previous = 'operator';
        break;
      }
      case '[':
      case '{': {
        const indexes = c === '[' && (previous === 'value' || (previous === 'word' && lastWord !== 'in'));
        const kind: Frame['kind'] = c === '{' ? (previous === 'word' ? 'struct' : 'map') : indexes ? 'index' : 'list';
        const frame: Frame = { kind, open: false };
        frames.push(frame);
        out += c;
        const after = kind === 'struct' ? undefined : takeMark(at);
        if (after !== undefined) {
          out += `${CALL_MARK}(`;
          frame.open = true;
          at = after;
        }
        previous = 'operator';
        break;
      }
      case '(':
        frames.push({ kind: 'paren', open: false });
        out += c;
        previous = 'operator';
        break;
      case ')':
      case ']':
      case '}':
        closeElement();
        frames.pop();
        out += c;
        previous = 'value';
        break;
      case ',': {
        closeElement();
        out += c;
        const top = frames[frames.length - 1];
        const after = top && (top.kind === 'list' || top.kind === 'map') ? takeMark(at) : undefined;
        if (after !== undefined) {
          out += `${CALL_MARK}(`;
          top.open = true;
          at = after;
        }
        previous = 'operator';
        break;
      }
      case ':':
        if (frames[frames.length - 1]?.kind === 'map') closeElement();
        out += c;
        previous = 'operator';
        break;
      default:
        out += c;
        previous = 'operator';
    }
  }
  return out;
}

/** The index just past a string literal's closing quote (or the end of the source). */
function stringEnd(source: string, from: number, quote: string, raw: boolean): number {
  let i = from;
  while (i < source.length) {
    if (!raw && source[i] === '\\') {
      i += 2;
      continue;
    }
    if (source.startsWith(quote, i)) return i + quote.length;
    i++;
  }
  return source.length;
}

/** Lowers the markers of rewriteOptionalSyntax (and optMap/optFlatMap) in a parsed expression. */
export function lowerOptionals(root: Expr): Expr {
  const ast = new AstBuilder(root);
  const call = ast.call.bind(ast);
  const list = ast.list.bind(ast);
  const marked = (e: Expr | undefined): Expr | undefined => (e?.exprKind.case === 'callExpr' && e.exprKind.value.function === CALL_MARK && !e.exprKind.value.target && e.exprKind.value.args.length === 1 ? e.exprKind.value.args[0] : undefined);

  const lower = (e: Expr): Expr => {
    const kind = e.exprKind;
    switch (kind.case) {
      case 'selectExpr': {
        const s = kind.value;
        const operand = s.operand && lower(s.operand);
        s.operand = operand;
        const optional = s.field.startsWith(FIELD_MARK);
        let field = optional ? s.field.slice(FIELD_MARK.length) : s.field;
        if (field.startsWith(QUOTED_MARK)) field = Buffer.from(field.slice(QUOTED_MARK.length), 'hex').toString('utf8');
        s.field = field;
        const name = () => ast.string(field);
        if (operand && s.testOnly && yieldsOptional(operand)) return call(OPT_HAS, [operand, name()]);
        if (operand && (optional || (!s.testOnly && yieldsOptional(operand)))) return call(OPT_SELECT, [operand, name()]);
        return e;
      }
      case 'callExpr': {
        const c = kind.value;
        if (c.target) c.target = lower(c.target);
        c.args = c.args.map(lower);
        if (c.function === '_[_]' && c.args.length === 2) {
          const key = marked(c.args[1]);
          if (key) return call(OPT_INDEX, [c.args[0], key]);
          if (yieldsOptional(c.args[0])) return call(OPT_INDEX, c.args);
        }
        if ((c.function === 'optMap' || c.function === 'optFlatMap') && c.target && c.args.length === 2 && c.args[0].exprKind.case === 'identExpr') {
          // cel-go's optMap/optFlatMap macros: target.hasValue() ? [optional.of](expr with v = target.value()) : optional.none()
          const name = c.args[0].exprKind.value.name;
          const bound = ast.comprehension({ iterVar: UNUSED_ITER_VAR, iterRange: list([]), accuVar: name, accuInit: call('value', [], c.target), loopCondition: ast.bool(false), loopStep: ast.ident(name), result: c.args[1] });
          return call('_?_:_', [call('hasValue', [], c.target), c.function === 'optMap' ? call('optional.of', [bound]) : bound, call('optional.none', [])]);
        }
        return e;
      }
      case 'listExpr': {
        const elements = kind.value.elements.map(lower);
        kind.value.elements = elements;
        if (!elements.some((x) => marked(x))) return e;
        return call(OPT_LIST, [list(elements.map((x) => marked(x) ?? call('optional.of', [x])))]);
      }
      case 'structExpr': {
        const s = kind.value;
        for (const entry of s.entries) {
          if (entry.keyKind.case === 'mapKey') entry.keyKind.value = lower(entry.keyKind.value);
          if (entry.value) entry.value = lower(entry.value);
        }
        if (s.messageName || !s.entries.some((x) => x.keyKind.case === 'mapKey' && marked(x.keyKind.value))) return e;
        const pairs = s.entries.map((x) => {
          const key = x.keyKind.value as Expr;
          const optionalKey = marked(key);
          return list([optionalKey ?? key, optionalKey ? (x.value as Expr) : call('optional.of', [x.value as Expr])]);
        });
        return call(OPT_MAP, [list(pairs)]);
      }
      case 'comprehensionExpr': {
        const c = kind.value;
        for (const part of ['iterRange', 'accuInit', 'loopCondition', 'loopStep', 'result'] as const) {
          const child = c[part];
          if (child) c[part] = lower(child);
        }
        return e;
      }
      default:
        return e;
    }
  };
  return lower(root);
}

const OPTIONAL_RESULTS = new Set([OPT_SELECT, OPT_INDEX, 'optional.of', 'optional.none', 'optional.ofNonZeroValue', 'or']);

/** Whether an expression is, by its form, an optional value (what cel-go's checker types optional_type). */
function yieldsOptional(e: Expr): boolean {
  if (e.exprKind.case !== 'callExpr') return false;
  const c = e.exprKind.value;
  if (c.target?.exprKind.case === 'identExpr' && c.target.exprKind.value.name === 'optional') return OPTIONAL_RESULTS.has(`optional.${c.function}`);
  if (c.function === '_?_:_' && c.args.length === 3) return yieldsOptional(c.args[1]) && yieldsOptional(c.args[2]);
  return OPTIONAL_RESULTS.has(c.function) && (c.function !== 'or' || Boolean(c.target && yieldsOptional(c.target)));
}
