// Two pod fields whose meaning depends on the release's feature gates (pkg/features/kube_features.go):
// - pod-level spec.resources (PodLevelResources: alpha 1.32, beta and on from 1.34): the scheduler
//   counts them through component-helpers/resource/helpers.go PodRequests (applyPodLevelResources),
//   as noderesources/fit.go computePodResourceRequest and resource_allocation.go
//   calculatePodResourceRequest call it; pkg/apis/core/v1/defaults.go defaultPodRequests fills a
//   missing pod-level request; dropDisabledPodLevelResources (pkg/api/pod/util.go) drops the field
//   while the gate is off.
// - a container's restartPolicy and restartPolicyRules (ContainerRestartRules: alpha 1.34, beta and
//   on from 1.35): the kubelet decides a restart with pkg/kubelet/container/helpers.go
//   ContainerShouldRestart; dropContainerRestartRules drops them while the gate is off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podNonZeroRequests, podRequests } from '../../server/src/engine/scheduler/requests';
import { containerShouldRestart, restartAfterExit } from '../../server/src/engine/world/container-restart';
import { podsAtStep, simulate, type SimulateOptions, type SimulationResult } from '../../server/src/engine';

test('PodRequests: pod-level requests replace the containers\' aggregate for cpu and memory; overhead on top', () => {
  const spec = {
    resources: { requests: { cpu: '1', memory: '1Gi' } },
    containers: [{ name: 'a', resources: { requests: { cpu: '2', memory: '512Mi', 'ephemeral-storage': '1Gi' } } }, { name: 'b', resources: { requests: { cpu: '1' } } }],
    overhead: { cpu: '100m' },
  };
  // cpu: 1 (pod) + 100m overhead; memory: 1Gi (pod); ephemeral-storage is not a pod-level resource: the containers'.
  assert.deepEqual(podRequests(spec), { cpu: 1100, memory: 1024 ** 3, 'ephemeral-storage': 1024 ** 3 });
  // Scoring's NonMissingContainerRequests fill containers first; the pod-level values still win.
  assert.equal(podNonZeroRequests({ resources: { requests: { cpu: '300m' } }, containers: [{ name: 'a' }] }).cpu, 300);
});

test('defaultPodRequests: with pod-level limits, a missing pod-level request takes the containers\' request, else the limit', () => {
  // Worked example of scheduler/requests.ts podLevelRequests: cpu from the container (500m), memory from the pod limit (1Gi).
  const spec = { resources: { limits: { cpu: '2', memory: '1Gi' } }, containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }] };
  assert.deepEqual(podRequests(spec), { cpu: 500, memory: 1024 ** 3 });
});

const deployment = (podSpec: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } },
});
const pendingReason = (r: SimulationResult) => podsAtStep(r, r.steps.length - 1).find((p) => p.phase === 'Pending')?.reason;

test('the scheduler fits a pod by its pod-level requests from 1.34; 1.33 drops them (gate off by default) and counts the containers', () => {
  // The embedded default cluster's workers offer 4 cpu: the pod asks for 6 at pod level, its container for 1.
  const big = deployment({ resources: { requests: { cpu: '6' } }, containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '1' } } }] });
  const r134 = simulate({ objects: [big], kubernetesVersion: '1.34' });
  assert.match(pendingReason(r134) ?? '', /^0\/4 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 3 Insufficient cpu\./);
  const r133 = simulate({ objects: [big], kubernetesVersion: '1.33' });
  assert.equal(pendingReason(r133), undefined);
  assert.equal(r133.summary.completed, true);
  assert.ok(r133.notes.some((n) => n === 'on Kubernetes 1.33 the PodLevelResources feature gate is off by default (alpha): the API server drops spec.resources from the pods (pkg/api/pod/util.go dropDisabledFields), so kdry simulates them without'), r133.notes.join('\n'));
  // And the reverse: containers asking 6 cpu in all fit under a 2-cpu pod-level request.
  const shared = deployment({ resources: { requests: { cpu: '2' } }, containers: [{ name: 'a', image: 'nginx', resources: { requests: { cpu: '3' } } }, { name: 'b', image: 'nginx', resources: { requests: { cpu: '3' } } }] });
  assert.equal(simulate({ objects: [shared], kubernetesVersion: '1.35' }).summary.completed, true);
  assert.match(pendingReason(simulate({ objects: [shared], kubernetesVersion: '1.33' })) ?? '', /Insufficient cpu/);
});

