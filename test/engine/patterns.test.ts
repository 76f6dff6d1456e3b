// Rollout patterns and Argo Rollouts on the core's World: Canary (single replica and weighted
// steps), Blue/Green (switch only once green is fully available), A/B, Shadowing, Recreate via the
// strategy choice, and Argo's canary arithmetic and steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calculateReplicaCountsForCanary, createPatternControllers, MANUAL_PROMOTION_SECONDS, parseArgoDuration } from '../../server/src/engine/patterns';
import { computePodTemplateHash } from '../../server/src/engine/controllers/deployment/util';
import type { Controller, SimNode, SimService, StrategyChoice, StrategyParams, TimelineEvent } from '../../server/src/engine/types';
import { simulate } from '../../server/src/engine';
import type { SimWorld } from '../../server/src/engine/world';
import { deployment, makeWorld, run, type Moment } from './deployment-harness';

const SERVICE: SimService = { name: 'web', selector: { app: 'web' }, ports: [{ port: 80 }], headless: false };
const before = deployment('web', 'nginx:1.25', { replicas: 4 });
const after = deployment('web', 'nginx:1.26', { replicas: 4 });
const oldRev = computePodTemplateHash((before.spec as Record<string, unknown>).template);
const newRev = computePodTemplateHash((after.spec as Record<string, unknown>).template);

/** Runs the baseline, hands over `after`, and samples traffic and pods after every moment. */
function pattern(strategy: StrategyChoice, params: StrategyParams = {}) {
  const world = makeWorld({ services: [SERVICE] });
  const [controller] = createPatternControllers(strategy, before, after, [SERVICE], params);
  run(world, [controller]);
  controller.update(after);
  const samples: { time: number; messages: string[]; traffic: Record<string, number>; selector: Record<string, string>; podsByRevision: Record<string, number> }[] = [];
  const moments = run(world, [controller], { maxSeconds: 10_000, until: (events) => (sample(world, events, samples), false) });
  return { world, controller, moments, samples };
}

function sample(world: SimWorld, events: TimelineEvent[], samples: ReturnType<typeof pattern>['samples']) {
  const traffic = world.traffic().find((t) => t.service === 'web')?.byRevision ?? {};
  const podsByRevision: Record<string, number> = {};
  for (const p of world.pods()) if (p.deletionTimestamp === undefined) podsByRevision[p.revision] = (podsByRevision[p.revision] ?? 0) + 1;
  samples.push({ time: world.now, messages: events.map((e) => e.message), traffic, selector: { ...(world.services()[0]?.selector ?? {}) }, podsByRevision });
}

function patternEvents(moments: Moment[], object: string): string[] {
  return moments.flatMap((m) => m.events.filter((e) => e.object === object).map((e) => e.message));
}

function allMessages(samples: ReturnType<typeof pattern>['samples']): string[] {
  return samples.flatMap((s) => s.messages);
}

test('Canary without weights: one canary pod beside the full stable set, traffic by endpoints, then promotion', () => {
  const { world, controller, samples } = pattern('canary', { canaryPauseSeconds: 60 });
  const messages = allMessages(samples);
  assert.ok(messages.includes('Canary step 1/1: web-canary 1 replica(s), web 4; traffic by endpoints (1 of 5)'));
  const during = samples.find((s) => s.traffic[newRev] !== undefined && s.podsByRevision[oldRev] === 4);
  assert.ok(during, 'a moment with the canary serving beside 4 stable pods');
  assert.equal(during.traffic[newRev], 0.2);
  const promotedAt = samples.find((s) => s.messages.some((m) => m.startsWith('Canary promoted')))?.time ?? 0;
  const canaryAt = samples.find((s) => s.messages.some((m) => m.startsWith('Canary step 1/1')))?.time ?? 0;
  assert.ok(promotedAt - canaryAt >= 60, 'the canary runs for the pause before promotion');
  assert.ok(controller.settled(world));
  const live = world.pods().filter((p) => p.deletionTimestamp === undefined);
  assert.equal(live.length, 4);
  assert.ok(live.every((p) => p.revision === newRev && p.owner?.name.startsWith('web-') && !p.owner.name.startsWith('web-canary')));
});

