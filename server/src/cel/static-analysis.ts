// What the API server learns about a validation rule when the CRD is created, before any object:
// the type errors cel-go's checker reports that kdry can see from the schema (a field the schema
// does not declare, an identifier that is not declared), the type of the result (a rule must be
// a bool, a messageExpression a string), and the estimated cost, as cel-go's checker/cost.go
// estimates it with the sizes the schema allows (decl-type.ts).
//
// kdry has no full CEL type checker: a type it cannot tell is "unknown", which never yields a type
// error, and a size it cannot tell counts as 0, so every estimate is at most what the API server
// estimates: an estimate over the limit is over it upstream too. The Kubernetes libraries' own
// estimates (library/cost.go) are modelled for the member functions of strings and lists
// (libraryCost), and cel-go's own for its lists extension (extListCost); the others (quantities, IPs and CIDRs, URLs, join) count as cel-go's default of
// 1 per call, as does every function kdry does not know.
// Worked example (cel-go's formulas): `self.all(x, x.contains('gpu'))` on a list of strings with
// maxLength 16 costs per item 2 (the loop condition `@not_strictly_false(@result)`) + 1 (`@result`)
// + 1 (`x`) + ceil(64 x 0.1) x ceil(3 x 0.1) (contains) = 11, plus 2 for `self` and the result.
import { parse } from '@bufbuild/cel';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { mapKeyType, type DeclType } from './decl-type';
import { lowerOptionals, rewriteOptionalSyntax } from './syntax-extensions';
import { lowerTwoVariableComprehensions } from './two-variable-comprehensions';
import { lowerSortBy } from './sort-by';
import { locatedMacroErrors, macroExpansionErrors, type MacroError } from './macro-errors';
import { UNDECLARED_FUNCTIONS } from './library/not-in-kubernetes';
import { SORT_BY_ASSOCIATED_KEYS } from './library/ext-lists';
import type * as CelGoSyntax from './cel-go-syntax-error';
import { displayErrors, displayLocatedErrors, firstError, placedErrors, type CelError } from './display-errors';
import { expressionSizeError } from './expression-size-limit';
import { mayExceedRecursionLimit } from './recursion-limit';
import type { CelEnvironment } from './release-environment';
import { checkerAggregateErrors, validateLiterals } from './literal-validators';
import { celGoOffset } from './cel-go-position';
import { celGoTypeOf, formatCelGoType, isAssignable, type CelGoType } from './cel-go-type-name';
import { hasNoMatchingOverload, overloadResult, overloadSignature, type OverloadKind } from './overloads';

type Kind = OverloadKind;

interface Ty {
  k: Kind;
  /** The schema node the value comes from (a path from self or oldSelf): its sizes and fields. */
  decl?: DeclType;
  /** A list's items, a map's values, when known without a schema node. */
  elem?: Ty;
}

export interface TypeError {
  message: string;
  /** 0-based offset in the source, when kdry knows it. */
  offset?: number;
}

export interface StaticAnalysis {
  /** The parser's first error, "<input>:<line>:<column>: <message>": the rule does not compile. */
  syntaxError?: string;
  /** Whose words syntaxError holds: cel-go's (its grammar's ANTLR message) or kdry's parser's, where kdry cannot give cel-go's. */
  syntaxErrorWording?: 'cel-go' | 'kdry';
  typeErrors: TypeError[];
  /**
   * Every compile error (the syntax errors, else the type errors) as cel-go prints them, each with
   * its source line and caret (display-errors.ts), as the API server shows them after
   * "compilation failed: "; undefined when the expression compiles or kdry words the error itself.
   */
  errorDisplay?: string;
  /**
   * What refused the expression when it is not the grammar or the type check: cel-go's macro
   * expansion (macro-errors.ts: a syntax error) or its literal validators (literal-validators.ts:
   * type errors found after the check). The API server refuses both as it refuses any compile error.
   */
  refusedBy?: 'macro-expansion' | 'literal-validators';
  /** The result's type, when kdry can tell it ('unknown' otherwise). */
  resultKind: Kind;
  /** cel-go's estimated maximum cost (checker.Cost(...).Max), at least: see the header. */
  maxCost: number;
  readsOldSelf: boolean;
}

/** cel-go common/cost.go */
const SELECT_AND_IDENT_COST = 1;
const LIST_CREATE_BASE_COST = 10;
const MAP_CREATE_BASE_COST = 30;
const STRUCT_CREATE_BASE_COST = 40;
const STRING_TRAVERSAL_COST_FACTOR = 0.1;
const REGEX_STRING_LENGTH_COST_FACTOR = 0.25;

