// The CronJob controller's arithmetic (pkg/controller/cronjob/cronjob_controllerv2.go, utils.go):
// mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration, one syncCronJob pass as a pure
// function, job names and history limits.
import { type CronSchedule, isKnownTimeZone, parseControllerSchedule } from '../../../k8s/cron';

/** nextScheduleDelta: the controller requeues 100 ms after the next activation (NTP skew padding). */
export const NEXT_SCHEDULE_DELTA_SECONDS = 0.1;

export type MissedSchedules = 'none' | 'few' | 'many';

export interface CronJobTimes {
  creationTimestamp: Date;
  lastScheduleTime?: Date | null;
  startingDeadlineSeconds?: number | null;
}

export interface MostRecentScheduleTime {
  earliestTime: Date;
  mostRecentTime: Date | null;
  missedSchedules: MissedSchedules;
  error?: string;
}

/**
 * The latest activation at or before `now` since the last schedule (or creation), and an estimate
 * of how many were missed (upstream estimates from the gap between the next two activations).
 */
export function mostRecentScheduleTime(cj: CronJobTimes, now: Date, schedule: CronSchedule, includeStartingDeadlineSeconds: boolean): MostRecentScheduleTime {
  let earliest = cj.lastScheduleTime ?? cj.creationTimestamp;
  if (includeStartingDeadlineSeconds && typeof cj.startingDeadlineSeconds === 'number') {
    const deadline = new Date(now.getTime() - cj.startingDeadlineSeconds * 1000);
    if (deadline.getTime() > earliest.getTime()) earliest = deadline;
  }
  const t1 = schedule.next(earliest);
  const t2 = t1 === null ? null : schedule.next(t1);
  if (t1 !== null && now.getTime() < t1.getTime()) return { earliestTime: earliest, mostRecentTime: null, missedSchedules: 'none' };
  if (t1 !== null && t2 !== null && now.getTime() < t2.getTime()) return { earliestTime: earliest, mostRecentTime: t1, missedSchedules: 'none' };
  // A schedule that never fires (`59 23 31 2 *`) gives no second activation: Go sees zero times here.
  const between = t1 !== null && t2 !== null ? Math.round((t2.getTime() - t1.getTime()) / 1000) : 0;
  if (t1 === null || between < 1) {
    return { earliestTime: earliest, mostRecentTime: null, missedSchedules: 'none', error: 'time difference between two schedules is less than 1 second' };
  }
  const elapsed = Math.trunc((now.getTime() - t1.getTime()) / 1000);
  const missed = Math.trunc(elapsed / between) + 1;
  const potentialEarliest = new Date(t1.getTime() + (missed - 2) * between * 1000);
  let mostRecent: Date | null = null;
  for (let t = schedule.next(potentialEarliest); t !== null && t.getTime() <= now.getTime(); t = schedule.next(t)) mostRecent = t;
  const missedSchedules: MissedSchedules = missed > 100 ? 'many' : missed > 1 ? 'few' : 'none';
  return { earliestTime: earliest, mostRecentTime: mostRecent, missedSchedules };
}

export interface NextScheduleTime {
  scheduledTime: Date | null;
  tooManyMissed: boolean;
  error?: string;
}

/** The unmet activation to start now (only the latest of several missed ones), honouring startingDeadlineSeconds. */
export function nextScheduleTime(cj: CronJobTimes, now: Date, schedule: CronSchedule): NextScheduleTime {
  const r = mostRecentScheduleTime(cj, now, schedule, true);
  if (r.mostRecentTime === null || r.mostRecentTime.getTime() > now.getTime()) return { scheduledTime: null, tooManyMissed: false, error: r.error };
  return { scheduledTime: r.mostRecentTime, tooManyMissed: r.missedSchedules === 'many', error: r.error };
}

/** When to look again: the activation after the most recent one, as seconds from now (without nextScheduleDelta). */
export function nextScheduleTimeDuration(cj: CronJobTimes, now: Date, schedule: CronSchedule): { nextScheduleTime: Date | null; secondsUntilNext: number | null } {
  const r = mostRecentScheduleTime(cj, now, schedule, false);
  let from: Date;
  if (r.error !== undefined) from = now;
  else if (r.mostRecentTime === null) from = r.missedSchedules === 'none' ? r.earliestTime : now;
  else from = r.mostRecentTime;
  const next = schedule.next(from);
  if (next === null) return { nextScheduleTime: null, secondsUntilNext: null };
  return { nextScheduleTime: next, secondsUntilNext: (next.getTime() - now.getTime()) / 1000 };
}

