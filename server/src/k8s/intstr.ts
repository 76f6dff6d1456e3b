// intstr.GetScaledValueFromIntOrPercent: a percentage `p%` of `total`, rounded up or down;
// a plain integer is returned unchanged (no clamping); a string without `%` is an error.
export type IntOrString = number | string;

export function getScaledValueFromIntOrPercent(value: IntOrString | null | undefined, total: number, roundUp: boolean): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  const m = /^(-?\d+)%$/.exec(value.trim());
  if (!m) {
    if (/^-?\d+$/.test(value.trim())) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
    throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** An int-or-string field's value for the zero/limit checks (validation.getIntOrPercentValue). */
export function intOrPercentValue(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const m = /^(-?\d+)%$/.exec(v);
    return m ? Number(m[1]) : undefined;
  }
  return undefined;
}

export function isPercent(v: unknown): v is string {
  return typeof v === 'string' && /^-?\d+%$/.test(v);
}

/**
 * An int-or-string field as decoded (intstr.IntOrString.UnmarshalJSON takes a JSON number or a
 * string); anything else, or the field left out, is undefined.
 */
export function intOrStringOf(v: unknown): IntOrString | undefined {
  return typeof v === 'number' || typeof v === 'string' ? v : undefined;
}

/**
 * intstr.IntOrString.IntValue: the integer, or a string's integer (strconv.Atoi, its error
 * dropped: anything else is 0). A fraction is no int32 (the decoder refuses it): 0 too.
 */
export function intOrStringIntValue(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) ? v : 0;
  return typeof v === 'string' && /^[+-]?\d+$/.test(v) ? Number(v) : 0;
}
