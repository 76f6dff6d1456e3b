// Argo Rollouts: an Inconclusive AnalysisRun pauses the Rollout (rollout/analysis.go
// reconcileStepBasedAnalysisRun, reconcileBackgroundAnalysisRun, setPauseOrAbortForBlueGreen:
// pauseContext.AddPauseCondition(PauseReasonInconclusiveAnalysis); rollout/sync.go
// sendStateChangeEvents records `Rollout is paused (InconclusiveAnalysis)`), and the update holds
// until a human promotes or aborts it (pause.go requiresManualAction). `--fail analysis[:step=N],inconclusive`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../server/src/engine';
import type { Faults, SimulationResult } from '../../server/src/engine/types';
import { computePodTemplateHash } from '../../server/src/engine/controllers/deployment/util';
import { FailOptionError, parseFailOptions } from '../../server/src/cli/fail-option';
import { validateSimulateParams } from '../../server/src/lsp/validate-requests';

function rollout(image: string, strategy: Record<string, unknown>) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo' },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'demo' } },
      template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '100m' } } }] } },
      strategy,
    },
  };
}

const template = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'success-rate' },
  spec: { metrics: [{ name: 'success-rate', interval: '1m', count: 5, inconclusiveLimit: 1, provider: { prometheus: { query: 'x' } } }] },
};
const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'demo' }, ports: [{ port: 80 }] } });

function run(strategy: Record<string, unknown>, faults: Faults, extra: unknown[] = []): SimulationResult {
  return simulate({ objects: [rollout('demo:2', strategy), template, ...extra], before: rollout('demo:1', strategy), workload: { kind: 'Rollout', name: 'demo' }, faults, maxSeconds: 1800 });
}

const messages = (result: SimulationResult) => result.steps.flatMap((st) => st.events.filter((e) => e.object === 'rollout.argoproj.io/demo').map((e) => ({ time: st.time, message: e.message, type: e.type })));
const newHash = computePodTemplateHash(rollout('demo:2', {}).spec.template);

test('a step analysis that ends Inconclusive pauses the Rollout at that step: no abort, no later step', () => {
  const strategy = { canary: { steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }, { setWeight: 75 }] } };
  const result = run(strategy, { analysis: { step: 2, phase: 'Inconclusive' } });
  const seen = messages(result);
  const started = seen.find((e) => e.message === `Step Analysis Run 'demo-${newHash}-2-1' Status New: 'Running' Previous: 'NoPreviousStatus'`)!;
  const inconclusive = seen.find((e) => e.message === `Step Analysis Run 'demo-${newHash}-2-1' Status New: 'Inconclusive' Previous: 'Running'`)!;
  // emitAnalysisRunStatusChanges: a Warning only for Failed and Error
  assert.equal(inconclusive.type, 'Normal');
  // inconclusiveLimit 1: the second inconclusive measurement, a minute in, passes it
  assert.equal(inconclusive.time - started.time, 60);
  const paused = seen.find((e) => e.message === 'Rollout is paused (InconclusiveAnalysis)')!;
  assert.equal(paused.time, inconclusive.time);
  assert.ok(!seen.some((e) => e.message.startsWith('Rollout aborted')), 'an inconclusive run does not abort');
  assert.ok(!seen.some((e) => e.message.startsWith('Rollout step 2/3 completed')), 'the step does not complete');
  const last = result.steps.at(-1)!;
  assert.deepEqual([last.status[0].columns.STATUS, last.status[0].columns.STEP, last.status[0].columns['SET-WEIGHT']], ['Paused', '1/3', 50]);
  // the canary keeps its share beside the stable set: 2 and 2
  assert.deepEqual(last.status.filter((r) => r.object.startsWith('replicaset')).map((r) => r.columns.DESIRED), [2, 2]);
  assert.equal(result.summary.completed, false);
  assert.ok(result.notes.some((n) => n === 'Rollout "demo" is paused (InconclusiveAnalysis): Argo waits for `kubectl argo rollouts promote` (a step analysis then counts as passed and the next step runs) or `kubectl argo rollouts abort`; to simulate one, add promote or abort to --fail analysis...,inconclusive (the Dry-run view: analysis runs "are inconclusive, then promoted" or "then aborted")'), result.notes.join('\n'));
  // checkPausedConditions: Progressing Unknown while paused, so no ProgressDeadlineExceeded however long it waits
  assert.deepEqual(result.summary.conditions, ['Progressing=Unknown/RolloutPaused', 'Paused=True/RolloutPaused']);
  // nothing is left to wake the controllers: the run ends there, not at maxSeconds
  assert.ok(result.notes.includes('the Rollout cannot make further progress: nothing left that would change what the controllers see'), result.notes.join('\n'));
  assert.equal(result.problems.length, 0, JSON.stringify(result.problems));
});

