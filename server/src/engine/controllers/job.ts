// The Job controller (pkg/controller/job/job_controller.go): the pure sync arithmetic
// (syncJob/manageJob: wantActive, Indexed completion, backoffLimit, activeDeadlineSeconds,
// suspend, pod-failure back-off, conditions) and the simulation controller on the World.
// Simplified: pod finalizer tracking is replaced by counting the pods the controller sees (and
// remembering the ones it killed); podFailurePolicy, successPolicy and backoffLimitPerIndex are
// not modelled. How long a pod runs is the engine core's (lifecycle.runSeconds): the template's
// `kdry.dev/run-seconds` annotation, else a `sleep N` in its command, else 5 s; the crash-loop
// fault makes it fail instead (restartPolicy Never: a Failed pod; OnFailure: container restarts).
import type { Controller, OwnerRef, PodTemplate, SimPod, StatusRow, World } from '../types';

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
export const DEFAULT_JOB_POD_FAILURE_BACKOFF_SECONDS = 10;
export const MAX_JOB_POD_FAILURE_BACKOFF_SECONDS = 360;
/** MaxPodCreateDeletePerSync. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

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
}

export interface JobCondition {
  type: 'Complete' | 'Failed' | 'Suspended';
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

/** Back-off before a replacement pod after `failuresAfterLastSuccess` failures: 10 s doubling, capped at 6 minutes. */
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
  const sorted = [...new Set(indexes)].filter((i) => Number.isInteger(i) && i >= 0).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else for (let k = i; k <= j; k++) parts.push(String(sorted[k]));
    i = j + 1;
  }
  return parts.join(',');
}

/** Parses `2,4,5,7-9` back to indexes (bad parts are skipped, as the controller does). */
export function parseCompletedIndexes(text: string, completions: number): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let i = from; i <= to && i < completions; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
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
  const succeededIndexes = new Set<number>(input.succeededIndexesNotListed ?? []);
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
    completedIndexes: indexed ? compressCompletedIndexes(succeededIndexes) : '',
    conditions,
    podsKilledAsFailed: 0,
    startsNow: input.secondsSinceStart === undefined && !spec.suspend,
    events: [],
  };
  const alreadyFinished = conditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (alreadyFinished) return result;

  const elapsed = input.secondsSinceStart ?? (result.startsNow ? 0 : undefined);
  let failure: JobCondition | undefined;
  if (failed > spec.backoffLimit || pastBackoffLimitOnFailure(spec, input.pods)) {
    failure = condition('Failed', 'True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit');
  } else if (spec.activeDeadlineSeconds !== null && elapsed !== undefined && !spec.suspend) {
    if (elapsed >= spec.activeDeadlineSeconds) failure = condition('Failed', 'True', 'DeadlineExceeded', 'Job was active longer than specified deadline');
    else result.requeueAfterSeconds = spec.activeDeadlineSeconds - elapsed;
  }

  if (failure) {
    // deleteActivePods: the killed pods end up Failed and are counted as such.
    result.podsToDelete = spec.beingDeleted ? [] : activePods.map((p) => p.ref);
    const deleted = result.podsToDelete.length;
    result.podsKilledAsFailed = deleted;
    result.active = active - deleted;
    result.failed = failed + deleted;
    if (result.active === 0) {
      conditions.push(failure);
      result.finished = 'Failed';
      result.events.push({ type: 'Warning', reason: failure.reason, message: failure.message });
    }
    return result;
  }

  let manageJobCalled = false;
  if (!spec.beingDeleted) {
    manageJobCalled = true;
    active = manageJob(input, activePods, succeeded, succeededIndexes, result);
    result.active = active;
  }
  const complete = spec.completions === null ? succeeded > 0 && active === 0 : succeeded >= spec.completions && active === 0;
  if (complete) {
    conditions.push(condition('Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'));
    result.finished = 'Complete';
    result.events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
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

// manageJob: delete surplus (or all, when suspended) active pods, else create the missing ones
// unless the pod-failure back-off is running. Deletion and creation never happen in one sync.
function manageJob<P>(input: JobSyncInput<P>, activePods: JobPodView<P>[], succeeded: number, succeededIndexes: Set<number>, out: JobSyncResult<P>): number {
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
  let diff = want - active;
  if (diff <= 0) return active;
  const remaining = remainingBackoffSeconds(input.backoff);
  if (remaining > 0) {
    out.requeueAfterSeconds = Math.min(out.requeueAfterSeconds ?? Infinity, remaining);
    return 0; // upstream returns 0 active for this sync while it waits
  }
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (spec.completionMode === 'Indexed') {
    const held = new Set(activePods.map((p) => p.completionIndex));
    const indexes: number[] = [];
    for (let i = 0; i < (spec.completions ?? 0) && indexes.length < diff; i++) if (!succeededIndexes.has(i) && !held.has(i)) indexes.push(i);
    out.createIndexes = indexes;
    diff = indexes.length;
  }
  out.creations = diff;
  active += diff;
  return active;
}

// ---------------------------------------------------------------------------------------------
// Simulation controller

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

function int(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : fallback;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(obj(v))) out[k] = String(val);
  return out;
}