/** cel-go's standard functions a namespaced function's last name can be (`sets.contains`). */
const STANDARD_FUNCTIONS = new Set(['contains', 'size', 'matches', 'startsWith', 'endsWith', 'string', 'int', 'uint', 'double', 'bytes', 'bool', 'duration', 'timestamp', 'dyn', 'type']);
/** Macros that, once lowered, leave no call of their name: one still there is a macro the release lacks. */
const MACRO_NAMES = new Set(['all', 'exists', 'existsOne', 'exists_one', 'sortBy']);
const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn', 'duration', 'timestamp']);
const UNKNOWN: Ty = { k: 'unknown' };
const SCALARS: ReadonlySet<Kind> = new Set(['bool', 'double', 'duration', 'int', 'timestamp', 'uint']);
const COMPARISONS = new Set(['_<_', '_<=_', '_>_', '_>=_']);
/** The kinds whose values have no fields (cel-go: typeDoesNotSupportFieldSelection); null aside. */
const NOT_SELECTABLE: ReadonlySet<Kind> = new Set(['string', 'bytes', 'int', 'uint', 'double', 'bool', 'timestamp', 'duration', 'list']);
const BOOL_FUNCTIONS = new Set(['_==_', '_!=_', '_<_', '_<=_', '_>_', '_>=_', '!_', '@in', '_&&_', '_||_', '@not_strictly_false', 'matches', 'startsWith', 'endsWith', 'contains', 'isSorted', 'hasValue']);

/**
 * Analyses `source` as a rule on a node of type `self` (oldSelf of the same type, optional when
 * `optionalOldSelf`). `globals`: the variables an admission policy's expression is compiled with
 * instead of self and oldSelf (undefined type: dyn, which yields no type error).
 */
export function analyseExpression(source: string, self: DeclType | undefined, optionalOldSelf = false, env?: CelEnvironment, globals?: ReadonlyMap<string, DeclType | undefined>): StaticAnalysis {
  let root: Expr | undefined;
  const tooLarge = expressionSizeError(source);
  if (tooLarge) return { syntaxError: tooLarge.message, syntaxErrorWording: 'cel-go', errorDisplay: displayErrors(source, [tooLarge]), typeErrors: [], resultKind: 'unknown', maxCost: 0, readsOldSelf: false };
  const rewritten = rewriteOptionalSyntax(source);
  let positions: Record<string, number> = {};
  try {
    const parsed = parse(rewritten);
    positions = Object.fromEntries(Object.entries(parsed.sourceInfo?.positions ?? {}).map(([k, v]) => [k, Number(v)]));
    if (mayExceedRecursionLimit(source, parsed.expr)) {
      const tooDeep = celGoErrorsOf(source)?.find((e) => e.message.startsWith('expression recursion limit exceeded') || e.message === 'max recursion depth exceeded');
      if (tooDeep) return { syntaxError: tooDeep.message, syntaxErrorWording: 'cel-go', errorDisplay: displayErrors(source, [tooDeep]), typeErrors: [], resultKind: 'unknown', maxCost: 0, readsOldSelf: false };
    }
    // A macro the release lacks stays a call, and cel-go's checker refuses it as such (see costCall).
    root = parsed.expr && lowerOptionals(parsed.expr);
    const macroErrors = root ? macroExpansionErrors(root, env, parsed.sourceInfo?.macroCalls) : [];
    if (macroErrors.length) return macroExpansionFailure(source, rewritten === source ? positions : undefined, macroErrors);
    if (root && (!env || env.has('twoVariableComprehensions'))) root = lowerTwoVariableComprehensions(root);
    if (root && (!env || env.has('sortBy'))) root = lowerSortBy(root);
  } catch (err) {
    const celGo = celGoErrorsOf(source);
    const syntaxError = (celGo && firstError(celGo)) ?? String((err as Error)?.message ?? err).split('\n')[0];
    return { syntaxError, syntaxErrorWording: celGo ? 'cel-go' : 'kdry', errorDisplay: celGo && displayErrors(source, celGo), typeErrors: [], resultKind: 'unknown', maxCost: 0, readsOldSelf: false };
  }
  // Offsets are the source's own only when the rewrite left it as it was.
  const offsetOf = (e: Expr) => {
    const at = rewritten === source ? positions[String(e.id)] : undefined;
    return at === undefined ? undefined : celGoOffset(source, e, at);
  };
  const analyser = new Analyser(self ? { k: self.kind, decl: self } : UNKNOWN, optionalOldSelf, offsetOf, env, globals);
  const cost = root ? analyser.cost(root) : 0;
  // cel-go validates literals only once the expression type-checks (cel/env.go Check).
  let refusedBy: StaticAnalysis['refusedBy'];
  const typeOf = (e: Expr) => celGoTypeOf(e, (x) => analyser.typeOf(x).decl);
  // Offsets (and so the literals' elements) are the source's own only when the rewrite left it as it was.
  if (root && env?.homogeneousLiterals === 'checker' && rewritten === source) analyser.errors.push(...checkerAggregateErrors(root, typeOf, offsetOf));
  if (root && !analyser.errors.length) {
    const validators = { formats: !env || env.validatesLiterals, aggregates: (!env || env.homogeneousLiterals === 'validator') && rewritten === source };
    const typeNameOf = (e: Expr) => {
      const type = typeOf(e);
      return type && formatCelGoType(type);
    };
    analyser.errors.push(...validateLiterals(root, typeNameOf, offsetOf, validators));
    if (analyser.errors.length) refusedBy = 'literal-validators';
  }
  const errorDisplay = analyser.errors.length ? displayLocatedErrors(source, analyser.errors) : undefined;
  return { typeErrors: analyser.errors, errorDisplay, refusedBy, resultKind: root ? analyser.typeOf(root).k : 'unknown', maxCost: cost, readsOldSelf: analyser.readsOldSelf };
}

