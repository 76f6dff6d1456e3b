// Argo Rollouts: a traffic router's managed routes (setHeaderRoute, setMirrorRoute steps:
// rollout/trafficrouting.go reconcileTrafficRouting, rollout/canary.go completedCurrentCanaryStep,
// utils/rollout CanaryStepString) and the dynamicStableScale abort that steps down through the
// setWeights in reverse (utils/replicaset/canary.go GetDesiredCanaryWeight, rollout/trafficrouting.go
// calculateDesiredWeightOnAbortOrStableRollback).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../server/src/engine';
import type { Faults, SimulationResult } from '../../server/src/engine/types';
import { computePodTemplateHash } from '../../server/src/engine/controllers/deployment/util';

function rollout(image: string, canary: Record<string, unknown>, replicas: number) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'demo' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'demo' } },
      template: { metadata: { labels: { app: 'demo' } }, spec: { containers: [{ name: 'c', image, resources: { requests: { cpu: '100m' } } }] } },
      strategy: { canary: { stableService: 'demo', trafficRouting: { nginx: { stableIngress: 'demo' } }, ...canary } },
    },
  };
}
const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'demo' }, spec: { selector: { app: 'demo' }, ports: [{ port: 80 }] } };
const check = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'check' }, spec: { metrics: [{ name: 'check', provider: { prometheus: { query: 'x' } } }] } };

function run(canary: Record<string, unknown>, replicas: number, faults?: Faults): SimulationResult {
  return simulate({ objects: [rollout('demo:2', canary, replicas), service, check], before: rollout('demo:1', canary, replicas), workload: { kind: 'Rollout', name: 'demo' }, ...(faults ? { faults } : {}) });
}
const events = (result: SimulationResult) => result.steps.flatMap((st) => st.events.filter((e) => e.object === 'rollout.argoproj.io/demo').map((e) => ({ time: st.time, message: e.message, type: e.type })));
const newHash = computePodTemplateHash(rollout('demo:2', {}, 1).spec.template);

test('setHeaderRoute and setMirrorRoute: the router gets the routes, the steps complete in CanaryStepString words, promotion removes them', () => {
  const steps = [
    { setWeight: 20 },
    { setHeaderRoute: { name: 'canary-header', match: [{ headerName: 'X-Canary', headerValue: { exact: 'yes' } }] } },
    { setMirrorRoute: { name: 'mirror-get', percentage: 35, match: [{ method: { exact: 'GET' }, path: { prefix: '/api' } }] } },
    { pause: { duration: '1m' } },
    { setHeaderRoute: { name: 'canary-header' } },
    { pause: { duration: '1m' } },
  ];
  const result = run({ steps, trafficRouting: { nginx: { stableIngress: 'demo' }, managedRoutes: [{ name: 'canary-header' }, { name: 'mirror-get' }] } }, 4);
  const seen = events(result).map((e) => e.message);
  assert.ok(seen.includes('Rollout step 2/6 completed (setHeaderRoute: canary-header)'), seen.join('\n'));
  assert.ok(seen.includes('Rollout step 3/6 completed (setMirrorRoute: mirror-get)'));
  assert.ok(!events(result).some((e) => e.type === 'Warning'), 'nothing is skipped');
  const note = (at: number) => result.steps[at].traffic.find((t) => t.service === 'demo')?.note ?? '';
  const firstPause = result.steps.findIndex((st) => st.events.some((e) => e.message === 'Rollout step 3/6 completed (setMirrorRoute: mirror-get)'));
  assert.match(note(firstPause), new RegExp(`header route canary-header: requests matching header X-Canary: yes go to revision ${newHash}`));
  assert.match(note(firstPause), new RegExp(`mirror route mirror-get: 35% of requests matching method GET, path prefix /api mirrored to revision ${newHash}; its responses are discarded`));
  // a setHeaderRoute without a match removes that route; the mirror stays
  const secondPause = result.steps.findIndex((st) => st.events.some((e) => e.message === 'Rollout step 5/6 completed (setHeaderRoute: canary-header)'));
  assert.doesNotMatch(note(secondPause + 1), /header route/);
  assert.match(note(secondPause + 1), /mirror route mirror-get: 35% of requests/);
  // fully promoted: RemoveManagedRoutes
  assert.equal(result.steps.at(-1)!.traffic.find((t) => t.service === 'demo')?.note, undefined);
  assert.equal(result.summary.completed, true);
});

