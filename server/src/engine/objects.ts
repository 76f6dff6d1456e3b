// Reading the manifests the engine is handed as plain JSON, where any field may be missing or of
// the wrong type: one place for the small guards every controller needs.
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object, or an empty one for anything else (a missing or mistyped section reads as empty). */
export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/** A label/annotation-style map with every value as a string; {} when it is not an object. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) out[k] = String(val);
  return out;
}