test('Canary with weights: each step sizes canary/stable as Argo rounds and sets the traffic weights', () => {
  const { samples } = pattern('canary', { canaryWeights: [25, 50, 100], canaryPauseSeconds: 10 });
  const messages = allMessages(samples);
  assert.deepEqual(
    messages.filter((m) => m.startsWith('Canary step')),
    ['Canary step 1/2: web-canary 1 replica(s), web 3; traffic 25% to the canary', 'Canary step 2/2: web-canary 2 replica(s), web 2; traffic 50% to the canary'],
  );
  const weighted = samples.find((s) => s.traffic[newRev] === 0.25);
  assert.ok(weighted, 'the weight rule gives the canary 25% of requests');
  assert.equal(weighted.traffic[oldRev], 0.75);
  assert.ok(messages.some((m) => m.startsWith('Canary web-canary scaled to 0')));
});

test('Canary whose pods never become ready: the plan stops, traffic returns to stable, the canary goes to 0', () => {
  const spec = { replicas: 4, progressDeadlineSeconds: 30 };
  const stable = deployment('web', 'nginx:1.25', spec);
  const broken = deployment('web', 'nginx:broken', spec);
  const brokenRev = computePodTemplateHash((broken.spec as Record<string, unknown>).template);
  const world = makeWorld({ services: [SERVICE], faults: { neverReadyRevision: brokenRev } });
  const [controller] = createPatternControllers('canary', stable, broken, [SERVICE], { canaryWeights: [25, 50] });
  run(world, [controller]);
  controller.update(broken);
  const moments = run(world, [controller], { maxSeconds: 10_000 });
  const messages = moments.flatMap((m) => m.events.map((e) => e.message));
  assert.ok(messages.includes('Canary stopped: web-canary has timed out progressing'));
  assert.ok(!messages.some((m) => m.startsWith('Canary step 2/2') || m.startsWith('Canary promoted')));
  assert.ok(controller.settled(world));
  assert.equal(controller.conditions?.(world)[0], 'Progressing=False/RolloutAborted (canary/web)');
  const live = world.pods().filter((p) => p.deletionTimestamp === undefined);
  assert.equal(live.length, 4);
  assert.ok(live.every((p) => p.revision !== brokenRev));
  assert.deepEqual(world.traffic()[0].byRevision, { [computePodTemplateHash((stable.spec as Record<string, unknown>).template)]: 1 });
});

test('Blue/Green: the selector switches only once green is fully available, then blue goes to 0', () => {
  const { samples, controller, world } = pattern('bluegreen');
  const switchIndex = samples.findIndex((s) => s.messages.some((m) => m.startsWith('Green fully available: Service web switched to green')));
  assert.ok(switchIndex > 0);
  // Before the switch the Service is pinned to blue and no request reaches green.
  for (const s of samples.slice(0, switchIndex)) {
    if (s.selector['pod-template-hash'] !== undefined) assert.equal(s.selector['pod-template-hash'], oldRev);
    assert.equal(s.traffic[newRev] ?? 0, 0);
  }
  const atSwitch = samples[switchIndex];
  assert.equal(atSwitch.selector['pod-template-hash'], newRev);
  assert.equal(atSwitch.podsByRevision[newRev], 4, 'green runs at full size when selected');
  const blueDown = samples.findIndex((s) => s.messages.some((m) => m === 'Blue web scaled to 0'));
  assert.ok(blueDown >= switchIndex);
  assert.ok(controller.settled(world));
  assert.deepEqual(
    world.pods().filter((p) => p.deletionTimestamp === undefined).map((p) => p.revision),
    [newRev, newRev, newRev, newRev],
  );
});

test('A/B: version B serves the requests that match the stated rule', () => {
  const { samples } = pattern('ab', { abRule: 'header X-Group: beta', abShare: 20 });
  assert.ok(allMessages(samples).includes(`A/B: requests matching header X-Group: beta (20%) go to web-b (revision ${newRev}); the rest stay on web`));
  const last = samples[samples.length - 1];
  assert.equal(last.traffic[newRev], 0.2);
  assert.equal(last.traffic[oldRev], 0.8);
  assert.equal(last.podsByRevision[newRev], 1);
  assert.equal(last.podsByRevision[oldRev], 4);
});

test('Shadowing: the new version gets a mirrored copy while stable keeps all real traffic', () => {
  const { samples, world } = pattern('shadow', { shadowPercent: 50 });
  const last = samples[samples.length - 1];
  assert.deepEqual(last.traffic, { [oldRev]: 1 });
  assert.equal(last.selector['pod-template-hash'], oldRev);
  assert.equal(last.podsByRevision[newRev], 2);
  const note = world.traffic()[0].note ?? '';
  assert.match(note, /50% of requests mirrored/);
});

