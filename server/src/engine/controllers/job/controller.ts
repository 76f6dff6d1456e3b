// A Job simulated on the World. How long a pod runs is the engine core's (lifecycle.runSeconds):
// the template's `kdry.dev/run-seconds` annotation, else a `sleep N` in its command, else 5 s; the
// crash-loop fault makes it fail instead (restartPolicy Never: a Failed pod; OnFailure: restarts).
import type { Controller, OwnerRef, PodTemplate, SimPod, StatusRow, World } from '../../types';
import { terminationSeconds } from '../../lifecycle';
import { CompletedIndexes } from './completed-indexes';
import { type FailedPodView, matchPodFailurePolicy, podFailurePolicyOf, type PodFailurePolicyRule } from './pod-failure-policy';
import { successPolicyOf } from './success-policy';
import {
  type CompletionMode,
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_INDEX_FAILURE_COUNT_ANNOTATION,
  JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION,
  podFailureBackoffSeconds,
  type JobCondition,
  type JobPodView,
  type JobSpecView,
  type JobSyncResult,
  syncJob,
} from './sync';
import { isObj, type Obj, obj, stringMap } from '../../objects';
import { releaseBehaviour, type ReleaseBehaviour } from '../../release-behaviour';

/**
 * A container stopped by its pod's deletion (SIGTERM) exits 143 (128 + 15), as a shell or a
 * process without a SIGTERM handler does: what a podFailurePolicy's onExitCodes sees for a pod
 * that was evicted or deleted before it finished.
 */
export const SIGTERM_EXIT_CODE = 143;

function int(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
}

/** spec -> JobSpecView with the API server's defaults (parallelism 1, completions 1 unless only parallelism is set, backoffLimit 6). */
export function jobSpecView(object: unknown, release: ReleaseBehaviour = releaseBehaviour()): JobSpecView {
  const spec = obj(obj(object).spec);
  const template = obj(obj(spec.template).spec);
  const parallelismSet = typeof spec.parallelism === 'number';
  const completionsSet = typeof spec.completions === 'number';
  const completionMode: CompletionMode = spec.completionMode === 'Indexed' ? 'Indexed' : 'NonIndexed';
  // hasBackoffLimitPerIndex and matchSuccessPolicy check their gates; podReplacementPolicy likewise.
  const backoffLimitPerIndex = release.jobBackoffLimitPerIndex && completionMode === 'Indexed' && typeof spec.backoffLimitPerIndex === 'number' ? int(spec.backoffLimitPerIndex, 0) : null;
  return {
    parallelism: int(spec.parallelism, 1),
    completions: completionsSet ? int(spec.completions, 1) : parallelismSet && completionMode === 'NonIndexed' ? null : 1,
    // With backoffLimitPerIndex the API defaults backoffLimit to MaxInt32: only indexes fail.
    backoffLimit: int(spec.backoffLimit, backoffLimitPerIndex === null ? 6 : 2147483647),
    backoffLimitPerIndex,
    maxFailedIndexes: backoffLimitPerIndex === null || typeof spec.maxFailedIndexes !== 'number' ? null : int(spec.maxFailedIndexes, 0),
    completionMode,
    // onlyReplaceFailedPods: podReplacementPolicy Failed, which a podFailurePolicy implies.
    onlyReplaceFailedPods: (release.jobPodReplacementPolicy && spec.podReplacementPolicy === 'Failed') || isObj(spec.podFailurePolicy),
    ...(release.jobSuccessPolicy && completionMode === 'Indexed' && successPolicyOf(spec) ? { successPolicy: successPolicyOf(spec) } : {}),
    suspend: spec.suspend === true,
    restartPolicy: typeof template.restartPolicy === 'string' ? template.restartPolicy : 'Never',
    activeDeadlineSeconds: typeof spec.activeDeadlineSeconds === 'number' ? spec.activeDeadlineSeconds : null,
    beingDeleted: false,
  };
}

