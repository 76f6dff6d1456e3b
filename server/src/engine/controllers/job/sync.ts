// The Job controller's sync arithmetic (pkg/controller/job/job_controller.go: syncJob, manageJob,
// wantActive, Indexed completion, backoffLimit, activeDeadlineSeconds, suspend, pod-failure back-off).
// Simplified: finalizer tracking is replaced by counts the caller keeps (the simulated controller
// counts each pod once as it finishes or is deleted, and passes them as *NotListed/*Counted);
// backoffLimitPerIndex and maxFailedIndexes are modelled (failed indexes come from the caller), so
// are podFailurePolicy (the caller matches each failed pod: pod-failure-policy.ts, and hands over
// the FailJob message), successPolicy (success-policy.ts) and podReplacementPolicy.
import { CompletedIndexes } from './completed-indexes';
import { matchSuccessPolicy, type SuccessPolicyRule } from './success-policy';

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff (job_controller.go: 10 s and 10 minutes). */
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_SECONDS = 10;
export const MAX_JOB_POD_FAILURE_BACKOFF_SECONDS = 600;
/** MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** How many pods of the same index failed before this one (backoffLimitPerIndex). */
export const JOB_INDEX_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
/** How many failures of the index before this pod a podFailurePolicy Ignore rule left out. */
export const JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

export type CompletionMode = 'NonIndexed' | 'Indexed';

export interface JobSpecView {
  parallelism: number;
  /** null = work queue (any success completes the Job once the others end). */
  completions: number | null;
  backoffLimit: number;
  completionMode: CompletionMode;
  suspend: boolean;
  restartPolicy: 'Never' | 'OnFailure' | string;
  activeDeadlineSeconds: number | null;
  /** The Job has a deletionTimestamp: counts and conditions only, no pod changes. */
  beingDeleted: boolean;
  /** Indexed only: failures an index may have before it is marked failed (unset = no per-index limit). */
  backoffLimitPerIndex?: number | null;
  /** With backoffLimitPerIndex: more failed indexes than this fail the whole Job. */
  maxFailedIndexes?: number | null;
  /**
   * onlyReplaceFailedPods: true with podReplacementPolicy Failed (JobPodReplacementPolicy on) or
   * any podFailurePolicy. A replacement then waits until the pod it replaces has terminated.
   */
  onlyReplaceFailedPods?: boolean;
  /** Indexed only: spec.successPolicy.rules. */
  successPolicy?: SuccessPolicyRule[];
}

export interface JobCondition {
  type: 'Complete' | 'Failed' | 'Suspended' | 'FailureTarget' | 'SuccessCriteriaMet';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** A pod as the Job controller looks at it; `ref` is handed back in podsToDelete. */
export interface JobPodView<P = unknown> {
  ref: P;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  ready: boolean;
  terminating: boolean;
  /** Sum of container restart counts (counts toward backoffLimit with restartPolicy OnFailure). */
  restartCount: number;
  /** Parsed completion-index annotation: undefined = missing, NaN = unparsable. */
  completionIndex?: number;
  scheduled?: boolean;
  createdAt?: number;
}

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** Seconds since the last pod failure at the time of the sync. */
  lastFailureSecondsAgo: number;
}

export interface JobSyncInput<P> {
  spec: JobSpecView;
  pods: JobPodView<P>[];
  /** Conditions from the previous status (Suspended=True before, a finished condition). */
  conditions: JobCondition[];
  /** Seconds since status.startTime; undefined = not started yet. */
  secondsSinceStart?: number;
  backoff?: BackoffRecord;
  /** Pods this controller deleted earlier because the Job failed (already counted as failed, gone now). */
  failedNotListed?: number;
  /** Succeeded pods no longer listed (e.g. removed), and their indexes for Indexed Jobs. */
  succeededNotListed?: number;
  succeededIndexesNotListed?: number[];
  /** Indexes counted earlier (the controller's status.completedIndexes); read, never changed. */
  succeededIndexesCounted?: CompletedIndexes;
  /** status.failedIndexes (backoffLimitPerIndex); read, never changed. */
  failedIndexes?: CompletedIndexes;
  /** backoffLimitPerIndex: seconds before a pod for this index may be created again. */
  indexBackoffSeconds?: (index: number) => number;
  /** False while the controller still waits to observe its own creates/deletes (default true). */
  expectationsSatisfied?: boolean;
  /**
   * job_controller.go delayTerminalCondition(): true when JobPodReplacementPolicy or JobManagedBy
   * is on (the defaults since 1.31). The Job first gets FailureTarget / SuccessCriteriaMet, and
   * Failed / Complete (with the event) only once none of its pods is still terminating.
   */
  delayTerminalCondition?: boolean;
  /**
   * getFailJobMessage: the message of a failed pod that matched a FailJob rule of the
   * podFailurePolicy (the caller matches them as it counts them).
   */
  failJobMessage?: string;
}

