// Job pods that fail (the pods:exit fault) and what the Job controller makes of them: backoff,
// backoffLimit, backoffLimitPerIndex / maxFailedIndexes, podFailurePolicy, successPolicy and
// podReplacementPolicy, written from kubernetes/kubernetes pkg/controller/job: job_controller.go
// (syncJob, manageJob, trackJobStatusAndRemoveFinalizers, enactJobFinished, recordJobFinished,
// getFailJobMessage, isPodFailed, onlyReplaceFailedPods), pod_failure_policy.go
// (matchPodFailurePolicy), indexed_job_utils.go (isIndexFailed, getNewIndexFailureCounts,
// firstPendingIndexes), success_policy.go (matchSuccessPolicy), backoff_utils.go.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPodFailurePolicy, matchSuccessPolicy, podFailurePolicyOf, CompletedIndexes } from '../../server/src/engine/controllers/job';
import { simulate } from '../../server/src/engine/simulate';
import { podsAtStep, type SimulateOptions, type SimulationResult } from '../../server/src/engine';
import { parseFailOptions, FailOptionError } from '../../server/src/cli/fail-option';

const job = (spec: Record<string, unknown>, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'work' },
  spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 5'] }], ...podSpec } } },
});

const run = (object: unknown, faults: SimulateOptions['faults'], maxSeconds?: number) => simulate({ objects: [object], faults, ...(maxSeconds ? { maxSeconds } : {}) });

function status(r: SimulationResult) {
  return r.steps[r.steps.length - 1].status.find((row) => row.object === 'job.batch/work')?.columns;
}

const jobEvents = (r: SimulationResult) => r.steps.flatMap((s) => s.events.filter((e) => e.object === 'job.batch/work').map((e) => ({ ...e, time: s.time })));
const createdAt = (r: SimulationResult) => jobEvents(r).filter((e) => e.message.startsWith('Created pod')).map((e) => e.time);

// matchPodFailurePolicy: the first rule that matches decides; a FailJob on exit codes names the
// container, the pod and the rule's index; a condition rule names the condition.
test('matchPodFailurePolicy: first matching rule, FailJob messages as the controller words them', () => {
  const rules = podFailurePolicyOf({
    podFailurePolicy: {
      rules: [
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
        { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
        { action: 'Count', onExitCodes: { operator: 'NotIn', values: [0, 42] } },
        { action: 'FailJob', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] },
      ],
    },
  });
  const failed = (exitCode: number, conditions: { type: string; status: string }[] = []) => ({ namespace: 'default', name: 'work-x', containers: [{ name: 'main', exitCode }], conditions });
  assert.deepEqual(matchPodFailurePolicy(rules, failed(42)), {
    failJobMessage: 'Container main for pod default/work-x failed with exit code 42 matching FailJob rule at index 1',
    countFailed: true,
    action: 'FailJob',
  });
  assert.deepEqual(matchPodFailurePolicy(rules, failed(42, [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
  assert.deepEqual(matchPodFailurePolicy(rules, failed(3)), { countFailed: true, action: 'Count' });
  assert.equal(matchPodFailurePolicy(rules, failed(3, [{ type: 'ConfigIssue', status: 'True' }])).action, 'Count', 'rule 2 comes before rule 3');
  assert.equal(matchPodFailurePolicy(rules?.slice(3), failed(3, [{ type: 'ConfigIssue', status: 'True' }])).failJobMessage, 'Pod default/work-x has condition ConfigIssue matching FailJob rule at index 0');
  // getMatchingContainerFromList: exit code 0 never matches, even NotIn [1].
  assert.deepEqual(matchPodFailurePolicy(podFailurePolicyOf({ podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'NotIn', values: [1] } }] } }), failed(0)), { countFailed: true });
  assert.deepEqual(matchPodFailurePolicy(undefined, failed(42)), { countFailed: true });
});