/** A Job simulated on the World. CronJob creates these itself and drives their syncs. */
export class JobController implements Controller {
  readonly kind = 'Job';
  readonly key: string;
  readonly name: string;
  readonly uid: string;
  private spec: JobSpecView;
  private podFailurePolicy: PodFailurePolicyRule[] | undefined;
  /** spec.managedBy naming another controller (JobManagedBy on): the built-in controller leaves the Job alone. */
  private managedBy: string | undefined;
  /** getFailJobMessage: the first failed pod that matched a FailJob rule. */
  private failJobMessage: string | undefined;
  private template: PodTemplate;
  private ttlSecondsAfterFinished: number | null;
  private jobConditions: JobCondition[] = [];
  /** Kept with the conditions: a CronJob asks every finished Job of its history at every pass. */
  private finishedCondition: 'Complete' | 'Failed' | undefined;
  private startTime?: number;
  /** Virtual time the Job reached Complete or Failed. */
  completionTime?: number;
  private killedAsFailed = 0;
  private last: Pick<JobSyncResult<unknown>, 'active' | 'ready' | 'succeeded' | 'failed' | 'completedIndexes' | 'failedIndexes'> = { active: 0, ready: 0, succeeded: 0, failed: 0, completedIndexes: '' };
  private lastFailureAt?: number;
  private failuresAfterLastSuccess = 0;
  /**
   * Pods not counted as finished yet, in creation order (terminating ones until they leave). Like
   * upstream's uncountedTerminatedPods, a pod is counted once when it finishes and then never
   * looked at again, so a sync costs the unfinished pods, not every pod the Job ever ran.
   */
  private tracked = new Set<SimPod>();
  private listed = false;
  /** When to look again whether a terminating pod has left (after its grace period). */
  private goneBy = new Map<SimPod, number>();
  /** Deleted pods already counted as failed while they terminate (isPodFailed). */
  private countedTerminating = new Set<SimPod>();
  private finishedPods = 0;
  private countedSucceeded = 0;
  private countedFailed = 0;
  private countedIndexes = new CompletedIndexes();
  /**
   * backoffLimitPerIndex: per index the failures counted and those a podFailurePolicy Ignore rule
   * left out (the job-index-failure-count and job-index-ignored-failure-count annotations of the
   * next pod), when the last one happened, and the indexes given up on.
   */
  private indexFailures = new Map<number, { count: number; ignored: number; lastAt: number }>();
  private failedIndexes = new CompletedIndexes();
  /** True once ttlSecondsAfterFinished elapsed and the Job (and its pods) were removed. */
  deleted = false;

  constructor(
    object: unknown,
    private readonly owner?: OwnerRef,
    private readonly release: ReleaseBehaviour = releaseBehaviour(),
  ) {
    const meta = obj(obj(object).metadata);
    this.name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : 'job';
    this.key = `Job/${this.name}`;
    this.uid = `job-${this.name}`;
    this.spec = jobSpecView(object, release);
    this.podFailurePolicy = podFailurePolicyOf(obj(obj(object).spec));
    this.managedBy = externalManager(object, release);
    this.template = jobPodTemplate(object);
    this.ttlSecondsAfterFinished = jobTtl(object);
  }

  get finishedAs(): 'Complete' | 'Failed' | undefined {
    return this.finishedCondition;
  }

  get started(): number | undefined {
    return this.startTime;
  }

  get controllerOwner(): OwnerRef | undefined {
    return this.owner;
  }

  update(object: Record<string, unknown>): void {
    this.spec = jobSpecView(object, this.release);
    this.managedBy = externalManager(object, this.release);
    this.podFailurePolicy = podFailurePolicyOf(obj(obj(object).spec));
    this.template = jobPodTemplate(object);
    this.ttlSecondsAfterFinished = jobTtl(object);
  }

