// cel-go's compile-time literal validators (cel/validator.go), which the API server's CEL
// environment adds from Kubernetes 1.29 (k8s.io/apiserver/pkg/cel/environment/base.go, "add the new
// validator in 1.29": cel.ASTValidators(ValidateDurationLiterals, ValidateTimestampLiterals,
// ValidateRegexLiterals, ValidateHomogeneousAggregateLiterals)); the last is there earlier too, as
// the 1.0 options' cel.HomogeneousAggregateLiterals() (release-environment.ts). They run on the
// type-checked AST, only when it checked without errors (cel/env.go Check):
// - formatValidator: every call of duration, timestamp, matches whose first argument (argNum 0) is a
//   literal is evaluated (duration, timestamp: evalCall) or compiled (matches: Go's regexp.Compile,
//   RE2 syntax); a failure is "invalid <function> argument" at the literal. Worked example:
//   `duration('1x')` -> "invalid duration argument" at column 10; `self.matches('[')` -> "invalid
//   matches argument" at the '[' literal.
// - homogeneousAggregateLiteralValidator: in a list literal, the first element whose type is not
//   the first element's is "expected type '<first>' but found '<this>'" (then the list is left); in
//   a map literal, every key and value against the first entry's. Lists and maps inside a `format`
//   call's arguments (at any depth of lists and maps) are skipped.
// kdry names the types cel-go-type-name.ts names (literals, dyn(), schema scalars, lists and maps
// of those): an element whose type it cannot name (a schema object, an empty list, anything it does
// not type) is never reported, so every error reported is one cel-go reports too.
import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { RE2JS } from '@bufbuild/re2';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { childrenOf } from './ast-builder';
import { celGoTypeOf, formatCelGoType, joinIfAssignable, type CelGoType } from './cel-go-type-name';

export interface LiteralError {
  message: string;
  /** 0-based offset of the offending literal or element, when known. */
  offset?: number;
}

/** The functions whose literal first argument cel-go validates, in validator order. */
const FORMAT_VALIDATED = ['duration', 'timestamp', 'matches'] as const;
type FormatFunction = (typeof FORMAT_VALIDATED)[number];

const runtime = celEnv();

/**
 * The validators' errors for `root` (macros expanded), as cel-go reports them. `typeNameOf`: the
 * type of an expression as cel-go's FormatCelType prints it, undefined when kdry cannot name it.
 */
export function validateLiterals(
  root: Expr,
  typeNameOf: (e: Expr) => string | undefined,
  offsetOf: (e: Expr) => number | undefined,
  validators: { formats: boolean; aggregates: boolean },
): LiteralError[] {
  // base.go's 1.0 options add the homogeneous validator before the 1.29 ones (validators run in the order added).
  const errors = validators.aggregates ? heterogeneousAggregates(root, typeNameOf, offsetOf) : [];
  if (!validators.formats) return errors;
  for (const fn of FORMAT_VALIDATED) {
    for (const call of descendants(root)) {
      if (call.exprKind.case !== 'callExpr' || call.exprKind.value.function !== fn) continue;
      const literal = call.exprKind.value.args[0];
      if (literal?.exprKind.case !== 'constExpr' || literal.exprKind.value.constantKind.case !== 'stringValue') continue;
      if (!isValidLiteral(fn, literal.exprKind.value.constantKind.value)) errors.push({ message: `invalid ${fn} argument`, offset: offsetOf(literal) });
    }
  }
  return errors;
}

/** A literal's type as cel-go's FormatCELType prints it: what the validators know without a schema (cel-go-type-name.ts). */
export function literalTypeName(e: Expr): string | undefined {
  const type = celGoTypeOf(e, () => undefined);
  return type && formatCelGoType(type);
}

const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 2000;

/** Memoised: a CRD's rules are analysed again on every edit of the document. */
function isValidLiteral(fn: FormatFunction, text: string): boolean {
  const key = `${fn}\0${text}`;
  let valid = verdicts.get(key);
  if (valid === undefined) {
    valid = judge(fn, text);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(key, valid);
  }
  return valid;
}

function judge(fn: FormatFunction, text: string): boolean {
  if (fn === 'matches') {
    try {
      RE2JS.compile(text);
      return true;
    } catch {
      return false;
    }
  }
  if (fn === 'duration' ? !isGoDuration(text) : !isGoRfc3339(text)) return false;
  const result = (plan(runtime, parse(`${fn}(${JSON.stringify(text)})`)) as (b: object) => unknown)({});
  return !isCelError(result);
}

/**
 * What Go's time.ParseDuration refuses and the CEL runtime kdry uses accepts: an empty duration
 * ("", "+", "-": "time: invalid duration"). The rest (units, overflow) the runtime refuses as Go does.
 */
function isGoDuration(text: string): boolean {
  return text.replace(/^[+-]/, '') !== '';
}

