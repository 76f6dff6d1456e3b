// Every event the engine records for Argo Rollouts, each with the reason and the words the Argo
// controller uses (argoproj/argo-rollouts: utils/conditions/conditions.go messages, rollout/sync.go,
// canary.go, trafficrouting.go, analysis.go, experiment.go, experiments/experiment.go). The scenarios
// below reach every one; an event text that changes, or a new one, fails here. None is in kdry's
// words: a pause kdry promotes itself (what a person does) keeps Argo's event and says the promotion
// in the notes, and a step plugin kdry cannot run is assumed to succeed (Argo's RolloutStepCompleted;
// stepplugin.go recordPhase records nothing for a Successful run), the assumption said in the notes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simulate } from '../../server/src/engine';
import type { Faults, SimulationResult } from '../../server/src/engine/types';

interface CatalogueEntry {
  /** The EventReason Argo records it with. */
  reason: string;
  type: 'Normal' | 'Warning' | 'Normal or Warning';
  text: RegExp;
  /** Where Argo writes it, or what it writes instead. */
  upstream: string;
}

const STEP = String.raw`(setWeight: \d+|pause(: \S+)?|setCanaryScale\{(weight: \d+|replicas: \d+|matchTrafficWeight: true)\}|analysis|experiment|setHeaderRoute: \S+|setMirrorRoute: \S+|plugin: \S+)`;

const CATALOGUE: CatalogueEntry[] = [
  { reason: 'ScalingReplicaSet', type: 'Normal', text: /^Scaled (up|down) ReplicaSet \S+ \(revision \d+\) from \d+ to \d+$/, upstream: 'conditions.go ScalingReplicaSetMessage, rollout/sync.go scaleReplicaSet' },
  { reason: 'TrafficWeightUpdated', type: 'Normal', text: /^Traffic weight updated (from \d+ to \d+|to \d+)$/, upstream: 'rollout/trafficrouting.go trafficWeightUpdatedMessage' },
  { reason: 'RolloutStepCompleted', type: 'Normal', text: new RegExp(String.raw`^Rollout step \d+/\d+ completed \(${STEP}\)$`), upstream: 'conditions.go RolloutStepCompletedMessage with rolloututil.CanaryStepString (rollout/canary.go)' },
  { reason: 'RolloutCompleted', type: 'Normal', text: /^Rollout completed update to revision \d+ \(\S+\): Completed all \d+ canary steps$/, upstream: 'rollout/sync.go (RolloutCompletedReason)' },
  { reason: 'RolloutAborted', type: 'Warning', text: /^Rollout aborted update to revision \d+(: .+)?$/, upstream: 'rollout/sync.go calculateRolloutConditions (RolloutAbortedReason; no reason after `kubectl argo rollouts abort`)' },
  { reason: 'RolloutAborted', type: 'Warning', text: /^ReplicaSet "\S+" has timed out progressing\.$/, upstream: 'rollout/sync.go evaluateProgressDeadlineAbort: the RolloutTimedOut condition message, recorded with RolloutAbortedReason' },
  { reason: 'RolloutPaused', type: 'Normal', text: /^Rollout is paused \((InconclusiveAnalysis|InconclusiveExperiment|CanaryPauseStep|BlueGreenPause)\)$/, upstream: 'rollout/sync.go sendStateChangeEvents: RolloutPausedMessage + " (reason)"; a pause kdry promotes itself is said in the notes' },
  { reason: 'RolloutResumed', type: 'Normal', text: /^Rollout is resumed$/, upstream: 'rollout/sync.go sendStateChangeEvents: the controller removed the last pause condition (a timed pause step or the BlueGreenPause ended), not an abort, not a person\'s promote (its patch clears them itself)' },
  { reason: 'AnalysisRun<Phase>', type: 'Normal or Warning', text: /^(Step|Background|PrePromotion|PostPromotion) Analysis Run '\S+' Status New: '(Running|Successful|Failed|Inconclusive)' Previous: '(NoPreviousStatus|Running)'$/, upstream: 'rollout/analysis.go emitAnalysisRunStatusChanges (a Warning for Failed and Error)' },
  { reason: 'ExperimentCreated', type: 'Normal', text: /^Created Experiment '\S+'$/, upstream: 'rollout/experiment.go reconcileExperiments' },
  { reason: 'AnalysisRun<Phase> (on the Experiment)', type: 'Normal or Warning', text: /^AnalysisRun '\S+' transitioned from \w+ -> \w+(: .+)?$/, upstream: 'experiments/experiment.go reconcileAnalysisRun' },
  { reason: 'SwitchService', type: 'Normal', text: /^Switched selector for service '\S+' from '\S*' to '\S+'$/, upstream: 'rollout/service.go switchServiceSelector' },
];

