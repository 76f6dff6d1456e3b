// Pure arithmetic of pkg/controller/deployment/util/deployment_util.go and the ReplicaSet list
// helpers of pkg/controller/controller_utils.go, named after the upstream functions so the
// simulator can be audited against them. Inputs are small plain records, not API objects.
import { getScaledValueFromIntOrPercent, type IntOrString } from '../../../k8s/intstr';

export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The reason of a Progressing condition that never times out (deployment finished). */
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
/** math.MaxInt32: "no deadline" / "keep every revision". */
export const MAX_INT32 = 2147483647;

/** The fields of a Deployment the arithmetic reads. */
export interface DeploymentLike {
  strategy: 'RollingUpdate' | 'Recreate' | string;
  replicas: number;
  /** null/undefined = not set (treated as 0 by ResolveFenceposts; the API server defaults it to 25%). */
  maxSurge?: IntOrString | null;
  maxUnavailable?: IntOrString | null;
  /** status.replicas */
  statusReplicas?: number;
}

/** The fields of a ReplicaSet the arithmetic reads. Times are seconds; null/undefined = zero time. */
export interface ReplicaSetLike {
  name: string;
  uid?: string;
  /** spec.replicas */
  replicas: number;
  /** status.replicas */
  statusReplicas?: number;
  /** status.availableReplicas */
  availableReplicas?: number;
  createdAt?: number | null;
  annotations?: Record<string, string>;
}

/** Scales `value` (int or "N%") against `total`; throws on a string that is not a percentage. */
export function scaleIntOrPercent(value: IntOrString | null | undefined, total: number, roundUp: boolean): number {
  return getScaledValueFromIntOrPercent(value, total, roundUp);
}

/**
 * ResolveFenceposts: maxSurge (percent rounds up) and maxUnavailable (percent rounds down) for
 * `desired` replicas; unset values count as 0, and if both resolve to 0 unavailability becomes 1
 * so that a rollout can make progress. Throws on an invalid IntOrString.
 */
export function resolveFenceposts(
  maxSurge: IntOrString | null | undefined,
  maxUnavailable: IntOrString | null | undefined,
  desired: number,
): { maxSurge: number; maxUnavailable: number } {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: unavailable };
}

export function isRollingUpdate(d: Pick<DeploymentLike, 'strategy'>): boolean {
  return d.strategy === 'RollingUpdate';
}

/** MaxSurge: 0 for Recreate; otherwise the resolved surge. */
export function maxSurge(d: DeploymentLike): number {
  if (!isRollingUpdate(d)) return 0;
  return resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).maxSurge;
}

/** MaxUnavailable: 0 for Recreate or 0 replicas; otherwise the resolved value capped at replicas. */
export function maxUnavailable(d: DeploymentLike): number {
  if (!isRollingUpdate(d) || d.replicas === 0) return 0;
  const { maxUnavailable: unavailable } = resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas);
  return Math.min(unavailable, d.replicas);
}

/** MinAvailable: replicas - MaxUnavailable, 0 for Recreate. */
export function minAvailable(d: DeploymentLike): number {
  if (!isRollingUpdate(d)) return 0;
  return d.replicas - maxUnavailable(d);
}

/** GetReplicaCountForReplicaSets: sum of spec.replicas. */
export function getReplicaCountForReplicaSets(rss: readonly (ReplicaSetLike | null | undefined)[]): number {
  let total = 0;
  for (const rs of rss) if (rs) total += rs.replicas;
  return total;
}

/** GetActualReplicaCountForReplicaSets: sum of status.replicas. */
export function getActualReplicaCountForReplicaSets(rss: readonly (ReplicaSetLike | null | undefined)[]): number {
  let total = 0;
  for (const rs of rss) if (rs) total += rs.statusReplicas ?? 0;
  return total;
}

/** GetAvailableReplicaCountForReplicaSets: sum of status.availableReplicas. */
export function getAvailableReplicaCountForReplicaSets(rss: readonly (ReplicaSetLike | null | undefined)[]): number {
  let total = 0;
  for (const rs of rss) if (rs) total += rs.availableReplicas ?? 0;
  return total;
}

