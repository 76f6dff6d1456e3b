/**
 * kube-openapi pkg/validation/validate/values.go MultipleOf: a factor below 1 is inverted first
 * (`1 / factor * data`, so 0.3 with 0.1 is 3, where 0.3 / 0.1 is 2.9999999999999996), then the
 * quotient must pass swag's IsFloat64AJSONInteger.
 */
export function isMultipleOf(data: number, factor: number): boolean {
  if (factor < 0) return false; // MultipleOfMustBePositive
  // MultipleOfNativeType: an integer value with an integer factor is MultipleOfInt, exact.
  if (Number.isInteger(data) && Number.isInteger(factor)) return data % factor === 0;
  return isFloat64AJsonInteger(factor < 1 ? (1 / factor) * data : data / factor);
}

/** go-openapi/swag IsFloat64AJSONInteger (v0.23, vendored by kube-openapi): within ±(2^53-1), relative error below 1e-9. */
function isFloat64AJsonInteger(f: number): boolean {
  if (!Number.isFinite(f) || Math.abs(f) > Number.MAX_SAFE_INTEGER) return false;
  if (Number.isInteger(f)) return true;
  // Go's `uint64(f)` of a negative float is not its truncation (2^64 - n on amd64, 0 on arm64),
  // so a negative non-integer is never within the tolerance.
  if (f < 0) return false;
  const truncated = Math.trunc(f);
  // `g == 0` case: the difference would have to be below epsilon * SmallestNonzeroFloat64.
  if (truncated === 0) return false;
  return (f - truncated) / (f + truncated) < 1e-9;
}
