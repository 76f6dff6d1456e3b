// A CronJob simulated over a time window: it creates Jobs `<cronjob>-<scheduled time in minutes
// since the epoch>` through syncCronJob and drives them as JobControllers.
import type { ReleaseBehaviour } from '../../release-behaviour';
import { formatInZone } from '../../../k8s/cron';
import type { Controller, StatusRow, World } from '../../types';
import type { CronRun } from '../../result';
import { JobController, createJobController } from '../job';
import { type ChildJobView, type CronJobSpecView, type CronJobStatusView, jobsOverHistoryLimit, syncCronJob } from './sync';
import { obj } from '../../objects';

function optionalInt(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** spec -> CronJobSpecView with the API defaults (Allow, history limits 3 and 1). */
export function cronJobSpecView(object: unknown): CronJobSpecView {
  const o = obj(object);
  const spec = obj(o.spec);
  const policy = spec.concurrencyPolicy;
  return {
    name: typeof obj(o.metadata).name === 'string' ? (obj(o.metadata).name as string) : 'cronjob',
    schedule: typeof spec.schedule === 'string' ? spec.schedule : '',
    timeZone: typeof spec.timeZone === 'string' ? spec.timeZone : null,
    concurrencyPolicy: policy === 'Forbid' || policy === 'Replace' ? policy : 'Allow',
    suspend: spec.suspend === true,
    startingDeadlineSeconds: optionalInt(spec.startingDeadlineSeconds),
    successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit === undefined ? 3 : optionalInt(spec.successfulJobsHistoryLimit),
    failedJobsHistoryLimit: spec.failedJobsHistoryLimit === undefined ? 1 : optionalInt(spec.failedJobsHistoryLimit),
  };
}

/** Events of syncCronJob whose cause the same pass removes: repeating the pass right after gives none. */
const SELF_SETTLING_REASONS = new Set(['SuccessfulCreate', 'SawCompletedJob', 'SuccessfulDelete', 'MissingJob']);

/**
 * A CronJob over the simulated window. Its Jobs are JobControllers it owns and syncs itself (the
 * core only knows the CronJob), so their requeues are routed to the CronJob's key. Virtual time 0
 * is `startTime`; the CronJob counts as created then. Requeues land exactly on the next activation
 * (the 100 ms padding against clock skew is dropped: the virtual clock has none).
 */
/** Jobs listed in the result's cronRuns. */
export const CRON_RUNS_LISTED = 5;

export class CronJobController implements Controller {
  readonly kind = 'CronJob';
  readonly key: string;
  readonly name: string;
  private spec: CronJobSpecView;
  private object: unknown;
  private readonly startMs: number;
  private cjStatus: CronJobStatusView;
  private jobs: JobController[] = [];
  /** Virtual time each Job was created (settled() forgives the ones started at the window's last instant). */
  private readonly createdAt = new Map<string, number>();
  /**
   * The first Jobs created, when and under which name (getJobName: the scheduled time). Under
   * Forbid an activation that finds a Job still running creates nothing, and the missed one may
   * start late once it finishes (within startingDeadlineSeconds): this is what happened, not
   * the schedule's bare activations.
   */
  readonly runs: CronRun[] = [];
  private lastSyncAt?: number;
  private specChanged = false;
  /**
   * Set after a syncCronJob pass whose effects are all applied to the status and the Jobs (see
   * SELF_SETTLING_REASONS): until the next schedule time, and while no Job appears, goes or
   * finishes, another pass would only requeue. Skipping it keeps a year of a five-minute schedule
   * cheap; passes that warn (MissSchedule, JobAlreadyActive, ...) are not skipped, so their
   * events repeat as upstream's do.
   */
  private quiet?: { children: string; until: number };
  /** Bumped whenever a Job is added or dropped: with the count of finished ones, what syncCronJob sees of them. */
  private jobsVersion = 0;
  private lastScheduleText?: { time: number; text: string };
  private readonly views = new WeakMap<JobController, { finished: string | undefined; completedAt: number | undefined; startedAt: number | undefined; view: ChildJobView }>();

  constructor(object: unknown, private readonly options: { startTime: string; release?: ReleaseBehaviour }) {
    this.object = object;
    this.spec = cronJobSpecView(object);
    this.name = this.spec.name;
    this.key = `CronJob/${this.name}`;
    const start = Date.parse(options.startTime);
    this.startMs = Number.isFinite(start) ? start : Date.UTC(2025, 0, 1);
    this.cjStatus = { creationTimestamp: new Date(this.startMs), active: [], lastScheduleTime: null, lastSuccessfulTime: null };
  }

  update(object: Record<string, unknown>): void {
    this.object = object;
    this.spec = cronJobSpecView(object);
    this.specChanged = true;
    this.lastScheduleText = undefined;
  }

  sync(world: World): boolean {
    const jobWorld = routeRequeues(world, this.key);
    let changed = false;
    for (const job of this.jobs) if (job.sync(jobWorld)) changed = true;
    this.dropDeletedJobs();
    // syncCronJob is a function of the spec, its status, its Jobs and the time: with none of them
    // changed since the last pass at this instant it would only repeat itself (and its events).
    if (!this.specChanged) {
      if (!changed && this.lastSyncAt === world.now) return false;
      if (this.quiet && world.now < this.quiet.until && this.quiet.children === this.childrenKey()) return changed;
    }
    this.specChanged = false;
    this.lastSyncAt = world.now;
    const now = this.at(world.now);
    const result = syncCronJob(this.spec, this.cjStatus, this.jobs.map((j) => this.childView(j)), now);
    const object = `cronjob.batch/${this.name}`;
    for (const e of result.events) {
      if (e.reason === 'SawCompletedJob') continue; // the Job's own Completed/Failed event says it
      world.event(object, e.message, e.type);
    }
    for (const name of result.deleteJobs) {
      this.jobs.find((j) => j.name === name)?.remove(world, 'concurrencyPolicy Replace');
      changed = true;
    }
    if (result.createJob) {
      const job = createJobController(this.jobObject(result.createJob.name, result.createJob.scheduledTime), { kind: 'CronJob', name: this.name, uid: `cronjob-${this.name}` }, this.options.release);
      this.jobs.push(job);
      this.createdAt.set(job.name, world.now);
      if (this.runs.length < CRON_RUNS_LISTED) this.runs.push({ time: this.at(world.now).toISOString(), seconds: world.now, job: job.name });
      this.jobsVersion++;
      job.sync(jobWorld);
      changed = true;
    }
    if (result.updateStatus) changed = true;
    this.cjStatus = result.status;
    this.cleanupFinishedJobs(world);
    this.dropDeletedJobs();
    this.quiet = undefined;
    if (result.nextScheduleTime !== null) {
      const next = (result.nextScheduleTime.getTime() - this.startMs) / 1000;
      world.requeueAt(this.key, next);
      if (result.events.every((e) => SELF_SETTLING_REASONS.has(e.reason))) this.quiet = { children: this.childrenKey(), until: next };
    }
    return changed;
  }

  /** What syncCronJob reads of its Jobs between schedule times: which exist and how many finished. */
  private childrenKey(): string {
    let finished = 0;
    for (const j of this.jobs) if (j.finishedAs !== undefined) finished++;
    return `${this.jobsVersion}/${finished}`;
  }

  private dropDeletedJobs(): void {
    if (!this.jobs.some((j) => j.deleted)) return;
    for (const j of this.jobs) if (j.deleted) this.createdAt.delete(j.name);
    this.jobs = this.jobs.filter((j) => !j.deleted);
    this.jobsVersion++;
  }

  private lastScheduleColumn(last: Date): string {
    const time = last.getTime();
    if (this.lastScheduleText?.time !== time) this.lastScheduleText = { time, text: formatInZone(last, this.spec.timeZone) };
    return this.lastScheduleText.text;
  }

  status(world: World): StatusRow[] {
    const last = this.cjStatus.lastScheduleTime;
    const row: StatusRow = {
      object: `cronjob.batch/${this.name}`,
      columns: {
        SCHEDULE: this.spec.schedule,
        TIMEZONE: this.spec.timeZone ?? '<none>',
        SUSPEND: this.spec.suspend ? 'True' : 'False',
        ACTIVE: this.cjStatus.active.length,
        'LAST SCHEDULE': last === null ? '<none>' : this.lastScheduleColumn(last),
      },
    };
    return [row, ...this.jobs.flatMap((j) => j.status(world))];
  }

  /**
   * No Job left running that had time to run. A window that ends exactly on a schedule time sees
   * that activation start a Job at its last instant: the run was due and started, nothing within
   * the window is unfinished, so that Job alone does not make the run incomplete.
   */
  /** A Job of this CronJob is still running (Forbid would skip an activation now). */
  hasUnfinishedJob(): boolean {
    return this.jobs.some((j) => j.finishedAs === undefined);
  }

  settled(world: World): boolean {
    return this.cjStatus.active.every((name) => this.createdAt.get(name) === world.now);
  }

  conditions(): string[] {
    return this.spec.suspend ? ['Suspended=True'] : [];
  }

  private at(virtualSeconds: number): Date {
    return new Date(this.startMs + Math.round(virtualSeconds * 1000));
  }

  /** A Job's view changes when it starts, finishes or resumes: kept until then, not rebuilt every pass. */
  private childView(j: JobController): ChildJobView {
    const known = this.views.get(j);
    if (known && known.finished === j.finishedAs && known.completedAt === j.completionTime && known.startedAt === j.started) return known.view;
    const view: ChildJobView = {
      name: j.name,
      finished: j.finishedAs,
      completionTime: j.completionTime === undefined ? null : this.at(j.completionTime),
      startTime: j.started === undefined ? null : this.at(j.started),
    };
    this.views.set(j, { finished: j.finishedAs, completedAt: j.completionTime, startedAt: j.started, view });
    return view;
  }

  // cleanupFinishedJobs: successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first.
  private cleanupFinishedJobs(world: World): void {
    const views = this.jobs.map((j) => ({ job: j, ...this.childView(j) }));
    const doomed = [
      ...jobsOverHistoryLimit(views.filter((v) => v.finished === 'Complete'), this.spec.successfulJobsHistoryLimit),
      ...jobsOverHistoryLimit(views.filter((v) => v.finished === 'Failed'), this.spec.failedJobsHistoryLimit),
    ];
    for (const v of doomed) {
      v.job.remove(world, 'CronJob history limit');
      world.event(`cronjob.batch/${this.name}`, `Deleted job ${v.name}`);
    }
  }

  private jobObject(name: string, scheduledTime: Date): Record<string, unknown> {
    const template = obj(obj(obj(this.object).spec).jobTemplate);
    const meta = obj(template.metadata);
    return {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name,
        labels: obj(meta.labels),
        annotations: { ...obj(meta.annotations), 'batch.kubernetes.io/cronjob-scheduled-timestamp': formatInZone(scheduledTime, this.spec.timeZone) },
      },
      spec: obj(template.spec),
    };
  }
}

