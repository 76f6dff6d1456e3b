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

/**
 * What is known of one quantity text: its exact value and, once asked, the derived forms. Manifests
 * repeat a handful of texts (`500m`, `512Mi`, a node pool's `cpu: "64"`) thousands of times, so
 * each is parsed and reduced once; this is the one quantity memo (the cluster loader, the rules and
 * the CEL library all read through it).
 */
interface Known {
  exact: ExactQuantity;
  milli?: number;
  whole?: number;
  wholeUnits?: boolean;
  fraction?: { numerator: bigint; denominator: bigint };
}

const known = new Map<string, Known | null>();
/** Bounded: a file of distinct quantities (generated, hostile) cannot grow it without end. */
const MAX_KNOWN = 4096;
/**
 * Real quantities are short (`1500m`, `128974848e3`, `0.5Gi`); a longer text is parsed each time,
 * so the memo's size stays bounded by MAX_KNOWN short keys, not by what a hostile file writes.
 */
const MAX_KNOWN_TEXT = 64;

function lookup(value: string | number): Known | undefined {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? numberToText(value) : '') : String(value).trim();
  let hit = known.get(text);
  if (hit === undefined) {
    const exact = parseExact(text);
    hit = exact ? { exact } : null;
    if (text.length <= MAX_KNOWN_TEXT) {
      if (known.size >= MAX_KNOWN) known.clear();
      known.set(text, hit);
    }
  }
  return hit ?? undefined;
}

function parseExact(text: string): ExactQuantity | undefined {
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
function scaledCeil(q: ExactQuantity, scale: number): bigint {
  let numerator = q.mantissa * 2n ** BigInt(q.exp2);
  let denominator = 1n;
  const e = q.exp10 + scale;
  if (e >= 0) numerator *= 10n ** BigInt(e);
  else denominator = 10n ** BigInt(-e);
  let result = numerator / denominator;
  if (numerator % denominator !== 0n && numerator > 0n) result += 1n;
  return result;
}

/**
 * The quantity in base units as a float (Quantity.AsApproximateFloat64): `500m` -> 0.5,
 * `1Gi` -> 1073741824, `1e3` -> 1000. NaN when the text is not a Kubernetes quantity.
 */
export function parseQuantity(value: string | number): number {
  const q = lookup(value)?.exact;
  if (!q) return NaN;
  return Number(q.mantissa) * 10 ** q.exp10 * 2 ** q.exp2;
}

export function isValidQuantity(value: unknown): boolean {
  return (typeof value === 'string' || typeof value === 'number') && lookup(value) !== undefined;
}

/** Quantity.MilliValue: thousandths, rounded up (`0.0001` cpu -> 1m). NaN when invalid. */
export function quantityMilliValue(value: string | number): number {
  const q = lookup(value);
  return q ? (q.milli ??= Number(scaledCeil(q.exact, 3))) : NaN;
}

/** Quantity.Value: whole units, rounded up (`1.5` -> 2, `500m` -> 1). NaN when invalid. */
export function quantityValue(value: string | number): number {
  const q = lookup(value);
  return q ? (q.whole ??= Number(scaledCeil(q.exact, 0))) : NaN;
}

/**
 * Quantity.MilliValue is a multiple of 1000: a whole number of units, as the API server asks of
 * bytes (`512Mi`, `1k`: yes; `0.5`, `100u`: no, MilliValue rounds them up to 500 and 1).
 * Undefined when the text is not a quantity.
 */
export function isWholeUnits(value: string | number): boolean | undefined {
  const q = lookup(value);
  return q ? (q.wholeUnits ??= scaledCeil(q.exact, 3) % 1000n === 0n) : undefined;
}

/**
 * A resource quantity in the engine's units: cpu in millicores, everything else (memory,
 * ephemeral-storage, hugepages, pods, extended resources) in whole units (bytes, counts).
 */
export function resourceAmount(resourceName: string, value: unknown): number {
  if (typeof value !== 'string' && typeof value !== 'number') return NaN;
  return resourceName === 'cpu' ? quantityMilliValue(value) : quantityValue(value);
}

/** The exact value as a fraction in lowest terms (`500m` -> 1/2, `1Ki` -> 1024/1); undefined when invalid. Shared: do not change it. */
export function quantityFraction(value: string): { numerator: bigint; denominator: bigint } | undefined {
  const q = lookup(value);
  if (!q) return undefined;
  if (q.fraction) return q.fraction;
  const { mantissa, exp10, exp2 } = q.exact;
  let numerator = mantissa * 2n ** BigInt(exp2);
  let denominator = 1n;
  if (exp10 >= 0) numerator *= 10n ** BigInt(exp10);
  else denominator = 10n ** BigInt(-exp10);
  const divisor = gcd(numerator < 0n ? -numerator : numerator, denominator);
  return (q.fraction = { numerator: numerator / divisor, denominator: denominator / divisor });
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a || 1n;
}