export interface JobSyncResult<P> {
  podsToDelete: P[];
  /** Pods to create (NonIndexed) or the completion indexes to create them for (Indexed). */
  creations: number;
  createIndexes: number[];
  active: number;
  ready: number;
  succeeded: number;
  failed: number;
  completedIndexes: string;
  /** status.failedIndexes, with backoffLimitPerIndex. */
  failedIndexes?: string;
  conditions: JobCondition[];
  /** The Job just finished (a Complete or Failed condition was added by this sync). */
  finished?: 'Complete' | 'Failed';
  /** Sync again after this many seconds (pod-failure back-off or activeDeadlineSeconds). */
  requeueAfterSeconds?: number;
  /** How many of podsToDelete are killed because the Job failed (they count as failed). */
  podsKilledAsFailed: number;
  /** Starts the Job's clock (status.startTime) now. */
  startsNow: boolean;
  events: { type: 'Normal' | 'Warning'; reason: string; message: string }[];
}

/** How many pods should be active (manageJob). */
export function wantActive(spec: Pick<JobSpecView, 'parallelism' | 'completions'>, succeeded: number, active: number): number {
  if (spec.completions === null) return succeeded > 0 ? active : spec.parallelism;
  return Math.max(0, Math.min(spec.completions - succeeded, spec.parallelism));
}

/**
 * Back-off before a replacement pod after `failuresAfterLastSuccess` failures
 * (backoff_utils.go getRemainingTimeForFailuresCount): 10 s doubling, capped at 10 minutes.
 * Worked example: failures 1..7 wait 10, 20, 40, 80, 160, 320 s, then 640 s is past the cap: 600 s.
 */
export function podFailureBackoffSeconds(failuresAfterLastSuccess: number): number {
  if (failuresAfterLastSuccess <= 0) return 0;
  let delay = DEFAULT_JOB_POD_FAILURE_BACKOFF_SECONDS;
  for (let i = 1; i < failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= MAX_JOB_POD_FAILURE_BACKOFF_SECONDS) return MAX_JOB_POD_FAILURE_BACKOFF_SECONDS;
  }
  return delay;
}

/** getRemainingTimeForFailuresCount: seconds left before pods may be created again. */
export function remainingBackoffSeconds(record: BackoffRecord | undefined): number {
  if (!record || record.failuresAfterLastSuccess <= 0) return 0;
  const delay = podFailureBackoffSeconds(record.failuresAfterLastSuccess);
  return delay < record.lastFailureSecondsAgo ? 0 : delay - record.lastFailureSecondsAgo;
}

/** Compressed completedIndexes as the API shows them: `2,4,5,7-9` (runs of three or more collapse). */
export function compressCompletedIndexes(indexes: Iterable<number>): string {
  return CompletedIndexes.of(indexes).compressed();
}

/** pastBackoffLimitOnFailure: container restarts of Running/Pending pods count with restartPolicy OnFailure. */
export function pastBackoffLimitOnFailure(spec: Pick<JobSpecView, 'restartPolicy' | 'backoffLimit'>, pods: Pick<JobPodView, 'phase' | 'restartCount'>[]): boolean {
  if (spec.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) if (p.phase === 'Running' || p.phase === 'Pending') restarts += p.restartCount;
  return spec.backoffLimit === 0 ? restarts > 0 : restarts >= spec.backoffLimit;
}

function isActive(p: JobPodView): boolean {
  return p.phase !== 'Succeeded' && p.phase !== 'Failed' && !p.terminating;
}

function validIndex(p: JobPodView, completions: number): boolean {
  return p.completionIndex !== undefined && Number.isInteger(p.completionIndex) && p.completionIndex >= 0 && p.completionIndex < completions;
}