/** FilterActiveReplicaSets: the non-nil sets with spec.replicas > 0, in input order. */
export function filterActiveReplicaSets<T extends ReplicaSetLike>(rss: readonly (T | null | undefined)[]): T[] {
  return rss.filter((rs): rs is T => !!rs && rs.replicas > 0);
}

/**
 * NewRSNewReplicas: the size the new ReplicaSet may be scaled to in one step. Recreate goes
 * straight to replicas; RollingUpdate grows up to replicas+maxSurge pods in total (`allReplicaSets`
 * is the list the function sums, normally including the new set) without exceeding replicas.
 *
 * Worked example: 10 replicas, maxSurge 25% (ceil(2.5) = 3, surge rounds up), old set 10, new
 * set 0: at most 13 pods, so the new set gets min(13 - 10, 10 - 0) = 3. Once the old set is down
 * to 7 (new 3, total 10), it gets min(13 - 10, 10 - 3) = 3 more: 6.
 */
export function newRSNewReplicas(d: DeploymentLike, allReplicaSets: readonly (ReplicaSetLike | null | undefined)[], newRS: Pick<ReplicaSetLike, 'replicas'>): number {
  if (d.strategy === 'Recreate') return d.replicas;
  if (!isRollingUpdate(d)) throw new Error(`deployment type ${d.strategy} isn't supported`);
  const surge = getScaledValueFromIntOrPercent(d.maxSurge ?? 0, d.replicas, true);
  const currentPodCount = getReplicaCountForReplicaSets(allReplicaSets);
  const maxTotalPods = d.replicas + surge;
  if (currentPodCount >= maxTotalPods) return newRS.replicas;
  const scaleUpCount = Math.min(maxTotalPods - currentPodCount, d.replicas - newRS.replicas);
  return newRS.replicas + scaleUpCount;
}

/** Reads an integer annotation as Go's strconv.Atoi would (whole string, optional sign). */
function intAnnotation(rs: Pick<ReplicaSetLike, 'annotations'>, key: string): number | undefined {
  const raw = rs.annotations?.[key];
  if (raw === undefined || !/^[+-]?\d+$/.test(raw)) return undefined;
  return Number(raw);
}

export function getDesiredReplicasAnnotation(rs: Pick<ReplicaSetLike, 'annotations'>): number | undefined {
  return intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
}

export function getMaxReplicasAnnotation(rs: Pick<ReplicaSetLike, 'annotations'>): number | undefined {
  return intAnnotation(rs, MAX_REPLICAS_ANNOTATION);
}

/** SetReplicasAnnotations: record the deployment size (and size + surge) the set was sized for. */
export function setReplicasAnnotations(rs: ReplicaSetLike, desiredReplicas: number, maxReplicas: number): void {
  rs.annotations = { ...(rs.annotations ?? {}), [DESIRED_REPLICAS_ANNOTATION]: String(desiredReplicas), [MAX_REPLICAS_ANNOTATION]: String(maxReplicas) };
}

/** IsSaturated: the set runs exactly the deployment's replicas, all available, and was sized for them. */
export function isSaturated(d: Pick<DeploymentLike, 'replicas'>, rs: ReplicaSetLike | null | undefined): boolean {
  if (!rs) return false;
  const desired = getDesiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  return rs.replicas === d.replicas && desired === d.replicas && (rs.availableReplicas ?? 0) === d.replicas;
}

