// isLessThan, isGreaterThan and compareTo, which Quantity (quantity.go) and Semver (semverlib.go)
// both define: one method each, dispatched on the library type of the receiver.
import { CelScalar, celMethod, mapType, type CelFunc, type CelValue } from '@bufbuild/cel';
import { CelLibraryError, opaqueKind } from './opaque';
import { compareFractions, fractionOf } from './quantity';
import { compareSemver, semverOf } from './semver';

const OPAQUE = mapType(CelScalar.STRING, CelScalar.DYN);

function compare(a: CelValue, b: CelValue): number {
  const kind = opaqueKind(a);
  if (kind !== opaqueKind(b)) throw new CelLibraryError('no such overload');
  if (kind === 'quantity') return compareFractions(fractionOf(a), fractionOf(b));
  if (kind === 'semver') return compareSemver(semverOf(a), semverOf(b));
  throw new CelLibraryError('no such overload');
}

export const COMPARE_FUNCS: CelFunc[] = [
  celMethod('isLessThan', OPAQUE, [OPAQUE], CelScalar.BOOL, function (other) {
    return compare(this, other) < 0;
  }),
  celMethod('isGreaterThan', OPAQUE, [OPAQUE], CelScalar.BOOL, function (other) {
    return compare(this, other) > 0;
  }),
  celMethod('compareTo', OPAQUE, [OPAQUE], CelScalar.INT, function (other) {
    return BigInt(compare(this, other));
  }),
];
