// The type of an expression as cel-go's checker types it and FormatCELType prints it
// (checker/format.go), for the homogeneous aggregate literal validator's message "expected type
// '<first>' but found '<this>'" (literal-validators.ts). Only the types kdry knows for sure:
// - literals: `int`, `uint`, `double`, `string`, `bytes`, `bool`, `null` (NullTypeKind prints "null");
// - `dyn(x)`: `dyn`;
// - a schema node: its scalar (`duration`, `timestamp` for those formats), `dyn` for
//   int-or-string, `list(T)` for an array, `map(string, V)` for additionalProperties;
// - a non-empty list or map literal whose elements kdry can name: `list(T)`, `map(K, V)`, T the
//   checker's join of the element types: with the validator in force the checker joins in its
//   dynamic mode (checker.go joinTypes): an element assignable to the joined type so far gives the
//   more general of the two (mostGeneral: dyn wherever either is dyn), any other gives `dyn`.
//   Worked example: `[[1], [dyn(2)]]` is list(list(dyn)); `[[1], ['a']]` is list(dyn), and its
//   validator message is "expected type 'list(int)' but found 'list(string)'".
// Not named (never reported): an object of the schema (the API server names its types per
// compilation, "selfType<n>.spec", apiextensions schema/cel/compilation.go generateUniqueSelfTypeName),
// an empty list or map (a type parameter the checker resolves later), anything else kdry does not type.
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';
import type { DeclType } from './decl-type';

export interface CelGoType {
  name: string;
  params?: CelGoType[];
}

const LITERAL_TYPES: Record<string, string> = {
  boolValue: 'bool', bytesValue: 'bytes', doubleValue: 'double', int64Value: 'int', nullValue: 'null', stringValue: 'string', uint64Value: 'uint',
};

const DECL_SCALARS: Partial<Record<DeclType['kind'], string>> = {
  bool: 'bool', bytes: 'bytes', double: 'double', int: 'int', string: 'string', duration: 'duration', timestamp: 'timestamp', dyn: 'dyn',
};

/** The type of `e`; `declOf`: the schema node an expression reads, when it reads one. */
export function celGoTypeOf(e: Expr, declOf: (e: Expr) => DeclType | undefined): CelGoType | undefined {
  const kind = e.exprKind;
  switch (kind.case) {
    case 'constExpr': {
      const name = LITERAL_TYPES[kind.value.constantKind.case ?? ''];
      return name === undefined ? undefined : { name };
    }
    case 'listExpr': {
      const element = joined(kind.value.elements.map((x) => celGoTypeOf(x, declOf)));
      return element && { name: 'list', params: [element] };
    }
    case 'structExpr': {
      if (kind.value.messageName) return undefined;
      const entries = kind.value.entries;
      const key = joined(entries.map((x) => (x.keyKind.case === 'mapKey' ? celGoTypeOf(x.keyKind.value, declOf) : undefined)));
      const value = joined(entries.map((x) => (x.value ? celGoTypeOf(x.value, declOf) : undefined)));
      return key && value && { name: 'map', params: [key, value] };
    }
    case 'callExpr':
      if (kind.value.function === 'dyn' && !kind.value.target && kind.value.args.length === 1) return { name: 'dyn' };
      break;
  }
  const decl = declOf(e);
  return decl && fromDecl(decl);
}

export function formatCelGoType(t: CelGoType): string {
  return t.params ? `${t.name}(${t.params.map(formatCelGoType).join(', ')})` : t.name;
}

function fromDecl(decl: DeclType): CelGoType | undefined {
  const scalar = DECL_SCALARS[decl.kind];
  if (scalar) return { name: scalar };
  const elem = decl.elem && fromDecl(decl.elem);
  if (!elem) return undefined;
  if (decl.kind === 'list') return { name: 'list', params: [elem] };
  if (decl.kind === 'map') return { name: 'map', params: [{ name: 'string' }, elem] };
  return undefined;
}

/** checker.go joinTypes over the elements, in order; undefined for none or one kdry cannot name. */
function joined(types: (CelGoType | undefined)[]): CelGoType | undefined {
  if (types.length === 0 || types.some((t) => t === undefined)) return undefined;
  return (types as CelGoType[]).reduce((previous, current) => joinIfAssignable(previous, current) ?? { name: 'dyn' });
}

/** checker.go joinTypes of one more element: the more general type when it is assignable, else undefined (a mismatch). */
export function joinIfAssignable(previous: CelGoType, current: CelGoType): CelGoType | undefined {
  return isAssignable(previous, current) ? mostGeneral(previous, current) : undefined;
}

/** checker/types.go internalIsAssignable, for the types named here: dyn either side, else the same type with assignable parameters. */
export function isAssignable(a: CelGoType, b: CelGoType): boolean {
  if (a.name === 'dyn' || b.name === 'dyn') return true;
  if (a.name !== b.name || (a.params?.length ?? 0) !== (b.params?.length ?? 0)) return false;
  return (a.params ?? []).every((p, i) => isAssignable(p, b.params![i]));
}

/** checker/types.go mostGeneral: the first when it is equal or less specific (isEqualOrLessSpecific), else the second. */
function mostGeneral(a: CelGoType, b: CelGoType): CelGoType {
  return isEqualOrLessSpecific(a, b) ? a : b;
}

function isEqualOrLessSpecific(a: CelGoType, b: CelGoType): boolean {
  if (a.name === 'dyn') return true;
  if (b.name === 'dyn' || a.name !== b.name) return false;
  return (a.params ?? []).every((p, i) => isEqualOrLessSpecific(p, b.params![i]));
}