/** getJobName: `<cronjob>-<scheduled time in minutes since the epoch>`, so one activation makes one Job. */
export function getJobName(cronJobName: string, scheduledTime: Date): string {
  return `${cronJobName}-${Math.floor(scheduledTime.getTime() / 60_000)}`;
}

/** byJobStartTime: oldest start first, unstarted last, name breaks ties. */
export function sortJobsByStartTime<T extends { name: string; startTime?: Date | null }>(jobs: readonly T[]): T[] {
  return [...jobs].sort((a, b) => {
    const ta = a.startTime?.getTime();
    const tb = b.startTime?.getTime();
    if (ta === undefined || tb === undefined) return ta === undefined ? (tb === undefined ? a.name.localeCompare(b.name) : 1) : -1;
    if (ta === tb) return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    return ta - tb;
  });
}

/** removeOldestJobs: which finished Jobs a history limit deletes (oldest start first). */
export function jobsOverHistoryLimit<T extends { name: string; startTime?: Date | null }>(finished: readonly T[], limit: number | null | undefined): T[] {
  if (limit === null || limit === undefined) return [];
  const excess = finished.length - limit;
  return excess <= 0 ? [] : sortJobsByStartTime(finished).slice(0, excess);
}

export type ConcurrencyPolicy = 'Allow' | 'Forbid' | 'Replace';

export interface CronJobSpecView {
  name: string;
  schedule: string;
  timeZone: string | null;
  concurrencyPolicy: ConcurrencyPolicy;
  suspend: boolean;
  startingDeadlineSeconds: number | null;
  successfulJobsHistoryLimit: number | null;
  failedJobsHistoryLimit: number | null;
}

export interface CronJobStatusView {
  creationTimestamp: Date;
  /** Names of the Jobs in status.active. */
  active: string[];
  lastScheduleTime: Date | null;
  lastSuccessfulTime: Date | null;
}

export interface ChildJobView {
  name: string;
  finished?: 'Complete' | 'Failed';
  completionTime?: Date | null;
  startTime?: Date | null;
}

export interface CronJobEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface CronJobSyncResult {
  status: CronJobStatusView;
  /** The Job to create: its name and the activation it stands for. */
  createJob?: { name: string; scheduledTime: Date };
  /** Active Jobs deleted by concurrencyPolicy Replace. */
  deleteJobs: string[];
  events: CronJobEvent[];
  updateStatus: boolean;
  /** Requeue after this many seconds (without nextScheduleDelta); null = not until the spec changes. */
  requeueAfterSeconds: number | null;
  nextScheduleTime: Date | null;
}

/** How many next() answers a schedule remembers: a pass asks about four instants, the next pass mostly the same. */
const REMEMBERED_NEXT_TIMES = 16;
const remembering = new WeakMap<CronSchedule, CronSchedule>();

/**
 * The schedule with next() remembered for the instants asked last (the parsed schedule is cached
 * per spec, so the memory carries from pass to pass): a CronJob over a year asks a million times.
 */
function rememberingNext(schedule: CronSchedule): CronSchedule {
  const known = remembering.get(schedule);
  if (known) return known;
  const answers = new Map<number, Date | null>();
  const wrapped: CronSchedule = {
    timeZone: schedule.timeZone,
    firesAt: (at) => schedule.firesAt(at),
    next(after) {
      const key = after.getTime();
      // The Dates are shared: nothing here or in the controller mutates one.
      const hit = answers.get(key);
      if (hit !== undefined) return hit;
      const answer = schedule.next(after);
      if (answers.size >= REMEMBERED_NEXT_TIMES) answers.clear();
      answers.set(key, answer);
      return answer;
    },
  };
  remembering.set(schedule, wrapped);
  return wrapped;
}

