// The overloads cel-go's checker resolves a call against, for the functions whose every overload in
// every Kubernetes CEL environment kdry knows: when no overload takes the receiver and arguments
// the schema declares, the checker refuses the expression with "found no matching overload for
// '<function>' applied to '<receiver>.(<arguments>)'" (cel-go checker/checker.go resolveOverload,
// checker/errors.go noMatchingOverload, the types printed by checker/format.go FormatCELType:
// `timestamp`, `duration`, `list(string)`). Worked example: `self.created.startsWith('2024')` on a
// `format: date-time` field (a timestamp: apiserver/pkg/cel/common/schemas.go SchemaDeclType) is
// "found no matching overload for 'startsWith' applied to 'timestamp.(string)'".
//
// Never a false error: only these functions are judged (cel-go's standard string and time
// functions, the Kubernetes string extension cel-go ext/strings.go and regex library
// apiserver/pkg/cel/library/regex.go, whose names no other library overloads), only when kdry
// knows the receiver's and every argument's type, and `dyn` (int-or-string, a `dyn(...)` call)
// matches anything, as cel-go's isAssignable lets it.
import type { DeclKind } from './decl-type';

export type OverloadKind = DeclKind | 'uint' | 'null' | 'type' | 'unknown';

/** A receiver (undefined for a global call) and the argument kinds; `list` and `map` match any element type. */
interface Overload {
  receiver?: OverloadKind;
  args: OverloadKind[];
}

const member = (receiver: OverloadKind, ...args: OverloadKind[]): Overload => ({ receiver, args });
const global = (...args: OverloadKind[]): Overload => ({ args });
/** cel-go standard: timestamp accessors take an optional time zone; a duration's only the four of the day. */
const dateAccessor = [member('timestamp'), member('timestamp', 'string')];
const timeAccessor = [...dateAccessor, member('duration')];

const OVERLOADS: ReadonlyMap<string, readonly Overload[]> = new Map([
  // cel-go standard library (common/stdlib: contains_string, starts_with_string, ends_with_string, matches_string, size_*)
  ['contains', [member('string', 'string')]],
  ['startsWith', [member('string', 'string')]],
  ['endsWith', [member('string', 'string')]],
  ['matches', [member('string', 'string'), global('string', 'string')]],
  ['size', [member('string'), member('bytes'), member('list'), member('map'), global('string'), global('bytes'), global('list'), global('map')]],
  ['getFullYear', dateAccessor],
  ['getMonth', dateAccessor],
  ['getDayOfYear', dateAccessor],
  ['getDayOfMonth', dateAccessor],
  ['getDate', dateAccessor],
  ['getDayOfWeek', dateAccessor],
  ['getHours', timeAccessor],
  ['getMinutes', timeAccessor],
  ['getSeconds', timeAccessor],
  ['getMilliseconds', timeAccessor],
  // cel-go ext/strings.go (Kubernetes: ext.Strings in the base environment)
  ['charAt', [member('string', 'int')]],
  ['lowerAscii', [member('string')]],
  ['upperAscii', [member('string')]],
  ['trim', [member('string')]],
  ['replace', [member('string', 'string', 'string'), member('string', 'string', 'string', 'int')]],
  ['split', [member('string', 'string'), member('string', 'string', 'int')]],
  ['substring', [member('string', 'int'), member('string', 'int', 'int')]],
  // apiserver/pkg/cel/library/regex.go
  ['find', [member('string', 'string')]],
  ['findAll', [member('string', 'string'), member('string', 'string', 'int')]],
]);

/** The kinds kdry types for sure; anything else (an object of the schema, unknown, a type) is never judged. */
const JUDGED: ReadonlySet<OverloadKind> = new Set(['string', 'bytes', 'int', 'uint', 'double', 'bool', 'timestamp', 'duration', 'list', 'map', 'null', 'dyn']);

const NUMBERS: ReadonlySet<OverloadKind> = new Set(['int', 'uint', 'double']);
/** cel-go's ordering overloads (less_int64, less_string, less_timestamp...): one kind both sides. */
const ORDERED: ReadonlySet<OverloadKind> = new Set(['int', 'uint', 'double', 'string', 'bytes', 'bool', 'timestamp', 'duration']);
const ORDERINGS = new Set(['_<_', '_<=_', '_>_', '_>=_']);

const accepts = (declared: OverloadKind, actual: OverloadKind) => actual === 'dyn' || declared === actual;

/**
 * Whether cel-go finds no overload of `fn` for a `receiver` (undefined: a global call) and `args`:
 * false whenever kdry does not judge the function or does not know a type.
 */
export function hasNoMatchingOverload(fn: string, receiver: OverloadKind | undefined, args: readonly OverloadKind[]): boolean {
  if ((receiver !== undefined && !JUDGED.has(receiver)) || args.some((a) => !JUDGED.has(a))) return false;
  if (ORDERINGS.has(fn) && receiver === undefined && args.length === 2) {
    const [a, b] = args;
    // Kubernetes compiles with cel.CrossTypeNumericComparisons(true): int < double is declared.
    if (a === 'dyn' || b === 'dyn' || (NUMBERS.has(a) && NUMBERS.has(b))) return false;
    return !(ORDERED.has(a) && a === b);
  }
  const overloads = OVERLOADS.get(fn);
  if (!overloads || receiver === 'dyn') return false;
  return !overloads.some((o) => o.receiver === receiver && o.args.length === args.length && o.args.every((d, i) => accepts(d, args[i])));
}

/** checker/errors.go noMatchingOverload's signature: `receiver.(a, b)` for a member call, `(a, b)` for a global one. */
export function overloadSignature(receiver: string | undefined, args: readonly string[]): string {
  return `${receiver === undefined ? '' : `${receiver}.`}(${args.join(', ')})`;
}