test('strategy choice recreate overrides the manifest RollingUpdate', () => {
  const { moments } = pattern('recreate');
  const scaling = moments.flatMap((m) => m.events.filter((e) => e.message.startsWith('Scaled')).map((e) => e.message.replace(/replica set \S+ /, '')));
  assert.deepEqual(scaling, ['Scaled down from 4 to 0', 'Scaled up from 0 to 4']);
});

test('CalculateReplicaCountsForBasicCanary: cases of argo-rollouts TestCalculateReplicaCountsForCanary', () => {
  const rs = (name: string, replicas: number, available: number) => ({ name, replicas, availableReplicas: available, statusReplicas: replicas });
  // [replicas, weight, maxSurge, maxUnavailable, stable spec/available, canary spec/available, older RS spec/available | null] -> [stable, canary]
  type Case = [string, number, number, number | string, number | string, [number, number], [number, number], [number, number] | null, [number, number]];
  const cases: Case[] = [
    ['extra RSs not counted when spec < available', 10, 100, 3, 0, [7, 8], [6, 3], null, [7, 6]],
    ['max surge int scales up canary', 10, 20, 2, 0, [10, 10], [0, 0], null, [10, 2]],
    ['max surge percent scales up canary', 10, 20, '20%', 0, [10, 10], [0, 0], null, [10, 2]],
    ['scale down extra stable replicas', 10, 20, '20%', 0, [10, 10], [2, 2], null, [8, 2]],
    ['do not go past max surge', 10, 30, 2, 0, [10, 10], [0, 0], null, [10, 2]],
    ['max unavailable int scales down stable', 10, 20, 0, 2, [10, 10], [0, 0], null, [8, 0]],
    ['do not go past max unavailable', 10, 30, 0, 2, [10, 10], [0, 0], null, [8, 0]],
    ['max surge and max unavailable', 10, 50, 2, 1, [10, 10], [0, 0], null, [9, 2]],
    ['canary to zero at weight 0', 10, 0, 1, 1, [10, 10], [1, 1], null, [10, 0]],
    ['stable to zero at weight 100', 10, 100, 1, 1, [1, 1], [10, 10], null, [0, 10]],
    ['canary not zero on non-zero weight', 1, 20, 1, 0, [1, 1], [0, 0], null, [1, 1]],
    ['canary not zero on non-100 weight', 1, 90, 1, 0, [1, 1], [0, 0], null, [1, 1]],
    ['canary zero below 50 without surge', 1, 49, 0, 1, [1, 1], [0, 0], null, [1, 0]],
    ['stable zero at 51 without surge', 1, 51, 0, 1, [1, 1], [0, 0], null, [0, 0]],
    ['canary one at 51 without surge or stable pods', 1, 51, 0, 1, [0, 0], [0, 0], null, [0, 1]],
    ['scale up stable before canary', 10, 30, 1, 0, [1, 1], [0, 0], [3, 3], [7, 1]],
    ['scale down canary and stable', 10, 30, 0, 3, [8, 5], [4, 4], null, [7, 3]],
    ['scale down stable and canary available', 10, 100, 1, 0, [10, 2], [10, 8], null, [2, 9]],
    ['older RS count >= scale-down count', 10, 30, 0, 1, [8, 6], [4, 2], [3, 3], [8, 4]],
    ['no rounding past maxSurge with uneven weight', 10, 5, 0, 1, [10, 10], [0, 0], null, [9, 0]],
    ['no rounding past maxSurge with uneven weight (part 2)', 10, 5, 0, 1, [9, 9], [0, 0], null, [9, 1]],
    ['maxUnavailable 1 when both percentages give 0', 10, 10, '0%', '0%', [10, 10], [0, 0], null, [9, 0]],
    ['honor maxSurge when stable unavailable', 4, 100, 1, 0, [4, 1], [0, 0], null, [4, 1]],
    ['scale down to maxUnavailable within maxSurge', 3, 99, 0, 2, [3, 3], [0, 0], null, [1, 0]],
    ['scale down to maxUnavailable within maxSurge (part 2)', 3, 99, 0, 2, [1, 1], [0, 0], null, [1, 2]],
  ];
  for (const [name, replicas, weight, surge, unavailable, stable, canary, older, expected] of cases) {
    const result = calculateReplicaCountsForCanary({
      replicas,
      weight,
      maxSurge: surge,
      maxUnavailable: unavailable,
      newRS: rs('canary', canary[0], canary[1]),
      stableRS: rs('stable', stable[0], stable[1]),
      otherRSs: older ? [rs('older', older[0], older[1])] : [],
    });
    assert.deepEqual([result.stableRSReplicaCount, result.newRSReplicaCount], expected, name);
  }
});

