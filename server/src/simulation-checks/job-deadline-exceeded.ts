// A Job that cannot finish within activeDeadlineSeconds at its parallelism, when the manifest says
// how long a pod runs (the engine's run-time hints).
import { keyRange } from '../manifest';
import { describeRunTime, RUN_TIME_HINTS } from './run-time';
import type { SimulationRule } from './types';
import type { Finding } from '../findings';

export const jobDeadlineExceeded: SimulationRule = {
  id: 'job-deadline-exceeded',
  title: 'The Job cannot finish within activeDeadlineSeconds at its parallelism.',
  severity: 'warning',
  kinds: ['Job'],
  description:
    "The Job controller fails a Job that is still active `activeDeadlineSeconds` after it started: it kills the running pods and sets `Failed` with reason `DeadlineExceeded` (`Job was active longer than specified deadline`). kdry runs the Job in the simulator with its `completions` and `parallelism` " + RUN_TIME_HINTS,
  remediation: 'Raise `activeDeadlineSeconds`, raise `parallelism` so that more pods run at once, or make each pod faster.',
  findings({ doc, verdict }) {
    const job = verdict.job;
    if (!job) return [];
    const range = keyRange(doc, ['spec', 'activeDeadlineSeconds']) ?? keyRange(doc, ['spec']) ?? [doc.range[0], doc.range[0]];
    const finding: Finding = {
      ruleId: 'job-deadline-exceeded',
      range,
      message: `The Job fails after ${job.failedAfter} s with ${job.completedPods} pods completed: ${job.event} (DeadlineExceeded). kdry assumed ${describeRunTime(job.runTime)}.`,
    };
    return [finding];
  },
};