function rollout(image: string, strategy: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo' },
    spec: { replicas: 4, selector: { matchLabels: { app: 'demo' } }, template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '100m' } } }] } }, strategy, ...extra },
  };
}
const service = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'demo' }, ports: [{ port: 80 }] } });
const template = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'rate' }, spec: { metrics: [{ name: 'rate', interval: '1m', count: 2, provider: { prometheus: { query: 'x' } } }] } };
const experiment = { duration: '1m', templates: [{ name: 'canary', specRef: 'canary' }], analyses: [{ name: 'rate', templateName: 'rate' }] };
const analysis = { templates: [{ templateName: 'rate' }] };

function run(strategy: Record<string, unknown>, faults?: Faults, extra: Record<string, unknown> = {}, objects: unknown[] = [service('demo'), service('demo-preview'), template]): SimulationResult {
  return simulate({ objects: [rollout('demo:2', strategy, extra), ...objects], before: rollout('demo:1', strategy, extra), workload: { kind: 'Rollout', name: 'demo' }, ...(faults ? { faults } : {}), maxSeconds: 3600 });
}

const routed = (steps: unknown[], extra: Record<string, unknown> = {}) => ({ canary: { stableService: 'demo', trafficRouting: { nginx: { stableIngress: 'demo' } }, steps, ...extra } });
const SCENARIOS: SimulationResult[] = [
  run(routed([{ setWeight: 25 }, { setCanaryScale: { replicas: 2 } }, { pause: { duration: '30s' } }, { pause: {} }, { setHeaderRoute: { name: 'h', match: [{ headerName: 'X', headerValue: { exact: 'y' } }] } }, { setMirrorRoute: { name: 'm', percentage: 10 } }, { analysis }, { experiment }, { plugin: { name: 'p' } }], { analysis: { ...analysis, startingStep: 1 } })),
  run(routed([{ setWeight: 25 }, { analysis }]), { analysis: {} }),
  run(routed([{ setWeight: 25 }, { analysis }]), { analysis: { phase: 'Inconclusive' } }),
  run(routed([{ setWeight: 25 }, { experiment }]), { analysis: { phase: 'Inconclusive' } }),
  run(routed([{ setWeight: 25 }, { analysis }]), { analysis: { phase: 'Inconclusive', then: 'abort' } }),
  run({ blueGreen: { activeService: 'demo', previewService: 'demo-preview', autoPromotionEnabled: false, prePromotionAnalysis: analysis, postPromotionAnalysis: analysis } }),
  run({ canary: { steps: [{ setWeight: 50 }] } }, { neverReadyRevision: 'new' }, { progressDeadlineSeconds: 60, progressDeadlineAbort: true }),
];

