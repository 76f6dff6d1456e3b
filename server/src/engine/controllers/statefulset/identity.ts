// StatefulSet identity (pkg/controller/statefulset/stateful_set_utils.go): member pod names and
// ordinals, claim names, the claims a pod gets, readiness, maxUnavailable and the ordinal range.
import { getScaledValueFromIntOrPercent, type IntOrString } from '../../../k8s/intstr';
import type { PodPhase } from '../../types';

const STATEFUL_POD_REGEX = /^(.*)-([0-9]+)$/;

/** getPodName: `<set>-<ordinal>`. */
export function getPodName(setName: string, ordinal: number): string {
  return `${setName}-${ordinal}`;
}

/** getParentNameAndOrdinal: `web-2` -> {parent: 'web', ordinal: 2}; not a member name -> {'' , -1}. */
export function getParentNameAndOrdinal(podName: string): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_REGEX.exec(podName);
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  // strconv.ParseInt(.., 10, 32): out of int32 range is a parse error.
  return { parent: m[1], ordinal: ordinal <= 2147483647 ? ordinal : -1 };
}

/** getPersistentVolumeClaimName: `<claim template>-<set>-<ordinal>`. */
export function getPersistentVolumeClaimName(setName: string, claimName: string, ordinal: number): string {
  return `${claimName}-${setName}-${ordinal}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * getClaimPodName: the member pod a claim belongs to (`''` if the claim is not the set's): the
 * capture of `.*-(<set>-[0-9]+)$`, read without the regular expression. Each set name made a
 * pattern of its own, and compiling it was 5% of the engine's time in `kdry check`'s simulation
 * checks (one StatefulSet per verdict, each named differently). The greedy `.*-` takes the
 * rightmost dash after which the rest is the set's name, a dash and digits only: for set `web` and
 * claim `data-web-12`, `web-12`; for set `a` and claim `x-a-1-a-2`, `a-2`.
 */
export function getClaimPodName(setName: string, claimName: string): string {
  // `.` does not match a line break: such a (never valid) name keeps the expression's answer
  if (LINE_BREAK.test(claimName)) return new RegExp(`.*-(${escapeRegExp(setName)}-[0-9]+)$`).exec(claimName)?.[1] ?? '';
  const end = claimName.length;
  let digits = 0;
  while (digits < end && isDigit(claimName.charCodeAt(end - 1 - digits))) digits++;
  // the fewest digits first: the pod name that starts furthest right
  for (let k = 1; k <= digits; k++) {
    const start = end - k - 1 - setName.length;
    if (start < 1) break;
    if (claimName.charCodeAt(start - 1) === DASH && claimName.charCodeAt(end - k - 1) === DASH && claimName.startsWith(setName, start)) return claimName.slice(start);
  }
  return '';
}

const DASH = 0x2d;
const LINE_BREAK = /[\n\r\u2028\u2029]/;

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export interface VolumeClaimTemplate {
  name: string;
  labels?: Record<string, string> | null;
}

/** getPersistentVolumeClaims: one claim per template; the selector's matchLabels are stamped on. */
export function getPersistentVolumeClaims(
  setName: string,
  ordinal: number,
  selectorMatchLabels: Record<string, string> | null | undefined,
  templates: readonly VolumeClaimTemplate[],
): { template: string; name: string; labels: Record<string, string> }[] {
  return templates.map((t) => ({
    template: t.name,
    name: getPersistentVolumeClaimName(setName, t.name, ordinal),
    labels: t.labels ? { ...t.labels, ...(selectorMatchLabels ?? {}) } : { ...(selectorMatchLabels ?? {}) },
  }));
}

/** isRunningAndReady: phase Running and the Ready condition True. */
export function isRunningAndReady(pod: { phase: PodPhase | string; ready: boolean }): boolean {
  return pod.phase === 'Running' && pod.ready;
}

/** getStatefulSetMaxUnavailable: percent of replicas rounded DOWN, never below 1; unset = 1. */
export function getStatefulSetMaxUnavailable(maxUnavailable: IntOrString | null | undefined, replicas: number): number {
  const value = getScaledValueFromIntOrPercent(maxUnavailable ?? 1, replicas, false);
  return value < 1 ? 1 : value;
}

/** getStartOrdinal: spec.ordinals.start (0 without spec.ordinals). */
export function getStartOrdinal(ordinals: { start?: number } | null | undefined): number {
  return typeof ordinals?.start === 'number' && ordinals.start >= 0 ? ordinals.start : 0;
}

/** getEndOrdinal: the last ordinal of the set (start + replicas - 1). */
export function getEndOrdinal(ordinals: { start?: number } | null | undefined, replicas: number): number {
  return getStartOrdinal(ordinals) + replicas - 1;
}

/** ascendingOrdinal sort of pod names (names without an ordinal sort as -1). */
export function sortByOrdinalAscending(podNames: readonly string[]): string[] {
  return [...podNames].sort((a, b) => getParentNameAndOrdinal(a).ordinal - getParentNameAndOrdinal(b).ordinal);
}

/** descendingOrdinal sort of pod names. */
export function sortByOrdinalDescending(podNames: readonly string[]): string[] {
  return [...podNames].sort((a, b) => getParentNameAndOrdinal(b).ordinal - getParentNameAndOrdinal(a).ordinal);
}