/** spec -> JobSpecView with the API server's defaults (parallelism 1, completions 1 unless only parallelism is set, backoffLimit 6). */
export function jobSpecView(object: unknown): JobSpecView {
  const spec = obj(obj(object).spec);
  const template = obj(obj(spec.template).spec);
  const parallelismSet = typeof spec.parallelism === 'number';
  const completionsSet = typeof spec.completions === 'number';
  const completionMode: CompletionMode = spec.completionMode === 'Indexed' ? 'Indexed' : 'NonIndexed';
  return {
    parallelism: int(spec.parallelism, 1),
    completions: completionsSet ? int(spec.completions, 1) : parallelismSet && completionMode === 'NonIndexed' ? null : 1,
    backoffLimit: int(spec.backoffLimit, 6),
    completionMode,
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
  private template: PodTemplate;
  private ttlSecondsAfterFinished: number | null;
  private jobConditions: JobCondition[] = [];
  private startTime?: number;
  /** Virtual time the Job reached Complete or Failed. */
  completionTime?: number;
  private killedAsFailed = 0;
  private last: Pick<JobSyncResult<unknown>, 'active' | 'ready' | 'succeeded' | 'failed' | 'completedIndexes'> = { active: 0, ready: 0, succeeded: 0, failed: 0, completedIndexes: '' };
  private lastFailureAt?: number;
  private failuresAfterLastSuccess = 0;
  private seenFailed = new Set<string>();
  private seenSucceeded = new Set<string>();
  /** True once ttlSecondsAfterFinished elapsed and the Job (and its pods) were removed. */
  deleted = false;

  constructor(
    object: unknown,
    private readonly owner?: OwnerRef,
  ) {
    const meta = obj(obj(object).metadata);
    this.name = typeof meta.name === 'string' && meta.name !== '' ? meta.name : 'job';
    this.key = `Job/${this.name}`;
    this.uid = `job-${this.name}`;
    this.spec = jobSpecView(object);
    this.template = jobPodTemplate(object);
    this.ttlSecondsAfterFinished = jobTtl(object);
  }

  get finishedAs(): 'Complete' | 'Failed' | undefined {
    return this.jobConditions.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type as 'Complete' | 'Failed' | undefined;
  }

  get started(): number | undefined {
    return this.startTime;
  }

  get controllerOwner(): OwnerRef | undefined {
    return this.owner;
  }

  update(object: Record<string, unknown>): void {
    this.spec = jobSpecView(object);
    this.template = jobPodTemplate(object);
    this.ttlSecondsAfterFinished = jobTtl(object);
  }

  sync(world: World): boolean {
    if (this.deleted) return false;
    if (this.finishedAs) return this.collectIfExpired(world);
    const pods = world.podsOwnedBy(this.uid);
    this.trackFailures(world, pods);
    const result = syncJob<SimPod>({
      spec: this.spec,
      pods: pods.map(jobPodView),
      conditions: this.jobConditions,
      secondsSinceStart: this.startTime === undefined ? undefined : world.now - this.startTime,
      backoff: this.lastFailureAt === undefined ? undefined : { failuresAfterLastSuccess: this.failuresAfterLastSuccess, lastFailureSecondsAgo: world.now - this.lastFailureAt },
      failedNotListed: this.killedAsFailed,
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
      world.deletePod(pod, result.podsKilledAsFailed > 0 ? 'Job failed' : this.spec.suspend ? 'Job suspended' : 'too many active pods');
      world.event(object, `Deleted pod: ${pod.name}`);
      changed = true;
    }
    this.killedAsFailed += result.podsKilledAsFailed;
    const indexes = result.createIndexes.length > 0 ? result.createIndexes : Array.from({ length: result.creations }, () => undefined);
    for (const index of indexes) {
      const suffix = world.nameSuffix(`${this.uid}/${world.now}/${index ?? ''}/${pods.length}`);
      const name = index === undefined ? `${this.name}-${suffix}` : `${this.name}-${index}-${suffix}`;
      const template: PodTemplate = index === undefined ? this.template : { ...this.template, annotations: { ...(this.template.annotations ?? {}), [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) } };
      const pod = world.createPod({
        name,
        owner: { kind: 'Job', name: this.name, uid: this.uid },
        template,
        revision: this.name,
        completionIndex: index,
        extraLabels: { 'batch.kubernetes.io/job-name': this.name, 'job-name': this.name, ...(index === undefined ? {} : { [JOB_COMPLETION_INDEX_ANNOTATION]: String(index) }) },
      });
      world.event(object, `Created pod: ${pod.name}`);
      changed = true;
    }
    for (const e of result.events) world.event(object, e.message, e.type);
    if (result.requeueAfterSeconds !== undefined) world.requeueAt(this.key, world.now + result.requeueAfterSeconds);
    if (result.conditions.length !== this.jobConditions.length || result.conditions.some((c, i) => c.status !== this.jobConditions[i]?.status)) changed = true;
    this.jobConditions = result.conditions;
    if (result.finished) {
      this.completionTime = world.now;
      if (this.ttlSecondsAfterFinished !== null) world.requeueAt(this.key, world.now + this.ttlSecondsAfterFinished);
    }
    const counts = { active: result.active, ready: result.ready, succeeded: result.succeeded, failed: result.failed, completedIndexes: result.completedIndexes };
    if (JSON.stringify(counts) !== JSON.stringify(this.last)) changed = true;
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
      STATUS: this.finishedAs ?? (this.spec.suspend ? 'Suspended' : 'Running'),
      COMPLETIONS: completions,
      DURATION: this.startTime === undefined ? '' : formatJobDuration(end - this.startTime),
      ACTIVE: this.last.active,
      READY: this.last.ready,
      SUCCEEDED: this.last.succeeded,
      FAILED: this.last.failed,
    };
    if (this.spec.completionMode === 'Indexed') columns.COMPLETED_INDEXES = this.last.completedIndexes;
    return [{ object: `job.batch/${this.name}`, columns }];
  }

  settled(): boolean {
    return this.finishedAs !== undefined || this.spec.suspend;
  }

  conditions(): string[] {
    return this.jobConditions.filter((c) => c.status === 'True').map((c) => `${c.type}=True/${c.reason}`);
  }

  // backoffRecord: failures since the last success, and when the last one happened.
  private trackFailures(world: World, pods: SimPod[]): void {
    for (const p of pods) {
      if (p.phase === 'Succeeded' && !this.seenSucceeded.has(p.uid)) {
        this.seenSucceeded.add(p.uid);
        this.failuresAfterLastSuccess = 0;
      } else if (p.phase === 'Failed' && !this.seenFailed.has(p.uid)) {
        this.seenFailed.add(p.uid);
        this.failuresAfterLastSuccess++;
        this.lastFailureAt = world.now;
      }
    }
  }

  // The TTL-after-finished controller deletes the Job (and, by cascade, its pods).
  private collectIfExpired(world: World): boolean {
    if (this.ttlSecondsAfterFinished === null || this.completionTime === undefined) return false;
    if (world.now < this.completionTime + this.ttlSecondsAfterFinished) return false;
    for (const pod of world.podsOwnedBy(this.uid)) if (pod.deletionTimestamp === undefined) world.deletePod(pod, 'ttlSecondsAfterFinished');
    world.event(`job.batch/${this.name}`, `Job deleted ${this.ttlSecondsAfterFinished}s after it finished (ttlSecondsAfterFinished)`);
    this.deleted = true;
    return true;
  }
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

function jobPodTemplate(object: unknown): PodTemplate {
  const template = obj(obj(obj(object).spec).template);
  const meta = obj(template.metadata);
  const spec = { ...obj(template.spec) };
  if (spec.restartPolicy === undefined) spec.restartPolicy = 'Never';
  return { labels: stringMap(meta.labels), annotations: stringMap(meta.annotations), spec };
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

export function createJobController(object: unknown, owner?: OwnerRef): JobController {
  return new JobController(object, owner);
}
