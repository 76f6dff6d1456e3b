import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONTROLLER_FACTORIES, MAX_POD_INSTANTS, runSimulation, simulate } from '../../server/src/engine/simulate';
import { podsAtStep } from '../../server/src/engine/timeline';
import { POD_GC_PERIOD_SECONDS } from '../../server/src/engine/lifecycle';
import { DEFAULT_CLUSTER } from '../../server/src/engine/cluster';
import type { Controller, SimNode, SimulationResult } from '../../server/src/engine/types';
import { statelessScheduler } from '../../server/src/engine/scheduling';
import { TinyController, deployment, firstFitScheduler } from './world.fixtures';

const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } };

function rolling(maxSurge: number | string, maxUnavailable: number | string, extra: Record<string, unknown> = {}) {
  return { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } }, ...extra };
}

function lastPods(result: SimulationResult) {
  return podsAtStep(result, result.steps.length - 1);
}

describe('simulate: rollouts with the real controllers', () => {
  it('rolls a Deployment from before to after: starts settled, ends on the new revision, never below minAvailable', () => {
    const before = deployment('web', 3, 'nginx:1.14', rolling(0, 1, { minReadySeconds: 10 }));
    const after = deployment('web', 3, 'nginx:1.16', rolling(0, 1, { minReadySeconds: 10 }));
    const result = simulate({ objects: [after, service], before });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.workload, { kind: 'Deployment', name: 'web' });
    const first = result.steps[0];
    assert.ok(!first.podsDelta);
    assert.equal(first.time, 0);
    assert.equal(first.events.length, 0, 'the starting state carries no events');
    assert.equal(first.pods.length, 3);
    const oldRevision = first.pods[0].revision;
    assert.ok(first.pods.every((p) => p.available && p.revision === oldRevision));
    assert.deepEqual(first.traffic, [{ service: 'web', byRevision: { [oldRevision]: 1 }, endpoints: 3 }]);
    const end = lastPods(result);
    assert.equal(end.length, 3);
    const newRevision = end[0].revision;
    assert.notEqual(newRevision, oldRevision);
    assert.ok(end.every((p) => p.available && p.revision === newRevision && p.node?.startsWith('worker-')));
    assert.ok(result.steps.some((s) => s.events.some((e) => /^Scaled up replica set web-\w+ from 0 to 1$/.test(e.message))));
    // Some step serves both revisions on the way.
    assert.ok(result.steps.some((s) => Object.keys(s.traffic[0].byRevision).length === 2));
    assert.equal(result.summary.completed, true);
    assert.equal(result.summary.minAvailable, 2);
    assert.equal(result.summary.downtimeSeconds, 0);
    assert.equal(result.summary.peakPods, 3 + 1, 'maxSurge 0: one terminating pod beside the replicas at most');
    // minReadySeconds 10 per pod, one pod at a time: at least 3 x 10 s.
    assert.ok(result.summary.durationSeconds >= 30, `duration ${result.summary.durationSeconds}`);
    assert.ok(result.summary.conditions.some((c) => c.startsWith('Progressing=True')));
    assert.deepEqual(result.cluster.nodes, ['control-plane', 'worker-1', 'worker-2', 'worker-3']);
    const details = result.cluster.nodeDetails ?? [];
    assert.equal(details.find((n) => n.name === 'control-plane')?.requested.pods, undefined);
    assert.equal(details.reduce((n, d) => n + (d.requested.pods ?? 0), 0), 3);
  });

  it('Recreate reports the downtime window', () => {
    const before = deployment('web', 2, 'a:1', { strategy: { type: 'Recreate' } });
    const after = deployment('web', 2, 'a:2', { strategy: { type: 'Recreate' } });
    const result = simulate({ objects: [after], before });
    assert.equal(result.summary.completed, true);
    assert.equal(result.summary.minAvailable, 0);
    assert.ok(result.summary.downtimeSeconds > 0);
    // No step mixes running old and new pods.
    for (let i = 0; i < result.steps.length; i++) {
      const live = podsAtStep(result, i).filter((p) => !p.terminating);
      assert.ok(new Set(live.map((p) => p.revision)).size <= 1, `step ${i} mixes revisions`);
    }
  });

  it('is deterministic: the same input gives byte-identical JSON', () => {
    const options = () => ({ objects: [deployment('web', 5, 'x:2', rolling('25%', '25%')), service], before: deployment('web', 5, 'x:1', rolling('25%', '25%')) });
    assert.equal(JSON.stringify(simulate(options())), JSON.stringify(simulate(options())));
  });

  it('delta snapshots rebuild to the full pod lists', () => {
    const options = (snapshotMode: 'full' | 'delta') => ({ objects: [deployment('web', 6, 'x:2', rolling(2, 1))], before: deployment('web', 6, 'x:1', rolling(2, 1)), snapshotMode });
    const full = simulate(options('full'));
    const delta = simulate(options('delta'));
    assert.equal(delta.steps.length, full.steps.length);
    for (let i = 0; i < full.steps.length; i++) assert.deepEqual(podsAtStep(delta, i), full.steps[i].pods);
  });

  it('pods that fit nowhere stay Pending with the scheduler reason; the run ends, not completed', () => {
    const big = deployment('web', 2, 'x', {}, {});
    ((big.spec as any).template.spec.containers[0] as any).resources = { requests: { cpu: '64' } };
    const result = simulate({ objects: [big] });
    const pods = lastPods(result);
    assert.equal(pods.length, 2);
    assert.ok(pods.every((p) => p.phase === 'Pending' && p.node === undefined));
    assert.match(pods[0].reason ?? '', /^0\/4 nodes are available: .*Insufficient cpu/);
    assert.equal(result.summary.completed, false);
    assert.ok(result.summary.conditions.includes('Progressing=False/ProgressDeadlineExceeded'), result.summary.conditions.join());
    // Timed out strictly after the default progressDeadlineSeconds (600 s).
    assert.ok(result.summary.durationSeconds > 600 && result.summary.durationSeconds <= 601, String(result.summary.durationSeconds));
  });

  it('a new revision that never becomes ready stalls the rollout until the progress deadline', () => {
    const before = deployment('web', 2, 'x:1', rolling(1, 0, { progressDeadlineSeconds: 60 }));
    const after = deployment('web', 2, 'x:2', rolling(1, 0, { progressDeadlineSeconds: 60 }));
    const result = simulate({ objects: [after], before, faults: { neverReadyRevision: 'new' } });
    assert.equal(result.summary.completed, false);
    assert.equal(result.summary.minAvailable, 2);
    assert.ok(result.summary.conditions.some((c) => c.includes('ProgressDeadlineExceeded')), result.summary.conditions.join());
    assert.ok(result.summary.durationSeconds >= 60 && result.summary.durationSeconds < 3600);
  });

  it('a crash-looping revision restarts with back-off and the run still ends', () => {
    const result = simulate({ objects: [deployment('web', 1, 'x:2')], before: deployment('web', 1, 'x:1'), faults: { crashLoopRevision: 'new' } });
    const restarts = Math.max(...lastPods(result).map((p) => p.restarts ?? 0));
    assert.ok(restarts >= 3, `restarts ${restarts}`);
    assert.ok(lastPods(result).some((p) => p.reason === 'CrashLoopBackOff'));
    assert.equal(result.summary.completed, false);
  });

  it('a node going NotReady: its pods are evicted after 300 s and replaced elsewhere', () => {
    const result = simulate({ objects: [deployment('web', 3, 'x')], faults: { nodeNotReady: [{ node: 'worker-1', at: 60 }] } });
    const notReady = result.steps.find((s) => s.events.some((e) => e.message === 'Node worker-1 status is now: NodeNotReady'));
    assert.equal(notReady?.time, 60);
    const eviction = result.steps.find((s) => s.events.some((e) => e.message.startsWith('Marking for deletion Pod default/web-')));
    assert.equal(eviction?.time, 360);
    const end = lastPods(result);
    const serving = end.filter((p) => !p.terminating && p.available);
    assert.equal(serving.length, 3);
    assert.ok(serving.every((p) => p.node !== 'worker-1'));
    // PodGC force-deletes the evicted pod left Terminating on the NotReady node: the run settles.
    const gc = result.steps.find((s) => s.events.some((e) => e.message.startsWith('PodGC: force deleting terminating pod default/web-')));
    assert.equal(gc?.time, 360 + POD_GC_PERIOD_SECONDS);
    assert.equal(end.length, 3);
    assert.equal(result.summary.completed, true);
    // Counted from full availability: the pods coming up are not a disruption, the node failure is.
    assert.equal(result.summary.minAvailable, 2);
    assert.equal(result.summary.downtimeSeconds, 0);
    assert.equal(simulate({ objects: [deployment('web', 3, 'x')] }).summary.minAvailable, 3);
  });

  it('runs a bare Pod and a Job', () => {
    const pod = simulate({ objects: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo' }, spec: { containers: [{ name: 'c', image: 'x' }] } }] });
    assert.deepEqual(pod.problems, []);
    const end = lastPods(pod);
    assert.equal(end.length, 1);
    assert.equal(end[0].ready, true);
    assert.match(end[0].node ?? '', /^worker-/);
    assert.equal(pod.summary.completed, true);

    const job = simulate({
      objects: [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'batch' }, spec: { completions: 3, parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', command: ['sleep', '5'] }] } } } }],
    });
    assert.deepEqual(job.problems, []);
    assert.equal(job.summary.completed, true);
    assert.equal(lastPods(job).filter((p) => p.phase === 'Succeeded').length, 3);
    assert.equal(job.summary.downtimeSeconds, 0);
  });
});

describe('simulate: strategies, DaemonSet, CronJob', () => {
  const web = (image: string) => deployment('web', 4, image);

  it('Blue/Green switches the Service once green is available: no step serves two revisions', () => {
    const result = simulate({ objects: [web('x:2'), service], before: web('x:1'), strategy: 'bluegreen' });
    assert.deepEqual(result.problems, []);
    assert.equal(result.summary.completed, true);
    assert.equal(result.summary.downtimeSeconds, 0);
    const shares = result.steps.map((s) => Object.keys(s.traffic[0].byRevision));
    assert.ok(shares.every((revs) => revs.length === 1));
    assert.notDeepEqual(shares[0], shares[shares.length - 1]);
  });

  it('Canary, A/B and Shadow state their traffic rule', () => {
    const canary = simulate({ objects: [web('x:2'), service], before: web('x:1'), strategy: 'canary', strategyParams: { canaryWeights: [25, 100], canaryPauseSeconds: 10 } });
    assert.equal(canary.summary.completed, true);
    assert.ok(canary.steps.some((s) => Object.values(s.traffic[0].byRevision).some((v) => v > 0 && v < 0.5)), 'a step sends a small share to the canary');
    const ab = simulate({ objects: [web('x:2'), service], before: web('x:1'), strategy: 'ab', strategyParams: { abRule: 'header X-Group: beta', abShare: 30 } });
    assert.ok(ab.steps.some((s) => /requests matching header X-Group: beta \(30%\)/.test(s.traffic[0].note ?? '')));
    const shadow = simulate({ objects: [web('x:2'), service], before: web('x:1'), strategy: 'shadow' });
    assert.ok(shadow.steps.some((s) => /mirrored to revision \w+; its responses are discarded/.test(s.traffic[0].note ?? '')));
  });

  it('a strategy choice for a kind other than Deployment is a problem', () => {
    const result = simulate({ objects: [{ ...deployment('web', 1, 'x'), kind: 'ReplicaSet' }], strategy: 'canary' });
    assert.equal(result.problems[0].path, 'spec.strategy');
  });

  it('a DaemonSet runs one pod per worker; the tainted control plane is skipped', () => {
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    const result = simulate({ objects: [ds] });
    assert.equal(result.summary.completed, true);
    assert.deepEqual(lastPods(result).map((p) => p.node).sort(), ['worker-1', 'worker-2', 'worker-3']);
  });

  it('a CronJob runs its schedule over the window', () => {
    const cj = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'mon' }, spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', command: ['sleep', '3'] }] } } } } } };
    const result = simulate({ objects: [cj], windowSeconds: 1800 });
    assert.deepEqual(result.problems, []);
    assert.equal(result.summary.durationSeconds, 1800);
    assert.ok(result.notes.includes('ran the schedule for 1800 s of virtual time'));
    const created = result.steps.flatMap((s) => s.events).filter((e) => e.object === 'cronjob.batch/mon' && /^Created job mon-\d+$/.test(e.message));
    // Activations strictly after the creation time: 5, 10, ..., 30 minutes.
    assert.equal(created.length, 6);
    const edited = simulate({ objects: [cj], before: cj, windowSeconds: 600 });
    assert.ok(edited.notes.includes('a CronJob change applies to the Jobs it creates next: simulated as written'));
    assert.equal(edited.summary.durationSeconds, 600);
  });
});

describe('simulate: bad input gives problems with field paths, never a throw', () => {
  const cases: [string, unknown[], string][] = [
    ['no template', [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } } } }], 'spec.template'],
    ['replicas: null', [deployment('d', null as unknown as number, 'x')], 'spec.replicas'],
    ['selector missing', [{ ...deployment('d', 1, 'x'), spec: { replicas: 1, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } } } }], 'spec.selector'],
    ['selector not matching labels', [{ ...deployment('d', 1, 'x'), spec: { replicas: 1, selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c' }] } } } }], 'spec.selector.matchLabels.app'],
    ['no containers', [{ ...deployment('d', 1, 'x'), spec: { replicas: 1, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: {} } } }], 'spec.template.spec.containers'],
    ['unknown kind only', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }], 'kind'],
    ['nothing at all', [null, 'text', 42, []], ''],
    ['CronJob without schedule', [{ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c' }] } } } } } }], 'spec.schedule'],
  ];
  for (const [title, objects, path] of cases) {
    it(title, () => {
      const result = simulate({ objects });
      assert.ok(result.problems.some((p) => p.path === path), JSON.stringify(result.problems));
      assert.deepEqual(result.steps, []);
      assert.equal(result.summary.completed, false);
    });
  }

  it('an unknown requested workload or a before of another kind', () => {
    assert.deepEqual(simulate({ objects: [deployment('a', 1, 'x')], workload: { kind: 'Deployment', name: 'b' } }).problems, [{ path: '', message: 'no Deployment named "b" in the file' }]);
    assert.equal(simulate({ objects: [deployment('a', 1, 'x')], workload: { kind: 'Gadget', name: 'a' } }).problems[0].path, 'kind');
    assert.equal(simulate({ objects: [deployment('a', 1, 'x')], before: { kind: 'StatefulSet' } }).problems[0].path, 'before');
    assert.equal(simulate({ objects: [deployment('a', 1, 'x')], before: { ...deployment('a', 1, 'x'), spec: {} } }).problems[0].path, 'before.spec.template');
  });

  it('survives options that are not what the types say', () => {
    assert.ok(simulate({ objects: 'nope' as unknown as unknown[] }).problems.length > 0);
    assert.ok(simulate(undefined as unknown as { objects: unknown[] }).problems.length > 0);
    const weird = simulate({ objects: [deployment('a', 2, 'x')], maxSteps: -5, maxSeconds: Number.NaN, nodes: [] });
    assert.equal(weird.summary.completed, false);
    assert.ok(lastPods(weird).every((p) => p.phase === 'Pending'));
  });

  it('partial nodes take defaults; the shared default cluster is never changed by a run', () => {
    const partial = [{ name: 'n1', allocatable: { cpu: 1000, memory: 2 ** 30, pods: 10 } }, { name: 'n1' }, { labels: {} }, null] as unknown as SimNode[];
    const result = simulate({ objects: [deployment('web', 2, 'x')], nodes: partial });
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.cluster.nodes, ['n1']);
    assert.equal(result.summary.completed, true);
    simulate({ objects: [deployment('web', 2, 'x')], faults: { nodeNotReady: [{ node: 'worker-1', at: 0 }] } });
    assert.equal(DEFAULT_CLUSTER[1].ready, true);
    assert.deepEqual(DEFAULT_CLUSTER[1].taints, []);
  });

  it('a controller that throws is stopped and reported', () => {
    const exploding: Controller = { key: 'Deployment/x', kind: 'Deployment', name: 'x', sync: () => { throw new Error('boom'); }, update: () => undefined, status: () => [], settled: () => false };
    const result = runSimulation({ objects: [deployment('x', 1, 'a')] }, { scheduler: () => statelessScheduler(firstFitScheduler), factories: { Deployment: () => exploding } });
    assert.deepEqual(result.problems, [{ path: '', message: 'Deployment/x: the controller failed and was stopped: boom' }]);
  });
});