test('parseArgoDuration reads Go durations and plain seconds', () => {
  assert.equal(parseArgoDuration('30s'), 30);
  assert.equal(parseArgoDuration('1h30m'), 5400);
  assert.equal(parseArgoDuration(45), 45);
  assert.equal(parseArgoDuration('10'), 10);
  assert.equal(parseArgoDuration('soon'), undefined);
});

function rollout(image: string, strategy: Record<string, unknown>) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo' },
    spec: {
      replicas: 5,
      selector: { matchLabels: { app: 'demo' } },
      template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'c', image }] } },
      strategy,
    },
  };
}

function runRollout(strategy: Record<string, unknown>, services: SimService[] = []) {
  const world = makeWorld({ services });
  const [c]: Controller[] = createPatternControllers('canary', rollout('demo:1', strategy), rollout('demo:2', strategy), services);
  run(world, [c]);
  c.update(rollout('demo:2', strategy));
  const moments = run(world, [c], { maxSeconds: 10_000 });
  return { world, c, moments };
}

test('Argo Rollout canary: setWeight and pause steps, replicas rounded as without a traffic router', () => {
  const { world, c, moments } = runRollout({ canary: { steps: [{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 60 }, { pause: {} }] } });
  const messages = patternEvents(moments, 'rollout.argoproj.io/demo');
  const sizes = messages.filter((m) => m.startsWith('Scaled')).map((m) => m.replace(/ReplicaSet \S+ /, ''));
  assert.deepEqual(sizes, [
    // setWeight 20 of 5: canary ceil(1) = 1, stable ceil(4) = 4
    'Scaled up (revision 2) from 0 to 1',
    'Scaled down (revision 1) from 5 to 4',
    // setWeight 60: canary 3, stable ceil(2) = 2, within maxSurge 25% (2) and maxUnavailable 25% (1)
    'Scaled up (revision 2) from 1 to 3',
    'Scaled down (revision 1) from 4 to 3',
    'Scaled down (revision 1) from 3 to 2',
    // after the last step: 100%
    'Scaled up (revision 2) from 3 to 5',
    'Scaled down (revision 1) from 2 to 1',
    'Scaled down (revision 1) from 1 to 0',
  ]);
  const steps = messages.filter((m) => m.startsWith('Rollout step'));
  // CanaryStepString: `pause: 30s` names the duration as written
  assert.deepEqual(steps, ['Rollout step 1/4 completed (setWeight: 20)', 'Rollout step 2/4 completed (pause: 30s)', 'Rollout step 3/4 completed (setWeight: 60)', 'Rollout step 4/4 completed (pause)']);
  const pauseStart = moments.find((m) => m.events.some((e) => e.message === 'Rollout is paused (CanaryPauseStep)'))?.time ?? 0;
  const pauseEnd = moments.find((m) => m.events.some((e) => e.message === 'Rollout step 2/4 completed (pause: 30s)'))?.time ?? 0;
  assert.equal(pauseEnd - pauseStart, 30);
  assert.ok(c.settled(world));
});

test('Argo Rollout blueGreen: preview first, active switched when the new set is available, old set down after the delay', () => {
  const services: SimService[] = [
    { name: 'demo-active', selector: { app: 'demo' }, ports: [{ port: 80 }], headless: false },
    { name: 'demo-preview', selector: { app: 'demo' }, ports: [{ port: 80 }], headless: false },
  ];
  const { world, c, moments } = runRollout({ blueGreen: { activeService: 'demo-active', previewService: 'demo-preview', scaleDownDelaySeconds: 20 } }, services);
  const messages = patternEvents(moments, 'rollout.argoproj.io/demo');
  const switchAt = moments.find((m) => m.events.some((e) => e.message.startsWith("Switched selector for service 'demo-active'")))?.time ?? -1;
  const downAt = moments.find((m) => m.events.some((e) => /Scaled down ReplicaSet \S+ \(revision 1\) from 5 to 0/.test(e.message)))?.time ?? -1;
  assert.ok(switchAt > 0);
  assert.equal(downAt - switchAt, 20);
  assert.ok(messages[0].startsWith('Scaled up ReplicaSet demo-') && messages[0].endsWith('(revision 2) from 0 to 5'));
  const hash = computePodTemplateHash((rollout('demo:2', {}).spec as Record<string, unknown>).template);
  assert.deepEqual(
    world.services().map((s) => s.selector['pod-template-hash']),
    [hash, hash],
  );
  assert.ok(c.settled(world));
});