// backoff_utils.go: the replacement waits 10 s after the first failure, 20 s after the second;
// syncJob: failed (3) > backoffLimit (2) -> FailureTarget, then Failed/BackoffLimitExceeded and
// recordJobFinished's Warning event.
test('pods:exit=1: each pod fails after its run, the replacements back off, backoffLimit fails the Job', () => {
  const r = run(job({ backoffLimit: 2 }), { podExit: { exitCode: 1 } });
  // Created at 0, Running at 2, exits at 7; +10 s -> 17 (exits 24); +20 s -> 44 (exits 51).
  assert.deepEqual(createdAt(r), [0, 17, 44]);
  assert.equal(status(r)?.STATUS, 'Failed');
  assert.equal(status(r)?.FAILED, 3);
  assert.deepEqual(r.summary.conditions, ['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
  const finished = jobEvents(r).filter((e) => e.type === 'Warning');
  assert.deepEqual(finished.map((e) => [e.time, e.message]), [[51, 'Job has reached the specified backoff limit']]);
  const failedPods = podsAtStep(r, r.steps.length - 1).filter((p) => p.phase === 'Failed');
  assert.equal(failedPods.length, 3);
  assert.ok(failedPods.every((p) => p.reason === 'Error'));
});

test('pods:exit with a FailJob rule: FailureTarget and Failed with reason PodFailurePolicy and the rule in the message', () => {
  const object = job({
    completions: 4,
    parallelism: 2,
    podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } }] },
  });
  const r = run(object, { podExit: { exitCode: 42, sharePercent: 50 } });
  const failedPod = podsAtStep(r, r.steps.length - 1).find((p) => p.phase === 'Failed');
  assert.ok(failedPod);
  const message = `Container main for pod default/${failedPod.name} failed with exit code 42 matching FailJob rule at index 0`;
  assert.deepEqual(r.summary.conditions, ['FailureTarget=True/PodFailurePolicy', 'Failed=True/PodFailurePolicy']);
  assert.deepEqual(jobEvents(r).filter((e) => e.type === 'Warning').map((e) => e.message), [message]);
  assert.equal(status(r)?.STATUS, 'Failed');
  // share=50%: of the two pods started together the first fails, the second succeeds.
  assert.equal(status(r)?.SUCCEEDED, 1);
  assert.equal(r.summary.completed, false);
});

test('an exit code the FailJob rule does not name is counted toward backoffLimit as usual', () => {
  const object = job({ backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }] } });
  const r = run(object, { podExit: { exitCode: 1 } });
  assert.deepEqual(r.summary.conditions, ['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
});

// An Ignore rule: nonIgnoredFailedPodsCount leaves the pod out of status.failed and backoffLimit,
// but newBackoffRecord still counts it, so the replacements back off (10, 20, 40 s ...).
test('an Ignore rule: failed pods are replaced with back-off and never count toward backoffLimit', () => {
  const object = job({ backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [137] } }] } });
  const r = run(object, { podExit: { exitCode: 137 } }, 200);
  assert.deepEqual(createdAt(r), [0, 17, 44, 91, 178]);
  assert.equal(status(r)?.FAILED, 0);
  assert.equal(status(r)?.STATUS, 'Running');
  assert.deepEqual(r.summary.conditions, []);
});

// indexed_job_utils.go isIndexFailed: the pod's job-index-failure-count (failures of its index
// before it) reached backoffLimitPerIndex; syncJob: failed + succeeded indexes cover completions
// -> FailedIndexes.
test('backoffLimitPerIndex: index 1 fails twice and is given up; the Job fails with FailedIndexes once the others succeed', () => {
  const object = job({ completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 1 });
  const r = run(object, { podExit: { exitCode: 1, indexes: [1] } });
  assert.equal(status(r)?.FAILED_INDEXES, '1');
  assert.equal(status(r)?.COMPLETED_INDEXES, '0,2');
  assert.equal(status(r)?.FAILED, 2);
  assert.deepEqual(r.summary.conditions, ['FailureTarget=True/FailedIndexes', 'Failed=True/FailedIndexes']);
  assert.deepEqual(jobEvents(r).filter((e) => e.type === 'Warning').map((e) => e.message), ['Job has failed indexes']);
  // Index 1 was created twice: at 0 and 10 s after its first failure (7 + 10).
  const index1 = jobEvents(r).filter((e) => /^Created pod: work-1-/.test(e.message)).map((e) => e.time);
  assert.deepEqual(index1, [0, 17]);
});

test('maxFailedIndexes 0: the first failed index fails the whole Job (MaxFailedIndexesExceeded)', () => {
  const object = job({ completionMode: 'Indexed', completions: 3, parallelism: 1, backoffLimitPerIndex: 0, maxFailedIndexes: 0 });
  const r = run(object, { podExit: { exitCode: 1, indexes: [0] } });
  assert.deepEqual(r.summary.conditions, ['FailureTarget=True/MaxFailedIndexesExceeded', 'Failed=True/MaxFailedIndexesExceeded']);
  assert.deepEqual(jobEvents(r).filter((e) => e.type === 'Warning').map((e) => e.message), ['Job has exceeded the specified maximal number of failed indexes']);
});

test('a FailIndex rule gives the index up at its first failure, whatever backoffLimitPerIndex allows', () => {
  const object = job({
    completionMode: 'Indexed',
    completions: 2,
    parallelism: 2,
    backoffLimitPerIndex: 5,
    podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }] },
  });
  const r = run(object, { podExit: { exitCode: 3, indexes: [0] } });
  assert.equal(status(r)?.FAILED_INDEXES, '0');
  assert.equal(jobEvents(r).filter((e) => /^Created pod: work-0-/.test(e.message)).length, 1);
  assert.deepEqual(r.summary.conditions, ['FailureTarget=True/FailedIndexes', 'Failed=True/FailedIndexes']);
});