  sync(world: World): boolean {
    // managedByExternalController: syncJob skips a Job another controller manages.
    if (this.deleted || this.managedBy !== undefined) return false;
    if (this.finishedAs) return this.collectIfExpired(world);
    const pods = this.observePods(world);
    const ownedPods = pods.length + this.finishedPods;
    const result = syncJob<SimPod>({
      spec: this.spec,
      pods: pods.map(jobPodView),
      conditions: this.jobConditions,
      secondsSinceStart: this.startTime === undefined ? undefined : world.now - this.startTime,
      backoff: this.lastFailureAt === undefined ? undefined : { failuresAfterLastSuccess: this.failuresAfterLastSuccess, lastFailureSecondsAgo: world.now - this.lastFailureAt },
      failedNotListed: this.killedAsFailed + this.countedFailed,
      succeededNotListed: this.countedSucceeded,
      succeededIndexesCounted: this.countedIndexes,
      failedIndexes: this.failedIndexes,
      indexBackoffSeconds: (index) => this.indexBackoffSeconds(world, index),
      delayTerminalCondition: this.release.jobDelayTerminalCondition,
      failJobMessage: this.failJobMessage,
    });
    let changed = false;
    // A resumed Job starts its clock (and activeDeadlineSeconds) again, as upstream resets startTime.
    const resumed = result.events.some((e) => e.reason === 'Resumed');
    if ((result.startsNow && this.startTime === undefined) || resumed) {
      this.startTime = world.now;
      changed = true;
    }
    const object = `job.batch/${this.name}`;
    for (const pod of result.podsToDelete) {
      if (result.podsKilledAsFailed > 0) this.countedTerminating.add(pod);
      world.deletePod(pod, result.podsKilledAsFailed > 0 ? 'Job failed' : this.spec.suspend ? 'Job suspended' : 'too many active pods');
      world.event(object, `Deleted pod: ${pod.name}`);
      changed = true;
    }
    this.killedAsFailed += result.podsKilledAsFailed;
    const indexes = result.createIndexes.length > 0 ? result.createIndexes : Array.from({ length: result.creations }, () => undefined);
    for (const index of indexes) {
      const suffix = world.nameSuffix(`${this.uid}/${world.now}/${index ?? ''}/${ownedPods}`);
      const name = index === undefined ? `${this.name}-${suffix}` : `${this.name}-${index}-${suffix}`;
      const template: PodTemplate = index === undefined ? this.template : { ...this.template, annotations: { ...(this.template.annotations ?? {}), ...this.indexAnnotations(index) } };
      const refused = world.admit?.(name, template);
      if (refused) {
        // job_controller.go: the create fails, the event is FailedCreate
        world.event(object, `Error creating: ${refused}`, 'Warning');
        break;
      }
      const pod = world.createPod({
        name,
        owner: { kind: 'Job', name: this.name, uid: this.uid },
        template,
        revision: this.name,
        completionIndex: index,
        extraLabels: { 'batch.kubernetes.io/job-name': this.name, 'job-name': this.name, ...(index === undefined ? {} : { [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) }) },
      });
      this.tracked.add(pod);
      world.event(object, `Created pod: ${pod.name}`);
      changed = true;
    }
    for (const e of result.events) world.event(object, e.message, e.type);
    if (result.requeueAfterSeconds !== undefined) world.requeueAt(this.key, world.now + result.requeueAfterSeconds);
    if (result.conditions.length !== this.jobConditions.length || result.conditions.some((c, i) => c.status !== this.jobConditions[i]?.status)) changed = true;
    this.jobConditions = result.conditions;
    this.finishedCondition = finishedConditionOf(result.conditions);
    if (result.finished) {
      this.completionTime = world.now;
      if (this.ttlSecondsAfterFinished !== null) world.requeueAt(this.key, world.now + this.ttlSecondsAfterFinished);
    }
    const counts = { active: result.active, ready: result.ready, succeeded: result.succeeded, failed: result.failed, completedIndexes: result.completedIndexes, failedIndexes: result.failedIndexes };
    const last = this.last;
    if (counts.active !== last.active || counts.ready !== last.ready || counts.succeeded !== last.succeeded || counts.failed !== last.failed || counts.completedIndexes !== last.completedIndexes || counts.failedIndexes !== last.failedIndexes) changed = true;
    this.last = counts;
    return changed;
  }

  /** Removes the Job's pods (CronJob Replace / history limit, or the TTL controller). */
  remove(world: World, why: string): void {
    for (const pod of world.podsOwnedBy(this.uid)) if (pod.deletionTimestamp === undefined) world.deletePod(pod, why);
    this.deleted = true;
  }

