// The errors cel-go's parser reports when a call matches a macro (by name, argument count and
// receiver style) whose arguments it cannot expand: the expression does not parse, and the API
// server refuses it with "compilation failed: ERROR: <input>:<line>:<column>: <message>". The CEL
// parser kdry uses leaves such a call a plain call (it would be an undeclared function), so they
// are found here, on the parsed tree, each at the expression cel-go names:
// - has(e) with e not a field selection: "invalid argument to has() macro" (parser/macro.go MakeHas);
// - e.all(x, p), e.exists(x, p), e.exists_one(x, p) with x not a name: "argument must be a simple
//   name" (makeQuantifier);
// - e.map(x, f), e.map(x, p, f), e.filter(x, p) with x not a name: "argument is not an identifier"
//   (MakeMap, MakeFilter);
// - with two-variable comprehensions (ext/comprehensions.go, Kubernetes 1.32 on) e.all(i, v, p),
//   exists, existsOne, exists_one, transformList, transformMap, transformMapEntry (3 or 4
//   arguments for the transforms): "argument must be a simple name" at the first of i, v that is
//   not one, "duplicate variable name: <v>" at v when both are the same (extractIterVars);
// - e.sortBy(x, k) (ext/lists.go sortByMacro, Kubernetes 1.34 on): see sortByErrors;
// - a variable of any of these named `__result__`, the name the macros fold into
//   (parser.AccumulatorName): "iteration variable overwrites accumulator variable" at it, after
//   the checks above. Since cel-go v0.22.0 in extractIterVars (Kubernetes 1.32 on, ext/comprehensions.go),
//   since v0.22.1 in makeQuantifier, MakeMap and MakeFilter (parser/macro.go, "Harden legacy macros";
//   Kubernetes 1.33 on: 1.32 has v0.22.0, 1.33 v0.23.2), so sortBy (MakeMap) always. From v0.23 the
//   accumulator is `@result` (HiddenAccumulatorName), which no source can name, and the check is
//   `v == accu || v == AccumulatorName`: still `__result__`. optMap (cel/library.go) takes any name.
// Where: from cel-go v0.17 (Kubernetes 1.29) every error is at its argument (ExprHelper.NewError).
// In the cel-go of 1.28 and before (v0.16), MakeMap, MakeFilter and MakeHas returned their error
// without a location and expandMacro placed it at the call (its '('); makeQuantifier's was already
// at the argument. Worked example: `self.map(x.y, x)` is "<input>:1:11: argument is not an
// identifier" (the '.' of x.y) on 1.29, and "<input>:1:9: ..." (the '(') on 1.28.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import { childrenOf } from './ast-builder';
import type { CelEnvironment } from './release-environment';
import { compareVersions } from '../k8s/release-version';
import { celGoOffset } from './cel-go-position';
import { TWO_VARIABLE_QUANTIFIERS, TWO_VARIABLE_TRANSFORMS } from './two-variable-comprehensions';

export interface MacroError {
  /** The expression cel-go reports the error at (a call: at its '(', cel-go-position.ts). */
  at: Expr;
  message: string;
}

const QUANTIFIERS = new Set(['all', 'exists', 'exists_one']);
/** parser.AccumulatorName: what a macro's iteration variable may not be called. */
const ACCUMULATOR_NAME = '__result__';
const TWO_VARIABLE_QUANTIFIER_NAMES = new Set(TWO_VARIABLE_QUANTIFIERS);
const TRANSFORMS = new Set(TWO_VARIABLE_TRANSFORMS);
/** The kinds of target sortByMacro expands: a list literal, an identifier, a comprehension, a call or a select. */
const SORTABLE_TARGETS = new Set(['listExpr', 'identExpr', 'comprehensionExpr', 'callExpr', 'selectExpr']);

/**
 * cel-go's macro expansion errors in `root` (before any lowering), in the order its parser reports
 * them (operands and arguments first). `env`: the release's environment (which macros it has, and
 * where 1.28 placed the errors); every macro kdry knows when absent. `macroCalls`: the parser's
 * source info, the call each macro it expanded was written as.
 */
export function macroExpansionErrors(root: Expr, env?: CelEnvironment, macroCalls: Readonly<Record<string, Expr>> = {}): MacroError[] {
  const errors: MacroError[] = [];
  const locatedAtCall = env !== undefined && compareVersions(env.release, '1.29') < 0;
  const visit = (e: Expr): void => {
    for (const child of childrenOf(e)) visit(child);
    if (e.exprKind.case === 'comprehensionExpr') {
      const found = expandedMacroError(e.exprKind.value.iterVar, macroCalls[String(e.id)], env);
      if (found) errors.push(found);
    }
    if (e.exprKind.case !== 'callExpr') return;
    const { function: fn, target, args } = e.exprKind.value;
    const found = target ? receiverMacroError(fn, target, args, env) : globalMacroError(fn, args);
    if (found) errors.push({ at: locatedAtCall && found.movesToCallIn128 ? e : found.at, message: found.message });
  };
  visit(root);
  return errors;
}