test('Argo Rollout blueGreen with autoPromotionEnabled false waits for a (simulated) promotion', () => {
  const services: SimService[] = [
    { name: 'demo-active', selector: { app: 'demo' }, ports: [{ port: 80 }], headless: false },
    { name: 'demo-preview', selector: { app: 'demo' }, ports: [{ port: 80 }], headless: false },
  ];
  const { moments } = runRollout({ blueGreen: { activeService: 'demo-active', previewService: 'demo-preview', autoPromotionEnabled: false } }, services);
  const pausedAt = moments.find((m) => m.events.some((e) => e.message.startsWith('Rollout is paused (BlueGreenPause)')))?.time ?? -1;
  // the preview Service was switched at the start of the update; the active one at the promotion
  const switchAt = moments.find((m) => m.events.some((e) => e.message.startsWith("Switched selector for service 'demo-active'")))?.time ?? -1;
  assert.ok(pausedAt > 0);
  assert.equal(switchAt - pausedAt, MANUAL_PROMOTION_SECONDS);
});

test('bad input never throws: missing manifests, odd parameters, a Rollout without spec', () => {
  const odd: StrategyParams = { canaryWeights: [Number.NaN, -5, 250] as number[], canaryPauseSeconds: -1, abShare: Number.NaN, shadowPercent: Infinity };
  for (const strategy of ['manifest', 'rolling', 'recreate', 'canary', 'bluegreen', 'ab', 'shadow', 'nonsense'] as StrategyChoice[]) {
    for (const [b, a] of [
      [undefined, undefined],
      [null, { kind: 'Deployment' }],
      [{ kind: 'Deployment', spec: { replicas: 'x', template: 7 } }, { kind: 'Deployment', spec: { replicas: -2 } }],
      [{ kind: 'Rollout' }, { kind: 'Rollout', spec: { strategy: { canary: { steps: [{ pause: { duration: 'later' } }, { analysis: {} }] } } } }],
    ] as const) {
      const world = makeWorld({ services: [SERVICE] });
      assert.doesNotThrow(() => {
        const controllers = createPatternControllers(strategy, b, a, [SERVICE], odd);
        run(world, controllers, { maxSeconds: 600 });
        for (const c of controllers) c.update((a ?? {}) as Record<string, unknown>);
        run(world, controllers, { maxSeconds: 1200 });
      }, `${strategy}`);
    }
  }
});

test('Argo Rollout progress deadline: Degraded (ProgressDeadlineExceeded) past it, aborted with progressDeadlineAbort (weight 0)', () => {
  // One 2-CPU node: two 1-CPU pods fill it, and with maxUnavailable 0 the canary pod never fits.
  const sized = (image: string, extra: Record<string, unknown>) => {
    const r = rollout(image, { canary: { maxUnavailable: 0, steps: [{ setWeight: 50 }] } });
    const spec = r.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
    spec.template.spec.containers[0].resources = { requests: { cpu: '1' } };
    return { ...r, spec: { ...spec, replicas: 2, ...extra } };
  };
  const nodes: SimNode[] = [{ name: 'only', labels: { 'kubernetes.io/hostname': 'only' }, allocatable: { cpu: 2000, memory: 8 * 1024 ** 3, pods: 110 }, taints: [], unschedulable: false, ready: true }];
  const runIt = (extra: Record<string, unknown>) => simulate({ objects: [sized('demo:2', extra)], before: sized('demo:1', extra), nodes, workload: { kind: 'Rollout', name: 'demo' } });
  const timedOut = runIt({ progressDeadlineSeconds: 60 });
  const last = timedOut.steps.at(-1)!;
  // `kubectl argo rollouts list rollouts` columns (cmd/list/rollloutinfo.go newRolloutInfo), and
  // `get rollout`'s ActualWeight: the canary's share of the available pods (none of its pods is)
  assert.deepEqual(last.status[0].columns, { STRATEGY: 'Canary', STATUS: 'Degraded', STEP: '0/1', 'SET-WEIGHT': 50, 'ACTUAL-WEIGHT': 0, DESIRED: 2, CURRENT: 3, 'UP-TO-DATE': 1, AVAILABLE: 2 });
  assert.deepEqual(timedOut.summary.conditions, ['Progressing=False/ProgressDeadlineExceeded']);
  assert.equal(last.time, 61, 'requeueStuckRollout: a second after the deadline');
  const aborted = runIt({ progressDeadlineSeconds: 60, progressDeadlineAbort: true });
  const messages = aborted.steps.flatMap((st) => st.events.filter((e) => e.object === 'rollout.argoproj.io/demo').map((e) => e.message));
  assert.ok(messages.some((m) => /^Rollout aborted update to revision 2: ReplicaSet "demo-[a-z0-9]+" has timed out progressing\.$/.test(m)), messages.join('\n'));
  assert.ok(messages.some((m) => /^Scaled down ReplicaSet \S+ \(revision 2\) from 1 to 0$/.test(m)), 'the canary goes back to 0 (GetCurrentSetWeight is 0 once aborted)');
  assert.equal(aborted.steps.at(-1)!.status[0].columns['SET-WEIGHT'], 0);
  assert.deepEqual(aborted.summary.conditions, ['Progressing=False/RolloutAborted']);
});