test('a background analysis that ends Inconclusive halts the scaling, not the steps (rollout/context.go haltProgress)', () => {
  const strategy = { canary: { analysis: { templates: [{ templateName: 'success-rate' }] }, steps: [{ setWeight: 25 }, { pause: { duration: '10m' } }, { setWeight: 75 }] } };
  const result = run(strategy, { analysis: { phase: 'Inconclusive' } });
  const seen = messages(result);
  const inconclusive = seen.find((e) => e.message === `Background Analysis Run 'demo-${newHash}-2' Status New: 'Inconclusive' Previous: 'Running'`)!;
  // the pause step was already paused: sendStateChangeEvents records only the first pause condition
  const pauseStarts = seen.filter((e) => e.message.startsWith('Rollout is paused'));
  assert.deepEqual(pauseStarts.map((e) => e.message), ['Rollout is paused (CanaryPauseStep)']);
  assert.ok(pauseStarts[0].time < inconclusive.time);
  // reconcileCanaryPause and completedCurrentCanaryStep still run: the timed pause ends after its 10m
  const ended = seen.find((e) => e.message === 'Rollout step 2/3 completed (pause: 10m)');
  assert.ok(ended, 'the timed pause step still ends');
  assert.equal(ended.time - pauseStarts[0].time, 600);
  // the InconclusiveAnalysis condition stays: no resume, and reconcileCanaryReplicaSets scales nothing more
  assert.ok(!seen.some((e) => e.message === 'Rollout is resumed'));
  assert.ok(!seen.some((e) => e.message.startsWith('Scaled') && e.time > inconclusive.time), 'no scaling after the inconclusive run');
  assert.ok(!seen.some((e) => e.message.startsWith('Rollout step 3/3 completed')));
  const last = result.steps.at(-1)!;
  assert.deepEqual([last.status[0].columns.STATUS, last.status[0].columns.STEP, last.status[0].columns['SET-WEIGHT']], ['Paused', '2/3', 75]);
  assert.deepEqual(result.summary.conditions, ['Progressing=Unknown/RolloutPaused', 'Paused=True/RolloutPaused']);
});

test('held by an inconclusive analysis, a pause step reached later completes at once and route steps still complete', () => {
  // pause.go CompletedCanaryPauseStep: status.controllerPause is true and no CanaryPauseStep condition
  // is there (reconcileCanaryPause adds none while controllerPause is set): the step counts as promoted
  const steps = [{ setWeight: 25 }, { setWeight: 50 }, { pause: {} }, { setHeaderRoute: { name: 'h', match: [{ headerName: 'X-Canary', headerValue: { exact: 'yes' } }] } }, { setWeight: 75 }];
  const strategy = { canary: { stableService: 'demo', trafficRouting: { nginx: { stableIngress: 'demo' } }, analysis: { templates: [{ templateName: 'success-rate' }], startingStep: 1 }, steps } };
  // minReadySeconds 90: the second canary pod becomes available after the run turned Inconclusive (60s)
  const before = { ...rollout('demo:1', strategy), spec: { ...rollout('demo:1', strategy).spec, minReadySeconds: 90 } };
  const after = { ...rollout('demo:2', strategy), spec: { ...rollout('demo:2', strategy).spec, minReadySeconds: 90 } };
  const result = simulate({ objects: [after, template, service('demo')], before, workload: { kind: 'Rollout', name: 'demo' }, faults: { analysis: { phase: 'Inconclusive' } }, maxSeconds: 1800 });
  const seen = messages(result);
  const inconclusive = seen.find((e) => e.message.startsWith('Background Analysis Run') && e.message.includes("New: 'Inconclusive'"))!;
  const step = (n: number) => seen.find((e) => e.message.startsWith(`Rollout step ${n}/5 completed`));
  assert.ok(step(2)!.time > inconclusive.time, 'step 2 completes after the pause condition was added');
  assert.equal(step(3)?.message, 'Rollout step 3/5 completed (pause)');
  assert.equal(step(3)!.time, step(2)!.time);
  assert.equal(step(4)?.message, 'Rollout step 4/5 completed (setHeaderRoute: h)');
  assert.equal(step(5), undefined, 'setWeight 75 needs scaling, which is halted');
  assert.deepEqual(seen.filter((e) => e.message.startsWith('Rollout is paused')).map((e) => e.message), ['Rollout is paused (InconclusiveAnalysis)']);
  assert.ok(!result.notes.some((n) => n.includes('waited for promotion')), result.notes.join('\n'));
});