const routedWorlds = new WeakMap<World, Map<string, World>>();

/**
 * The World as the CronJob's Jobs see it: their requeues wake the CronJob that drives them. A
 * plain delegate, built once per World and key (a Proxy binding a method on every access cost a
 * tenth of a long run in allocations).
 */
function routeRequeues(world: World, key: string): World {
  const byKey = routedWorlds.get(world) ?? new Map<string, World>();
  routedWorlds.set(world, byKey);
  const known = byKey.get(key);
  if (known) return known;
  const routed: World = {
    get now() {
      return world.now;
    },
    get nodes() {
      return world.nodes;
    },
    get faults() {
      return world.faults;
    },
    pods: () => world.pods(),
    podsOwnedBy: (uid) => world.podsOwnedBy(uid),
    releaseOwnedPod: (pod) => world.releaseOwnedPod(pod),
    createPod: (options) => world.createPod(options),
    deletePod: (pod, reason) => world.deletePod(pod, reason),
    event: (object, message, type) => world.event(object, message, type),
    requeueAt: (_key, time) => world.requeueAt(key, time),
    nameSuffix: (seed, length) => world.nameSuffix(seed, length),
    services: () => world.services(),
    setServiceSelector: (service, selector) => world.setServiceSelector(service, selector),
    setTrafficRule: (service, rule) => world.setTrafficRule(service, rule),
  };
  byKey.set(key, routed);
  return routed;
}

export function createCronJobController(object: unknown, options: { startTime: string; release?: ReleaseBehaviour }): CronJobController {
  return new CronJobController(object, options);
}
