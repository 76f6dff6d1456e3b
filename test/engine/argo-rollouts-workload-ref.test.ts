// Argo Rollouts `workloadRef`: the template from a Deployment in scope (rollout/templateref.go
// Resolve), and what `scaleDown` does to that Deployment (rollout/replicaset.go reconcileNewReplicaSet
// for progressively, rollout/sync.go for onsuccess; never leaves it alone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../server/src/engine';
import { createRolloutController, resolveWorkloadRef } from '../../server/src/engine/patterns';
import { DEFAULT_CLUSTER } from '../../server/src/engine/cluster';
import { SimWorld } from '../../server/src/engine/world';

const newWorld = () => new SimWorld({ nodes: DEFAULT_CLUSTER });
import type { SimulationResult } from '../../server/src/engine/types';

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'web:1', resources: { requests: { cpu: '100m' } } }] } },
  },
};

function rollout(scaleDown?: string, ref: Record<string, unknown> = {}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: 'web-rollout' },
    spec: {
      replicas: 4,
      workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', ...(scaleDown ? { scaleDown } : {}), ...ref },
      strategy: { canary: { steps: [{ setWeight: 50 }] } },
    },
  };
}

const run = (r: unknown, objects: unknown[] = [deployment]) => simulate({ objects: [r, ...objects], workload: { kind: 'Rollout', name: 'web-rollout' } });

/** Running pods per owner prefix at each step. */
function running(result: SimulationResult, prefix: string): number[] {
  return result.steps.map((st) => (st.pods ?? []).filter((p) => p.name.startsWith(prefix) && !p.terminating && p.phase === 'Running').length);
}

const deploymentRows = (result: SimulationResult) => result.steps.map((st) => st.status.find((r) => r.object === 'deployment.apps/web')?.columns);

test('workloadRef: the Rollout runs the Deployment\'s template beside it; scaleDown never leaves the Deployment running', () => {
  const result = run(rollout());
  assert.equal(result.problems.length, 0, JSON.stringify(result.problems));
  assert.match(result.notes.join('\n'), /the Rollout is created beside Deployment web, which was running settled \(workloadRef, scaleDown: never\)/);
  // t=0: the Deployment's 4 pods run; the Rollout's first revision comes up at full size beside them
  assert.equal(running(result, 'web-')[0] - running(result, 'web-rollout-')[0], 4);
  assert.equal(running(result, 'web-rollout-').at(-1), 4);
  assert.equal(deploymentRows(result).at(-1)?.READY, '4/4');
  assert.equal(result.summary.completed, true);
  // the first revision skips the steps (shouldFullPromote "Initial deploy")
  const columns = result.steps.at(-1)!.status[0].columns;
  assert.deepEqual([columns.STATUS, columns.STEP, columns['SET-WEIGHT'], columns['ACTUAL-WEIGHT']], ['Healthy', '1/1', 100, 100]);
  // the Rollout's pods carry the Deployment's template
  const pod = (result.steps.at(-1)!.pods ?? []).find((p) => p.name.startsWith('web-rollout-'))!;
  assert.ok(pod, 'a Rollout pod');
});

test('scaleDown onsuccess: the Deployment goes to 0 once the Rollout is Healthy; progressively: as the Rollout\'s pods get ready', () => {
  const onSuccess = run(rollout('onsuccess'));
  const rows = deploymentRows(onSuccess);
  const healthyAt = onSuccess.steps.findIndex((st) => st.status[0]?.columns.STATUS === 'Healthy');
  assert.ok(healthyAt > 0);
  assert.ok(rows.slice(0, healthyAt).every((c) => c === undefined || String(c.READY).endsWith('/4')), 'kept at 4 until Healthy');
  assert.equal(rows.at(-1)?.READY, '0/0');

  const progressive = run(rollout('progressively'));
  const events = progressive.steps.flatMap((st) => st.events.filter((e) => e.object === 'deployment.apps/web').map((e) => e.message));
  // replicas - ready: the Deployment shrinks in steps as the Rollout's pods become ready, not at once
  const downs = events.filter((m) => m.startsWith('Scaled down replica set web-'));
  assert.ok(downs.length >= 1, events.join('\n'));
  assert.equal(deploymentRows(progressive).at(-1)?.READY, '0/0');
  assert.ok(progressive.summary.minAvailable >= 4 - 1, `availability kept during the migration: ${progressive.summary.minAvailable}`);
});

