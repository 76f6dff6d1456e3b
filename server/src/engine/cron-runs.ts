// A CronJob's activations from the simulated start: when each run is due and the Job it creates
// (upstream's getJobName), for the Dry-run view's "upcoming runs" list.
import { parseCronSchedule } from '../k8s/cron';
import { getJobName } from './controllers/cronjob/sync';
import type { CronRun } from './result';

/**
 * The first `count` activations strictly after `after` (default `start`, the CronJob's creation:
 * upstream starts from schedule.Next(creationTimestamp)), timed from `start`; [] when the schedule
 * cannot be parsed.
 */
export function upcomingCronRuns(name: string, schedule: unknown, timeZone: unknown, start: string, count = 5, after = start): CronRun[] {
  if (typeof schedule !== 'string') return [];
  const parsed = parseCronSchedule(schedule, typeof timeZone === 'string' ? timeZone : undefined);
  if (!parsed.ok) return [];
  const origin = new Date(start);
  const runs: CronRun[] = [];
  for (let at = parsed.schedule.next(new Date(after)); at && runs.length < count; at = parsed.schedule.next(at)) {
    runs.push({ time: at.toISOString(), seconds: (at.getTime() - origin.getTime()) / 1000, job: getJobName(name, at) });
  }
  return runs;
}