test('blueGreen: an Inconclusive pre-promotion analysis holds the switch (setPauseOrAbortForBlueGreen)', () => {
  const strategy = { blueGreen: { activeService: 'demo-active', previewService: 'demo-preview', prePromotionAnalysis: { templates: [{ templateName: 'success-rate' }] } } };
  const result = run(strategy, { analysis: { phase: 'Inconclusive' } }, [service('demo-active'), service('demo-preview')]);
  const seen = messages(result);
  assert.ok(seen.some((e) => e.message === `PrePromotion Analysis Run 'demo-${newHash}-2-pre' Status New: 'Inconclusive' Previous: 'Running'`));
  assert.ok(seen.some((e) => e.message === 'Rollout is paused (InconclusiveAnalysis)'));
  // the preview Service is switched at the start; the active one is not (reconcileActiveService: haltProgress)
  assert.ok(seen.some((e) => e.message.startsWith("Switched selector for service 'demo-preview'")));
  assert.ok(!seen.some((e) => e.message.startsWith("Switched selector for service 'demo-active'")));
  assert.equal(result.steps.at(-1)!.status[0].columns.STATUS, 'Paused');
});

test('an experiment whose analysis is Inconclusive ends Inconclusive and pauses the Rollout (reconcileExperiments: PauseReasonInconclusiveExperiment)', () => {
  const experiment = { duration: '5m', templates: [{ name: 'canary', specRef: 'canary' }], analyses: [{ name: 'rate', templateName: 'success-rate' }] };
  const strategy = { canary: { steps: [{ setWeight: 25 }, { experiment }] } };
  const seen = messages(run(strategy, { analysis: { step: 2, phase: 'Inconclusive' } }));
  assert.ok(seen.some((e) => e.message === 'Rollout is paused (InconclusiveExperiment)'));
  assert.ok(!seen.some((e) => e.message.startsWith('Rollout aborted')));
});

// pkg/kubectl-argo-rollouts/cmd/promote/promote.go getPatches: the current step's run is the
// Inconclusive one (isInconclusive), so the patch clears status.pauseConditions and controllerPause
// and sets currentStepIndex past the step; the run stays Inconclusive. The patch is the person's:
// sync.go sendStateChangeEvents sees no paused-to-resumed change and records no event.
test('promoted at an Inconclusive step analysis, the Rollout moves past the step 60 s after the pause', () => {
  const strategy = { canary: { steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }, { setWeight: 75 }] } };
  const result = run(strategy, { analysis: { step: 2, phase: 'Inconclusive', then: 'promote' } });
  const seen = messages(result);
  const paused = seen.find((e) => e.message === 'Rollout is paused (InconclusiveAnalysis)')!;
  const next = seen.find((e) => e.message === 'Rollout step 3/3 completed (setWeight: 75)')!;
  assert.ok(next.time >= paused.time + 60, `${next.time} vs ${paused.time}`);
  assert.ok(!seen.some((e) => e.message.startsWith('Rollout step 2/3 completed')), 'a promoted step is skipped, not completed');
  assert.ok(!seen.some((e) => e.message === 'Rollout is resumed'), 'no RolloutResumed for the person\'s patch');
  assert.ok(!seen.some((e) => e.message.includes(`'demo-${newHash}-2-1.1'`)), 'no new run for a skipped step');
  assert.ok(seen.some((e) => e.message.startsWith('Rollout completed update to revision 2')));
  assert.equal(result.summary.completed, true);
  assert.ok(result.notes.some((n) => n.startsWith('kdry simulated `kubectl argo rollouts promote demo` 60s after the Rollout paused (InconclusiveAnalysis)')), result.notes.join('\n'));
});

