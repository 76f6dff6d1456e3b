// The Dry-run's admission of new pods (server/src/engine/admission.ts): policy objects of the
// simulated file refuse pods as the API server would, and the controller records FailedCreate
// with the error (replica_set.go manageReplicas, stateful_pod_control.go, job_controller.go).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { simulate } from '../../server/src/engine';

function run(text: string) {
  const result = simulate({ objects: parseManifest(text).documents.map((d) => d.value) });
  const events = result.steps.flatMap((s) => s.events ?? []);
  return { result, refusals: events.filter((e) => e.type === 'Warning' && /forbidden/.test(e.message)) };
}

const deployment = (opts: { replicas?: number; container?: string } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: ${opts.replicas ?? 2}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: "nginx:1.27"
${opts.container ?? ''}`;

test('a Namespace enforcing baseline in the file: no pod of a privileged Deployment is created, the ReplicaSet records FailedCreate', () => {
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: baseline}\n---\n';
  const { result, refusals } = run(ns + deployment({ container: '        securityContext: {privileged: true}\n' }));
  assert.equal(result.summary.peakPods, 0);
  assert.equal(result.summary.completed, false);
  // the ReplicaSet tries again when it is synced again (the Deployment's progress deadline), not in a loop
  assert.ok(refusals.length >= 1 && refusals.length <= 4, `${refusals.length} FailedCreate events`);
  assert.match(refusals[0].object, /^replicaset\.apps\/web-/);
  assert.match(refusals[0].message, /^Error creating: pods "web-[a-z0-9]+-[a-z0-9]+" is forbidden: violates PodSecurity "baseline:latest": privileged \(container "web" must not set securityContext\.privileged=true\)$/);
  // the same Deployment without the Namespace's label runs
  assert.equal(run(deployment({ container: '        securityContext: {privileged: true}\n' })).result.summary.peakPods, 2);
});

test('Pod Security `latest` is the release simulated: a probe host is refused from 1.34 (hostProbesAndHostLifecycle), not by a 1.33 API server', () => {
  const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {pod-security.kubernetes.io/enforce: baseline}\n---\n';
  const objects = parseManifest(ns + deployment({ container: '        livenessProbe:\n          httpGet: {host: example.com, port: 80}\n' })).documents.map((d) => d.value);
  const on135 = simulate({ objects, kubernetesVersion: '1.35' });
  assert.equal(on135.summary.peakPods, 0);
  const refusal = on135.steps.flatMap((s) => s.events ?? []).find((e) => /forbidden/.test(e.message));
  assert.match(refusal!.message, /violates PodSecurity "baseline:latest": probe or lifecycle host \(container "web" uses probe or lifecycle host "example\.com"\)$/);
  assert.equal(simulate({ objects, kubernetesVersion: '1.33' }).summary.peakPods, 2);
});

test('a ResourceQuota in the file: the pods that fit run, the next is refused with the quota\'s words', () => {
  const quota = 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute, namespace: shop}\nspec:\n  hard: {requests.cpu: "1"}\n---\n';
  const { result, refusals } = run(quota + deployment({ replicas: 5, container: '        resources: {requests: {cpu: 250m}}\n' }));
  assert.equal(result.summary.peakPods, 4);
  assert.match(refusals[0].message, /is forbidden: exceeded quota: compute, requested: requests\.cpu=250m, used: requests\.cpu=1, limited: requests\.cpu=1$/);
});

test('a ResourceQuota counts pod-level resources where the release honours them (PodUsageFunc; dropped before 1.34)', () => {
  // Each pod asks 1 cpu at pod level and 100m in its container; the quota allows 2 cpu.
  const quota = 'apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: compute, namespace: shop}\nspec:\n  hard: {requests.cpu: "2"}\n---\n';
  const text = quota + deployment({ replicas: 4, container: '        resources: {requests: {cpu: 100m}}\n' }).replace('      containers:\n', '      resources: {requests: {cpu: "1"}}\n      containers:\n');
  const objects = parseManifest(text).documents.map((d) => d.value);
  const refusals = (r: ReturnType<typeof simulate>) => r.steps.flatMap((s) => s.events ?? []).filter((e) => e.type === 'Warning' && /forbidden/.test(e.message));
  const on = simulate({ objects, kubernetesVersion: '1.35' });
  assert.equal(on.summary.peakPods, 2);
  assert.match(refusals(on)[0].message, /is forbidden: exceeded quota: compute, requested: requests\.cpu=1, used: requests\.cpu=2, limited: requests\.cpu=2$/);
  // 1.33: the API server drops spec.resources, so each pod counts its container's 100m and all four run.
  const off = simulate({ objects, kubernetesVersion: '1.33' });
  assert.equal(off.summary.peakPods, 4);
  assert.equal(refusals(off).length, 0);
});

test('a LimitRange Pod item reads the pod-level resources where the release honours them (PodValidateLimitFunc podLimits; dropped before 1.34)', () => {
  // Two containers limit cpu to 1500m each; the pod caps itself at 2 (each container within it).
  // The Pod item allows 2 cpu: the pod's own limit fits, the containers' 3 in all does not.
  const limits = 'apiVersion: v1\nkind: LimitRange\nmetadata: {name: limits, namespace: shop}\nspec:\n  limits:\n  - type: Pod\n    max: {cpu: "2"}\n---\n';
  const container = '        resources: {requests: {cpu: 200m}, limits: {cpu: 1500m}}\n';
  const text = limits + deployment({ container: container + '      - name: log\n        image: busybox\n' + container }).replace('      containers:\n', '      resources: {requests: {cpu: 500m}, limits: {cpu: "2"}}\n      containers:\n');
  const objects = parseManifest(text).documents.map((d) => d.value);
  const refusals = (r: ReturnType<typeof simulate>) => r.steps.flatMap((s) => s.events ?? []).filter((e) => e.type === 'Warning' && /forbidden/.test(e.message));
  const on = simulate({ objects, kubernetesVersion: '1.34' });
  assert.equal(on.summary.peakPods, 2);
  assert.equal(refusals(on).length, 0);
  // 1.33: the API server drops spec.resources, so the Pod item sees the containers' 3.
  const off = simulate({ objects, kubernetesVersion: '1.33' });
  assert.equal(off.summary.peakPods, 0);
  assert.match(refusals(off)[0].message, /is forbidden: maximum cpu usage per Pod is 2, but limit is 3$/);
});

test('a LimitRange in the file: defaults fill in, a container over max is refused; a StatefulSet says so in its words', () => {
  const limits = 'apiVersion: v1\nkind: LimitRange\nmetadata: {name: limits, namespace: shop}\nspec:\n  limits:\n  - type: Container\n    max: {cpu: "1"}\n---\n';
  assert.equal(run(limits + deployment()).result.summary.peakPods, 2, 'max is the default limit: a container without resources is admitted');
  const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: "postgres:17"
        resources: {limits: {cpu: "2"}}
`;
  const { result, refusals } = run(limits + sts);
  assert.equal(result.summary.peakPods, 0);
  assert.equal(refusals[0].message, 'create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
});