describe('simulate: odd values in every field', () => {
  /** A small seeded generator: the same odd inputs on every run. */
  function rng(seed: number) {
    let x = seed >>> 0 || 1;
    return () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
  }
  const oddValues: unknown[] = [null, undefined, -1, 0, 1.5, 1e9, 'x', '150%', '-5%', '', [], {}, [1], { a: 1 }, true, Number.NaN];

  it('never throws and always ends, whatever a field holds', () => {
    const random = rng(42);
    const pick = () => oddValues[Math.floor(random() * oddValues.length)];
    const paths: ((d: any) => void)[] = [
      (d) => (d.spec.replicas = pick()),
      (d) => (d.spec.strategy = { type: pick(), rollingUpdate: { maxSurge: pick(), maxUnavailable: pick() } }),
      (d) => (d.spec.minReadySeconds = pick()),
      (d) => (d.spec.progressDeadlineSeconds = pick()),
      (d) => (d.spec.template.spec.containers[0].readinessProbe = { initialDelaySeconds: pick(), periodSeconds: pick(), successThreshold: pick() }),
      (d) => (d.spec.template.spec.containers[0].resources = { requests: { cpu: pick(), memory: pick() } }),
      (d) => (d.spec.template.spec.terminationGracePeriodSeconds = pick()),
      (d) => (d.spec.template.spec.tolerations = pick()),
      (d) => (d.spec.template.spec.nodeSelector = pick()),
      (d) => (d.spec.template.spec.affinity = { podAntiAffinity: pick() }),
      (d) => (d.spec.template.metadata.labels = pick()),
      (d) => (d.spec.selector = pick()),
      (d) => (d.spec.template.spec.containers = pick()),
      (d) => (d.kind = pick()),
      (d) => (d.metadata = pick()),
    ];
    for (let i = 0; i < 60; i++) {
      const before = deployment('web', 3, 'x:1');
      const after = deployment('web', 3, 'x:2');
      for (let n = 0; n < 3; n++) paths[Math.floor(random() * paths.length)](random() < 0.5 ? before : after);
      const result = simulate({ objects: [after, service], before, maxSeconds: 4000 });
      assert.ok(Array.isArray(result.steps) && Array.isArray(result.problems), `case ${i}`);
      assert.ok(result.steps.length <= 5000);
      assert.ok(result.problems.every((p) => !p.message.startsWith('the simulation failed')), `case ${i}: ${JSON.stringify(result.problems)}`);
    }
  });
});

