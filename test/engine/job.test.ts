// The Job controller: its sync arithmetic and the Job simulated end to end on the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  compressCompletedIndexes,
  type JobPodView,
  type JobSpecView,
  jobSpecView,
  parseCompletedIndexes,
  podFailureBackoffSeconds,
  remainingBackoffSeconds,
  syncJob,
} from '../../server/src/engine/controllers/job';
import { simulate } from '../../server/src/engine/simulate';

const spec = (over: Partial<JobSpecView> = {}): JobSpecView => ({
  parallelism: 1,
  completions: 1,
  backoffLimit: 6,
  completionMode: 'NonIndexed',
  suspend: false,
  restartPolicy: 'Never',
  activeDeadlineSeconds: null,
  beingDeleted: false,
  ...over,
});

const pod = (phase: JobPodView['phase'], over: Partial<JobPodView<number>> = {}): JobPodView<number> => ({ ref: 0, phase, ready: phase === 'Running', terminating: false, restartCount: 0, ...over });

test('completedIndexes compress runs of three or more', () => {
  assert.equal(compressCompletedIndexes([9, 2, 4, 5, 7, 8]), '2,4,5,7-9');
  assert.equal(compressCompletedIndexes([0, 1, 2, 3]), '0-3');
  assert.equal(compressCompletedIndexes([]), '');
  assert.deepEqual(parseCompletedIndexes('2,4,5,7-9', 9), [2, 4, 5, 7, 8]);
});

// pkg/controller/job/job_controller.go: DefaultJobPodFailureBackOff = 10 * time.Second,
// MaxJobPodFailureBackOff = 10 * time.Minute; backoff_utils.go getRemainingTimeForFailuresCount
// doubles from the default once per failure after the first and stops at the maximum
// (10, 20, 40, 80, 160, 320, then 640 >= 600 -> 600). The 360 s cap was the old MaxJobBackOff.
test('pod failure back-off doubles from 10 s up to MaxJobPodFailureBackOff (10 minutes)', () => {
  assert.deepEqual([0, 1, 2, 3, 6, 7, 8, 20].map(podFailureBackoffSeconds), [0, 10, 20, 40, 320, 600, 600, 600]);
  assert.equal(remainingBackoffSeconds({ failuresAfterLastSuccess: 2, lastFailureSecondsAgo: 5 }), 15);
  assert.equal(remainingBackoffSeconds({ failuresAfterLastSuccess: 2, lastFailureSecondsAgo: 25 }), 0);
});

test('API defaults: completions 1, a parallelism-only Job is a work queue', () => {
  assert.equal(jobSpecView({ spec: {} }).completions, 1);
  assert.equal(jobSpecView({ spec: { parallelism: 3 } }).completions, null);
  assert.equal(jobSpecView({ spec: { parallelism: 3, completionMode: 'Indexed' } }).completions, 1);
  assert.equal(jobSpecView({ spec: {} }).backoffLimit, 6);
});

test('backoff delays replacement pods and requeues for the rest of it', () => {
  const r = syncJob({ spec: spec(), pods: [pod('Failed')], conditions: [], secondsSinceStart: 3, backoff: { failuresAfterLastSuccess: 1, lastFailureSecondsAgo: 3 } });
  assert.equal(r.creations, 0);
  assert.equal(r.requeueAfterSeconds, 7);
});

test('activeDeadlineSeconds fails the Job and kills its pods', () => {
  const r = syncJob({ spec: spec({ activeDeadlineSeconds: 30, parallelism: 2, completions: 4 }), pods: [pod('Running'), pod('Running')], conditions: [], secondsSinceStart: 30 });
  assert.equal(r.podsToDelete.length, 2);
  assert.equal(r.failed, 2);
  assert.equal(r.finished, 'Failed');
  assert.deepEqual(r.conditions.map((c) => [c.type, c.reason, c.message]), [['Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline']]);
  const early = syncJob({ spec: spec({ activeDeadlineSeconds: 30 }), pods: [pod('Running')], conditions: [], secondsSinceStart: 12 });
  assert.equal(early.requeueAfterSeconds, 18);
});