test('pods with resourceClaims (DRA) are placed without devices, and the run says so once; a release that drops the field says that instead', () => {
  const claimed = deployment({
    resourceClaims: [{ name: 'gpu', resourceClaimTemplateName: 'one-gpu' }],
    containers: [{ name: 'train', image: 'trainer:1', resources: { claims: [{ name: 'gpu' }] } }],
  });
  const dra = (r: SimulationResult) => r.notes.filter((n) => n.includes('dynamic resource allocation'));
  const r135 = simulate({ objects: [claimed], kubernetesVersion: '1.35' });
  assert.equal(r135.summary.completed, true);
  assert.equal(dra(r135).length, 1, r135.notes.join('\n'));
  assert.match(dra(r135)[0], /kdry allocates no devices and places the pods as if they claimed none/);
  assert.deepEqual(dra(simulate({ objects: [deployment({ containers: [{ name: 'a', image: 'nginx' }] })], kubernetesVersion: '1.35' })), []);
  // DynamicResourceAllocation is off by default before 1.34: the API server drops the claims (the dropped-field note).
  const r133 = simulate({ objects: [claimed], kubernetesVersion: '1.33' });
  assert.deepEqual(dra(r133), []);
  assert.ok(r133.notes.some((n) => n.includes('DynamicResourceAllocation feature gate is off by default')), r133.notes.join('\n'));
});

test('ContainerShouldRestart: rules first, then the container\'s restartPolicy, then the pod\'s', () => {
  const rules = { restartPolicy: 'Never', restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }] };
  assert.equal(containerShouldRestart(rules, { restartPolicy: 'Never' }, 42), true);
  assert.equal(containerShouldRestart(rules, { restartPolicy: 'Never' }, 1), false);
  const notIn = { restartPolicy: 'Never', restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'NotIn', values: [0, 3] } }] };
  assert.deepEqual([0, 3, 7].map((code) => containerShouldRestart(notIn, { restartPolicy: 'Always' }, code)), [false, false, true]);
  // The container's own policy overrides the pod's; without one, the pod's (unset means Always).
  assert.equal(containerShouldRestart({ restartPolicy: 'OnFailure' }, { restartPolicy: 'Never' }, 1), true);
  assert.equal(containerShouldRestart({ restartPolicy: 'Never' }, { restartPolicy: 'Always' }, 1), false);
  assert.deepEqual([0, 1].map((code) => containerShouldRestart({}, { restartPolicy: 'OnFailure' }, code)), [false, true]);
  assert.equal(containerShouldRestart({}, {}, 0), true);
});

const job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'work' },
  spec: {
    backoffLimit: 1,
    template: {
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 5'], restartPolicy: 'Never', restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }] }],
      },
    },
  },
};
const run = (exitCode: number, kubernetesVersion: string) => simulate({ objects: [job], faults: { podExit: { exitCode } } as SimulateOptions['faults'], kubernetesVersion, maxSeconds: 120 });
const podEvents = (r: SimulationResult) => r.steps.flatMap((s) => s.events).filter((e) => e.object.startsWith('pod/')).map((e) => e.message);
const failedPods = (r: SimulationResult) => new Set(r.steps.flatMap((s) => podsAtStep(r, r.steps.indexOf(s))).filter((p) => p.phase === 'Failed').map((p) => p.name)).size;