test('the Deployment run and scaled is the one the template came from: a same-named Deployment in another namespace is left out', () => {
  // rollout/templateref.go Resolve looks in the Rollout's namespace; listed first, the other one must not be taken
  const elsewhere = { ...deployment, metadata: { name: 'web', namespace: 'staging' }, spec: { ...deployment.spec, replicas: 2 } };
  const result = run(rollout(), [elsewhere, deployment]);
  assert.equal(result.problems.length, 0, JSON.stringify(result.problems));
  const rows = deploymentRows(result);
  assert.equal(rows.at(-1)?.READY, '4/4', 'the default namespace\'s web, 4 replicas');
  assert.ok(!rows.some((c) => c !== undefined && String(c.READY).endsWith('/2')), 'staging\'s web (2 replicas) never runs');
});

test('an unresolvable workloadRef makes the Rollout invalid, in Argo\'s words; a template beside it too', () => {
  const missing = run(rollout(), []);
  assert.deepEqual(missing.problems, [{ path: 'spec.workloadRef', message: 'The Rollout "web-rollout" is invalid: spec.workloadRef: deployments.apps "web" not found (not in this scope)' }]);
  const withTemplate = { ...rollout(), spec: { ...rollout().spec, template: deployment.spec.template } };
  assert.match(run(withTemplate).problems[0].message, /template must be empty for workload reference rollout$/);
  assert.match(run(rollout(undefined, { apiVersion: 'batch/v1', kind: 'Job' })).problems[0].message, /workload of type batch\/Job is not supported$/);
});

test('a workloadRef Rollout rolled out from an earlier version updates with the Deployment\'s template', () => {
  const before = rollout('never');
  const after = { ...before, spec: { ...before.spec, replicas: 6 } };
  const result = simulate({ objects: [after, deployment], before, workload: { kind: 'Rollout', name: 'web-rollout' } });
  assert.equal(result.problems.length, 0);
  assert.equal(result.steps.at(-1)!.status[0].columns.DESIRED, 6);
});

test('rolled out from an earlier version that names another Deployment, the Deployment run beside the Rollout is the earlier version\'s', () => {
  // The controller is built from the earlier version: its workloadRef (web-old) is the one it runs and scales, not the file's (web).
  const old = { ...deployment, metadata: { name: 'web-old' }, spec: { ...deployment.spec, replicas: 2 } };
  const before = rollout('never', { name: 'web-old' });
  const after = rollout('never');
  const result = simulate({ objects: [after, deployment, old], before, workload: { kind: 'Rollout', name: 'web-rollout' } });
  assert.equal(result.problems.length, 0, JSON.stringify(result.problems));
  const shown = new Set(result.steps.flatMap((st) => st.status.map((r) => r.object)));
  assert.ok(shown.has('deployment.apps/web-old'), [...shown].join(', '));
  assert.ok(!shown.has('deployment.apps/web'), [...shown].join(', '));
  const rows = result.steps.map((st) => st.status.find((r) => r.object === 'deployment.apps/web-old')?.columns);
  assert.equal(rows[0]?.READY, '2/2', 'web-old\'s 2 replicas ran through the warm-up');
});

test('the Rollout controller scales the workload resolveWorkloadRef found, without looking it up again', () => {
  const resolved = resolveWorkloadRef(rollout('onsuccess'), [deployment]);
  assert.ok(resolved && !('problem' in resolved));
  // no objects in scope: the controller has only the resolved workload to go on
  const controller = createRolloutController(resolved.rollout, [], false, { ref: resolved.ref, workload: resolved.workload });
  assert.ok(controller.status(newWorld()).some((r) => r.object === 'deployment.apps/web'), 'the referenced Deployment runs beside the Rollout');
  const without = createRolloutController(resolved.rollout, [deployment], false);
  assert.ok(!without.status(newWorld()).some((r) => r.object === 'deployment.apps/web'), 'objects are not searched for it');
});