/** integer.RoundToInt32: math.Round, halves away from zero. */
function roundHalfAwayFromZero(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/**
 * getReplicaSetFraction: the signed change for `rs` when the deployment is resized, proportional
 * to the share of the deployment's previous maximum size (max-replicas annotation, falling back
 * to status.replicas) it holds. Scaling to 0 removes the whole set.
 *
 * Worked example: mid-rollout at 10 replicas with maxSurge 3 (both sets annotated max-replicas
 * 13), old set 8, new set 5; the deployment is scaled to 20 (new maximum 23): the old set's
 * fraction is round(8 * 23 / 13) - 8 = round(14.15) - 8 = 6, the new set's round(5 * 23 / 13) - 5
 * = round(8.85) - 5 = 4.
 */
export function getReplicaSetFraction(rs: ReplicaSetLike, d: DeploymentLike): number {
  if (d.replicas === 0) return -rs.replicas;
  const deploymentMaxReplicas = d.replicas + maxSurge(d);
  let maxBeforeScale = getMaxReplicasAnnotation(rs);
  if (maxBeforeScale === undefined || maxBeforeScale === 0) {
    maxBeforeScale = d.statusReplicas ?? 0;
    if (maxBeforeScale === 0) return 0;
  }
  const newSize = (rs.replicas * deploymentMaxReplicas) / maxBeforeScale;
  return roundHalfAwayFromZero(newSize) - rs.replicas;
}

/**
 * GetProportion: how many of the `toAdd` replicas (signed) go to `rs`, given `added` were already
 * handed out; never more than what is left to hand out.
 */
export function getProportion(rs: ReplicaSetLike | null | undefined, d: DeploymentLike, toAdd: number, added: number): number {
  if (!rs || rs.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** Status counters compared by DeploymentComplete / DeploymentProgressing. */
export interface DeploymentStatusLike {
  replicas: number;
  updatedReplicas: number;
  readyReplicas?: number;
  availableReplicas: number;
  /** status.observedGeneration; compared with metadata.generation when both are known. */
  observedGeneration?: number;
}

/** DeploymentComplete: every replica updated, no extra pods, every replica available, and the latest spec observed. */
export function deploymentComplete(d: Pick<DeploymentLike, 'replicas'> & { generation?: number }, status: DeploymentStatusLike): boolean {
  const observed = d.generation === undefined || status.observedGeneration === undefined || status.observedGeneration >= d.generation;
  return status.updatedReplicas === d.replicas && status.replicas === d.replicas && status.availableReplicas === d.replicas && observed;
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available pods than before. */
export function deploymentProgressing(oldStatus: DeploymentStatusLike, newStatus: DeploymentStatusLike): boolean {
  const oldStatusOldReplicas = oldStatus.replicas - oldStatus.updatedReplicas;
  const newStatusOldReplicas = newStatus.replicas - newStatus.updatedReplicas;
  return (
    newStatus.updatedReplicas > oldStatus.updatedReplicas ||
    newStatusOldReplicas < oldStatusOldReplicas ||
    (newStatus.readyReplicas ?? 0) > (oldStatus.readyReplicas ?? 0) ||
    newStatus.availableReplicas > oldStatus.availableReplicas
  );
}

export interface ProgressingCondition {
  status: string;
  reason: string;
  /** Seconds. */
  lastUpdateTime: number;
}

/** HasProgressDeadline: set and not MaxInt32. */
export function hasProgressDeadline(progressDeadlineSeconds: number | null | undefined): progressDeadlineSeconds is number {
  return typeof progressDeadlineSeconds === 'number' && progressDeadlineSeconds !== MAX_INT32;
}

/**
 * DeploymentTimedOut: strictly more than progressDeadlineSeconds passed since the Progressing
 * condition was last updated. A finished rollout (NewReplicaSetAvailable) never times out.
 */
export function deploymentTimedOut(progressDeadlineSeconds: number | null | undefined, condition: ProgressingCondition | null | undefined, now: number): boolean {
  if (!hasProgressDeadline(progressDeadlineSeconds) || !condition) return false;
  if (condition.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (condition.reason === TIMED_OUT_REASON) return true;
  return condition.lastUpdateTime + progressDeadlineSeconds < now;
}

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function compareByCreationTimestamp(a: ReplicaSetLike, b: ReplicaSetLike): number {
  const ta = a.createdAt ?? Number.NEGATIVE_INFINITY;
  const tb = b.createdAt ?? Number.NEGATIVE_INFINITY;
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: larger first; equal sizes older first (scaling down). */
export function compareBySizeOlder(a: ReplicaSetLike, b: ReplicaSetLike): number {
  if (a.replicas !== b.replicas) return b.replicas - a.replicas;
  return compareByCreationTimestamp(a, b);
}

/** ReplicaSetsBySizeNewer: larger first; equal sizes newer first (scaling up). */
export function compareBySizeNewer(a: ReplicaSetLike, b: ReplicaSetLike): number {
  if (a.replicas !== b.replicas) return b.replicas - a.replicas;
  return compareByCreationTimestamp(b, a);
}

/** Revision: the revision annotation as an int64; missing or unparsable counts as 0. */
export function revisionOf(rs: Pick<ReplicaSetLike, 'annotations'>): number {
  const raw = rs.annotations?.[REVISION_ANNOTATION];
  return raw !== undefined && /^[+-]?\d+$/.test(raw) ? Number(raw) : 0;
}

/** ReplicaSetsByRevision: lower revision first, ties by creation time. */
export function compareByRevision(a: ReplicaSetLike, b: ReplicaSetLike): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === rb) return compareByCreationTimestamp(a, b);
  return ra < rb ? -1 : 1;
}

/**
 * FindNewReplicaSet: the oldest set whose template equals the deployment's (ignoring the hash
 * label). `matchesTemplate` says which sets those are.
 */
export function findNewReplicaSet<T extends ReplicaSetLike>(rss: readonly T[], matchesTemplate: (rs: T) => boolean): T | undefined {
  return [...rss].sort(compareByCreationTimestamp).find(matchesTemplate);
}

/**
 * FindOldReplicaSets: every set but the new one (`allOld`), and those of them still holding
 * replicas (`requiredOld`), both ordered by creation.
 */
export function findOldReplicaSets<T extends ReplicaSetLike>(rss: readonly T[], matchesTemplate: (rs: T) => boolean): { requiredOld: T[]; allOld: T[]; newRS?: T } {
  const sorted = [...rss].sort(compareByCreationTimestamp);
  const newRS = sorted.find(matchesTemplate);
  const allOld = sorted.filter((rs) => rs !== newRS);
  return { requiredOld: allOld.filter((rs) => rs.replicas !== 0), allOld, newRS };
}

/**
 * FindActiveOrLatest: the only active set if exactly one is; the newest (new set first) if none
 * is; undefined when several are active (proportional scaling is needed then).
 */
export function findActiveOrLatest<T extends ReplicaSetLike>(newRS: T | undefined, oldRSs: readonly T[]): T | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => compareByCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.SafeEncodeString: maps every character onto consonants and digits that spell no words. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHANUMS[s.charCodeAt(i) % SAFE_ALPHANUMS.length];
  return out;
}

/**
 * Stable text of a JSON-like value: object keys sorted, so equal templates give equal text; a key
 * whose value is undefined is left out, anything else JSON cannot write is `null`. Written into
 * one string as it goes: the arrays of entries that map and join built were most of the pod
 * template hash's cost (every Deployment and Rollout hashes two templates per simulation).
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // a hole (never in parsed YAML) is written as Array.prototype.join writes it: nothing
      if (i in value) out += stableStringify(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const item = record[keys[i]];
    if (item === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(keys[i])}:${stableStringify(item)}`;
  }
  return `${out}}`;
}

/** FNV-1a, 32 bits, over the UTF-16 code units of `text`. */
function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * ComputeHash: the pod-template-hash label value. Like upstream, an FNV-32a hash of the template
 * (plus the collision count when set) printed in decimal and safe-encoded; deterministic.
 */
export function computePodTemplateHash(template: unknown, collisionCount?: number): string {
  const text = stableStringify(template) + (collisionCount ? `#${collisionCount}` : '');
  return safeEncodeString(String(fnv32a(text)));
}
