// Field paths written the way the API server prints them: spec.template.spec.containers[1].name
import type { ObjectPath } from '../../manifest';

export function fieldPath(path: ObjectPath): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}