  status(world: World): StatusRow[] {
    if (this.deleted) return [];
    const completions = this.spec.completions === null ? `${this.last.succeeded}/1 of ${this.spec.parallelism}` : `${this.last.succeeded}/${this.spec.completions}`;
    const end = this.completionTime ?? world.now;
    const columns: Record<string, string | number> = {
      STATUS: this.finishedAs ?? (this.spec.suspend ? 'Suspended' : this.hasCondition('FailureTarget') ? 'FailureTarget' : 'Running'),
      COMPLETIONS: completions,
      DURATION: this.startTime === undefined ? '' : formatJobDuration(end - this.startTime),
      ACTIVE: this.last.active,
      READY: this.last.ready,
      SUCCEEDED: this.last.succeeded,
      FAILED: this.last.failed,
    };
    if (this.spec.completionMode === 'Indexed') columns.COMPLETED_INDEXES = this.last.completedIndexes;
    if (this.last.failedIndexes !== undefined) columns.FAILED_INDEXES = this.last.failedIndexes;
    return [{ object: `job.batch/${this.name}`, columns }];
  }

  /** kubectl's printJob shows FailureTarget while the Job's pods terminate (SuccessCriteriaMet shows Running). */
  private hasCondition(type: JobCondition['type']): boolean {
    return this.jobConditions.some((c) => c.type === type && c.status === 'True');
  }

  settled(): boolean {
    return this.finishedAs !== undefined || this.spec.suspend;
  }

  notes(): string[] {
    if (this.managedBy === undefined) return [];
    return [`Job ${this.name}: spec.managedBy is "${this.managedBy}", so the built-in Job controller leaves it to that controller (JobManagedBy, on by default since 1.32): nothing runs in the simulation`];
  }

  conditions(): string[] {
    return this.jobConditions.filter((c) => c.status === 'True').map((c) => `${c.type}=True/${c.reason}`);
  }

  // The pods syncJob still has to look at: newly finished ones are counted and dropped, and the
  // pod list is read again only at the first sync and when a terminating pod should have left.
  private observePods(world: World): SimPod[] {
    if (!this.listed) {
      for (const pod of world.podsOwnedBy(this.uid)) this.tracked.add(pod);
      this.listed = true;
    }
    let listAgain = false;
    const finished = { succeeded: 0, failed: 0, lastFailureAt: undefined as number | undefined };
    for (const pod of this.tracked) {
      if (pod.phase === 'Succeeded' || pod.phase === 'Failed') {
        this.count(pod, world.now);
        if (pod.phase === 'Succeeded') finished.succeeded++;
        else if (!this.countedTerminating.has(pod)) this.failedAt(finished, world.now);
        this.tracked.delete(pod);
        this.goneBy.delete(pod);
        this.countedTerminating.delete(pod);
      } else if (pod.deletionTimestamp !== undefined) {
        // isPodFailed (podReplacementPolicy TerminatingOrFailed): a pod deleted before it succeeded
        // (evicted, scaled down, suspended) counts as failed as soon as it is terminating; with
        // onlyReplaceFailedPods only once it has terminated (forgetGonePods).
        if (!this.spec.onlyReplaceFailedPods && !this.countedTerminating.has(pod)) {
          this.countedTerminating.add(pod);
          this.countFailed(pod, pod.deletionTimestamp);
          // getFinishedTime: a deleted pod finished when its deletion was asked for.
          this.failedAt(finished, pod.deletionTimestamp);
        }
        if (world.now >= (this.goneBy.get(pod) ?? pod.deletionTimestamp + terminationSeconds(pod.spec))) listAgain = true;
      }
    }
    if (listAgain) this.forgetGonePods(world, finished);
    this.updateBackoffRecord(finished.succeeded, finished.failed, finished.lastFailureAt);
    return [...this.tracked];
  }

  private failedAt(finished: { failed: number; lastFailureAt: number | undefined }, at: number): void {
    finished.failed++;
    finished.lastFailureAt = Math.max(finished.lastFailureAt ?? -Infinity, at);
  }

  // Counts a finished pod into status.
  private count(pod: SimPod, at: number): void {
    this.finishedPods++;
    if (this.countedTerminating.has(pod)) return;
    if (pod.phase === 'Failed') this.countFailed(pod, at);
    else if (this.countsIndex(pod)) {
      if (this.spec.completionMode === 'Indexed') this.countedIndexes.add(jobPodView(pod).completionIndex as number);
      else this.countedSucceeded++;
    }
  }