test('several named mirror routes are all active, and only a step without `match` removes a route (istio.go, alb.go: Match == nil)', () => {
  const steps = [
    { setWeight: 20 },
    { setMirrorRoute: { name: 'mirror-get', percentage: 35, match: [{ method: { exact: 'GET' } }] } },
    { setMirrorRoute: { name: 'mirror-post', percentage: 10, match: [{ method: { exact: 'POST' } }] } },
    { setHeaderRoute: { name: 'canary-header', match: [{ headerName: 'X-Canary', headerValue: { exact: 'yes' } }] } },
    { setHeaderRoute: { name: 'canary-header', match: [{}] } },
    { pause: { duration: '1m' } },
  ];
  const result = run({ steps, trafficRouting: { nginx: { stableIngress: 'demo' }, managedRoutes: [{ name: 'mirror-get' }, { name: 'mirror-post' }, { name: 'canary-header' }] } }, 4);
  const at = result.steps.findIndex((st) => st.events.some((e) => e.message === 'Rollout step 5/6 completed (setHeaderRoute: canary-header)'));
  const note = result.steps[at].traffic.find((t) => t.service === 'demo')?.note ?? '';
  assert.match(note, /mirror route mirror-get: 35% of requests matching method GET mirrored/);
  assert.match(note, /mirror route mirror-post: 10% of requests matching method POST mirrored/);
  // `match: [{}]` is a match (with nothing in it), not a removal
  assert.match(note, /header route canary-header: requests matching \{\} go to revision/);
});

test('an aborted canary removes the managed routes (reconcileTrafficRouting: RemoveManagedRoutes when aborted)', () => {
  const steps = [{ setWeight: 25 }, { setHeaderRoute: { name: 'h', match: [{ headerName: 'X-Canary', headerValue: { prefix: 'y' } }] } }, { pause: { duration: '30s' } }, { analysis: { templates: [{ templateName: 'check' }] } }];
  const result = run({ steps }, 4, { analysis: {} });
  const aborted = result.steps.findIndex((st) => st.events.some((e) => e.message.startsWith('Rollout aborted')));
  assert.match(result.steps[aborted - 1].traffic.find((t) => t.service === 'demo')?.note ?? '', /header route h: requests matching header X-Canary: prefix y/);
  assert.doesNotMatch(result.steps.at(-1)!.traffic.find((t) => t.service === 'demo')?.note ?? '', /header route/);
});

test('dynamicStableScale abort: the stable set grows back through the setWeights in reverse, the weight steps down with it', () => {
  const canary = { dynamicStableScale: true, steps: [{ setWeight: 20 }, { setWeight: 50 }, { setWeight: 80 }, { analysis: { templates: [{ templateName: 'check' }] } }] };
  const result = run(canary, 10, { analysis: {} });
  const seen = events(result);
  const abortAt = seen.findIndex((e) => e.message.startsWith('Rollout aborted'));
  const after = seen.slice(abortAt + 1).map((e) => e.message);
  const stableName = `demo-${computePodTemplateHash(rollout('demo:1', {}, 1).spec.template)}`;
  // aborted at 80% with 5 stable and 8 canary pods available: the canary needs 8, 50% is the last
  // setWeight with fewer pods (5): the weight goes to 50 and the stable set to 8 (80% of 10), not 10
  // at once; with 8 stable and 5 canary it is 20%, the stable set 10; then 0.
  assert.deepEqual(after.filter((m) => m.startsWith('Traffic weight')), ['Traffic weight updated from 80 to 50', 'Traffic weight updated from 50 to 20', 'Traffic weight updated from 20 to 0']);
  assert.deepEqual(after.filter((m) => m.includes(stableName)), [`Scaled up ReplicaSet ${stableName} (revision 1) from 5 to 8`, `Scaled up ReplicaSet ${stableName} (revision 1) from 8 to 10`]);
  // no surge past replicas + the canary the traffic still needs: at most 16 pods, never 18
  assert.ok(result.summary.peakPods <= 16, `peak ${result.summary.peakPods}`);
  assert.equal(result.steps.at(-1)!.status[0].columns.STATUS, 'Degraded');
});