interface LocalVar {
  ty: Ty;
  size?: number;
}

class Analyser {
  readonly errors: TypeError[] = [];
  readsOldSelf = false;
  private readonly types = new Map<Expr, Ty>();
  private readonly sizes = new Map<Expr, number>();
  private readonly scopes = new Map<string, LocalVar[]>();

  constructor(
    private readonly self: Ty,
    private readonly optionalOldSelf: boolean,
    private readonly offsetOf: (e: Expr) => number | undefined,
    private readonly env: CelEnvironment | undefined,
    private readonly globals?: ReadonlyMap<string, DeclType | undefined>,
  ) {}

  typeOf(e: Expr): Ty {
    return this.types.get(e) ?? UNKNOWN;
  }

  /** checker/cost.go coster.cost; types each node on the way. */
  cost(e: Expr): number {
    const kind = e.exprKind;
    switch (kind.case) {
      case 'constExpr':
        this.types.set(e, { k: constantKind(kind.value.constantKind.case) });
        return 0;
      case 'identExpr':
        this.types.set(e, this.identType(e, kind.value.name));
        return SELECT_AND_IDENT_COST;
      case 'selectExpr': {
        const operand = kind.value.operand;
        const base = operand ? this.cost(operand) : 0;
        const from = operand ? this.typeOf(operand) : UNKNOWN;
        const field = this.fieldType(e, from, kind.value.field, operand);
        if (kind.value.testOnly) {
          // has() is free: Kubernetes sets PresenceTestHasCost(false) (apiserver/pkg/cel/environment/base.go).
          this.types.set(e, { k: 'bool' });
          return base;
        }
        this.types.set(e, field);
        return base + (from.k === 'object' || from.k === 'map' ? SELECT_AND_IDENT_COST : 0);
      }
      case 'callExpr':
        return this.costCall(e, kind.value.function, kind.value.target, kind.value.args);
      case 'listExpr': {
        let sum = LIST_CREATE_BASE_COST;
        for (const x of kind.value.elements) sum += this.cost(x);
        this.types.set(e, { k: 'list', elem: kind.value.elements[0] ? this.typeOf(kind.value.elements[0]) : UNKNOWN });
        return sum;
      }
      case 'structExpr': {
        let sum = kind.value.messageName ? STRUCT_CREATE_BASE_COST : MAP_CREATE_BASE_COST;
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') sum += this.cost(entry.keyKind.value);
          if (entry.value) sum += this.cost(entry.value);
        }
        this.types.set(e, kind.value.messageName ? UNKNOWN : { k: 'map', elem: kind.value.entries[0]?.value ? this.typeOf(kind.value.entries[0].value) : UNKNOWN });
        return sum;
      }
      case 'comprehensionExpr':
        return this.costComprehension(e, kind.value);
      default:
        return 0;
    }
  }

  private identType(e: Expr, name: string): Ty {
    const local = this.scopes.get(name)?.at(-1);
    if (local) return local.ty;
    if (this.globals?.has(name)) {
      const decl = this.globals.get(name);
      return decl ? { k: decl.kind, decl } : UNKNOWN;
    }
    if (this.globals) return this.undeclared(e, name);
    if (name === 'self') return this.self;
    if (name === 'oldSelf') {
      this.readsOldSelf = true;
      return this.optionalOldSelf ? UNKNOWN : this.self;
    }
    return this.undeclared(e, name);
  }

  private undeclared(e: Expr, name: string): Ty {
    if (TYPE_NAMES.has(name)) return { k: 'type' };
    this.errors.push({ message: `undeclared reference to '${name}' (in container '')`, offset: this.offsetOf(e) });
    return UNKNOWN;
  }

  /** The field's type; a field an object's schema does not declare is cel-go's "undefined field". */
  private fieldType(e: Expr, from: Ty, field: string, operand: Expr | undefined): Ty {
    if (from.k === 'map') return from.decl?.elem ? { k: from.decl.elem.kind, decl: from.decl.elem } : (from.elem ?? UNKNOWN);
    if (NOT_SELECTABLE.has(from.k) && operand) {
      // checker.go checkSelectField: only maps, messages, type parameters and dyn have fields.
      const name = this.celGoTypeName(operand);
      if (name !== undefined) this.errors.push({ message: `type '${name}' does not support field selection`, offset: this.offsetOf(e) });
      return UNKNOWN;
    }
    if (from.k !== 'object' || !from.decl?.fields) return UNKNOWN;
    const declared = from.decl.fields.get(field) ?? from.decl.fields.get([...from.decl.fieldNames!].find(([, raw]) => raw === field)?.[0] ?? '');
    if (declared) return { k: declared.kind, decl: declared };
    if (!from.decl.preservesUnknown && !from.decl.hidden?.has(field)) this.errors.push({ message: `undefined field '${field}'`, offset: this.offsetOf(e) });
    return UNKNOWN;
  }

  private costCall(e: Expr, fn: string, target: Expr | undefined, args: Expr[]): number {
    if (fn === 'dyn' && args.length === 1) {
      const c = 1 + this.cost(args[0]);
      this.copySize(e, args[0]);
      return c;
    }
    // A namespaced function (`format.named`, `optional.none`) is parsed as a call on an identifier.
    const namespaced = target?.exprKind.case === 'identExpr' && this.isNamespace(target.exprKind.value.name);
    // checker.go checkCall checks the arguments first, then the function.
    const argCosts = args.map((a) => this.cost(a));
    const errorsBefore = this.errors.length;
    this.checkDeclared(e, fn, target, namespaced);
    const targetCost = target && !namespaced ? this.cost(target) : 0;
    const argSum = argCosts.reduce((n, c) => n + c, 0);
    const t = target && !namespaced ? this.typeOf(target) : undefined;
    const types = args.map((a) => this.typeOf(a));
    const declared = this.errors.length === errorsBefore;
    this.types.set(e, declared && !namespaced && this.noMatchingOverload(e, fn, target, args) ? UNKNOWN : callType(fn, t, types));
    const size = (x: Expr | undefined) => (x ? this.sizeOf(x) : 0);
    switch (fn) {
      case '_&&_':
      case '_||_':
        return argSum;
      case '_?_:_':
        this.setSize(e, Math.max(size(args[1]), size(args[2])));
        return argCosts[0] + Math.max(argCosts[1] ?? 0, argCosts[2] ?? 0);
      case '@in':
        if (types[1]?.k === 'list') return size(args[1]) + argSum;
        return (types[1]?.k === 'map' ? 1 : 0) + argSum;
      case '_==_':
      case '_!=_':
        return Math.ceil(Math.min(size(args[0]), size(args[1])) * STRING_TRAVERSAL_COST_FACTOR) + argSum;
      case '_+_': {
        const resultSize = size(args[0]) + size(args[1]);
        if (types[0]?.k === 'string' || types[0]?.k === 'bytes') {
          this.setSize(e, resultSize);
          return Math.ceil(resultSize * STRING_TRAVERSAL_COST_FACTOR) + argSum;
        }
        if (types[0]?.k === 'list') this.setSize(e, resultSize);
        return (types[0]?.k === 'unknown' ? 0 : 1) + argSum;
      }
      case '_[_]':
        if (types[0]?.decl?.elem) this.setSize(e, types[0].decl.elem.maxElements);
        return 1 + argSum;
    }
    if (COMPARISONS.has(fn)) {
      if (types[0]?.k === 'string' || types[0]?.k === 'bytes') return Math.ceil(Math.min(size(args[0]), size(args[1])) * STRING_TRAVERSAL_COST_FACTOR) + argSum;
      return (types[0]?.k === 'unknown' ? 0 : 1) + argSum;
    }
    if (target && !namespaced && t?.k === 'string' && args.length === 1) {
      switch (fn) {
        case 'matches':
          return targetCost + Math.ceil((size(target) + 1) * STRING_TRAVERSAL_COST_FACTOR) * Math.ceil(size(args[0]) * REGEX_STRING_LENGTH_COST_FACTOR) + argSum;
        case 'contains':
          return targetCost + Math.ceil(size(target) * STRING_TRAVERSAL_COST_FACTOR) * Math.ceil(size(args[0]) * STRING_TRAVERSAL_COST_FACTOR) + argSum;
        case 'startsWith':
        case 'endsWith':
          return targetCost + Math.ceil(size(args[0]) * STRING_TRAVERSAL_COST_FACTOR) + argSum;
      }
    }
    if (namespaced && target?.exprKind.case === 'identExpr' && `${target.exprKind.value.name}.${fn}` === 'lists.range' && args.length === 1) {
      const size = literalUint(args[0]) ?? MAX_UINT64;
      this.setSize(e, size);
      return allocatingListCall(1, size) + argSum;
    }
    const library = target && !namespaced && t ? this.libraryCost(e, fn, target, t, args) : undefined;
    if (library !== undefined) return targetCost + library + argSum;
    // O(1) functions, and every function kdry has no estimate of (cel-go's default).
    return targetCost + 1 + argSum;
  }

  /**
   * checker.go resolveOverload: a call no overload of its function takes is "found no matching
   * overload" at the call, for the functions and types overloads.ts judges (never on a type kdry
   * cannot name as cel-go prints it).
   */
  private noMatchingOverload(e: Expr, fn: string, target: Expr | undefined, args: Expr[]): boolean {
    if (!hasNoMatchingOverload(fn, target && this.typeOf(target).k, args.map((a) => this.typeOf(a).k)) && !this.noMatchingTypeParameter(fn, target, args)) return false;
    const receiver = target && this.celGoTypeName(target);
    const names = args.map((a) => this.celGoTypeName(a));
    if ((target && receiver === undefined) || names.some((n) => n === undefined)) return false;
    this.errors.push({ message: `found no matching overload for '${fn}' applied to '${overloadSignature(receiver, names as string[])}'`, offset: this.offsetOf(e) });
    return true;
  }

  /**
   * The overloads with a type parameter (standard.go): `_==_` and `_!=_` take (A, A), `@in` (A,
   * list(A)) and (A, map(A, B)), `_+_` on lists (list(A), list(A)), `_[_]` (list(A), int) and
   * (map(A, B), A); the checker binds A to the first
   * argument's type, so `self.replicas == '3'` or `[1] + ['a']` has no matching overload. Judged on
   * the types kdry can name (dyn assignable to anything), never with null.
   */
  private noMatchingTypeParameter(fn: string, target: Expr | undefined, args: Expr[]): boolean {
    if (target || args.length !== 2) return false;
    const [a, b] = args.map((x) => this.celGoType(x));
    if (!a || !b || a.name === 'null' || b.name === 'null' || (fn !== '_==_' && fn !== '_!=_' && [a, b].some((t) => t.name.includes('.')))) return false;
    if (fn === '_[_]') return noIndexOverload(a, b);
    switch (fn) {
      case '_==_':
      case '_!=_':
        return !isAssignable(a, b);
      case '@in':
        if (b.name === 'dyn') return false;
        if ((b.name === 'list' || b.name === 'map') && b.params?.[0]) return !isAssignable(a, b.params[0]);
        return true;
      case '_+_':
        return a.name === 'list' && b.name === 'list' && !isAssignable(a, b);
    }
    return false;
  }

  /** The type of `e` as cel-go's checker has it, when kdry knows it and can name it. */
  private celGoType(e: Expr): CelGoType | undefined {
    const ty = this.typeOf(e);
    if (ty.k === 'list' || ty.k === 'map') return celGoTypeOf(e, (x) => this.typeOf(x).decl);
    return ty.k === 'object' || ty.k === 'unknown' || ty.k === 'type' ? undefined : { name: ty.k };
  }

  /** The type of `e` as cel-go prints it (checker/format.go FormatCELType), when kdry knows it. */
  private celGoTypeName(e: Expr): string | undefined {
    const ty = this.typeOf(e);
    if (ty.k === 'list' || ty.k === 'map') {
      const type = celGoTypeOf(e, (x) => this.typeOf(x).decl);
      return type && formatCelGoType(type);
    }
    return ty.k === 'object' || ty.k === 'unknown' || ty.k === 'type' ? undefined : ty.k;
  }

  /**
   * checker.go checkCall: a function the environment does not declare is "undeclared reference"
   * at the call's '('. A namespaced one (`sets.contains(...)`) is first looked up whole; failing
   * that, its namespace is checked as an identifier (undeclared too) and its last name as a member
   * function. A macro the release lacks (two-variable `all`, `sortBy`) was left a call: no function
   * has its name.
   */
  private checkDeclared(e: Expr, fn: string, target: Expr | undefined, namespaced: boolean): void {
    const undeclared = (name: string, offset: number | undefined): void => {
      this.errors.push({ message: `undeclared reference to '${name}' (in container '')`, offset });
    };
    if (!target && UNDECLARED_FUNCTIONS.has(fn)) return undeclared(fn, this.offsetOf(e));
    const env = this.env;
    if (!env) return;
    if (namespaced && target?.exprKind.case === 'identExpr') {
      const qualified = `${target.exprKind.value.name}.${fn}`;
      if (!env.missing(qualified)) return;
      undeclared(target.exprKind.value.name, this.offsetOf(target));
      if (!env.declares(fn) && !STANDARD_FUNCTIONS.has(fn)) undeclared(fn, this.offsetOf(e));
      return;
    }
    if (env.missing(fn) || (target && MACRO_NAMES.has(fn))) undeclared(fn, this.offsetOf(e));
  }

  /**
   * The Kubernetes libraries' estimates of member functions on strings and lists
   * (k8s.io/apiserver/pkg/cel/library/cost.go EstimateCallCost), without the operands' own costs;
   * undefined for the functions it does not estimate. Worked example: `self.lowerAscii()` on a
   * string with maxLength 100 costs ceil(400 x 0.1) = 40, and its result has the same size.
   */
  private libraryCost(e: Expr, fn: string, target: Expr, t: Ty, args: Expr[]): number | undefined {
    const size = this.sizeOf(target);
    const traverse = (n: number, factor = STRING_TRAVERSAL_COST_FACTOR) => Math.ceil(n * factor);
    if (t.k === 'string') {
      switch (fn) {
        case 'lowerAscii':
        case 'upperAscii':
        case 'substring':
        case 'trim':
          this.setSize(e, size);
          return traverse(size);
        case 'replace':
          if (args.length >= 2) return traverse(size, 2 * STRING_TRAVERSAL_COST_FACTOR);
          return undefined;
        case 'split':
          return traverse(size, 2 * STRING_TRAVERSAL_COST_FACTOR);
        case 'find':
        case 'findAll':
          if (args.length < 1) return undefined;
          return traverse(size + 1) * traverse(this.sizeOf(args[0]), REGEX_STRING_LENGTH_COST_FACTOR);
        case 'indexOf':
        case 'lastIndexOf':
          return traverse(size);
      }
      return undefined;
    }
    if (t.k === 'list') {
      const lists = this.extListCost(e, fn, size, elementOf(t), args);
      if (lists !== undefined) return lists;
    }
    if (t.k === 'list' && ['isSorted', 'sum', 'max', 'min', 'indexOf', 'lastIndexOf'].includes(fn)) {
      // 1 per element compared, plus traversing it when the elements are strings or bytes.
      const elem = elementOf(t);
      const perElement = 1 + (elem.k === 'string' || elem.k === 'bytes' ? traverse(elem.decl?.maxElements ?? 0) : 0);
      return size * perElement;
    }
    return undefined;
  }

  /**
   * cel-go ext/lists.go's estimators (ListsVersion 3, which Kubernetes uses from 1.34), for a list
   * of `size` items: estimateAllocatingListCall(factor, n) = ceil(n x factor) + 1 + 10, and the
   * result has n items. slice(start, end): n = end - start (literal indexes, else 0 and the list's
   * size); reverse: n = size; flatten(depth): factor = depth (1 without one; a depth that is not a
   * literal counts as the largest uint64); distinct and sort: n = size x size, factor 2 (2.1 for
   * strings and bytes); sortBy: the same over its key list. Worked example: `self.sort()` on a list
   * of strings with maxItems 100 costs ceil(10,000 x 2.1) + 11 = 21,011.
   */
  private extListCost(e: Expr, fn: string, size: number, elem: Ty, args: Expr[]): number | undefined {
    const selfCompare = (n: number, ty: Ty) => {
      const squared = saturating(n * n);
      this.setSize(e, squared);
      return allocatingListCall(2 + (ty.k === 'string' || ty.k === 'bytes' ? STRING_TRAVERSAL_COST_FACTOR : 0), squared);
    };
    switch (fn) {
      case 'slice': {
        if (args.length !== 2) return undefined;
        const n = Math.max(0, (literalUint(args[1]) ?? size) - (literalUint(args[0]) ?? 0));
        this.setSize(e, n);
        return allocatingListCall(1, n);
      }
      case 'reverse':
        if (args.length !== 0) return undefined;
        this.setSize(e, size);
        return allocatingListCall(1, size);
      case 'flatten':
        if (args.length > 1) return undefined;
        this.setSize(e, size);
        return allocatingListCall(args.length ? (literalUint(args[0]) ?? MAX_UINT64) : 1, size);
      case 'distinct':
      case 'sort':
        return args.length === 0 ? selfCompare(size, elem) : undefined;
      case SORT_BY_ASSOCIATED_KEYS:
        return args.length === 1 ? selfCompare(this.sizeOf(args[0]), elementOf(this.typeOf(args[0]))) : undefined;
    }
    return undefined;
  }

  private isNamespace(name: string): boolean {
    return !this.scopes.get(name)?.length && !this.globals?.has(name) && (this.globals !== undefined || (name !== 'self' && name !== 'oldSelf'));
  }

  private costComprehension(e: Expr, c: Extract<Expr['exprKind'], { case: 'comprehensionExpr' }>['value']): number {
    const range = c.iterRange;
    const init = c.accuInit;
    let sum = (range ? this.cost(range) : 0) + (init ? this.cost(init) : 0);
    const isBind = range?.exprKind.case === 'listExpr' && range.exprKind.value.elements.length === 0 && c.loopCondition?.exprKind.case === 'constExpr' && c.loopCondition.exprKind.value.constantKind.case === 'boolValue' && c.loopCondition.exprKind.value.constantKind.value === false && c.accuVar !== '@result';
    this.push(c.accuVar, { ty: init ? this.typeOf(init) : UNKNOWN, size: init ? this.sizeOf(init) : undefined });
    if (isBind) {
      sum += c.result ? this.cost(c.result) : 0;
      this.pop(c.accuVar);
      if (c.result) {
        this.types.set(e, this.typeOf(c.result));
        this.copySize(e, c.result);
      }
      return sum;
    }
    const rangeTy = range ? this.typeOf(range) : UNKNOWN;
    const elem = elementOf(rangeTy);
    if (c.iterVar2) {
      this.push(c.iterVar, { ty: rangeTy.k === 'list' ? { k: 'int' } : { k: 'string', decl: mapKeyType() } });
      this.push(c.iterVar2, { ty: elem });
    } else {
      this.push(c.iterVar, { ty: rangeTy.k === 'map' ? { k: 'string', decl: mapKeyType() } : elem });
    }
    const loop = (c.loopCondition ? this.cost(c.loopCondition) : 0) + (c.loopStep ? this.cost(c.loopStep) : 0);
    this.pop(c.iterVar);
    if (c.iterVar2) this.pop(c.iterVar2);
    sum += c.result ? this.cost(c.result) : 0;
    this.pop(c.accuVar);
    const count = range ? this.sizeOf(range) : 0;
    if (c.result) this.types.set(e, this.typeOf(c.result));
    if (init?.exprKind.case === 'constExpr') this.copySize(e, init);
    else if (init?.exprKind.case === 'listExpr' || init?.exprKind.case === 'structExpr') this.setSize(e, count);
    return sum + count * loop;
  }

  private push(name: string, v: LocalVar): void {
    const stack = this.scopes.get(name) ?? [];
    stack.push(v);
    this.scopes.set(name, stack);
  }

  private pop(name: string): void {
    this.scopes.get(name)?.pop();
  }

  private setSize(e: Expr, size: number): void {
    this.sizes.set(e, size);
  }

  private copySize(to: Expr, from: Expr): void {
    this.sizes.set(to, this.sizeOf(from));
  }

  /** checker/cost.go computeSize; a size kdry cannot tell counts as 0 (see the header). */
  private sizeOf(e: Expr): number {
    const known = this.sizes.get(e);
    if (known !== undefined) return known;
    const kind = e.exprKind;
    if (kind.case === 'constExpr') {
      const value = kind.value.constantKind;
      if (value.case === 'stringValue') return [...value.value].length;
      if (value.case === 'bytesValue') return value.value.length;
      return 1;
    }
    if (kind.case === 'listExpr') return kind.value.elements.length;
    if (kind.case === 'structExpr' && !kind.value.messageName) return kind.value.entries.length;
    const ty = this.typeOf(e);
    if (ty.decl) return ty.decl.maxElements;
    if (SCALARS.has(ty.k)) return 1;
    if (kind.case === 'identExpr') return this.scopes.get(kind.value.name)?.at(-1)?.size ?? 0;
    return 0;
  }
}

