// What the target Kubernetes release changes in a simulation: feature gate defaults from
// kubernetes/kubernetes pkg/features/kube_features.go (defaultVersionedKubernetesFeatureGates),
// and job_controller.go delayTerminalCondition() (1.31+), managedByExternalController (syncJob
// skips a Job another controller manages), onlyReplaceFailedPods; stateful_set_control.go
// (MaxUnavailableStatefulSet).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { releaseBehaviour } from '../../server/src/engine/release-behaviour';
import { simulate, type SimulationResult } from '../../server/src/engine';

test('gate defaults per release, and a release newer than the table behaves as the newest', () => {
  const b = (v: string) => releaseBehaviour(v);
  assert.deepEqual([b('1.34').statefulSetMaxUnavailable, b('1.35').statefulSetMaxUnavailable], [false, true]);
  assert.deepEqual([b('1.31').jobManagedBy, b('1.32').jobManagedBy], [false, true]);
  assert.deepEqual([b('1.30').jobSuccessPolicy, b('1.31').jobSuccessPolicy], [false, true]);
  assert.deepEqual([b('1.28').jobBackoffLimitPerIndex, b('1.29').jobBackoffLimitPerIndex], [false, true]);
  assert.deepEqual([b('1.28').jobPodReplacementPolicy, b('1.29').jobPodReplacementPolicy], [false, true]);
  // delayTerminalCondition() arrived in 1.31 (JobPodReplacementPolicy was on before that).
  assert.deepEqual([b('1.30').jobDelayTerminalCondition, b('1.31').jobDelayTerminalCondition], [false, true]);
  assert.deepEqual({ ...b('1.40'), release: '' }, { ...b('1.35'), release: '' });
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

test('StatefulSet maxUnavailable: two pods at a time from 1.35 (beta, on), one at a time before', () => {
  assert.equal(firstDeletes(simulate({ objects: [sts('db:2')], before: sts('db:1'), kubernetesVersion: '1.35' })), 2);
  assert.equal(firstDeletes(simulate({ objects: [sts('db:2')], before: sts('db:1'), kubernetesVersion: '1.34' })), 1);
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
