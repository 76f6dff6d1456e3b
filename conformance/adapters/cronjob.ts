// Maps the cronjob conformance vectors (conformance/vectors/cronjob.json) onto the engine's
// cron module and CronJob controller helpers.
import { formatInZone, parseCronSchedule } from '../../server/src/k8s/cron';
import { mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration, sortJobsByStartTime, syncCronJob } from '../../server/src/engine/controllers/cronjob';

type Input = Record<string, any>;

const date = (v: unknown): Date | null => (typeof v === 'string' ? new Date(v) : null);
const iso = (d: Date | null | undefined, zone?: string | null): string | null => (d ? formatInZone(d, zone) : null);

/** The vector's schedule, or undefined when it does not parse (the adapter then reports `error`). */
function schedule(input: Input) {
  const parsed = parseCronSchedule(input.schedule, input.timeZone ?? undefined);
  return parsed.ok ? parsed.schedule : undefined;
}

function times(input: Input) {
  return {
    creationTimestamp: new Date(input.creationTimestamp),
    lastScheduleTime: date(input.lastScheduleTime),
    startingDeadlineSeconds: typeof input.startingDeadlineSeconds === 'number' ? input.startingDeadlineSeconds : null,
  };
}

export const adapters: Record<string, (input: any) => unknown> = {
  cronFiresAt(input: Input) {
    const s = schedule(input);
    return s ? { fires: s.firesAt(new Date(input.time)) } : { error: true, fires: false };
  },
  cronNext(input: Input) {
    const s = schedule(input);
    return s ? { next: iso(s.next(new Date(input.after)), input.timeZone) } : { error: true, next: null };
  },
  mostRecentScheduleTime(input: Input) {
    const parsed = parseCronSchedule(input.schedule, input.timeZone ?? undefined);
    if (!parsed.ok) return { error: true, mostRecentTime: null };
    const r = mostRecentScheduleTime(times(input), new Date(input.now), parsed.schedule, input.applyStartingDeadline === true);
    if (r.error !== undefined) return { error: true, earliestTime: iso(r.earliestTime), mostRecentTime: null };
    return { earliestTime: iso(r.earliestTime), mostRecentTime: iso(r.mostRecentTime), missedSchedules: r.missedSchedules };
  },
  nextScheduleTime(input: Input) {
    const s = schedule(input);
    if (!s) return { error: true, scheduledTime: null };
    const r = nextScheduleTime(times(input), new Date(input.now), s);
    const scheduledTime = iso(r.scheduledTime);
    return { scheduledTime, ...(r.error !== undefined ? { error: true } : {}) };
  },
  nextScheduleTimeDuration(input: Input) {
    const s = schedule(input);
    if (!s) return { error: true, nextScheduleTime: null, secondsUntilNext: null };
    const r = nextScheduleTimeDuration(times(input), new Date(input.now), s);
    return { nextScheduleTime: iso(r.nextScheduleTime), secondsUntilNext: r.secondsUntilNext };
  },
  cronJobSync(input: Input) {
    const prev = input.previousJob as { createdAt: string; state: string; completionTime?: string } | null;
    const prevName = 'previous-job';
    const jobs = prev
      ? [{ name: prevName, finished: prev.state === 'Active' ? undefined : (prev.state as 'Complete' | 'Failed'), completionTime: date(prev.completionTime), startTime: date(prev.createdAt) }]
      : [];
    // The upstream harness lists the previous Job in status.active unless the case says otherwise
    // (a finished one is then taken out of the list: a status update).
    const listed = input.jobPresentInCJActiveStatus ?? (prev as { inActiveList?: boolean } | null)?.inActiveList ?? true;
    const active = prev && listed ? [prevName] : [];
    const r = syncCronJob(
      {
        name: 'mycronjob',
        schedule: input.schedule,
        timeZone: input.timeZone ?? null,
        concurrencyPolicy: input.concurrencyPolicy ?? 'Allow',
        suspend: input.suspend === true,
        startingDeadlineSeconds: typeof input.startingDeadlineSeconds === 'number' ? input.startingDeadlineSeconds : null,
        successfulJobsHistoryLimit: null,
        failedJobsHistoryLimit: null,
      },
      { creationTimestamp: new Date(input.creationTimestamp), active, lastScheduleTime: date(input.lastScheduleTime), lastSuccessfulTime: null },
      jobs,
      new Date(input.now),
    );
    return {
      jobCreated: r.createJob !== undefined,
      activeJobDeleted: r.deleteJobs.length > 0,
      warningEvents: r.events.filter((e) => e.type === 'Warning').length,
      statusNeedsUpdate: r.updateStatus,
      requeueAfterSeconds: r.requeueAfterSeconds,
      nextScheduleTime: iso(r.nextScheduleTime),
      activeJobsAfter: r.status.active.length,
      lastSuccessfulTime: iso(r.status.lastSuccessfulTime),
    };
  },
  sortJobsByStartTime(input: Input) {
    const jobs = (input.jobs as { name: string; startTime: string | null }[]).map((j) => ({ name: j.name, startTime: date(j.startTime) }));
    return { order: sortJobsByStartTime(jobs).map((j) => j.name) };
  },
};