test('resuming a suspended Job flips Suspended to False and creates pods', () => {
  const r = syncJob({ spec: spec({ parallelism: 2, completions: 4 }), pods: [], conditions: [{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }] });
  assert.equal(r.creations, 2);
  assert.deepEqual(r.conditions, [{ type: 'Suspended', status: 'False', reason: 'JobResumed', message: 'Job resumed' }]);
});

const jobObject = (spec: Record<string, unknown>, podSpec: Record<string, unknown> = {}, annotations: Record<string, string> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'work' },
  spec: { ...spec, template: { metadata: { annotations }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }], ...podSpec } } },
});

function lastStatus(result: ReturnType<typeof simulate>) {
  const step = result.steps[result.steps.length - 1];
  return step.status.find((row) => row.object === 'job.batch/work')?.columns;
}

test('simulated Job: parallelism 2, completions 3, run time from the annotation', () => {
  const r = simulate({ objects: [jobObject({ parallelism: 2, completions: 3 }, {}, { 'kdry.dev/run-seconds': '20' })] });
  const created = r.steps.flatMap((s) => s.events).filter((e) => e.message.startsWith('Created pod'));
  assert.equal(created.length, 3);
  assert.equal(r.steps[0].events.filter((e) => e.message.startsWith('Created pod')).length, 2);
  const columns = lastStatus(r);
  assert.equal(columns?.COMPLETIONS, '3/3');
  assert.equal(columns?.STATUS, 'Complete');
  assert.ok(r.summary.completed);
  // Two waves of 20 s runs: the Job takes more than 40 s of virtual time.
  assert.ok(r.summary.durationSeconds >= 40, String(r.summary.durationSeconds));
});

test('simulated Indexed Job reports completed indexes', () => {
  const r = simulate({ objects: [jobObject({ parallelism: 3, completions: 5, completionMode: 'Indexed' })] });
  const columns = lastStatus(r);
  assert.equal(columns?.COMPLETED_INDEXES, '0-4');
  const names = r.steps.flatMap((s) => s.pods).map((p) => p.name);
  assert.ok(names.some((n) => n.startsWith('work-0-')) && names.some((n) => n.startsWith('work-4-')));
});

test('simulated Job whose pods crash fails after backoffLimit', () => {
  const r = simulate({ objects: [jobObject({ backoffLimit: 2 })], faults: { crashLoopRevision: 'new' } });
  const columns = lastStatus(r);
  assert.equal(columns?.STATUS, 'Failed');
  assert.equal(columns?.FAILED, 3);
  assert.ok(r.summary.conditions.includes('Failed=True/BackoffLimitExceeded'), JSON.stringify(r.summary.conditions));
  // Replacements wait for the failure back-off (10 s, then 20 s).
  const creations = r.steps.filter((s) => s.events.some((e) => e.message.startsWith('Created pod'))).map((s) => s.time);
  assert.equal(creations.length, 3);
  assert.ok(creations[1] - creations[0] >= 10 && creations[2] - creations[1] >= 20, JSON.stringify(creations));
});

test('simulated suspended Job creates nothing', () => {
  const r = simulate({ objects: [jobObject({ suspend: true, parallelism: 2, completions: 2 })] });
  assert.equal(r.steps.flatMap((s) => s.pods).length, 0);
  assert.equal(lastStatus(r)?.STATUS, 'Suspended');
});

test('ttlSecondsAfterFinished removes the Job and its pods (pkg/controller/ttlafterfinished records no event)', () => {
  const r = simulate({ objects: [jobObject({ ttlSecondsAfterFinished: 60 })] });
  const last = r.steps[r.steps.length - 1];
  assert.ok(!r.steps.some((s) => s.events.some((e) => e.message.includes('ttlSecondsAfterFinished'))));
  assert.equal(last.status.find((row) => row.object === 'job.batch/work'), undefined);
});

