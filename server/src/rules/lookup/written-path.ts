// A path into an object as built (scope/built-document.ts) leads to the same field of the file
// as written, except where a list of named elements changed on the way: a strategic merge patch
// puts its own containers first and may add new ones (kustomize's merge by the `name` key), so
// the built index of a container is not the file's. Such elements are found by name.
import { isRecord, type ObjectPath } from '../../manifest';

/** `path` into `built`, with each index of a named element replaced by that element's index in `written`; undefined when `written` lacks the element. */
export function writtenPath(built: unknown, written: unknown, path: ObjectPath): ObjectPath | undefined {
  const out: ObjectPath = [];
  let b = built;
  let w = written;
  for (const step of path) {
    if (typeof step === 'number' && Array.isArray(b) && Array.isArray(w)) {
      const element = b[step];
      const name = isRecord(element) && typeof element.name === 'string' ? element.name : undefined;
      const index = name === undefined ? step : w.findIndex((e) => isRecord(e) && e.name === name);
      if (index < 0 || index >= w.length) return undefined;
      out.push(index);
      b = element;
      w = w[index];
      continue;
    }
    out.push(step);
    b = isRecord(b) ? b[String(step)] : undefined;
    w = isRecord(w) ? w[String(step)] : undefined;
  }
  return out;
}