describe('simulate: bounds', () => {
  it('stops at maxSteps and at maxSeconds and says so', () => {
    const options = { objects: [deployment('web', 4, 'x:2', rolling(0, 1, { minReadySeconds: 30 }))], before: deployment('web', 4, 'x:1', rolling(0, 1, { minReadySeconds: 30 })) };
    const few = simulate({ ...options, maxSteps: 3 });
    assert.equal(few.steps.length, 3);
    assert.match(few.problems[0].message, /^stopped after 3 steps \(maxSteps\)/);
    const short = simulate({ ...options, maxSeconds: 20 });
    assert.match(short.problems[0].message, /^stopped after 20 s of virtual time/);
    assert.ok(short.steps.every((s) => s.time <= 20));
  });

  it('uses the parts it is given (the tiny controller runs a recreate end to end)', () => {
    const result = runSimulation(
      { objects: [deployment('t', 2, 'img:2')], before: deployment('t', 2, 'img:1') },
      { scheduler: () => statelessScheduler(firstFitScheduler), factories: { ...CONTROLLER_FACTORIES, Deployment: (o) => new TinyController(o) } },
    );
    assert.equal(result.summary.completed, true);
    assert.deepEqual(lastPods(result).map((p) => p.revision), ['img2', 'img2']);
    assert.equal(result.steps[0].pods.every((p) => p.revision === 'img1'), true);
  });
});