// controller.ActivePods ordering: the pod to delete first comes first.
function activePodsLess(a: JobPodView, b: JobPodView): number {
  const sa = a.scheduled ? 1 : 0;
  const sb = b.scheduled ? 1 : 0;
  if (sa !== sb) return sa - sb;
  const rank = { Pending: 0, Unknown: 1, Running: 2, Succeeded: 3, Failed: 3 } as const;
  if (rank[a.phase] !== rank[b.phase]) return rank[a.phase] - rank[b.phase];
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  if (a.restartCount !== b.restartCount) return b.restartCount - a.restartCount;
  return (b.createdAt ?? 0) - (a.createdAt ?? 0);
}

// activePodsForRemoval: Indexed Jobs first drop pods with a bad or repeated index.
function activePodsForRemoval<P>(spec: JobSpecView, pods: JobPodView<P>[], rmAtLeast: number): JobPodView<P>[] {
  const rm: JobPodView<P>[] = [];
  let left = pods;
  if (spec.completionMode === 'Indexed') {
    // appendDuplicatedIndexPodsForRemoval: bad indexes go; of a repeated index the pod furthest
    // along (last in ActivePods order) stays.
    left = [];
    const byIndex = new Map<number, JobPodView<P>[]>();
    for (const p of pods) {
      if (!validIndex(p, spec.completions ?? 0)) rm.push(p);
      else byIndex.set(p.completionIndex as number, [...(byIndex.get(p.completionIndex as number) ?? []), p]);
    }
    for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
      const same = (byIndex.get(index) as JobPodView<P>[]).sort(activePodsLess);
      rm.push(...same.slice(0, -1));
      left.push(same[same.length - 1]);
    }
  }
  if (rm.length < rmAtLeast) rm.push(...[...left].sort(activePodsLess).slice(0, rmAtLeast - rm.length));
  return rm;
}

function perIndexBackoff(spec: JobSpecView): boolean {
  return spec.completionMode === 'Indexed' && typeof spec.backoffLimitPerIndex === 'number';
}

function condition(type: JobCondition['type'], status: JobCondition['status'], reason: string, message: string): JobCondition {
  return { type, status, reason, message };
}