test('Indexed: a repeated index keeps the pod furthest along; bad indexes are removed', () => {
  const pods = [
    pod('Pending', { ref: 1, completionIndex: 1, scheduled: false }),
    pod('Running', { ref: 2, completionIndex: 1, scheduled: true }),
    pod('Running', { ref: 3, completionIndex: 7, scheduled: true }),
    pod('Running', { ref: 4, completionIndex: NaN, scheduled: true }),
  ];
  const r = syncJob({ spec: spec({ completionMode: 'Indexed', parallelism: 3, completions: 3 }), pods, conditions: [], secondsSinceStart: 1 });
  assert.deepEqual([...r.podsToDelete].sort(), [1, 3, 4]);
  assert.equal(r.active, 1);
});

test('a suspended Job that is resumed creates its pods and reports Resumed', () => {
  const r = simulate({ objects: [jobObject({ parallelism: 2, completions: 2 })], before: jobObject({ parallelism: 2, completions: 2, suspend: true }) });
  const events = r.steps.flatMap((s) => s.events.map((e) => e.message));
  assert.ok(events.includes('Job resumed'), events.join('\n'));
  assert.equal(events.filter((m) => m.startsWith('Created pod')).length, 2);
  assert.equal(lastStatus(r)?.STATUS, 'Complete');
});

test('restartPolicy OnFailure: container restarts count toward backoffLimit, the running pod is killed', () => {
  const r = simulate({ objects: [jobObject({ backoffLimit: 2 }, { restartPolicy: 'OnFailure' })], faults: { crashLoopRevision: 'new' } });
  const columns = lastStatus(r);
  assert.equal(columns?.STATUS, 'Failed');
  assert.equal(columns?.FAILED, 1);
  assert.equal(r.steps.flatMap((s) => s.events).filter((e) => e.message.startsWith('Created pod')).length, 1);
  assert.ok(r.summary.conditions.includes('Failed=True/BackoffLimitExceeded'));
});

test('activeDeadlineSeconds ends a long Job as DeadlineExceeded', () => {
  const r = simulate({ objects: [jobObject({ activeDeadlineSeconds: 30 }, {}, { 'kdry.dev/run-seconds': '600' })] });
  assert.equal(lastStatus(r)?.STATUS, 'Failed');
  assert.ok(r.summary.conditions.includes('Failed=True/DeadlineExceeded'), JSON.stringify(r.summary.conditions));
  // FailureTarget at the deadline; Failed and its event once the killed pod has terminated (3 s).
  const targetAt = r.steps.find((s) => s.status.some((row) => row.columns.STATUS === 'FailureTarget'))?.time;
  assert.equal(targetAt, 30);
  const failedAt = r.steps.find((s) => s.events.some((e) => e.message === 'Job was active longer than specified deadline'))?.time;
  assert.equal(failedAt, 33);
});

test('a failing Job: pending expectations hold the Failed condition back; deleted pods are not ready', () => {
  const failing = { spec: spec({ parallelism: 2, completions: 3, backoffLimit: 0 }), conditions: [], secondsSinceStart: 5 };
  const pods = [pod('Running', { ref: 1 }), pod('Running', { ref: 2 }), pod('Failed', { ref: 3 })];
  const now = syncJob({ ...failing, pods });
  assert.deepEqual([now.podsToDelete.length, now.ready, now.failed, now.finished], [2, 0, 3, 'Failed']);
  const waiting = syncJob({ ...failing, pods, expectationsSatisfied: false });
  assert.equal(waiting.finished, undefined);
  assert.deepEqual(waiting.conditions, []);
  const deleting = syncJob({ ...failing, spec: spec({ ...failing.spec, beingDeleted: true }), pods });
  assert.equal(deleting.podsToDelete.length, 2);
});

