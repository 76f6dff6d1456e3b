// The Kubernetes CEL libraries add types of their own (Quantity, IP, CIDR, URL, Semver). The CEL
// runtime here has no custom opaque types, so such a value travels as a one-entry map tagged with
// its type and holding a canonical form: `quantity("1Gi") == quantity("1024Mi")` compares the
// canonical forms, and a user's map can never carry the tag (its key starts with NUL).
import { celMap, isCelMap, type CelMap, type CelValue } from '@bufbuild/cel';

export type OpaqueKind = 'quantity' | 'ip' | 'cidr' | 'url' | 'semver' | 'format';

export const TAG = '\u0000kdry.';

export function opaque(kind: OpaqueKind, canonical: string): CelMap {
  return celMap(new Map([[TAG + kind, canonical]]));
}

/** The canonical form of a value of `kind`, or undefined when the value is something else. */
export function opaqueValue(value: CelValue | undefined, kind: OpaqueKind): string | undefined {
  if (!isCelMap(value) || value.size !== 1) return undefined;
  const held = value.get(TAG + kind);
  return typeof held === 'string' ? held : undefined;
}

/** Which library type a value is, if any (for methods several types share, like isLessThan). */
export function opaqueKind(value: CelValue | undefined): OpaqueKind | undefined {
  if (!isCelMap(value) || value.size !== 1) return undefined;
  const [key] = value.keys();
  return typeof key === 'string' && key.startsWith(TAG) ? (key.slice(TAG.length) as OpaqueKind) : undefined;
}

/** The error a library function returns for bad input, as cel-go's types.NewErr. */
export class CelLibraryError extends Error {}