// success_policy.go matchSuccessPolicy: all of succeededIndexes, or succeededCount of them.
test('matchSuccessPolicy: every named index, or succeededCount of them, or of all indexes', () => {
  const done = CompletedIndexes.of([0, 2, 3]);
  assert.equal(matchSuccessPolicy([{ succeededIndexes: '0,2-3' }], 5, done), 'Matched rules at index 0');
  assert.equal(matchSuccessPolicy([{ succeededIndexes: '0-4' }], 5, done), undefined);
  assert.equal(matchSuccessPolicy([{ succeededIndexes: '0-4' }, { succeededIndexes: '1-4', succeededCount: 2 }], 5, done), 'Matched rules at index 1');
  assert.equal(matchSuccessPolicy([{ succeededCount: 3 }], 5, done), 'Matched rules at index 0');
  assert.equal(matchSuccessPolicy([{ succeededCount: 4 }], 5, done), undefined);
  assert.equal(matchSuccessPolicy([{ succeededIndexes: 'x' }], 5, done), undefined, 'an unparsable rule matches nothing');
  assert.equal(matchSuccessPolicy([{ succeededCount: 1 }], 5, new CompletedIndexes()), undefined);
});

// syncJob: once matchSuccessPolicy holds, SuccessCriteriaMet (reason SuccessPolicy), the lingering
// pods are deleted (deleteActivePods), and Complete with the same reason and message follows once
// they terminated; recordJobFinished: Normal "Job completed".
test('successPolicy: index 0 succeeding completes the Job; the pods still restarting are deleted first', () => {
  const object = job(
    { completionMode: 'Indexed', completions: 4, parallelism: 4, successPolicy: { rules: [{ succeededIndexes: '0' }] } },
    { restartPolicy: 'OnFailure' },
  );
  const r = run(object, { podExit: { exitCode: 1, indexes: [1, 2, 3] } });
  assert.deepEqual(r.summary.conditions, ['SuccessCriteriaMet=True/SuccessPolicy', 'Complete=True/SuccessPolicy']);
  const deleted = jobEvents(r).filter((e) => e.message.startsWith('Deleted pod'));
  assert.equal(deleted.length, 3);
  assert.ok(deleted.every((e) => e.time === 7), JSON.stringify(deleted));
  const completed = jobEvents(r).find((e) => e.message === 'Job completed');
  assert.equal(completed?.time, 10, 'after the deleted pods terminated (3 s)');
  assert.equal(status(r)?.COMPLETED_INDEXES, '0');
  assert.equal(status(r)?.STATUS, 'Complete');
  assert.ok(r.summary.completed);
});

// taint_eviction.go: a pod evicted for a NoExecute taint gets DisruptionTarget
// (DeletionByTaintManager); the classic policy ignores such failures.
test('a pod evicted from a NotReady node carries DisruptionTarget, which an Ignore rule leaves uncounted', () => {
  const object = job(
    { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] } },
    { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }], containers: [{ name: 'main', image: 'busybox', command: ['sleep', '60'] }] },
  );
  const first = simulate({ objects: [object] });
  const node = podsAtStep(first, 0)[0].node as string;
  const r = simulate({ objects: [object], faults: { nodeNotReady: [{ node, at: 10 }] } });
  assert.equal(status(r)?.FAILED, 0);
  assert.equal(status(r)?.STATUS, 'Complete');
  assert.equal(createdAt(r).length, 2);
  // Without the policy the eviction counts, and backoffLimit 0 fails the Job.
  const strict = simulate({ objects: [job({ backoffLimit: 0 }, object.spec.template.spec)], faults: { nodeNotReady: [{ node, at: 10 }] } });
  assert.ok(strict.summary.conditions.includes('Failed=True/BackoffLimitExceeded'), JSON.stringify(strict.summary.conditions));
});

test('--fail pods: syntax: exit code, one index or a range, a share; mistakes named', () => {
  assert.deepEqual(parseFailOptions(['pods:exit=1']), { podExit: { exitCode: 1 } });
  assert.deepEqual(parseFailOptions(['pods:exit=137,index=2']), { podExit: { exitCode: 137, indexes: [2] } });
  assert.deepEqual(parseFailOptions(['pods:exit=3,index=2-4,share=50%']), { podExit: { exitCode: 3, indexes: [2, 3, 4], sharePercent: 50 } });
  assert.deepEqual(parseFailOptions(['new-revision', 'node:worker-1']), { neverReadyRevision: 'new', nodeNotReady: [{ node: 'worker-1', at: 0 }] });
  for (const [bad, why] of [
    ['pods:exit=0', /exit takes a code from 1 to 255/],
    ['pods:exit=1,share=50', /share takes a percentage/],
    ['pods:index=2', /exit=CODE is required/],
    ['pods:exit=1,index=4-2', /index takes a completion index or a range/],
    ['pods:exit=1,color=red', /unknown key "color"/],
    ['pods:exit=1,exit=2', /exit is given twice/],
    ['pod:exit=1', /--fail takes new-revision/],
  ] as const) {
    assert.throws(() => parseFailOptions([bad]), (e: Error) => e instanceof FailOptionError && why.test(e.message), bad);
  }
  assert.throws(() => parseFailOptions(['pods:exit=1', 'pods:exit=2']), /may be given once/);
});