// pkg/controller/job/job_controller.go with the 1.31+ default gates (delayTerminalCondition():
// JobPodReplacementPolicy on): syncJob's newFailureCondition is FailureTarget; deleteActivePods
// adds the killed pods to `terminating`; trackJobStatusAndRemoveFinalizers writes FailureTarget
// and turns the finished condition into Failed (newFailedConditionForFailureTarget), which
// enactJobFinished only adds once no pod is terminating; recordJobFinished then records the
// Warning event with the reason and message. A later sync that finds FailureTarget goes straight
// to Failed. Success likewise: SuccessCriteriaMet (reason CompletionsReached), then Complete.
test('terminal conditions: FailureTarget while the killed pods terminate, then Failed with its event', () => {
  const failing = { spec: spec({ parallelism: 2, completions: 3, backoffLimit: 0 }), secondsSinceStart: 5, delayTerminalCondition: true };
  const first = syncJob({ ...failing, conditions: [], pods: [pod('Running', { ref: 1 }), pod('Running', { ref: 2 }), pod('Failed', { ref: 3 })] });
  assert.deepEqual(first.podsToDelete, [1, 2]);
  assert.deepEqual(first.conditions.map((c) => `${c.type}/${c.reason}`), ['FailureTarget/BackoffLimitExceeded']);
  assert.equal(first.finished, undefined);
  assert.deepEqual(first.events, []);
  const terminating = syncJob({ ...failing, conditions: first.conditions, pods: [pod('Running', { ref: 1, terminating: true }), pod('Failed', { ref: 3 })], failedNotListed: 2 });
  assert.deepEqual(terminating.conditions.map((c) => c.type), ['FailureTarget']);
  assert.equal(terminating.finished, undefined);
  const gone = syncJob({ ...failing, conditions: terminating.conditions, pods: [pod('Failed', { ref: 3 })], failedNotListed: 2 });
  assert.deepEqual(gone.conditions.map((c) => `${c.type}/${c.reason}`), ['FailureTarget/BackoffLimitExceeded', 'Failed/BackoffLimitExceeded']);
  assert.equal(gone.finished, 'Failed');
  assert.deepEqual(gone.events, [{ type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);
  assert.equal(gone.creations, 0);
  // Nothing left to terminate: both conditions in the same sync.
  const idle = syncJob({ ...failing, conditions: [], pods: [pod('Failed', { ref: 3 })] });
  assert.deepEqual(idle.conditions.map((c) => c.type), ['FailureTarget', 'Failed']);
  // The older gates (delayTerminalCondition false), as the conformance vectors' tests ran: Failed at once.
  const old = syncJob({ ...failing, delayTerminalCondition: false, conditions: [], pods: [pod('Running', { ref: 1 }), pod('Failed', { ref: 3 })] });
  assert.deepEqual(old.conditions.map((c) => c.type), ['Failed']);
});

test('terminal conditions: SuccessCriteriaMet then Complete; kubectl shows FailureTarget, never SuccessCriteriaMet', () => {
  const done = syncJob({ spec: spec({ completions: 2, parallelism: 2 }), conditions: [], secondsSinceStart: 9, delayTerminalCondition: true, pods: [pod('Succeeded'), pod('Succeeded')] });
  assert.deepEqual(done.conditions.map((c) => `${c.type}/${c.reason}`), ['SuccessCriteriaMet/CompletionsReached', 'Complete/CompletionsReached']);
  assert.equal(done.finished, 'Complete');
  const r = simulate({ objects: [jobObject({ completions: 2, parallelism: 2 })] });
  assert.deepEqual(r.summary.conditions, ['SuccessCriteriaMet=True/CompletionsReached', 'Complete=True/CompletionsReached']);
  assert.ok(r.steps.every((s) => s.status.every((row) => row.columns.STATUS !== 'SuccessCriteriaMet')));
});

// isPodFailed with onlyReplaceFailedPods (a podFailurePolicy, or podReplacementPolicy Failed): a
// terminating pod is neither failed nor replaced until it has terminated (manageJob subtracts
// `terminating` from the pods it wants).
test('podReplacementPolicy Failed: a terminating pod is replaced only once it is gone', () => {
  const terminating = pod('Running', { ref: 1, ready: false, terminating: true });
  assert.equal(syncJob({ spec: spec(), pods: [terminating], conditions: [], secondsSinceStart: 5 }).creations, 1);
  assert.equal(syncJob({ spec: spec({ onlyReplaceFailedPods: true }), pods: [terminating], conditions: [], secondsSinceStart: 5 }).creations, 0);
  assert.equal(jobSpecView({ spec: { podReplacementPolicy: 'Failed' } }).onlyReplaceFailedPods, true);
  assert.equal(jobSpecView({ spec: { podFailurePolicy: { rules: [] } } }).onlyReplaceFailedPods, true);
  assert.equal(jobSpecView({ spec: {} }).onlyReplaceFailedPods, false);
});
