// What the target Kubernetes release changes in a simulation: feature gate defaults from
// kubernetes/kubernetes pkg/features/kube_features.go (defaultVersionedKubernetesFeatureGates),
// and job_controller.go delayTerminalCondition() (1.31+), managedByExternalController (syncJob
// skips a Job another controller manages), onlyReplaceFailedPods; stateful_set_control.go
// (MaxUnavailableStatefulSet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseBehaviour } from '../../server/src/engine/release-behaviour';
import { podsAtStep, simulate, type SimulationResult } from '../../server/src/engine';
import { node as schedulerNode } from './scheduler.fixtures';

test('gate defaults per release, and a release newer than the table behaves as the newest', () => {
  const b = (v: string) => releaseBehaviour(v);
  // kubernetes PRs #133153 (on in 1.35.0), #137926 (off from 1.35.4), #137904 (off in 1.36), #139466 (on in 1.37).
  assert.deepEqual(['1.34', '1.35', '1.36', '1.37'].map((v) => b(v).statefulSetMaxUnavailable), [false, false, false, true]);
  assert.deepEqual([b('1.31').jobManagedBy, b('1.32').jobManagedBy], [false, true]);
  assert.deepEqual([b('1.30').jobSuccessPolicy, b('1.31').jobSuccessPolicy], [false, true]);
  assert.deepEqual([b('1.28').jobBackoffLimitPerIndex, b('1.29').jobBackoffLimitPerIndex], [false, true]);
  assert.deepEqual([b('1.28').jobPodReplacementPolicy, b('1.29').jobPodReplacementPolicy], [false, true]);
  // delayTerminalCondition() arrived in 1.31 (JobPodReplacementPolicy was on before that).
  assert.deepEqual([b('1.30').jobDelayTerminalCondition, b('1.31').jobDelayTerminalCondition], [false, true]);
  assert.deepEqual({ ...b('1.40'), release: '' }, { ...b('1.37'), release: '' });
  assert.equal(releaseBehaviour(undefined).release, '1.35');
  assert.equal(releaseBehaviour('v1.31.4').release, '1.31');
});

const sts = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'db' },
  spec: {
    replicas: 4,
    serviceName: 'db',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } },
    selector: { matchLabels: { app: 'db' } },
    template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image }] } },
  },
});
const firstDeletes = (r: SimulationResult) => r.steps.find((s) => s.events.some((e) => e.message.startsWith('delete Pod')))?.events.filter((e) => e.message.startsWith('delete Pod')).length;

test('StatefulSet maxUnavailable: two pods at a time from 1.37 (beta, on again), one at a time before', () => {
  assert.equal(firstDeletes(simulate({ objects: [sts('db:2')], before: sts('db:1'), kubernetesVersion: '1.37' })), 2);
  assert.equal(firstDeletes(simulate({ objects: [sts('db:2')], before: sts('db:1'), kubernetesVersion: '1.35' })), 1);
});

const job = (spec: Record<string, unknown>, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'work' },
  spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }], ...podSpec } } },
});
const created = (r: SimulationResult) => r.steps.flatMap((s) => s.events).filter((e) => e.message.startsWith('Created pod')).length;

test('Job managedBy another controller: left alone from 1.32 (JobManagedBy on), run by the built-in controller before', () => {
  const external = job({ managedBy: 'kueue.x-k8s.io/multikueue' });
  const r132 = simulate({ objects: [external], kubernetesVersion: '1.32' });
  assert.equal(created(r132), 0);
  assert.ok(r132.notes.some((n) => n.includes('spec.managedBy is "kueue.x-k8s.io/multikueue"')), r132.notes.join('\n'));
  assert.equal(r132.summary.completed, false);
  const r131 = simulate({ objects: [external], kubernetesVersion: '1.31' });
  assert.equal(created(r131), 1);
  assert.ok(r131.summary.completed);
  // The built-in controller's own name is not "another controller".
  assert.equal(created(simulate({ objects: [job({ managedBy: 'kubernetes.io/job-controller' })], kubernetesVersion: '1.35' })), 1);
});

test('successPolicy is ignored before 1.31 (JobSuccessPolicy alpha, off): every index runs', () => {
  const indexed = job({ completionMode: 'Indexed', completions: 3, parallelism: 3, successPolicy: { rules: [{ succeededIndexes: '0' }] } });
  assert.deepEqual(simulate({ objects: [indexed], kubernetesVersion: '1.31' }).summary.conditions, ['SuccessCriteriaMet=True/SuccessPolicy', 'Complete=True/SuccessPolicy']);
  // Without the gate, and before delayTerminalCondition (1.31), Complete comes alone.
  assert.deepEqual(simulate({ objects: [indexed], kubernetesVersion: '1.30' }).summary.conditions, ['Complete=True/CompletionsReached']);
});

