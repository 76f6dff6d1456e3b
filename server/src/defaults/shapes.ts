// The plain-object helpers the defaulting functions share: a manifest's values are JSON-like.
import { isRecord } from '../manifest';

export type Obj = Record<string, unknown>;

/** The entries of a list that are objects (others are left as written: validation refuses them). */
export const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/** Sets `key` when the field is unset (nil, or "" for a string, as each SetDefaults_ tests it); `orZero`: also when 0. */
export function setDefault(obj: Obj, key: string, value: unknown, orZero = false): void {
  const v = obj[key];
  if (v === undefined || v === null || v === '' || (orZero && v === 0)) obj[key] = value;
}
