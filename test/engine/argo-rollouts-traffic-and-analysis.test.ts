// Argo Rollouts: the traffic router's split (rollout/trafficrouting.go reconcileTrafficRouting),
// AnalysisRuns and experiments that fail on request (`--fail analysis[:step=N]`, rollout/analysis.go,
// rollout/experiment.go) with Argo's abort, and abortScaleDownDelaySeconds for a traffic-routed
// canary (rollout/replicaset.go reconcileNewReplicaSet, shouldDelayScaleDownOnAbort).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../server/src/engine';
import type { Faults, SimulationResult } from '../../server/src/engine/types';
import { computePodTemplateHash } from '../../server/src/engine/controllers/deployment/util';
import { parseFailOptions, FailOptionError } from '../../server/src/cli/fail-option';

const ROLLOUT = 'rollout.argoproj.io/demo';

function rollout(image: string, strategy: Record<string, unknown>, replicas = 4) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'demo' } },
      template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '100m' } } }] } },
      strategy,
    },
  };
}

const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'demo' }, ports: [{ port: 80 }] } });

const successRate = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 'success-rate' },
  spec: { metrics: [{ name: 'success-rate', interval: '1m', count: 5, failureLimit: 2, provider: { prometheus: { query: 'x' } } }] },
};

function run(strategy: Record<string, unknown>, extra: unknown[] = [], faults?: Faults, replicas = 4): SimulationResult {
  return simulate({ objects: [rollout('demo:2', strategy, replicas), ...extra], before: rollout('demo:1', strategy, replicas), workload: { kind: 'Rollout', name: 'demo' }, ...(faults ? { faults } : {}) });
}

function events(result: SimulationResult, object = ROLLOUT): { time: number; message: string; type: string }[] {
  return result.steps.flatMap((st) => st.events.filter((e) => e.object === object).map((e) => ({ time: st.time, message: e.message, type: e.type })));
}

const newHash = computePodTemplateHash(rollout('demo:2', {}).spec.template);
const oldHash = computePodTemplateHash(rollout('demo:1', {}).spec.template);

test('trafficRouting: the router splits traffic by setWeight, not by endpoints, and the status shows the actual weight', () => {
  const strategy = { canary: { stableService: 'demo-stable', canaryService: 'demo-canary', trafficRouting: { nginx: { stableIngress: 'demo' } }, steps: [{ setWeight: 25 }, { pause: { duration: '1m' } }, { setWeight: 50 }, { pause: { duration: '1m' } }] } };
  const result = run(strategy, [service('demo-stable'), service('demo-canary')]);
  const weights = events(result).filter((e) => e.message.startsWith('Traffic weight')).map((e) => e.message);
  // trafficWeightUpdatedMessage: the first weight of this update is 25 (the status kept 0 from the
  // first revision), then 50, 100 once the canary is at full size, 0 after the promotion
  assert.deepEqual(weights, ['Traffic weight updated from 0 to 25', 'Traffic weight updated from 25 to 50', 'Traffic weight updated from 50 to 100', 'Traffic weight updated from 100 to 0']);
  // during the first pause: 1 canary pod beside 4 stable ones (endpoints would say 20%), the router sends 25%
  const paused = result.steps.find((st) => st.events.some((e) => e.message === 'Rollout is paused (CanaryPauseStep)'))!;
  const split = paused.traffic.find((t) => t.service === 'demo-stable')!;
  assert.deepEqual(split.byRevision, { [newHash]: 0.25, [oldHash]: 0.75 });
  assert.match(split.note ?? '', /^nginx \(stableIngress demo\) weights/);
  assert.equal(paused.status[0].columns['ACTUAL-WEIGHT'], 25);
  assert.equal(paused.status[0].columns['SET-WEIGHT'], 25);
  // reconcileStableAndCanaryService: each Service selects one revision's pods
  const endpoints = Object.fromEntries(paused.traffic.filter((t) => t.service !== 'demo-stable').map((t) => [t.service, t.byRevision]));
  assert.deepEqual(endpoints['demo-canary'], { [newHash]: 1 });
  // fully promoted: the managed routes go, the Services' endpoints carry the traffic again
  const last = result.steps.at(-1)!;
  assert.equal(last.traffic.find((t) => t.service === 'demo-stable')?.note, undefined);
  assert.equal(result.summary.completed, true);
});

