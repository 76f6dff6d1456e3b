// Resource quantities as exact amounts that keep their format, added and printed the way
// k8s.io/apimachinery/pkg/api/resource does (Quantity.Add keeps the receiver's format;
// Quantity.String prints the canonical form, CanonicalizeBytes): `0.5` cpu prints as `500m`,
// `2048Mi` as `2Gi`, `1500` as `1500`, `2000` as `2k`, `1536` bytes in BinarySI as `1536`
// (below 1024 of a unit or not a whole number, BinarySI prints as DecimalSI).
import { quantityFraction } from './quantity';

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Amount {
  /** The exact value, numerator / denominator in lowest terms (denominator > 0). */
  numerator: bigint;
  denominator: bigint;
  format: QuantityFormat;
}

const BINARY = /(Ki|Mi|Gi|Ti|Pi|Ei)$/;
const EXPONENT = /\d[eE][+-]?\d+$/;

/** A quantity as written (`500m`, `1Gi`, `2`, 1.5); undefined when it is not one. */
export function amountOf(value: unknown): Amount | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  const fraction = quantityFraction(text);
  if (!fraction) return undefined;
  const format: QuantityFormat = BINARY.test(text) ? 'BinarySI' : EXPONENT.test(text) ? 'DecimalExponent' : 'DecimalSI';
  return { ...fraction, format };
}

export const ZERO: Amount = { numerator: 0n, denominator: 1n, format: 'DecimalSI' };

function reduced(numerator: bigint, denominator: bigint, format: QuantityFormat): Amount {
  const g = gcd(numerator < 0n ? -numerator : numerator, denominator);
  return { numerator: numerator / g, denominator: denominator / g, format };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}

/** a + b in a's format, or b's when a is zero (Quantity.Add). */
export function addAmounts(a: Amount, b: Amount): Amount {
  return reduced(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator, a.numerator === 0n ? b.format : a.format);
}

export function subtractAmounts(a: Amount, b: Amount): Amount {
  return addAmounts(a, { ...b, numerator: -b.numerator });
}

/** a × n (n a whole count of pods). */
export function timesAmount(a: Amount, n: number): Amount {
  return reduced(a.numerator * BigInt(n), a.denominator, a.format);
}

/** -1, 0 or 1 (Quantity.Cmp). */
export function compareAmounts(a: Amount, b: Amount): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isZeroAmount(a: Amount): boolean {
  return a.numerator === 0n;
}

/** The value in thousandths, rounded up (Quantity.MilliValue). */
export function milliValue(a: Amount): bigint {
  return ceilDiv(a.numerator * 1000n, a.denominator);
}

/** The value in whole units, rounded up (Quantity.Value). */
export function wholeValue(a: Amount): bigint {
  return ceilDiv(a.numerator, a.denominator);
}

/** Rounded up to thousandths, its format kept (Quantity.RoundUp(-3), as core/v1 SetDefaults_ResourceList applies it). */
export function roundUpToMilli(a: Amount): Amount {
  return a.denominator === 1n ? a : reduced(milliValue(a), 1000n, a.format);
}

function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n > 0n ? q + 1n : q;
}

const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Quantity.String: the canonical form in the amount's format. */
export function formatAmount(a: Amount): string {
  if (a.numerator === 0n) return '0';
  if (a.format === 'BinarySI' && a.denominator === 1n && (a.numerator >= 1024n || a.numerator <= -1024n)) {
    let mantissa = a.numerator;
    let power = 0;
    while (power < 6 && mantissa % 1024n === 0n) (mantissa /= 1024n), power++;
    return `${mantissa}${BINARY_SUFFIX[power]}`;
  }
  // the largest exponent (a multiple of 3, from 10^18 down to 10^-9) that leaves a whole mantissa;
  // finer values round up to nano units, as the canonical form has no smaller suffix
  for (let e = 18; e >= -9; e -= 3) {
    const [num, den] = e >= 0 ? [a.numerator, a.denominator * 10n ** BigInt(e)] : [a.numerator * 10n ** BigInt(-e), a.denominator];
    if (num % den === 0n || e === -9) {
      const mantissa = num % den === 0n ? num / den : ceilDiv(num, den);
      const suffix = a.format === 'DecimalExponent' ? (e === 0 ? '' : `e${e}`) : DECIMAL_SUFFIX[e];
      return `${mantissa}${suffix}`;
    }
  }
  return '0';
}
