// Maps the job conformance vectors (conformance/vectors/job.json) onto the Job controller's
// pure sync (syncJob) and its helpers.
import { type JobPodView, type JobSpecView, podFailureBackoffSeconds, syncJob, wantActive } from '../../server/src/engine/controllers/job';

type Input = Record<string, any>;

function spec(job: Input): JobSpecView {
  return {
    parallelism: job.parallelism ?? 1,
    completions: job.completions === undefined ? 1 : job.completions,
    backoffLimit: job.backoffLimit ?? 6,
    completionMode: job.completionMode === 'Indexed' ? 'Indexed' : 'NonIndexed',
    suspend: job.suspend === true,
    restartPolicy: job.restartPolicy ?? 'Never',
    activeDeadlineSeconds: typeof job.activeDeadlineSeconds === 'number' ? job.activeDeadlineSeconds : null,
    beingDeleted: job.beingDeleted === true,
  };
}

type Phase = JobPodView['phase'];

// Pod counts -> pods: `readyAmongRunning` of the running ones are ready; none carry an index.
function pods(input: Input): JobPodView<number>[] {
  const out: JobPodView<number>[] = [];
  const add = (phase: Phase, extra: Partial<JobPodView<number>> = {}) =>
    out.push({ ref: out.length, phase, ready: false, terminating: false, restartCount: 0, scheduled: phase !== 'Pending', createdAt: out.length, ...extra });
  const counts = input.pods ?? {};
  for (let i = 0; i < (counts.pending ?? 0); i++) add('Pending');
  for (let i = 0; i < (counts.running ?? 0); i++) add('Running', { ready: i < (counts.readyAmongRunning ?? 0) });
  for (let i = 0; i < (counts.succeeded ?? 0); i++) add('Succeeded');
  for (let i = 0; i < (counts.failed ?? 0); i++) add('Failed');
  for (const p of input.indexedPods ?? []) {
    const index = /^\d+$/.test(String(p.completionIndex)) ? Number(p.completionIndex) : NaN;
    add(p.phase, { completionIndex: index, ready: p.ready === true });
  }
  for (const p of input.podsWithRestarts ?? []) add(p.phase, { restartCount: p.containerRestartCount ?? 0 });
  return out;
}

// Conditions as the upstream tests assert them. TestControllerSyncJob lists whole conditions
// (Complete by type and status only); the backoff tests (the vectors that set restartPolicy)
// assert a failure by type and reason.
function projectCondition(c: { type: string; status: string; reason: string; message: string }, backoffTest: boolean) {
  if (c.type === 'Complete') return { type: c.type, status: c.status };
  if (c.type === 'Failed' && backoffTest) return { type: c.type, status: c.status, reason: c.reason };
  return { type: c.type, status: c.status, reason: c.reason, message: c.message };
}

// The test's fake expectations: a pending create/delete keeps the controller from acting.
function expectationsSatisfied(input: Input): boolean {
  const pending = input.fakeExpectationAtCreation ?? input.job.fakeExpectationAtCreation;
  if (typeof pending === 'number' && pending !== 0) return false;
  return input.expectationsSatisfied !== false && input.job.expectationsSatisfied !== false && input.unsatisfiedExpectations !== true;
}

// How long the Job has been running: `startTimeSecondsAgo`, or `startTime` against `now`; 0 = just started.
function secondsSinceStart(input: Input): number {
  const ago = input.job.startTimeSecondsAgo ?? input.startTimeSecondsAgo;
  if (typeof ago === 'number') return ago;
  const start = input.job.startTime ?? input.startTime;
  if (typeof start === 'string' && typeof input.now === 'string') return (Date.parse(input.now) - Date.parse(start)) / 1000;
  return 0;
}

export const adapters: Record<string, (input: any) => unknown> = {
  jobSync(input: Input) {
    const s = spec(input.job);
    const wasSuspended = input.job.wasSuspended === true;
    const r = syncJob({
      spec: s,
      pods: pods(input),
      conditions: wasSuspended ? [{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }] : [],
      secondsSinceStart: wasSuspended ? undefined : secondsSinceStart(input),
      backoff: input.job.backoffRecord,
      expectationsSatisfied: expectationsSatisfied(input),
    });
    // A fake pod control that refuses creates past `podLimit` (the "limited pods" upstream case).
    const limit = input.podLimit ?? input.job.podLimit;
    const refused = typeof limit === 'number' ? Math.max(0, r.creations - limit) : 0;
    return {
      creations: r.creations - refused,
      deletions: r.podsToDelete.length,
      active: r.active - refused,
      ready: r.ready,
      succeeded: r.succeeded,
      failed: r.failed,
      conditions: r.conditions.map((c) => projectCondition(c, input.job.restartPolicy !== undefined)),
      completedIndexes: r.completedIndexes,
      createdIndexes: r.createIndexes,
    };
  },
  wantActive(input: Input) {
    return { wantActive: wantActive(spec(input.job), input.succeeded ?? 0, input.active ?? 0) };
  },
  podFailureBackoff(input: Input) {
    return { delaySeconds: (input.failuresAfterLastSuccess as number[]).map(podFailureBackoffSeconds) };
  },
};