test('trafficRouting without a canary pod available sends it nothing (reconcileTrafficRouting: never weight to an empty canary)', () => {
  const strategy = { canary: { trafficRouting: { istio: { virtualService: { name: 'demo' } } }, steps: [{ setWeight: 40 }] } };
  const result = simulate({ objects: [rollout('demo:2', strategy), service('demo')], before: rollout('demo:1', strategy), workload: { kind: 'Rollout', name: 'demo' }, faults: { neverReadyRevision: newHash }, maxSeconds: 300 });
  assert.ok(!events(result).some((e) => /Traffic weight updated from 0 to [1-9]/.test(e.message)));
  const shown = result.steps.at(-1)!.traffic.find((t) => t.service === 'demo')!;
  assert.deepEqual(shown.byRevision, { [oldHash]: 1 });
  assert.match(shown.note ?? '', /^istio \(virtualService demo\) weights/);
});

test('a step analysis runs for its metric count and interval; --fail analysis:step=N aborts the update in Argo words', () => {
  const strategy = { canary: { steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }] } };
  const passing = run(strategy, [successRate]);
  const seen = events(passing);
  const started = seen.find((e) => e.message === `Step Analysis Run 'demo-${newHash}-2-1' Status New: 'Running' Previous: 'NoPreviousStatus'`)!;
  const succeeded = seen.find((e) => e.message === `Step Analysis Run 'demo-${newHash}-2-1' Status New: 'Successful' Previous: 'Running'`)!;
  // count 5 every minute: measurements at 0..4 min
  assert.equal(succeeded.time - started.time, 240);
  assert.ok(seen.some((e) => e.message === 'Rollout step 2/2 completed (analysis)'));
  assert.equal(passing.summary.completed, true);

  const failing = run(strategy, [successRate], { analysis: { step: 2 } });
  const failed = events(failing);
  const run2 = failed.find((e) => e.message === `Step Analysis Run 'demo-${newHash}-2-1' Status New: 'Failed' Previous: 'Running'`)!;
  assert.equal(run2.type, 'Warning');
  // failureLimit 2: the third failed measurement, two minutes in, fails the run
  const start = failed.find((e) => e.message.includes("Status New: 'Running'"))!;
  assert.equal(run2.time - start.time, 120);
  const aborted = failed.find((e) => e.message.startsWith('Rollout aborted'))!;
  assert.equal(aborted.message, 'Rollout aborted update to revision 2: Step-based analysis phase error/failed: Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)');
  assert.equal(aborted.type, 'Warning');
  const last = failing.steps.at(-1)!;
  // GetCurrentSetWeight is 0 once aborted; syncRolloutStatusCanary puts the step index back to 0
  assert.deepEqual([last.status[0].columns.STATUS, last.status[0].columns.STEP, last.status[0].columns['SET-WEIGHT']], ['Degraded', '0/2', 0]);
  assert.deepEqual(failing.summary.conditions, ['Progressing=False/RolloutAborted']);
  // the basic canary rolls back to stable within maxSurge/maxUnavailable (scaledown-aborted-rs.md: "rolling update back to stable")
  assert.deepEqual(last.status.filter((r) => r.object.startsWith('replicaset')).map((r) => r.columns.DESIRED), [4, 0]);

  // a fault on another step leaves this one alone
  assert.equal(run(strategy, [successRate], { analysis: { step: 1 } }).summary.completed, true);
});

test('without its AnalysisTemplate in scope a run ends at once; failing, the abort has no metric message', () => {
  const strategy = { canary: { steps: [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'elsewhere' }] } }] } };
  const failing = run(strategy, [], { analysis: {} });
  assert.ok(events(failing).some((e) => e.message === 'Rollout aborted update to revision 2: Step-based analysis phase error/failed'));
});

test('background analysis from startingStep; failing, "Background analysis phase error/failed"', () => {
  const strategy = { canary: { analysis: { templates: [{ templateName: 'success-rate' }], startingStep: 1 }, steps: [{ setWeight: 25 }, { pause: { duration: '10m' } }] } };
  const result = run(strategy, [successRate], { analysis: {} });
  const seen = events(result);
  const created = seen.find((e) => e.message === `Background Analysis Run 'demo-${newHash}-2' Status New: 'Running' Previous: 'NoPreviousStatus'`)!;
  const step1 = seen.find((e) => e.message === 'Rollout step 1/2 completed (setWeight: 25)')!;
  assert.ok(created.time >= step1.time, 'not before startingStep');
  assert.ok(seen.some((e) => e.message === 'Rollout aborted update to revision 2: Background analysis phase error/failed: Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)'));
});