// rollout/analysis.go needsNewAnalysisRun: after a promote, controllerPause is still set and no
// CanaryPauseStep or BlueGreenPause condition holds, so an Inconclusive background run is replaced by
// a new one, `<name>.1` (utils/analysis/helpers.go CreateWithCollisionCounter); emitAnalysisRunStatusChanges
// records it only when its phase changes (the status still names the previous run when it is created).
test('promoted at an Inconclusive background run, Argo starts another run in its place, which measures the same metrics', () => {
  const strategy = { canary: { analysis: { templates: [{ templateName: 'success-rate' }] }, steps: [{ setWeight: 25 }, { pause: { duration: '10m' } }, { setWeight: 75 }, { pause: { duration: '10m' } }] } };
  const result = run(strategy, { analysis: { phase: 'Inconclusive', then: 'promote' } });
  const seen = messages(result);
  // the promote clears the CanaryPauseStep condition too: with controllerPause still set, the
  // 10-minute pause step counts as promoted (pause.go CompletedCanaryPauseStep)
  const paused = seen.find((e) => e.message === 'Rollout is paused (CanaryPauseStep)')!;
  const pauseDone = seen.find((e) => e.message === 'Rollout step 2/4 completed (pause: 10m)')!;
  assert.ok(pauseDone.time - paused.time < 600, `${pauseDone.time - paused.time}`);
  // the promote lands MANUAL_PROMOTION_SECONDS after the Inconclusive run paused the Rollout
  const inconclusive = seen.find((e) => e.message === `Background Analysis Run 'demo-${newHash}-2' Status New: 'Inconclusive' Previous: 'Running'`)!;
  assert.equal(pauseDone.time, inconclusive.time + 60);
  const runs = seen.filter((e) => e.message.startsWith('Background Analysis Run')).map((e) => e.message);
  assert.deepEqual(runs, [
    `Background Analysis Run 'demo-${newHash}-2' Status New: 'Running' Previous: 'NoPreviousStatus'`,
    `Background Analysis Run 'demo-${newHash}-2' Status New: 'Inconclusive' Previous: 'Running'`,
    `Background Analysis Run 'demo-${newHash}-2.1' Status New: 'Inconclusive' Previous: 'Running'`,
  ]);
  // the new run ends Inconclusive during the last pause step: paused again, the update held at 75%
  assert.deepEqual(seen.filter((e) => e.message.startsWith('Rollout is paused')).map((e) => e.message), ['Rollout is paused (CanaryPauseStep)', 'Rollout is paused (CanaryPauseStep)']);
  assert.ok(!seen.some((e) => e.message.startsWith('Rollout completed')));
  assert.ok(result.notes.some((n) => n.startsWith('Rollout "demo" is paused (InconclusiveAnalysis) again')), result.notes.join('\n'));
});

// kubectl argo rollouts abort sets status.abort: the controller aborts with conditions.RolloutAbortedMessage
// and no pause context message (sync.go calculateRolloutConditions).
test('aborted at an Inconclusive pause, the Rollout aborts the update with Argo\'s bare message', () => {
  const strategy = { canary: { steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }, { setWeight: 75 }] } };
  const result = run(strategy, { analysis: { step: 2, phase: 'Inconclusive', then: 'abort' } });
  const seen = messages(result);
  const paused = seen.find((e) => e.message === 'Rollout is paused (InconclusiveAnalysis)')!;
  const aborted = seen.find((e) => e.message.startsWith('Rollout aborted'))!;
  assert.deepEqual([aborted.message, aborted.type, aborted.time - paused.time], ['Rollout aborted update to revision 2', 'Warning', 60]);
  assert.deepEqual(result.summary.conditions, ['Progressing=False/RolloutAborted']);
  assert.equal(result.steps.at(-1)!.status[0].columns.STATUS, 'Degraded');
});