const NUMBER_TYPES = new Set(['int', 'uint', 'double']);

/**
 * standard.go index_list (list(A), int) and index_map (map(A, B), A): no other value is indexed
 * (`self.name[0]` is '(string, int)'). Numbers other than int are not judged (an index across
 * numeric kinds is a newer cel-go's concern), nor anything dyn.
 */
function noIndexOverload(container: CelGoType, index: CelGoType): boolean {
  if (container.name === 'dyn' || index.name === 'dyn') return false;
  if (container.name === 'list') return index.name !== 'int' && !NUMBER_TYPES.has(index.name);
  if (container.name === 'map') {
    const key = container.params?.[0];
    if (!key || (NUMBER_TYPES.has(key.name) && NUMBER_TYPES.has(index.name))) return false;
    return !isAssignable(index, key);
  }
  return true;
}

/** cel-go's estimates saturate at the largest uint64 (checker/cost.go addUint64NoOverflow and friends). */
const MAX_UINT64 = 2 ** 64 - 1;
const saturating = (n: number) => Math.min(n, MAX_UINT64);

/** ext/lists.go estimateAllocatingListCall: the result's items times the factor, plus the call and the list. */
function allocatingListCall(factor: number, size: number): number {
  return saturating(saturating(Math.ceil(size * factor)) + 1 + LIST_CREATE_BASE_COST);
}