test('Argo Rollout with a traffic router: CalculateReplicaCountsForTrafficRoutedCanary keeps the stable set full, setCanaryScale sizes the canary, the old set goes scaleDownDelaySeconds after', () => {
  const routed = (image: string, canary: Record<string, unknown>, cpu: string) => {
    const r = rollout(image, { canary });
    const spec = r.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
    spec.template.spec.containers[0].resources = { requests: { cpu } };
    return { ...r, spec: { ...spec, replicas: 10 } };
  };
  const runIt = (canary: Record<string, unknown>, cpu = '500m') => simulate({ objects: [routed('demo:2', canary, cpu)], before: routed('demo:1', canary, cpu), workload: { kind: 'Rollout', name: 'demo' } });
  const events = (r: ReturnType<typeof simulate>) => r.steps.flatMap((st) => st.events.filter((e) => e.object === 'rollout.argoproj.io/demo').map((e) => ({ time: st.time, message: e.message.replace(/ReplicaSet \S+ /, 'ReplicaSet ') })));
  const steps = [{ setWeight: 25 }, { setCanaryScale: { replicas: 2 } }, { setWeight: 50 }];
  const r = runIt({ trafficRouting: { nginx: { stableIngress: 'demo' } }, steps });
  const seen = events(r).filter((e) => !e.message.startsWith('Traffic weight'));
  // trafficWeightToReplicas: ceil(25 x 10 / 100) = 3 canary pods beside all 10 stable ones
  assert.equal(seen[0].message, 'Scaled up ReplicaSet (revision 2) from 0 to 3');
  assert.ok(!seen.some((e) => /\(revision 1\) from 10 to [1-9]/.test(e.message)), 'the stable set stays at 10 during the steps');
  // setCanaryScale replicas 2 holds for the later setWeight too (UseSetCanaryScale looks back)
  assert.ok(seen.some((e) => e.message === 'Rollout step 2/3 completed (setCanaryScale{replicas: 2})'));
  assert.ok(seen.some((e) => e.message === 'Scaled down ReplicaSet (revision 2) from 3 to 2'));
  const completed = seen.find((e) => e.message.startsWith('Rollout completed update to revision 2'))!;
  const down = seen.find((e) => e.message === 'Scaled down ReplicaSet (revision 1) from 10 to 0')!;
  assert.equal(down.time - completed.time, 30, 'DefaultScaleDownDelaySeconds after the promotion');
  assert.equal(r.summary.minAvailable, 10);
  // Ten 1-cpu pods and 3 canary pods ask 13 cpu of the 12 the workers offer: the router's canary cannot
  // start where the basic canary (stable scaled down to make room) finishes.
  assert.deepEqual(runIt({ trafficRouting: { nginx: {} }, steps: [{ setWeight: 25 }] }, '1').summary.conditions, ['Progressing=False/ProgressDeadlineExceeded']);
  assert.equal(runIt({ steps: [{ setWeight: 25 }] }, '1').summary.completed, true);
  // dynamicStableScale: the stable set shrinks only once the router has shifted the weight (never below what it serves)
  const dynamic = runIt({ trafficRouting: { istio: {} }, dynamicStableScale: true, steps: [{ setWeight: 30 }] });
  assert.equal(dynamic.summary.minAvailable, 10);
  assert.ok(events(dynamic).some((e) => e.message === 'Scaled down ReplicaSet (revision 1) from 10 to 7'));
});
