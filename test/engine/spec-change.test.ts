// Edits in the middle of a run (SimulateOptions.then, `kdry simulate --then`): a scale reaches
// the Deployment controller's proportional scaling, a new image starts another rollout, and what
// the API server would refuse is a problem. Upstream: pkg/controller/deployment/sync.go (scale,
// isScalingEvent), util/deployment_util.go (GetProportion, getReplicaSetFraction).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate, type SimulationResult } from '../../server/src/engine';
import { parseThenOptions, ThenOptionError } from '../../server/src/cli/then-option';

const deployment = (image: string, replicas = 3) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
  },
});

const scaleEvents = (r: SimulationResult, time: number) => r.steps.filter((s) => s.time === time).flatMap((s) => s.events.filter((e) => /^Scaled (up|down) replica set/.test(e.message)).map((e) => e.message));
const rsRows = (r: SimulationResult) => r.steps[r.steps.length - 1].status.filter((row) => row.object.startsWith('replicaset.apps/'));

// At t=3 the rollout 1.14 -> 1.16 (3 replicas, maxSurge 0) has the old set at 2 and the new at 1,
// both annotated max-replicas 3. Scaling to 10: toAdd = 10 - 3 = 7; getReplicaSetFraction gives
// the old set round(2 x 10 / 3) - 2 = 5 and the new round(1 x 10 / 3) - 1 = 2: 7 and 3.
test('a scale in the middle of a RollingUpdate is shared proportionally (GetProportion)', () => {
  const r = simulate({ objects: [deployment('nginx:1.16')], before: deployment('nginx:1.14'), then: [{ at: 3, replicas: 10 }] });
  const events = scaleEvents(r, 3);
  assert.equal(events.length, 2, JSON.stringify(events));
  assert.match(events[0], /^Scaled up replica set web-\w+ from 2 to 7$/);
  assert.match(events[1], /^Scaled up replica set web-\w+ from 1 to 3$/);
  assert.ok(r.notes.includes('at t=3 s: spec.replicas set to 10'), r.notes.join('\n'));
  const last = r.steps[r.steps.length - 1].status.find((row) => row.object === 'deployment.apps/web')?.columns;
  assert.deepEqual(last, { READY: '10/10', 'UP-TO-DATE': 10, AVAILABLE: 10 });
  assert.ok(r.summary.completed);
});

test('a new image in the middle of a rollout starts a third ReplicaSet that takes over', () => {
  const r = simulate({ objects: [deployment('nginx:1.16')], before: deployment('nginx:1.14'), then: [{ at: 3, image: 'nginx:1.17' }] });
  const rows = rsRows(r);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((row) => row.columns.DESIRED), [0, 0, 3]);
  assert.ok(r.notes.includes('at t=3 s: container "web" image set to nginx:1.17'), r.notes.join('\n'));
  assert.ok(r.summary.completed);
  const noSuch = simulate({ objects: [deployment('nginx:1.16')], then: [{ at: 3, image: 'x', container: 'sidecar' }] });
  assert.ok(noSuch.notes.includes('at t=3 s: no container named "sidecar" to set the image of: nothing changed'));
  assert.equal(rsRows(noSuch).length, 1);
});

test('edits the API server would refuse, or a kind without replicas, are problems', () => {
  const daemonSet = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'work' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } };
  assert.deepEqual(simulate({ objects: [daemonSet], then: [{ at: 5, replicas: 4 }] }).problems, [{ path: 'then[0].replicas', message: 'a DaemonSet has no spec.replicas to scale' }]);
  assert.deepEqual(simulate({ objects: [job], then: [{ at: 5, image: 'y' }] }).problems, [{ path: 'then[0].image', message: "the API server rejects it: a Job's spec.template is immutable" }]);
  assert.deepEqual(simulate({ objects: [deployment('x')], then: [{ at: -1, replicas: 2 }] }).problems.map((p) => p.path), ['then[0].at']);
});

test('--then syntax: at with replicas or an image (CONTAINER=IMAGE as kubectl set image); mistakes named', () => {
  assert.deepEqual(parseThenOptions(['at=30s,replicas=20', 'at=2m,image=web=nginx:1.17', 'at=5,image=nginx@sha256:abc']), [
    { at: 30, replicas: 20 },
    { at: 120, image: 'nginx:1.17', container: 'web' },
    { at: 5, image: 'nginx@sha256:abc' },
  ]);
  for (const [bad, why] of [
    ['replicas=2', /at=DURATION is required/],
    ['at=soon,replicas=2', /at takes a duration/],
    ['at=3s', /say what changes/],
    ['at=3s,replicas=-1', /replicas takes a whole number/],
    ['at=3s,paused=true', /unknown key "paused"/],
    ['at=3s,image==x', /image takes IMAGE or CONTAINER=IMAGE/],
  ] as const) {
    assert.throws(() => parseThenOptions([bad]), (e: Error) => e instanceof ThenOptionError && why.test(e.message), bad);
  }
});
