// Toleration matching as in k8s.io/api core/v1 (Toleration.ToleratesTaint) and
// component-helpers/scheduling/corev1 (FindMatchingUntoleratedTaint).
import type { Taint, Toleration } from '../types';
import { asRecords, asString } from './spec';

/** ToleratesTaint: effect (empty = all), key (empty = all, Exists only), operator (empty = Equal). */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first taint (passing inclusionFilter, when given) that no toleration tolerates. */
export function findMatchingUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  inclusionFilter?: (t: Taint) => boolean,
): Taint | undefined {
  for (const taint of taints ?? []) {
    if (inclusionFilter && !inclusionFilter(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

/** helper.DoNotScheduleTaintsFilterFunc: only NoSchedule and NoExecute keep pods off a node. */
export function doNotScheduleTaintsFilter(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/** spec.tolerations read defensively from YAML. */
export function readTolerations(value: unknown): Toleration[] {
  return asRecords(value).map((t) => {
    const tol: Toleration = {};
    const key = asString(t.key);
    if (key !== undefined) tol.key = key;
    const operator = asString(t.operator);
    if (operator !== undefined) tol.operator = operator as Toleration['operator'];
    const value = asString(t.value);
    if (value !== undefined) tol.value = value;
    const effect = asString(t.effect);
    if (effect !== undefined) tol.effect = effect;
    if (typeof t.tolerationSeconds === 'number') tol.tolerationSeconds = t.tolerationSeconds;
    return tol;
  });
}

/** Taints as `{key: value}`, the way kube-scheduler prints them. */
export function formatTaint(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}
