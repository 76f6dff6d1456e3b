// k8s.io/apiserver/pkg/cel/library/quantity.go: quantity(), isQuantity() and Quantity's methods.
// Values are exact fractions, so `quantity("0.1").add(quantity("0.2")) == quantity("300m")`.
import { CelScalar, celFunc, celMethod, mapType, type CelFunc, type CelValue } from '@bufbuild/cel';
import { isValidQuantity, quantityFraction } from '../../k8s/quantity';
import { CelLibraryError, opaque, opaqueValue } from './opaque';

const OPAQUE = mapType(CelScalar.STRING, CelScalar.DYN);
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

function canonical(f: Fraction): string {
  return `${f.numerator}/${f.denominator}`;
}

export function fractionOf(value: CelValue): Fraction {
  const text = opaqueValue(value, 'quantity');
  if (text === undefined) throw new CelLibraryError('no such overload');
  const [n, d] = text.split('/');
  return { numerator: BigInt(n), denominator: BigInt(d) };
}

function reduce(numerator: bigint, denominator: bigint): Fraction {
  let a = numerator < 0n ? -numerator : numerator;
  let b = denominator;
  while (b) [a, b] = [b, a % b];
  const g = a || 1n;
  return { numerator: numerator / g, denominator: denominator / g };
}

function operand(value: CelValue): Fraction {
  return typeof value === 'bigint' ? { numerator: value, denominator: 1n } : fractionOf(value);
}

export function compareFractions(a: Fraction, b: Fraction): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

const PARSE_ERROR = 'quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'';

export const QUANTITY_FUNCS: CelFunc[] = [
  celFunc('quantity', [CelScalar.STRING], OPAQUE, (text) => {
    const f = quantityFraction(text);
    if (!f) throw new CelLibraryError(PARSE_ERROR);
    return opaque('quantity', canonical(f));
  }),
  celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, (text) => isValidQuantity(text)),
  celMethod('sign', OPAQUE, [], CelScalar.INT, function () {
    const n = fractionOf(this).numerator;
    return n > 0n ? 1n : n < 0n ? -1n : 0n;
  }),
  celMethod('isInteger', OPAQUE, [], CelScalar.BOOL, function () {
    const f = fractionOf(this);
    return f.denominator === 1n && f.numerator <= INT64_MAX && f.numerator >= INT64_MIN;
  }),
  celMethod('asInteger', OPAQUE, [], CelScalar.INT, function () {
    const f = fractionOf(this);
    if (f.denominator !== 1n || f.numerator > INT64_MAX || f.numerator < INT64_MIN) throw new CelLibraryError('cannot convert value to integer');
    return f.numerator;
  }),
  celMethod('asApproximateFloat', OPAQUE, [], CelScalar.DOUBLE, function () {
    const f = fractionOf(this);
    return Number(f.numerator) / Number(f.denominator);
  }),
  celMethod('add', OPAQUE, [CelScalar.DYN], OPAQUE, function (other) {
    const a = fractionOf(this);
    const b = operand(other);
    return opaque('quantity', canonical(reduce(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator)));
  }),
  celMethod('sub', OPAQUE, [CelScalar.DYN], OPAQUE, function (other) {
    const a = fractionOf(this);
    const b = operand(other);
    return opaque('quantity', canonical(reduce(a.numerator * b.denominator - b.numerator * a.denominator, a.denominator * b.denominator)));
  }),
];