test('blueGreen promoted at an Inconclusive pre-promotion run: a new run `-pre.1` runs in its place', () => {
  const strategy = { blueGreen: { activeService: 'demo-active', previewService: 'demo-preview', prePromotionAnalysis: { templates: [{ templateName: 'success-rate' }] } } };
  const seen = messages(run(strategy, { analysis: { phase: 'Inconclusive', then: 'promote' } }, [service('demo-active'), service('demo-preview')]));
  const inconclusive = seen.find((e) => e.message === `PrePromotion Analysis Run 'demo-${newHash}-2-pre' Status New: 'Inconclusive' Previous: 'Running'`)!;
  const second = seen.find((e) => e.message === `PrePromotion Analysis Run 'demo-${newHash}-2-pre.1' Status New: 'Inconclusive' Previous: 'Running'`)!;
  // the promote 60 s after the pause starts `-pre.1`; it measures as long as the first run did
  const started = seen.find((e) => e.message === `PrePromotion Analysis Run 'demo-${newHash}-2-pre' Status New: 'Running' Previous: 'NoPreviousStatus'`)!;
  assert.equal(second.time - (inconclusive.time + 60), inconclusive.time - started.time);
  // emitAnalysisRunStatusChanges: the status still names the old run when `.1` is created, so no Running event for it
  assert.ok(!seen.some((e) => e.message.startsWith(`PrePromotion Analysis Run 'demo-${newHash}-2-pre.1' Status New: 'Running'`)));
  assert.ok(!seen.some((e) => e.message.startsWith("Switched selector for service 'demo-active'")));
});

test('--fail analysis takes inconclusive, alone or after step=N, then promote or abort', () => {
  assert.deepEqual(parseFailOptions(['analysis:inconclusive,promote']), { analysis: { phase: 'Inconclusive', then: 'promote' } });
  assert.deepEqual(parseFailOptions(['analysis:step=2,inconclusive,abort']), { analysis: { step: 2, phase: 'Inconclusive', then: 'abort' } });
  for (const bad of ['analysis:promote', 'analysis:step=2,abort', 'analysis:inconclusive,promote,abort']) assert.throws(() => parseFailOptions([bad]), FailOptionError, bad);
  assert.deepEqual(parseFailOptions(['analysis:inconclusive']), { analysis: { phase: 'Inconclusive' } });
  assert.deepEqual(parseFailOptions(['analysis:step=2,inconclusive']), { analysis: { step: 2, phase: 'Inconclusive' } });
  assert.deepEqual(parseFailOptions(['analysis:step=3']), { analysis: { step: 3 } });
  for (const bad of ['analysis:step=0', 'analysis:inconclusive,inconclusive', 'analysis:failed', 'analysis:step=1,step=2']) assert.throws(() => parseFailOptions([bad]), FailOptionError, bad);
});

// rollout/analysis.go reconcileBackgroundAnalysisRun: after a promote at the step run, controllerPause
// is false, so needsNewAnalysisRun is false and the background run that was already Inconclusive
// reaches `case AnalysisPhaseInconclusive: AddPauseCondition(InconclusiveAnalysis)` again.
test('promoted at a step analysis while the background run is Inconclusive too, the Rollout pauses again', () => {
  const strategy = { canary: { analysis: { templates: [{ templateName: 'success-rate' }], startingStep: 1 }, steps: [{ setWeight: 25 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }, { setWeight: 75 }] } };
  const result = run(strategy, { analysis: { phase: 'Inconclusive', then: 'promote' } });
  const seen = messages(result);
  const paused = seen.filter((e) => e.message === 'Rollout is paused (InconclusiveAnalysis)');
  assert.equal(paused.length, 2, seen.map((e) => `${e.time} ${e.message}`).join('\n'));
  // the second pause comes with the promote itself, 60 s after the first
  assert.equal(paused[1].time - paused[0].time, 60);
  assert.ok(!seen.some((e) => e.message.startsWith('Rollout completed')));
  assert.equal(result.summary.completed, false);
  assert.ok(result.notes.some((n) => n.startsWith('Rollout "demo" is paused (InconclusiveAnalysis) again')), result.notes.join('\n'));
});

test("the editor's Dry-run request refuses promote or abort without an Inconclusive run, as --fail analysis does", () => {
  const ask = (analysis: unknown) => validateSimulateParams({ uri: 'file:///r.yaml', faults: { analysis } });
  assert.equal(ask({ phase: 'Inconclusive', then: 'promote' }).ok, true);
  for (const bad of [{ then: 'promote' }, { phase: 'Failed', then: 'abort' }]) {
    const answer = ask(bad);
    assert.ok(!answer.ok && /then \((promote|abort)\) needs phase Inconclusive/.test(answer.error), JSON.stringify(answer));
  }
});