test('restartPolicyRules on 1.35: exit 42 restarts the container in place (no pod fails); exit 1 matches no rule and the pod fails', () => {
  const restarted = run(42, '1.35');
  assert.equal(failedPods(restarted), 0);
  assert.ok(podEvents(restarted).includes('Back-off restarting failed container'), podEvents(restarted).join('\n'));
  assert.ok(Math.max(...podsAtStep(restarted, restarted.steps.length - 1).map((p) => p.restarts ?? 0)) >= 2);
  assert.equal(podsAtStep(restarted, restarted.steps.length - 1)[0].reason, 'CrashLoopBackOff');
  const failed = run(1, '1.35');
  assert.ok(failedPods(failed) >= 1);
  assert.ok(!podEvents(failed).includes('Back-off restarting failed container'));
});

test('restartPolicyRules on 1.34 (gate off by default): the API server drops them, the pod\'s Never decides and exit 42 fails the pod', () => {
  const r = run(42, '1.34');
  assert.ok(failedPods(r) >= 1);
  assert.ok(!podEvents(r).includes('Back-off restarting failed container'));
  assert.ok(r.notes.some((n) => n.startsWith('on Kubernetes 1.34 the ContainerRestartRules feature gate is off by default (alpha): the API server drops restartPolicy and restartPolicyRules of containers')), r.notes.join('\n'));
});

test('restartPolicyRules are judged on every container: one restarting keeps the pod Running (never Ready again); none restarting fails it', () => {
  // pkg/kubelet/kubelet_pods.go getPhase with ContainerRestartRules: all containers stopped and at
  // least one restartable (ContainerShouldRestart per container) -> Running; none -> Failed.
  const rule = { restartPolicy: 'Never', restartPolicyRules: [{ action: 'Restart', exitCodes: { operator: 'In', values: [42] } }] };
  const twoContainers = (first: Record<string, unknown>, second: Record<string, unknown>) => ({
    ...job,
    spec: { ...job.spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'log', image: 'busybox', command: ['sh', '-c', 'sleep 5'], ...first }, { name: 'main', image: 'busybox', command: ['sh', '-c', 'sleep 5'], ...second }] } } },
  });
  const runJob = (object: unknown) => simulate({ objects: [object], faults: { podExit: { exitCode: 42 } } as SimulateOptions['faults'], kubernetesVersion: '1.35', maxSeconds: 120 });
  // The rule sits on the second container only: judging the first alone failed the pod.
  const second = runJob(twoContainers({}, rule));
  assert.equal(failedPods(second), 0);
  assert.ok(podEvents(second).includes('Back-off restarting failed container'));
  const last = podsAtStep(second, second.steps.length - 1);
  assert.equal(last.length, 1);
  assert.equal(last[0].phase, 'Running');
  assert.equal(second.steps.some((s, i) => podsAtStep(second, i).some((p) => p.ready && (p.restarts ?? 0) > 0)), false, 'never Ready after the first exit');
  // Neither container restarts on 1: the pod fails.
  assert.ok(failedPods(simulate({ objects: [twoContainers({}, rule)], faults: { podExit: { exitCode: 1 } } as SimulateOptions['faults'], kubernetesVersion: '1.35', maxSeconds: 120 })) >= 1);
  // Both restart on 42: the same as one container.
  assert.equal(failedPods(runJob(twoContainers(rule, rule))), 0);
});

test('restartAfterExit: which containers stay terminated', () => {
  const spec = { restartPolicy: 'Never', containers: [{ name: 'a', restartPolicy: 'OnFailure' }, { name: 'b' }] };
  assert.deepEqual(restartAfterExit(spec, 1), { restart: true, stopped: ['b'] });
  assert.deepEqual(restartAfterExit(spec, 0), { restart: false, stopped: ['a', 'b'] });
  assert.deepEqual(restartAfterExit({ containers: [{ name: 'a' }] }, 0), { restart: true, stopped: [] });
});
