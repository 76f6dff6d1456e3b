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

/** getClaimPodName: the member pod a claim belongs to (`''` if the claim is not the set's). */
export function getClaimPodName(setName: string, claimName: string): string {
  const m = claimPattern(setName).exec(claimName);
  return m ? m[1] : '';
}

/**
 * The claim pattern per set name, compiled once: the status table asks for every claim at every
 * instant, and a new RegExp each time was 6% of `kdry check`'s simulation checks (check helper's
 * profile, session 17). Names come and go as a user types one, so the cache is bounded.
 */
const claimPatterns = new Map<string, RegExp>();
function claimPattern(setName: string): RegExp {
  let pattern = claimPatterns.get(setName);
  if (!pattern) {
    if (claimPatterns.size >= 256) claimPatterns.clear();
    claimPatterns.set(setName, (pattern = new RegExp(`.*-(${escapeRegExp(setName)}-[0-9]+)$`)));
  }
  return pattern;
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