/**
 * What Go's time.Parse(time.RFC3339, ...) refuses and the CEL runtime accepts: hour 24 ("hour out of
 * range") and a day past the month's end ("day out of range": 2023-02-29, 2023-04-31).
 */
function isGoRfc3339(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})/.exec(text);
  if (!m) return true;
  const [year, month, day, hour] = m.slice(1).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return hour <= 23 && (month < 1 || month > 12 || day <= daysInMonth);
}

function heterogeneousAggregates(root: Expr, typeNameOf: (e: Expr) => string | undefined, offsetOf: (e: Expr) => number | undefined): LiteralError[] {
  const errors: LiteralError[] = [];
  const mismatch = (e: Expr, expected: string | undefined, actual: string | undefined): boolean => {
    if (expected === undefined || actual === undefined || expected === actual) return false;
    errors.push({ message: `expected type '${expected}' but found '${actual}'`, offset: offsetOf(e) });
    return true;
  };
  for (const e of descendants(root, inFormatCall)) {
    if (e.exprKind.case === 'listExpr') {
      const [first, ...rest] = e.exprKind.value.elements;
      // The first element that differs is reported, then the list is left (validator.go: break).
      for (const x of rest) if (mismatch(x, typeNameOf(first), typeNameOf(x))) break;
    } else if (e.exprKind.case === 'structExpr' && !e.exprKind.value.messageName) {
      const [first, ...rest] = e.exprKind.value.entries;
      const keyOf = (entry: typeof first) => (entry.keyKind.case === 'mapKey' ? entry.keyKind.value : undefined);
      for (const entry of rest) {
        const key = keyOf(entry);
        const firstKey = keyOf(first);
        if (key && firstKey) mismatch(key, typeNameOf(firstKey), typeNameOf(key));
        if (entry.value && first.value) mismatch(entry.value, typeNameOf(first.value), typeNameOf(entry.value));
      }
    }
  }
  return errors;
}

/**
 * The homogeneous aggregate check of cel-go v0.16 (Kubernetes 1.28 and before), where base.go's
 * cel.HomogeneousAggregateLiterals() was a checker feature (featureDisableDynamicAggregateLiterals),
 * not the validator: checker.go joinTypes joins a literal's elements in order (keys and values of
 * a map apart), and the first element not assignable to the join so far is a type error,
 * "expected type '<join>' but found '<element>'" (errors.go typeMismatch), after which the join is
 * the error type, to which everything is assignable. So, unlike the validator, dyn matches
 * anything and the comparison is with the join, not the first element: `[1, dyn(2), 'a']` passes
 * (int, then dyn), `[1, 'a', 2.0]` fails once, at 'a'. An element kdry cannot type ends the check
 * of its literal (the join is then unknown). These are type-check errors: they come with the others.
 */
export function checkerAggregateErrors(root: Expr, typeOf: (e: Expr) => CelGoType | undefined, offsetOf: (e: Expr) => number | undefined): LiteralError[] {
  const errors: LiteralError[] = [];
  const check = (elements: Expr[]) => {
    let join: CelGoType | undefined;
    for (const e of elements) {
      const type = typeOf(e);
      if (!type) return;
      const next: CelGoType | undefined = join ? joinIfAssignable(join, type) : type;
      if (!next) {
        errors.push({ message: `expected type '${formatCelGoType(join!)}' but found '${formatCelGoType(type)}'`, offset: offsetOf(e) });
        return;
      }
      join = next;
    }
  };
  for (const e of descendants(root)) {
    if (e.exprKind.case === 'listExpr') check(e.exprKind.value.elements);
    else if (e.exprKind.case === 'structExpr' && !e.exprKind.value.messageName) {
      const entries = e.exprKind.value.entries;
      check(entries.flatMap((x) => (x.keyKind.case === 'mapKey' ? [x.keyKind.value] : [])));
      check(entries.flatMap((x) => (x.value ? [x.value] : [])));
    }
  }
  return errors;
}

/** A list or map literal whose nearest non-aggregate ancestor is a `format` call (hasStringFormatAncestor). */
const inFormatCall = (e: Expr): boolean => e.exprKind.case === 'callExpr' && e.exprKind.value.function === 'format';

/** Every expression under `root`, root first; below a node `prune` accepts, aggregates are not visited. */
function* descendants(root: Expr, prune?: (e: Expr) => boolean): Generator<Expr> {
  const stack: { e: Expr; pruned: boolean }[] = [{ e: root, pruned: false }];
  while (stack.length) {
    const { e, pruned } = stack.pop()!;
    const aggregate = e.exprKind.case === 'listExpr' || e.exprKind.case === 'structExpr';
    if (!(pruned && aggregate)) yield e;
    const below = (aggregate && pruned) || (prune?.(e) ?? false);
    for (const child of childrenOf(e).reverse()) stack.push({ e: child, pruned: below });
  }
}