  // A failed pod, judged by the podFailurePolicy (matchPodFailurePolicy): an Ignore rule keeps it
  // out of status.failed and backoffLimit, FailJob fails the Job, FailIndex fails its index.
  private countFailed(pod: SimPod, at: number): void {
    if (!this.countsIndex(pod)) return;
    const verdict = matchPodFailurePolicy(this.podFailurePolicy, failedPodView(pod));
    if (verdict.failJobMessage !== undefined) this.failJobMessage ??= verdict.failJobMessage;
    if (verdict.countFailed) this.countedFailed++;
    const limit = this.spec.backoffLimitPerIndex;
    if (this.spec.completionMode !== 'Indexed' || typeof limit !== 'number') return;
    // isIndexFailed: a FailIndex rule, or the pod's own failure count (failures of its index
    // before it) reached the limit; getNewIndexFailureCounts for the replacement's annotations.
    const index = jobPodView(pod).completionIndex as number;
    const before = annotationCount(pod, JOB_INDEX_FAILURE_COUNT_ANNOTATION);
    const ignoredBefore = annotationCount(pod, JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION);
    if (verdict.action === 'FailIndex' || (verdict.countFailed && before >= limit)) this.failedIndexes.add(index);
    this.indexFailures.set(index, { count: before + (verdict.countFailed ? 1 : 0), ignored: ignoredBefore + (verdict.countFailed ? 0 : 1), lastAt: at });
  }

  private indexAnnotations(index: number): Record<string, string> {
    const annotations: Record<string, string> = { [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) };
    if (typeof this.spec.backoffLimitPerIndex !== 'number') return annotations;
    const failures = this.indexFailures.get(index);
    annotations[JOB_INDEX_FAILURE_COUNT_ANNOTATION] = String(failures?.count ?? 0);
    if (failures && failures.ignored > 0) annotations[JOB_INDEX_IGNORED_FAILURE_COUNT_ANNOTATION] = String(failures.ignored);
    return annotations;
  }

  // getRemainingTimePerIndex: the pod-failure back-off of an index counts every failure of it,
  // ignored ones included (getIndexAbsoluteFailureCount).
  private indexBackoffSeconds(world: World, index: number): number {
    const failures = this.indexFailures.get(index);
    if (!failures) return 0;
    return Math.max(0, podFailureBackoffSeconds(failures.count + failures.ignored) - (world.now - failures.lastAt));
  }

  // Indexed Jobs count only pods whose completion index is valid.
  private countsIndex(pod: SimPod): boolean {
    return this.spec.completionMode !== 'Indexed' || validCompletionIndex(jobPodView(pod).completionIndex, this.spec.completions ?? 0);
  }

  // newBackoffRecord: new failures add up; a new success clears every failure that did not finish
  // strictly after it. Pods seen finished in one sync finished at the same virtual instant here.
  private updateBackoffRecord(newSucceeded: number, newFailed: number, lastFailureAt: number | undefined): void {
    if (newSucceeded > 0) {
      this.failuresAfterLastSuccess = 0;
      this.lastFailureAt = undefined;
    } else if (newFailed > 0) {
      this.failuresAfterLastSuccess += newFailed;
      this.lastFailureAt = lastFailureAt;
    }
  }

  // Terminating pods that left: with onlyReplaceFailedPods they count as failed now, when their
  // containers stopped.
  private forgetGonePods(world: World, finished: { failed: number; lastFailureAt: number | undefined }): void {
    const present = new Set(world.podsOwnedBy(this.uid));
    for (const pod of this.tracked) {
      if (!present.has(pod)) {
        if (!this.countedTerminating.has(pod)) {
          this.countFailed(pod, world.now);
          this.failedAt(finished, world.now);
        }
        this.tracked.delete(pod);
        this.goneBy.delete(pod);
        this.countedTerminating.delete(pod);
      } else if (pod.deletionTimestamp !== undefined) this.goneBy.set(pod, world.now + 1);
    }
  }