const argoEvents = SCENARIOS.flatMap((result) => result.steps.flatMap((st) => st.events.filter((e) => /^(rollout|experiment)\.argoproj\.io\//.test(e.object))));

test('every Argo event the engine records is in the catalogue, with its type', () => {
  for (const event of argoEvents) {
    const entries = CATALOGUE.filter((c) => c.text.test(event.message));
    assert.equal(entries.length, 1, `${event.object}: "${event.message}" matches ${entries.length} catalogue entries`);
    const [entry] = entries;
    if (entry.type !== 'Normal or Warning') assert.equal(event.type, entry.type, `${event.message} (${entry.reason})`);
    else assert.equal(event.type, /'Failed'|-> Failed/.test(event.message) ? 'Warning' : 'Normal', event.message);
  }
});

test('every catalogue entry is reached by a scenario (a text that changed would leave its entry unseen)', () => {
  for (const entry of CATALOGUE) assert.ok(argoEvents.some((e) => entry.text.test(e.message)), `no event "${entry.text.source}" (${entry.reason}; ${entry.upstream})`);
  const steps = new Set(argoEvents.flatMap((e) => /^Rollout step \d+\/\d+ completed \((\w+)/.exec(e.message)?.[1] ?? []));
  assert.deepEqual([...steps].sort(), ['analysis', 'experiment', 'pause', 'plugin', 'setCanaryScale', 'setHeaderRoute', 'setMirrorRoute', 'setWeight']);
  // both RolloutAborted forms: the controller's reason, and a person's bare `kubectl argo rollouts abort`
  assert.ok(argoEvents.some((e) => e.message === 'Rollout aborted update to revision 2'));
  assert.ok(argoEvents.some((e) => /^Rollout aborted update to revision 2: ./.test(e.message)));
  const pauses = new Set(argoEvents.flatMap((e) => /^Rollout is paused \((\w+)\)$/.exec(e.message)?.[1] ?? []));
  assert.deepEqual([...pauses].sort(), ['BlueGreenPause', 'CanaryPauseStep', 'InconclusiveAnalysis', 'InconclusiveExperiment']);
  const phases = new Set(argoEvents.flatMap((e) => / Analysis Run '\S+' Status New: '(\w+)'/.exec(e.message)?.[1] ?? []));
  assert.deepEqual([...phases].sort(), ['Failed', 'Inconclusive', 'Running', 'Successful']);
});

test('a pause kdry promotes itself keeps Argo\'s event; the simulated promote is said in the notes', () => {
  const [canary, , , , , blueGreen] = SCENARIOS;
  assert.ok(canary.notes.some((n) => /^Rollout "demo" waited for promotion at step 4\/9 \(pause\): kdry simulated `kubectl argo rollouts promote` after \d+s$/.test(n)), canary.notes.join('\n'));
  assert.ok(!canary.notes.some((n) => /step 3\/9/.test(n)), 'a pause with a duration ends by itself');
  assert.ok(blueGreen.notes.some((n) => /^Rollout "demo" waited for promotion at the BlueGreenPause \(autoPromotionEnabled: false\): kdry simulated/.test(n)), blueGreen.notes.join('\n'));
  // the promotion is noted when it happens: a run that ends during the pause does not claim it
  const short = simulate({ objects: [rollout('demo:2', { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } })], before: rollout('demo:1', { canary: { steps: [{ setWeight: 50 }, { pause: {} }] } }), workload: { kind: 'Rollout', name: 'demo' }, maxSeconds: 60 });
  assert.ok(short.steps.some((st) => st.events.some((e) => e.message === 'Rollout is paused (CanaryPauseStep)')));
  assert.ok(!short.notes.some((n) => n.includes('waited for promotion')), short.notes.join('\n'));
});

test('every Service switch is recorded, with the selector\'s old and new pod-template-hash, only when it changes (rollout/service.go switchServiceSelector)', () => {
  const blueGreen = SCENARIOS[5];
  const switched = blueGreen.steps.flatMap((st) => st.events).filter((e) => e.message.startsWith('Switched selector'));
  // reconcilePreviewService at the start of the update, reconcileActiveService at the promotion
  assert.equal(switched.length, 2, switched.map((e) => e.message).join('\n'));
  const [preview, active] = switched.map((e) => /^Switched selector for service '(\S+)' from '(\w+)' to '(\w+)'$/.exec(e.message)!);
  assert.equal(preview[1], 'demo-preview');
  assert.equal(active[1], 'demo');
  assert.equal(preview[2], active[2], 'both came from the stable hash');
  assert.equal(preview[3], active[3], 'both go to the new hash');
  assert.notEqual(active[2], active[3]);
  // a Service the run does not have is not switched, so nothing is said about it
  const unseen = run({ blueGreen: { activeService: 'demo', previewService: 'demo-preview' } }, undefined, {}, [service('demo')]);
  assert.ok(!unseen.steps.some((st) => st.events.some((e) => e.message.includes("'demo-preview'"))));
  assert.equal(unseen.steps.flatMap((st) => st.events).filter((e) => e.message.startsWith("Switched selector for service 'demo' from '")).length, 1);
});

test('a pause that ends records "Rollout is resumed" and leaves Paused=False (sendStateChangeEvents, checkPausedConditions)', () => {
  const [canary, , , , , blueGreen] = SCENARIOS;
  const events = (result: SimulationResult) => result.steps.flatMap((st) => st.events.map((e) => e.message));
  // canary: the timed pause step is resumed by the controller right after the step completed; the
  // `pause: {}` step is promoted by a person, whose patch clears status.pauseConditions itself
  // (cmd/promote/promote.go getPatches), so sendStateChangeEvents sees no change: no event
  const seen = events(canary);
  const timedPause = seen.indexOf('Rollout step 3/9 completed (pause: 30s)');
  assert.equal(seen[timedPause + 1], 'Rollout is resumed');
  const promoted = seen.indexOf('Rollout step 4/9 completed (pause)');
  assert.ok(promoted > timedPause);
  assert.notEqual(seen[promoted + 1], 'Rollout is resumed');
  assert.equal(seen.filter((m) => m === 'Rollout is resumed').length, 1);
  // blueGreen with autoPromotionEnabled: false: promoted by a person too
  assert.equal(events(blueGreen).filter((m) => m === 'Rollout is resumed').length, 0);
  assert.equal(blueGreen.summary.conditions.at(-1), 'Paused=False/RolloutPaused');
  // a new revision mid-pause: resetRolloutStatus clears the pause conditions, which is a resume too
  const strategy = { canary: { steps: [{ setWeight: 50 }, { pause: { duration: '1h' } }] } };
  const edited = simulate({ objects: [rollout('demo:2', strategy)], before: rollout('demo:1', strategy), workload: { kind: 'Rollout', name: 'demo' }, then: [{ at: 600, image: 'demo:3' }], maxSeconds: 900 });
  const timed = edited.steps.flatMap((st) => st.events.filter((e) => e.object === 'rollout.argoproj.io/demo').map((e) => ({ time: st.time, message: e.message })));
  const paused = timed.find((e) => e.message === 'Rollout is paused (CanaryPauseStep)')!;
  const resumed = timed.find((e) => e.message === 'Rollout is resumed');
  assert.ok(paused.time < 600 && resumed?.time === 600, JSON.stringify(timed));
  assert.ok(!timed.some((e) => e.message.startsWith('Rollout step 2/2 completed')));
});

test('the Argo patterns record events only at the call sites this catalogue was written from', () => {
  // a new world.event call in the Argo patterns needs its catalogue entry (and a scenario) here
  const calls = (file: string) => (readFileSync(join(import.meta.dirname, '../../server/src/engine/patterns', file), 'utf8').match(/world\.event\(/g) ?? []).length;
  assert.deepEqual({ rollouts: calls('argo-rollouts.ts'), experiment: calls('argo-experiment.ts'), analysis: calls('argo-analysis.ts') }, { rollouts: 12, experiment: 1, analysis: 0 });
});

test('a canary pause step reports the paused conditions while it lasts (rollout/sync.go checkPausedConditions)', () => {
  const strategy = { canary: { steps: [{ setWeight: 50 }, { pause: { duration: '1h' } }] } };
  const within = (maxSeconds: number) => simulate({ objects: [rollout('demo:2', strategy)], before: rollout('demo:1', strategy), workload: { kind: 'Rollout', name: 'demo' }, maxSeconds });
  // the window ends during the pause: Progressing Unknown, Paused True, as `kubectl describe rollout` lists them
  assert.deepEqual(within(600).summary.conditions, ['Progressing=Unknown/RolloutPaused', 'Paused=True/RolloutPaused']);
  // once the pause ends, the update completes
  assert.deepEqual(within(7200).summary.conditions, ['Progressing=True/RolloutCompleted', 'Paused=False/RolloutPaused']);
});

// rollout/stepplugin.go: a step plugin is an external binary; recordPhase records no event for a
// Successful Run ("the controller will record the RolloutStepCompleted"), so kdry, which cannot run
// it, shows Argo's step completion and says its assumption in the notes, not as an event.
test('a step plugin kdry cannot run completes with Argo\'s words; the assumption is a note', () => {
  const [canary] = SCENARIOS;
  const messages = canary.steps.flatMap((st) => st.events.map((e) => e.message));
  assert.ok(messages.includes('Rollout step 9/9 completed (plugin: p)'), messages.join('\n'));
  assert.ok(!messages.some((m) => m.includes('not simulated')));
  assert.ok(canary.notes.includes('Rollout "demo" step 9/9 (plugin: p): kdry cannot run a step plugin and assumed its Run succeeded at once'), canary.notes.join('\n'));
});
