// CronJob runs that overlap (concurrencyPolicy Allow) or are skipped (Forbid) because a run lasts
// longer than the schedule's interval, when the manifest says how long a pod runs.
import { keyRange } from '../manifest';
import { describeRunTime, RUN_TIME_HINTS } from './run-time';
import type { SimulationRule } from './types';
import type { Finding } from '../findings';

export const cronjobRunsOverlap: SimulationRule = {
  id: 'cronjob-runs-overlap',
  title: "CronJob runs last longer than the schedule's interval: they overlap (Allow) or are skipped (Forbid).",
  severity: 'warning',
  kinds: ['CronJob'],
  description:
    "When a Job of a CronJob is still running at the next scheduled time, `concurrencyPolicy: Allow` (the default) starts another one beside it, so runs pile up; `Forbid` starts none and records `JobAlreadyActive` (`Not starting job because prior execution is running and concurrency policy is Forbid`), so that activation is skipped. kdry runs the schedule in the simulator (up to ten activations, a day at most) " + RUN_TIME_HINTS,
  remediation: 'Schedule the CronJob less often than a run takes, make the run shorter, or choose the concurrencyPolicy that states what should happen (`Forbid` to skip, `Replace` to cut the old run short).',
  findings({ doc, verdict }) {
    const cron = verdict.cronJob;
    if (!cron) return [];
    const range = keyRange(doc, ['spec', 'concurrencyPolicy']) ?? keyRange(doc, ['spec', 'schedule']) ?? [doc.range[0], doc.range[0]];
    const every = `every ${cron.intervalSeconds} s`;
    const message =
      cron.policy === 'Allow'
        ? `Runs overlap: scheduled ${every}, up to ${cron.count} Jobs are active at once (concurrencyPolicy Allow) in the first ${cron.windowSeconds} s. kdry assumed ${describeRunTime(cron.runTime)}.`
        : `Runs are skipped: scheduled ${every}, ${cron.count} activations in the first ${cron.windowSeconds} s find the previous Job still running: ${cron.event ?? 'JobAlreadyActive'}. kdry assumed ${describeRunTime(cron.runTime)}.`;
    const finding: Finding = { ruleId: 'cronjob-runs-overlap', range, message };
    return [finding];
  },
};