test('blueGreen prePromotionAnalysis holds the switch; failing, the active Service stays and the preview set goes after abortScaleDownDelaySeconds', () => {
  const bg = (extra: Record<string, unknown>) => ({ blueGreen: { activeService: 'demo-active', previewService: 'demo-preview', prePromotionAnalysis: { templates: [{ templateName: 'success-rate' }] }, ...extra } });
  const services = [service('demo-active'), service('demo-preview')];
  const passing = run(bg({}), [successRate, ...services]);
  const seen = events(passing);
  const analysed = seen.find((e) => e.message.startsWith('PrePromotion Analysis Run') && e.message.includes("New: 'Successful'"))!;
  const switched = seen.find((e) => e.message.startsWith("Switched selector for service 'demo-active'"))!;
  assert.ok(analysed && switched.time >= analysed.time);

  const failing = run(bg({ abortScaleDownDelaySeconds: 45 }), [successRate, ...services], { analysis: {} });
  const failed = events(failing);
  const aborted = failed.find((e) => e.message.startsWith('Rollout aborted'))!;
  assert.equal(aborted.message, 'Rollout aborted update to revision 2: Blue/green pre-promotion analysis phase error/failed: Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)');
  const down = failed.find((e) => /\(revision 2\) from 4 to 0$/.test(e.message))!;
  assert.equal(down.time - aborted.time, 45);
  assert.equal(failing.steps.at(-1)!.traffic.find((t) => t.service === 'demo-active')?.byRevision[oldHash], 1);
  // abortScaleDownDelaySeconds: 0 leaves the preview set up (scaledown-aborted-rs.md)
  const kept = run(bg({ abortScaleDownDelaySeconds: 0 }), [successRate, ...services], { analysis: {} });
  assert.ok(!events(kept).some((e) => /\(revision 2\) from 4 to 0$/.test(e.message)));
});

// rollout/bluegreen.go reconcileBlueGreenPause: with a controller-managed pause
// (needsBlueGreenControllerPause: autoPromotionSeconds > 0), the BlueGreenPause is added only once
// completedPrePromotionAnalysis (rollout/pause.go: the pre-promotion run is Successful), so
// autoPromotionSeconds counts from the run's success, not from when the preview set came up.
test('blueGreen waits for its pre-promotion analysis to succeed before it starts the autoPromotionSeconds pause', () => {
  const strategy = { blueGreen: { activeService: 'demo-active', previewService: 'demo-preview', autoPromotionSeconds: 30, prePromotionAnalysis: { templates: [{ templateName: 'success-rate' }] } } };
  const seen = events(run(strategy, [successRate, service('demo-active'), service('demo-preview')]));
  const started = seen.find((e) => e.message.startsWith('PrePromotion Analysis Run') && e.message.includes("New: 'Running'"))!;
  const analysed = seen.find((e) => e.message.startsWith('PrePromotion Analysis Run') && e.message.includes("New: 'Successful'"))!;
  const paused = seen.find((e) => e.message === 'Rollout is paused (BlueGreenPause)')!;
  const switched = seen.find((e) => e.message === `Switched selector for service 'demo-active' from '${oldHash}' to '${newHash}'`)!;
  // five measurements a minute apart: the run succeeds 4 minutes in
  assert.equal(analysed.time - started.time, 240);
  assert.equal(paused.time, analysed.time, 'the pause starts when the run succeeds, not before');
  assert.equal(switched.time - paused.time, 30);
});

test('blueGreen postPromotionAnalysis: a failure after the switch puts the active Service back on the old set', () => {
  const strategy = { blueGreen: { activeService: 'demo-active', postPromotionAnalysis: { templates: [{ templateName: 'success-rate' }] } } };
  const result = run(strategy, [successRate, service('demo-active')], { analysis: {} });
  const seen = events(result);
  assert.ok(seen.some((e) => e.message.startsWith('Rollout aborted update to revision 2: Blue/green post-promotion analysis phase error/failed')));
  assert.deepEqual(result.steps.at(-1)!.traffic.find((t) => t.service === 'demo-active')?.byRevision, { [oldHash]: 1 });
});

test('an experiment step runs its ReplicaSets for the duration; a failing experiment analysis aborts the update', () => {
  const experiment = { duration: '2m', templates: [{ name: 'baseline', specRef: 'stable' }, { name: 'canary', specRef: 'canary', replicas: 2 }], analyses: [{ name: 'compare', templateName: 'success-rate' }] };
  const strategy = { canary: { steps: [{ setWeight: 25 }, { experiment }] } };
  const passing = run(strategy, [successRate]);
  const seen = events(passing);
  const name = `demo-${newHash}-2-1`;
  const created = seen.find((e) => e.message === `Created Experiment '${name}'`)!;
  const done = seen.find((e) => e.message === 'Rollout step 2/2 completed (experiment)')!;
  // the sets come up, then run 2 minutes (the analysis ends after 4 min, so it decides)
  assert.ok(done.time - created.time >= 240, `${done.time - created.time}`);
  const experimentPods = (st: SimulationResult['steps'][number]) => (st.pods ?? []).filter((p) => p.name.startsWith(`${name}-`) && !p.terminating).length;
  assert.equal(Math.max(...passing.steps.map(experimentPods)), 3, 'one baseline and two canary pods');
  assert.equal(experimentPods(passing.steps.at(-1)!), 0, 'the experiment sets go after it ends');
  assert.equal(passing.summary.completed, true);

  const failing = run(strategy, [successRate], { analysis: { step: 2 } });
  const failed = events(failing);
  // reconcileAnalysisRun (experiments/experiment.go) records the transition on the Experiment only
  const transition = `AnalysisRun 'compare' transitioned from Running -> Failed: Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)`;
  assert.ok(events(failing, `experiment.argoproj.io/${name}`).some((e) => e.message === transition && e.type === 'Warning'));
  assert.ok(!failed.some((e) => e.message === transition), 'not copied onto the Rollout');
  assert.ok(failed.some((e) => e.message === 'Rollout aborted update to revision 2: Experiment analysis phase is error/failed: Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)'));
});