/** One syncJob pass: what to create and delete, and the status the Job would then report. */
export function syncJob<P>(input: JobSyncInput<P>): JobSyncResult<P> {
  const { spec } = input;
  const indexed = spec.completionMode === 'Indexed';
  const completions = spec.completions ?? 0;
  const counted = (p: JobPodView<P>) => !indexed || validIndex(p, completions);
  const activePods = input.pods.filter(isActive);
  let active = activePods.length;
  const ready = activePods.filter((p) => p.ready).length;
  const succeededIndexes = input.succeededIndexesCounted?.clone() ?? new CompletedIndexes();
  for (const i of input.succeededIndexesNotListed ?? []) succeededIndexes.add(i);
  let succeededPods = input.succeededNotListed ?? 0;
  let failed = input.failedNotListed ?? 0;
  for (const p of input.pods) {
    if (p.phase === 'Succeeded' && counted(p)) {
      succeededPods++;
      if (indexed) succeededIndexes.add(p.completionIndex as number);
    } else if (p.phase === 'Failed' && counted(p)) failed++;
  }
  const succeeded = indexed ? succeededIndexes.size : succeededPods;
  const conditions = input.conditions.map((c) => ({ ...c }));
  const result: JobSyncResult<P> = {
    podsToDelete: [],
    creations: 0,
    createIndexes: [],
    active,
    ready,
    succeeded,
    failed,
    completedIndexes: indexed ? succeededIndexes.compressed() : '',
    conditions,
    podsKilledAsFailed: 0,
    startsNow: input.secondsSinceStart === undefined && !spec.suspend,
    events: [],
  };
  const alreadyFinished = conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (alreadyFinished) return result;

  const delay = input.delayTerminalCondition === true;
  // newFailureCondition: FailureTarget first when the terminal condition is delayed.
  const failureType = delay ? 'FailureTarget' : 'Failed';
  // CountTerminatingPods: deleted but not yet terminal.
  let terminating = input.pods.filter((p) => p.terminating && p.phase !== 'Succeeded' && p.phase !== 'Failed').length;
  const hasTrue = (type: JobCondition['type']) => conditions.some((c) => c.type === type && c.status === 'True');
  const successCriteriaMet = hasTrue('SuccessCriteriaMet');
  const elapsed = input.secondsSinceStart ?? (result.startsNow ? 0 : undefined);
  let failure: JobCondition | undefined;
  const failureTarget = conditions.find((c) => c.type === 'FailureTarget' && c.status === 'True');
  if (successCriteriaMet) {
    // The success was decided in an earlier sync: only Complete is still to come.
  } else if (failureTarget) {
    // newFailedConditionForFailureTarget: the failure was decided in an earlier sync.
    failure = condition('Failed', 'True', failureTarget.reason, failureTarget.message);
  } else if (input.failJobMessage !== undefined) {
    // A FailJob rule matched: always the interim FailureTarget first, whatever the feature gates.
    failure = condition('FailureTarget', 'True', 'PodFailurePolicy', input.failJobMessage);
  } else if (failed > spec.backoffLimit || pastBackoffLimitOnFailure(spec, input.pods)) {
    failure = condition(failureType, 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
  } else if (spec.activeDeadlineSeconds !== null && elapsed !== undefined && !spec.suspend) {
    if (elapsed >= spec.activeDeadlineSeconds) failure = condition(failureType, 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline');
    else result.requeueAfterSeconds = spec.activeDeadlineSeconds - elapsed;
  }
  const failedIndexes = perIndexBackoff(spec) ? (input.failedIndexes ?? new CompletedIndexes()) : undefined;
  if (failedIndexes) {
    result.failedIndexes = failedIndexes.compressed();
    if (failure) {
      // BackoffLimitExceeded or DeadlineExceeded came first.
    } else if (successCriteriaMet) {
      // Decided already (see above).
    } else if (typeof spec.maxFailedIndexes === 'number' && failedIndexes.size > spec.maxFailedIndexes) {
      failure = condition(failureType, 'True', 'MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes');
    } else if (failedIndexes.size > 0 && failedIndexes.size + succeeded >= completions) {
      failure = condition(failureType, 'True', 'FailedIndexes', 'Job has failed indexes');
    }
  }
  // matchSuccessPolicy, only while nothing else decided the Job's end.
  const successPolicyMessage = !failure && !successCriteriaMet && indexed ? matchSuccessPolicy(spec.successPolicy, completions, succeededIndexes) : undefined;

  const expectationsSatisfied = input.expectationsSatisfied !== false;
  if (successPolicyMessage !== undefined) {
    // The success policy holds: the remaining pods are deleted (and, deleted before they
    // succeeded, count as failed: isPodFailed); Complete follows once none is terminating.
    result.podsToDelete = activePods.map((p) => p.ref);
    result.podsKilledAsFailed = result.podsToDelete.length;
    result.active = active - result.podsToDelete.length;
    result.failed = failed + result.podsToDelete.length;
    result.ready = 0;
    terminating += result.podsToDelete.length;
    if (result.active === 0 && expectationsSatisfied) {
      const met = condition('SuccessCriteriaMet', 'True', 'SuccessPolicy', successPolicyMessage);
      conditions.push(met);
      if (!delay || terminating === 0) completeJob(result, met);
    }
    return result;
  }
  if (failure) {
    // deleteActivePods (even for a Job being deleted): the killed pods end up Failed and are
    // counted as such. The condition waits until every active pod is gone and nothing is pending.
    result.podsToDelete = activePods.map((p) => p.ref);
    const deleted = result.podsToDelete.length;
    result.podsKilledAsFailed = deleted;
    result.active = active - deleted;
    result.failed = failed + deleted;
    result.ready = 0;
    terminating += deleted;
    if (result.active === 0 && expectationsSatisfied) {
      // trackJobStatusAndRemoveFinalizers: the interim FailureTarget goes into the status now;
      // enactJobFinished adds Failed (and recordJobFinished the event) once no pod is terminating.
      if (failure.type === 'FailureTarget') conditions.push(failure);
      const failedCondition = condition('Failed', 'True', failure.reason, failure.message);
      if (!delay || terminating === 0) {
        conditions.push(failedCondition);
        result.finished = 'Failed';
        result.events.push({ type: 'Warning', reason: failedCondition.reason, message: failedCondition.message });
      }
    }
    return result;
  }

  let manageJobCalled = false;
  if (!spec.beingDeleted && expectationsSatisfied && !successCriteriaMet) {
    manageJobCalled = true;
    active = manageJob(input, activePods, succeeded, failedIndexes ? succeededIndexes.union(failedIndexes) : succeededIndexes, result);
    result.active = active;
    // Deleted pods no longer count as ready.
    const deleted = new Set(result.podsToDelete);
    result.ready = activePods.filter((p) => p.ready && !deleted.has(p.ref)).length;
  }
  const complete = successCriteriaMet || (spec.completions === null ? succeeded > 0 && active === 0 : succeeded >= spec.completions && active === 0);
  if (complete) {
    // newSuccessCondition: SuccessCriteriaMet first when delayed, Complete (with its reason and
    // message) once no pod is terminating.
    let met = conditions.find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    if (!met) {
      met = condition('SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods');
      if (delay) conditions.push(met);
    }
    if (!delay || terminating === 0) completeJob(result, met);
  } else if (manageJobCalled) {
    const suspended = conditions.find((c) => c.type === 'Suspended');
    if (spec.suspend) {
      if (!suspended || suspended.status !== 'True') {
        if (suspended) Object.assign(suspended, condition('Suspended', 'True', 'JobSuspended', 'Job suspended'));
        else conditions.push(condition('Suspended', 'True', 'JobSuspended', 'Job suspended'));
        result.events.push({ type: 'Normal', reason: 'Suspended', message: 'Job suspended' });
      }
    } else if (suspended && suspended.status === 'True') {
      Object.assign(suspended, condition('Suspended', 'False', 'JobResumed', 'Job resumed'));
      result.events.push({ type: 'Normal', reason: 'Resumed', message: 'Job resumed' });
    }
  }
  return result;
}

// enactJobFinished + recordJobFinished for success: Complete copies SuccessCriteriaMet's reason and message.
function completeJob<P>(result: JobSyncResult<P>, met: JobCondition): void {
  result.conditions.push(condition('Complete', 'True', met.reason, met.message));
  result.finished = 'Complete';
  result.events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
}

// manageJob: delete surplus (or all, when suspended) active pods, else create the missing ones
// unless the pod-failure back-off is running. Deletion and creation never happen in one sync.
// `finishedIndexes`: succeeded ones, and failed ones with backoffLimitPerIndex (never recreated).
function manageJob<P>(input: JobSyncInput<P>, activePods: JobPodView<P>[], succeeded: number, finishedIndexes: CompletedIndexes, out: JobSyncResult<P>): number {
  const { spec } = input;
  let active = activePods.length;
  if (spec.suspend) {
    out.podsToDelete = activePods.map((p) => p.ref);
    return active - out.podsToDelete.length;
  }
  const want = wantActive(spec, succeeded, active);
  const rmAtLeast = Math.max(0, active - want);
  const toDelete = activePodsForRemoval(spec, activePods, rmAtLeast).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (toDelete.length > 0) {
    out.podsToDelete = toDelete.map((p) => p.ref);
    return active - toDelete.length;
  }
  // onlyReplaceFailedPods: a pod still terminating is not replaced yet.
  const terminating = spec.onlyReplaceFailedPods ? input.pods.filter((p) => p.terminating && p.phase !== 'Succeeded' && p.phase !== 'Failed') : [];
  let diff = want - terminating.length - active;
  if (diff <= 0) return active;
  const remaining = remainingBackoffSeconds(input.backoff);
  if (remaining > 0) {
    out.requeueAfterSeconds = Math.min(out.requeueAfterSeconds ?? Infinity, remaining);
    return 0; // upstream returns 0 active for this sync while it waits
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (spec.completionMode === 'Indexed') {
    const held = new Set([...activePods, ...terminating].map((p) => p.completionIndex));
    let indexes = finishedIndexes.missing(spec.completions ?? 0, diff, held);
    const backoff = input.indexBackoffSeconds;
    if (perIndexBackoff(spec) && backoff) {
      // getPodCreationInfoForIndependentIndexes: indexes still backing off wait; none ready = requeue.
      const ready = indexes.filter((i) => backoff(i) <= 0);
      if (ready.length === 0 && indexes.length > 0) {
        out.requeueAfterSeconds = Math.min(out.requeueAfterSeconds ?? Infinity, ...indexes.map(backoff));
        return 0;
      }
      indexes = ready;
    }
    out.createIndexes = indexes;
    diff = indexes.length;
  }
  out.creations = diff;
  active += diff;
  return active;
}