/** A Deployment controller that never settles and makes pods of one bare template; subclasses decide how many and when. */
abstract class RunawayController implements Controller {
  readonly kind = 'Deployment';
  readonly name = this.constructor.name.toLowerCase();
  readonly key = `Deployment/${this.name}`;
  abstract sync(world: Parameters<Controller['sync']>[0]): boolean;
  protected pod(name: string): Parameters<Parameters<Controller['sync']>[0]['createPod']>[0] {
    return { name, owner: { kind: 'ReplicaSet', name: this.name, uid: this.name }, template: { labels: {}, spec: { containers: [{ name: 'c' }] } }, revision: 'r' };
  }
  update(): void {}
  status() {
    return [];
  }
  settled(): boolean {
    return false;
  }
}
const ONE_POD_NODE: SimNode[] = [{ name: 'n', labels: {}, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 1, memory: 1, pods: 1 } }];

describe('simulate: long CronJob windows and bounds', () => {
  const cronJob = (schedule: string, jobSpec: Record<string, unknown> = {}) => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick' },
    spec: { schedule, jobTemplate: { spec: { ...jobSpec, template: { metadata: { annotations: { 'kdry.dev/run-seconds': '30' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c' }] } } } } },
  });
  /** Jobs created, counting the ones a digest step folded (`288× Created job …`). */
  const jobsCreated = (result: SimulationResult) =>
    result.steps
      .flatMap((s) => s.events)
      .filter((e) => e.object === 'cronjob.batch/tick')
      .reduce((n, e) => n + (/^Created job tick-\d+$/.test(e.message) ? 1 : Number(/^(\d+)× Created job …/.exec(e.message)?.[1] ?? 0)), 0);

  it('a month of */5 is the first day step by step, then one step a day that counts every Job', () => {
    const days = 30;
    const result = simulate({ objects: [cronJob('*/5 * * * *')], windowSeconds: days * 86400 });
    assert.deepEqual(result.problems, []);
    assert.equal(jobsCreated(result), days * 288);
    const firstDay = result.steps.filter((s) => s.time <= 86400);
    const later = result.steps.filter((s) => s.time > 86400);
    // Step by step: the start, then create, Running, Ready, Completed for each run (the one
    // created at the end of the day runs on into the folded part).
    assert.equal(firstDay.length, 1 + 4 * 287 + 1);
    assert.equal(later.length, days - 1);
    assert.ok(later.every((s) => s.time % 86400 === 0));
    assert.ok(later.every((s) => s.events.some((e) => /^287× Created job … between t=\d+ s and t=\d+ s \(folded; latest: Created job tick-\d+\)$/.test(e.message))));
    assert.ok(result.notes.includes('recorded step by step until t=86402 s, then one step per day whose events count what happened in it (grouped by message, names left out)'));
    // The last step still shows the state at that moment: the history limit keeps 3 finished Jobs.
    const last = result.steps[result.steps.length - 1];
    assert.equal(last.status.filter((r) => r.object.startsWith('job.batch/') && r.columns.STATUS === 'Complete').length, 3);
    assert.equal(last.status[0].columns['LAST SCHEDULE'], '2025-01-31T00:00:00Z');
    assert.equal(result.summary.peakPods, 4);
    assert.equal(JSON.stringify(simulate({ objects: [cronJob('*/5 * * * *')], windowSeconds: days * 86400 })), JSON.stringify(result));
  });

  it('a CronJob every minute folds per hour after 1,500 steps, so a day stays within maxSteps', () => {
    const result = simulate({ objects: [cronJob('* * * * *')], windowSeconds: 86400 });
    assert.deepEqual(result.problems, []);
    assert.equal(jobsCreated(result), 1440);
    assert.ok(result.steps.length < 1600, `${result.steps.length} steps`);
    assert.ok(result.notes.some((n) => /^recorded step by step until t=\d+ s, then one step per hour/.test(n)), result.notes.join('\n'));
  });

  it('asks for more pods than the engine simulates: a problem at the field', () => {
    const cases: [unknown, string][] = [
      [deployment('d', 1e9, 'x'), 'spec.replicas'],
      [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 1e9, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c' }] } } } }, 'spec.parallelism'],
      [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { completions: 1e300, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c' }] } } } }, 'spec.completions'],
      [cronJob('*/5 * * * *', { completions: 1e9 }), 'spec.jobTemplate.spec.completions'],
    ];
    for (const [object, path] of cases) {
      const result = simulate({ objects: [object] });
      assert.deepEqual(result.problems.map((p) => p.path), [path]);
      assert.match(result.problems[0].message, /more than the 100,000 pods the simulator runs/);
      assert.equal(result.summary.completed, false);
    }
    // A work-queue Job leaves completions unset (null): not a problem.
    const queue = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { completions: null, parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c' }] } } } };
    assert.deepEqual(simulate({ objects: [queue] }).problems, []);
  });

  it('a run stops with a problem at the work bound (pods alive summed over its instants)', () => {
    /** Keeps 100,000 pods that never schedule and wakes every second: 100,000 pod-instants a second. */
    /** Creates 100,000 pods once, then keeps asking to be synced. */
    class Crowd extends RunawayController {
      private made = false;
      sync(world: Parameters<Controller['sync']>[0]): boolean {
        world.requeueAt(this.key, world.now + 1);
        if (this.made) return false;
        this.made = true;
        for (let i = 0; i < 100_000; i++) world.createPod(this.pod(`crowd-${i}`));
        return true;
      }
    }
    const result = runSimulation({ objects: [deployment('crowd', 1, 'x')], nodes: ONE_POD_NODE }, { scheduler: () => statelessScheduler(() => ({ reason: 'no room' })), factories: { Deployment: () => new Crowd() } });
    assert.deepEqual(result.problems.map((p) => p.message), [`stopped at t=${MAX_POD_INSTANTS / 100_000 + 1} s: the run reached the simulator's work bound (30,000,000 pods alive, summed over its instants)`]);
  });

  it('a run stops with a problem once it created the bound of pods', () => {
    /** Creates 5,000 pods every 10 s, forever. */
    class Flood extends RunawayController {
      private created = 0;
      sync(world: Parameters<Controller['sync']>[0]): boolean {
        if (world.now < (this.created / 5000) * 10) return false;
        for (let i = 0; i < 5000; i++) world.createPod(this.pod(`flood-${this.created++}`));
        world.requeueAt(this.key, (this.created / 5000) * 10);
        return true;
      }
    }
    const result = runSimulation({ objects: [deployment('flood', 1, 'x')], nodes: ONE_POD_NODE, maxSteps: 1e6 }, { scheduler: () => statelessScheduler(() => ({ reason: 'no room' })), factories: { Deployment: () => new Flood() } });
    assert.deepEqual(result.problems.map((p) => p.message), ['the run created 250,000 pods, the simulator\'s bound: stopped at t=500 s']);
    assert.equal(result.summary.peakPods, 250_000);
  });
});
