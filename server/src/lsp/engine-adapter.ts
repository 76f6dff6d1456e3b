// The engine helpers the language server uses beyond simulate(): CronJob schedules (robfig/cron
// semantics, as the CronJob controller reads them). Cluster files: workspace/cluster-file.ts.
import { formatInZone, parseCronSchedule } from '../engine';

export type NextRuns = { ok: true; runs: Date[]; timeZone: string } | { ok: false; error: string };

/** The next `count` run times of a CronJob schedule after `after`, in `timeZone` (default UTC). */
export function nextRuns(spec: string, timeZone: string | undefined, after: Date, count: number): NextRuns {
  const parsed = parseCronSchedule(spec, timeZone);
  if (!parsed.ok) return parsed;
  const runs: Date[] = [];
  let at = after;
  for (let i = 0; i < count; i++) {
    const next = parsed.schedule.next(at);
    if (!next) break;
    runs.push(next);
    at = next;
  }
  return { ok: true, runs, timeZone: parsed.schedule.timeZone };
}

export { formatInZone };