/** One syncCronJob pass over the CronJob's Jobs at `now`. */
export function syncCronJob(spec: CronJobSpecView, current: CronJobStatusView, jobs: readonly ChildJobView[], now: Date): CronJobSyncResult {
  const status: CronJobStatusView = { ...current, active: [...current.active] };
  const out: CronJobSyncResult = { status, deleteJobs: [], events: [], updateStatus: false, requeueAfterSeconds: null, nextScheduleTime: null };
  const children = new Set(jobs.map((j) => j.name));
  for (const j of jobs) {
    const found = status.active.includes(j.name);
    if (!found && !j.finished) {
      out.events.push({ type: 'Warning', reason: 'UnexpectedJob', message: `Saw a job that the controller did not create or forgot: ${j.name}` });
    } else if (j.finished) {
      if (found) {
        status.active = status.active.filter((n) => n !== j.name);
        out.events.push({ type: 'Normal', reason: 'SawCompletedJob', message: `Saw completed job: ${j.name}, condition: ${j.finished}` });
        out.updateStatus = true;
      }
      if (j.finished === 'Complete' && j.completionTime) {
        if (status.lastSuccessfulTime === null || j.completionTime.getTime() > status.lastSuccessfulTime.getTime()) {
          status.lastSuccessfulTime = j.completionTime;
          out.updateStatus = true;
        }
      }
    }
  }
  for (const name of [...status.active]) {
    if (children.has(name)) continue;
    out.events.push({ type: 'Normal', reason: 'MissingJob', message: `Active job went missing: ${name}` });
    status.active = status.active.filter((n) => n !== name);
    out.updateStatus = true;
  }
  if (spec.timeZone !== null && !isKnownTimeZone(spec.timeZone)) {
    out.events.push({ type: 'Warning', reason: 'UnknownTimeZone', message: `invalid timeZone: ${JSON.stringify(spec.timeZone)}: unknown time zone ${spec.timeZone}` });
    return out;
  }
  if (spec.suspend) return out;
  const parsed = parseControllerSchedule(spec.schedule, spec.timeZone);
  if (parsed.tzInSchedule) {
    out.events.push({
      type: 'Warning',
      reason: 'UnsupportedSchedule',
      message: `CRON_TZ or TZ used in schedule ${JSON.stringify(spec.schedule)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
    });
  }
  if (!parsed.ok) {
    out.events.push({ type: 'Warning', reason: 'UnparseableSchedule', message: `unparseable schedule: ${JSON.stringify(spec.schedule)} : ${parsed.error}` });
    return out;
  }
  const sched = rememberingNext(parsed.schedule);
  const times: CronJobTimes = { creationTimestamp: status.creationTimestamp, lastScheduleTime: status.lastScheduleTime, startingDeadlineSeconds: spec.startingDeadlineSeconds };
  const requeue = () => {
    const d = nextScheduleTimeDuration({ ...times, lastScheduleTime: status.lastScheduleTime }, now, sched);
    out.requeueAfterSeconds = d.secondsUntilNext;
    out.nextScheduleTime = d.nextScheduleTime;
    return out;
  };
  const next = nextScheduleTime(times, now, sched);
  if (next.tooManyMissed) {
    out.events.push({ type: 'Warning', reason: 'TooManyMissedTimes', message: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew' });
  }
  if (next.error !== undefined) {
    out.events.push({ type: 'Warning', reason: 'InvalidSchedule', message: `invalid schedule: ${spec.schedule} : ${next.error}` });
    return out;
  }
  const scheduled = next.scheduledTime;
  if (scheduled === null) return requeue();
  if (spec.startingDeadlineSeconds !== null && scheduled.getTime() + spec.startingDeadlineSeconds * 1000 < now.getTime()) {
    out.events.push({ type: 'Warning', reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${formatRfc1123z(scheduled)}` });
    return requeue();
  }
  const name = getJobName(spec.name, scheduled);
  if (status.active.includes(name) || status.lastScheduleTime?.getTime() === scheduled.getTime()) return requeue();
  if (spec.concurrencyPolicy === 'Forbid' && status.active.length > 0) {
    out.events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    return requeue();
  }
  if (spec.concurrencyPolicy === 'Replace') {
    for (const active of status.active) {
      out.deleteJobs.push(active);
      out.events.push({ type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted job ${active}` });
      out.updateStatus = true;
    }
    status.active = [];
  }
  out.createJob = { name, scheduledTime: scheduled };
  out.events.push({ type: 'Normal', reason: 'SuccessfulCreate', message: `Created job ${name}` });
  status.active.push(name);
  status.lastScheduleTime = scheduled;
  out.updateStatus = true;
  return requeue();
}

/** Go's time.RFC1123Z in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
function formatRfc1123z(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}