type Found = { at: Expr; message: string; movesToCallIn128?: boolean } | undefined;

function globalMacroError(fn: string, args: Expr[]): Found {
  if (fn !== 'has' || args.length !== 1 || args[0].exprKind.case === 'selectExpr') return undefined;
  return { at: args[0], message: 'invalid argument to has() macro', movesToCallIn128: true };
}

/** cel-go v0.22.1 hardened the one-variable macros; Kubernetes 1.33 is the first release past it (1.32 has v0.22.0). */
const hardened = (env: CelEnvironment | undefined) => !env || compareVersions(env.release, '1.33') >= 0;

/**
 * A one-variable macro whose variable is a name: kdry's parser expanded it (a comprehension whose
 * `macroCall` is the call written), and cel-go's refuses it when that name is the accumulator's.
 * `existsOne(x, p)` is left alone: a parser macro (ExistsOneMacroNew) the Kubernetes environment
 * does not enable (cel.StandardMacros).
 */
function expandedMacroError(iterVar: string, macroCall: Expr | undefined, env: CelEnvironment | undefined): MacroError | undefined {
  if (iterVar !== ACCUMULATOR_NAME || macroCall?.exprKind.case !== 'callExpr' || !hardened(env)) return undefined;
  const { function: fn, args } = macroCall.exprKind.value;
  if (!(QUANTIFIERS.has(fn) || fn === 'map' || fn === 'filter') || !args[0]) return undefined;
  return overwritesAccumulator(args[0]);
}

function receiverMacroError(fn: string, target: Expr, args: Expr[], env: CelEnvironment | undefined): Found {
  const [first, second] = args;
  if (QUANTIFIERS.has(fn) && args.length === 2 && !isName(first)) return { at: first, message: 'argument must be a simple name' };
  if (((fn === 'map' && (args.length === 2 || args.length === 3)) || (fn === 'filter' && args.length === 2)) && !isName(first)) {
    return { at: first, message: 'argument is not an identifier', movesToCallIn128: true };
  }
  const twoVariables = (TWO_VARIABLE_QUANTIFIER_NAMES.has(fn) && args.length === 3) || (TRANSFORMS.has(fn) && (args.length === 3 || args.length === 4));
  if (twoVariables && (!env || env.has('twoVariableComprehensions'))) return iterationVariablesError(first, second);
  if (fn === 'sortBy' && args.length === 2 && (!env || env.has('sortBy'))) return sortByError(target, first);
  return undefined;
}

/**
 * ext/comprehensions.go extractIterVars, in its order: each variable a name, then two different
 * names, then neither the accumulator's (cel-go v0.22.0, the first with these macros). Worked
 * example: `m.all(__result__, __result__, true)` -> "duplicate variable name: __result__".
 */
function iterationVariablesError(first: Expr, second: Expr): Found {
  if (!isName(first)) return { at: first, message: 'argument must be a simple name' };
  if (!isName(second)) return { at: second, message: 'argument must be a simple name' };
  if (nameOf(first) === nameOf(second)) return { at: second, message: `duplicate variable name: ${nameOf(first)}` };
  return overwritesAccumulator(first) ?? overwritesAccumulator(second);
}

/** parser/macro.go (makeQuantifier, MakeMap, MakeFilter) and extractIterVars: `v == accu || v == AccumulatorName`. */
function overwritesAccumulator(variable: Expr): Found {
  return nameOf(variable) === ACCUMULATOR_NAME ? { at: variable, message: 'iteration variable overwrites accumulator variable' } : undefined;
}

/**
 * ext/lists.go sortByMacro, then parser/macro.go MakeMap for the variable. Worked example:
 * `self.sortBy(x.y, x)` -> "argument is not an identifier" at `x.y`; `'abc'.sortBy(c, c)` ->
 * "sortBy can only be applied to a list, identifier, comprehension, call or select expression" at `'abc'`.
 */
function sortByError(target: Expr, variable: Expr): Found {
  if (!SORTABLE_TARGETS.has(target.exprKind.case ?? '')) return { at: target, message: 'sortBy can only be applied to a list, identifier, comprehension, call or select expression' };
  if (!isName(variable)) return { at: variable, message: 'argument is not an identifier' };
  return overwritesAccumulator(variable);
}

const isName = (e: Expr): boolean => e.exprKind.case === 'identExpr';
const nameOf = (e: Expr): string => (e.exprKind.case === 'identExpr' ? e.exprKind.value.name : '');

/**
 * The errors with their offsets in `source`, from the parser's `positions` (by expression id;
 * undefined when the source was rewritten before parsing, so its offsets are not the source's).
 */
export function locatedMacroErrors(source: string, positions: Record<string, number | bigint> | undefined, errors: readonly MacroError[]): { offset?: number; message: string }[] {
  return errors.map((e) => {
    const at = positions?.[String(e.at.id)];
    const offset = at === undefined ? undefined : celGoOffset(source, e.at, Number(at));
    return { offset, message: e.message };
  });
}