/** ext/lists.go nodeAsIntValue: an int literal (negative as 0), else undefined (the caller's default). */
function literalUint(e: Expr): number | undefined {
  const kind = e.exprKind;
  if (kind.case !== 'constExpr' || kind.value.constantKind.case !== 'int64Value') return undefined;
  const value = kind.value.constantKind.value;
  return value < 0n ? 0 : Number(value);
}

function elementOf(ty: Ty): Ty {
  if (ty.decl?.elem) return { k: ty.decl.elem.kind, decl: ty.decl.elem };
  return ty.elem ?? UNKNOWN;
}

function constantKind(kind: string | undefined): Kind {
  switch (kind) {
    case 'boolValue':
      return 'bool';
    case 'int64Value':
      return 'int';
    case 'uint64Value':
      return 'uint';
    case 'doubleValue':
      return 'double';
    case 'stringValue':
      return 'string';
    case 'bytesValue':
      return 'bytes';
    case 'nullValue':
      return 'null';
    default:
      return 'unknown';
  }
}

/** The result type of the calls whose result kdry knows; 'unknown' otherwise. */
function callType(fn: string, target: Ty | undefined, args: Ty[]): Ty {
  if (BOOL_FUNCTIONS.has(fn) && (fn !== 'contains' || target?.k === 'string')) return { k: 'bool' };
  // The scalar result the judged overloads agree on (overloads.ts): `timestamp(s)`, `t - t`, `int(x)`.
  const result = overloadResult(fn, target?.k, args.map((a) => a.k));
  if (result !== undefined && result !== 'list') return { k: result };
  switch (fn) {
    case 'size':
      return { k: 'int' };
    case 'string':
    case 'lowerAscii':
    case 'upperAscii':
    case 'trim':
    case 'replace':
    case 'substring':
    case 'join':
      return { k: 'string' };
    case 'int':
      return { k: 'int' };
    case 'double':
      return { k: 'double' };
    case '_?_:_':
      return args[1] && args[2] && args[1].k === args[2].k ? { k: args[1].k } : UNKNOWN;
    case '_[_]':
      return args[0] ? elementOf(args[0]) : UNKNOWN;
    case '_+_':
    case '_-_':
    case '_*_':
    case '_/_':
    case '_%_':
      return args[0] && args[1] && args[0].k === args[1].k && ['int', 'uint', 'double', 'string', 'bytes'].includes(args[0].k) ? { k: args[0].k } : UNKNOWN;
    case '-_':
      return args[0] && ['int', 'double'].includes(args[0].k) ? { k: args[0].k } : UNKNOWN;
  }
  return UNKNOWN;
}

/** A macro cel-go's parser could not expand: a syntax error (parser.go expandMacro reports it where macro-errors.ts says). */
function macroExpansionFailure(source: string, positions: Record<string, number> | undefined, errors: MacroError[]): StaticAnalysis {
  const located = locatedMacroErrors(source, positions, errors);
  const syntaxError = firstError(placedErrors(source, located)) ?? located[0].message;
  return { syntaxError, syntaxErrorWording: 'cel-go', errorDisplay: displayLocatedErrors(source, located), refusedBy: 'macro-expansion', typeErrors: [], resultKind: 'unknown', maxCost: 0, readsOldSelf: false };
}

/**
 * cel-go's syntax errors, from its grammar (the ANTLR runtime and parser) loaded only when kdry's
 * parser rejects an expression: valid rules never pay for it. Anything that goes wrong there (a
 * missing file, a fault in the generated parser) leaves kdry's own wording, never a crash.
 */
function celGoErrorsOf(source: string): CelError[] | undefined {
  try {
    return (require('./cel-go-syntax-error') as typeof CelGoSyntax).celGoSyntaxErrors(source);
  } catch {
    return undefined;
  }
}