test('before 1.31 a failing Job goes straight to Failed, without FailureTarget', () => {
  const failing = job({ backoffLimit: 0 });
  assert.deepEqual(simulate({ objects: [failing], faults: { podExit: { exitCode: 1 } }, kubernetesVersion: '1.30' }).summary.conditions, ['Failed=True/BackoffLimitExceeded']);
  assert.deepEqual(simulate({ objects: [failing], faults: { podExit: { exitCode: 1 } }, kubernetesVersion: '1.31' }).summary.conditions, ['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
});

// SidecarContainers (kube_features.go: alpha and off in 1.28, beta and on from 1.29): with the gate
// off the API server drops restartPolicy: Always from init containers (pkg/api/pod/util.go
// dropDisabledFields), so the sidecar is an ordinary init container. kube-scheduler then counts
// its request as an init container's, the larger of it and the app containers' sum
// (component-helpers resource/helpers.go PodRequests), not added to them; and the kubelet starts
// the app containers only once it exits, which a sidecar does not: Init:0/1.
const withSidecar = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        initContainers: [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always', resources: { requests: { cpu: '600m' } } }],
        containers: [{ name: 'app', image: 'app:1', resources: { requests: { cpu: '600m' } } }],
      },
    },
  },
};
const oneCpuNodes = [schedulerNode('n1', { cpu: 1000 }), schedulerNode('n2', { cpu: 1000 })];
const lastPods = (r: SimulationResult) => podsAtStep(r, r.steps.length - 1);

test('a sidecar before 1.29: an ordinary init container that never exits, so the pods stay at Init:0/1; from 1.29 it runs beside the app', () => {
  const old = simulate({ objects: [withSidecar], nodes: oneCpuNodes, kubernetesVersion: '1.28' });
  assert.deepEqual(lastPods(old).map((p) => [p.phase, p.ready, p.reason, p.node !== undefined]), [
    ['Pending', false, 'Init:0/1', true],
    ['Pending', false, 'Init:0/1', true],
  ], '600m as an init container fits a 1-CPU node; the pod is bound and waits for the sidecar');
  assert.equal(old.summary.completed, false);
  assert.ok(old.notes.some((n) => n.includes('the SidecarContainers feature gate is off by default') && n.includes('init container "proxy"')), old.notes.join('\n'));

  const current = simulate({ objects: [withSidecar], nodes: oneCpuNodes, kubernetesVersion: '1.29' });
  assert.deepEqual(lastPods(current).map((p) => [p.phase, p.node]), [['Pending', undefined], ['Pending', undefined]], 'a sidecar adds its 600m to the app: 1200m fits no 1-CPU node');
  assert.match(lastPods(current)[0].reason ?? '', /0\/2 nodes are available: 2 Insufficient cpu/);
  assert.ok(!current.notes.some((n) => n.includes('SidecarContainers')));

  const roomy = simulate({ objects: [withSidecar], kubernetesVersion: '1.29' });
  assert.ok(roomy.summary.completed, 'on the default cluster the sidecar and the app both run');
  assert.ok(simulate({ objects: [withSidecar], kubernetesVersion: '1.27' }).notes.some((n) => n.includes('has no sidecar containers (they arrived in 1.28)')));
});

// DeploymentReplicaSetTerminatingReplicas (kube_features.go: alpha 1.33, beta and on from 1.35): a
// ReplicaSet's status.terminatingReplicas counts its pods with a deletionTimestamp that are not
// Succeeded or Failed (replica_set.go syncReplicaSet, controller.FilterTerminatingPods), and the
// Deployment's adds its sets' up (deployment_util.go GetTerminatingReplicaCountForReplicaSets).
const web = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
});

test('Deployment status.terminatingReplicas from 1.35: the old pods still shutting down, per set and in total', () => {
  const r = simulate({ objects: [web('nginx:1.27')], before: web('nginx:1.26'), kubernetesVersion: '1.35' });
  const rows = r.steps.flatMap((s) => s.status.map((row) => ({ time: s.time, ...row })));
  assert.ok(rows.every((row) => row.fields?.terminatingReplicas !== undefined), 'every Deployment and ReplicaSet row has the field');
  // At each step the Deployment's count is the sum of its sets' and equals the terminating pods.
  for (const [i, step] of r.steps.entries()) {
    const deployment = step.status.find((row) => row.object === 'deployment.apps/web');
    const sets = step.status.filter((row) => row.object.startsWith('replicaset.apps/'));
    const terminating = podsAtStep(r, i).filter((p) => p.terminating && p.phase !== 'Succeeded' && p.phase !== 'Failed').length;
    assert.equal(deployment?.fields?.terminatingReplicas, sets.reduce((n, row) => n + (row.fields?.terminatingReplicas ?? 0), 0), `step ${i}`);
    assert.equal(deployment?.fields?.terminatingReplicas, terminating, `step ${i}`);
  }
  assert.ok(rows.some((row) => row.object === 'deployment.apps/web' && (row.fields?.terminatingReplicas ?? 0) > 0), 'the rollout has old pods terminating at some point');

  const old = simulate({ objects: [web('nginx:1.27')], before: web('nginx:1.26'), kubernetesVersion: '1.34' });
  assert.ok(old.steps.every((s) => s.status.every((row) => row.fields === undefined)), 'no such field before 1.35 (alpha, off)');
});