  // The TTL-after-finished controller deletes the Job (and, by cascade, its pods).
  private collectIfExpired(world: World): boolean {
    if (this.ttlSecondsAfterFinished === null || this.completionTime === undefined) return false;
    if (world.now < this.completionTime + this.ttlSecondsAfterFinished) return false;
    for (const pod of world.podsOwnedBy(this.uid)) if (pod.deletionTimestamp === undefined) world.deletePod(pod, 'ttlSecondsAfterFinished');
    this.deleted = true;
    return true;
  }
}

/** JobManagedBy: a managedBy other than the built-in controller's own name. */
function externalManager(object: unknown, release: ReleaseBehaviour): string | undefined {
  const managedBy = obj(obj(object).spec).managedBy;
  return release.jobManagedBy && typeof managedBy === 'string' && managedBy !== 'kubernetes.io/job-controller' ? managedBy : undefined;
}

function finishedConditionOf(conditions: readonly JobCondition[]): 'Complete' | 'Failed' | undefined {
  return conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type as 'Complete' | 'Failed' | undefined;
}

function validCompletionIndex(index: number | undefined, completions: number): boolean {
  return index !== undefined && Number.isInteger(index) && index >= 0 && index < completions;
}

function annotationCount(pod: SimPod, key: string): number {
  const n = Number(pod.annotations[key] ?? 0);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

/**
 * The failed pod as matchPodFailurePolicy reads its status: every container terminated with the
 * pod's exit code (SIGTERM's for a pod deleted before it finished), init containers with 0.
 */
function failedPodView(pod: SimPod): FailedPodView {
  const exitCode = pod.exitCode ?? (pod.deletionTimestamp !== undefined ? SIGTERM_EXIT_CODE : 1);
  const named = (list: unknown) => (Array.isArray(list) ? list.filter(isObj).map((c, i) => (typeof c.name === 'string' ? c.name : `container-${i}`)) : []);
  return {
    namespace: pod.namespace,
    name: pod.name,
    containers: named(pod.spec.containers).map((name) => ({ name, exitCode })),
    initContainers: named(pod.spec.initContainers).map((name) => ({ name, exitCode: 0 })),
    conditions: pod.conditions ?? [],
  };
}

function jobPodView(p: SimPod): JobPodView<SimPod> {
  const raw = p.annotations[JOB_COMPLETION_INDEX_ANNOTATION];
  return {
    ref: p,
    phase: p.phase,
    ready: p.ready,
    terminating: p.deletionTimestamp !== undefined,
    restartCount: p.restartCount,
    completionIndex: raw === undefined ? p.completionIndex : /^\d+$/.test(raw) ? Number(raw) : NaN,
    scheduled: p.nodeName !== undefined,
    createdAt: p.createdAt,
  };
}

/**
 * The defaulted pod spec per template spec: the Jobs a CronJob creates from one jobTemplate share
 * it, so the scheduler's per-spec cache works across them instead of starting over for every Job.
 */
const defaultedPodSpecs = new WeakMap<object, Obj>();

function defaultedPodSpec(templateSpec: Obj): Obj {
  const known = defaultedPodSpecs.get(templateSpec);
  if (known) return known;
  const spec = { ...templateSpec };
  if (spec.restartPolicy === undefined) spec.restartPolicy = 'Never';
  defaultedPodSpecs.set(templateSpec, spec);
  return spec;
}

function jobPodTemplate(object: unknown): PodTemplate {
  const template = obj(obj(obj(object).spec).template);
  const meta = obj(template.metadata);
  return { labels: stringMap(meta.labels), annotations: stringMap(meta.annotations), spec: defaultedPodSpec(obj(template.spec)) };
}

function jobTtl(object: unknown): number | null {
  const ttl = obj(obj(object).spec).ttlSecondsAfterFinished;
  return typeof ttl === 'number' && ttl >= 0 ? ttl : null;
}

/** kubectl's duration column: 45s, 3m20s, 2h5m. */
export function formatJobDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s}s`;
  if (s < 3600) return s % 60 === 0 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 60)}m${s % 60}s`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return m === 0 ? `${h}h` : `${h}h${m}m`;
}

export function createJobController(object: unknown, owner?: OwnerRef, release?: ReleaseBehaviour): JobController {
  return new JobController(object, owner, release);
}
