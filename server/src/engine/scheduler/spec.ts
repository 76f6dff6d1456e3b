// Defensive readers over a pod spec as written in YAML (plain JS, possibly malformed).
// The scheduler never trusts shapes: anything unexpected reads as "not set".

export type Json = Record<string, unknown>;

export function asRecord(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asRecords(value: unknown): Json[] {
  return asArray(value).map(asRecord).filter((r): r is Json => r !== undefined);
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Label-like maps: values are stringified the way YAML authors expect (`true`, `1`). */
export function asStringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(value) ?? {})) {
    const s = asString(v);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

export function asInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** Reads `a.b.c` from nested records. */
export function dig(value: unknown, ...path: string[]): unknown {
  let cur: unknown = value;
  for (const key of path) {
    const rec = asRecord(cur);
    if (!rec) return undefined;
    cur = rec[key];
  }
  return cur;
}
