// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource.Quantity):
// `<sign><digits>[.<digits>]<suffix>` where the suffix is a binary SI suffix (Ki Mi Gi Ti Pi Ei),
// a decimal SI suffix (n u m "" k M G T P E) or a decimal exponent (e3, E-2).
// The arithmetic is exact (BigInt) so `0.1` cpu is 100 millicores, never 99.
// Bad input never throws: parseQuantity returns NaN and the helpers below treat it as unset.

const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const DECIMAL_EXPONENT: Record<string, number> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXPONENT: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/** An exact quantity: mantissa * 10^exp10 * 2^exp2. */
interface ExactQuantity {
  mantissa: bigint;
  exp10: number;
  exp2: number;
}

function parseExact(value: string | number): ExactQuantity | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? numberToText(value) : '') : String(value).trim();
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, number, exponent, suffix] = m;
  const [whole, fraction = ''] = number.split('.');
  let mantissa = BigInt((whole || '0') + fraction);
  if (sign === '-') mantissa = -mantissa;
  let exp10 = -fraction.length;
  let exp2 = 0;
  if (exponent) {
    const e = Number(exponent.slice(1));
    // Quantities beyond any real cluster's range would make BigInt work unbounded; refuse them.
    if (Math.abs(e) > 300) return undefined;
    exp10 += e;
  } else if (suffix) {
    if (suffix in BINARY_EXPONENT) exp2 = BINARY_EXPONENT[suffix];
    else exp10 += DECIMAL_EXPONENT[suffix];
  }
  return { mantissa, exp10, exp2 };
}

function numberToText(n: number): string {
  // Number#toString gives `1e+21` for large values, which the grammar accepts as an exponent.
  return String(n).replace('e+', 'e');
}

/** value * 10^scale rounded up to an integer (Quantity.ScaledValue rounds away from zero toward +inf). */
function scaledCeil(q: ExactQuantity, scale: number): number {
  let numerator = q.mantissa * 2n ** BigInt(q.exp2);
  let denominator = 1n;
  const e = q.exp10 + scale;
  if (e >= 0) numerator *= 10n ** BigInt(e);
  else denominator = 10n ** BigInt(-e);
  let result = numerator / denominator;
  if (numerator % denominator !== 0n && numerator > 0n) result += 1n;
  return Number(result);
}

/**
 * The quantity in base units as a float (Quantity.AsApproximateFloat64): `500m` -> 0.5,
 * `1Gi` -> 1073741824, `1e3` -> 1000. NaN when the text is not a Kubernetes quantity.
 */
export function parseQuantity(value: string | number): number {
  const q = parseExact(value);
  if (!q) return NaN;
  return Number(q.mantissa) * 10 ** q.exp10 * 2 ** q.exp2;
}

export function isValidQuantity(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && parseExact(value) !== undefined;
}

/** Quantity.MilliValue: thousandths, rounded up (`0.0001` cpu -> 1m). NaN when invalid. */
export function quantityMilliValue(value: string | number): number {
  const q = parseExact(value);
  return q ? scaledCeil(q, 3) : NaN;
}

/** Quantity.Value: whole units, rounded up (`1.5` -> 2, `500m` -> 1). NaN when invalid. */
export function quantityValue(value: string | number): number {
  const q = parseExact(value);
  return q ? scaledCeil(q, 0) : NaN;
}

/**
 * A resource quantity in the engine's units: cpu in millicores, everything else (memory,
 * ephemeral-storage, hugepages, pods, extended resources) in whole units (bytes, counts).
 */
export function resourceAmount(resourceName: string, value: unknown): number {
  if (typeof value !== 'string' && typeof value !== 'number') return NaN;
  return resourceName === 'cpu' ? quantityMilliValue(value) : quantityValue(value);
}

/** The exact value as a fraction in lowest terms (`500m` -> 1/2, `1Ki` -> 1024/1); undefined when invalid. */
export function quantityFraction(value: string): { numerator: bigint; denominator: bigint } | undefined {
  const q = parseExact(value);
  if (!q) return undefined;
  let numerator = q.mantissa * 2n ** BigInt(q.exp2);
  let denominator = 1n;
  if (q.exp10 >= 0) numerator *= 10n ** BigInt(q.exp10);
  else denominator = 10n ** BigInt(-q.exp10);
  const divisor = gcd(numerator < 0n ? -numerator : numerator, denominator);
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}