test('abortScaleDownDelaySeconds with a traffic router: the canary goes N s after the abort, stays with 0 and setCanaryScale', () => {
  const routed = (extra: Record<string, unknown>, steps: unknown[] = [{ setWeight: 50 }, { analysis: { templates: [{ templateName: 'success-rate' }] } }]) => ({ canary: { trafficRouting: { smi: {} }, steps, ...extra } });
  const abortAndDown = (result: SimulationResult) => {
    const seen = events(result);
    const aborted = seen.find((e) => e.message.startsWith('Rollout aborted'))!;
    const down = seen.find((e) => /\(revision 2\) from \d+ to 0$/.test(e.message));
    return { aborted, down, weights: seen.filter((e) => e.message.startsWith('Traffic weight')).map((e) => e.message) };
  };
  const byDefault = abortAndDown(run(routed({}), [successRate], { analysis: {} }));
  assert.equal(byDefault.down!.time - byDefault.aborted.time, 30, 'DefaultAbortScaleDownDelaySeconds');
  assert.equal(byDefault.weights.at(-1), 'Traffic weight updated from 50 to 0', 'the router sends everything back to stable at once');
  const explicit = abortAndDown(run(routed({ abortScaleDownDelaySeconds: 90 }), [successRate], { analysis: {} }));
  assert.equal(explicit.down!.time - explicit.aborted.time, 90);
  // 0: UseSetCanaryScale keeps the canary at its setCanaryScale size (canary-unscaledownonabort.yaml)
  const kept = run(routed({ abortScaleDownDelaySeconds: 0 }, [{ setCanaryScale: { replicas: 1 } }, { analysis: { templates: [{ templateName: 'success-rate' }] } }]), [successRate], { analysis: {} });
  assert.equal(abortAndDown(kept).down, undefined);
  assert.equal(kept.steps.at(-1)!.status.find((r) => r.object.startsWith('replicaset') && r.columns.DESIRED === 1) !== undefined, true);
});

test('abortScaleDownDelaySeconds: 0 with setCanaryScale at a later step: the canary goes to weight 0, as UseSetCanaryScale looks back from step 0', () => {
  // syncRolloutStatusCanary (rollout/canary.go) saves currentStepIndex 0 after the abort, and
  // UseSetCanaryScale (utils/replicaset/canary.go) looks back from there: step 0 sets no scale, so
  // the canary follows GetCurrentSetWeight, 0 once aborted.
  const steps = [{ setWeight: 50 }, { setCanaryScale: { replicas: 1 } }, { analysis: { templates: [{ templateName: 'success-rate' }] } }];
  const result = run({ canary: { trafficRouting: { smi: {} }, abortScaleDownDelaySeconds: 0, steps } }, [successRate], { analysis: {} });
  const seen = events(result);
  const aborted = seen.find((e) => e.message.startsWith('Rollout aborted'));
  assert.ok(aborted, 'the failed analysis aborts the update');
  assert.ok(seen.some((e) => e.time >= aborted.time && /\(revision 2\) from \d+ to 0$/.test(e.message)), JSON.stringify(seen.map((e) => e.message)));
  const canarySet = result.steps.at(-1)!.status.find((r) => r.object.includes(newHash));
  assert.equal(canarySet?.columns.DESIRED, 0);
});

test('--fail analysis and analysis:step=N parse; anything else after analysis is refused', () => {
  assert.deepEqual(parseFailOptions(['analysis']), { analysis: {} });
  assert.deepEqual(parseFailOptions(['analysis:step=3']), { analysis: { step: 3 } });
  assert.throws(() => parseFailOptions(['analysis:step=0']), FailOptionError);
  assert.throws(() => parseFailOptions(['analysis:index=2']), /after analysis only :step=N/);
  assert.throws(() => parseFailOptions(['analysis', 'analysis:step=2']), /may be given once/);
});
