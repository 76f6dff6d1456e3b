// The defaults the API server gives a built-in object when it decodes a manifest (defaults/):
// pkg/apis/apps/v1/defaults.go, batch/v1, core/v1, networking/v1, autoscaling/v2 SetDefaults_*, and
// the OpenAPI `default`s (the `+default` markers and the fields Go serialises when unset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApiServerDefaults } from '../../server/src/defaults';

type Obj = Record<string, any>;
const template = (containers: Obj[], spec: Obj = {}) => ({ metadata: { labels: { app: 'web' } }, spec: { containers, ...spec } });
const defaulted = (apiVersion: string, kind: string, value: Obj, release = '1.35') => withApiServerDefaults({ apiVersion, kind, metadata: { name: 'x' }, ...value }, apiVersion, kind, release) as Obj;

test('a Deployment gets replicas 1, a RollingUpdate strategy of 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600 (SetDefaults_Deployment)', () => {
  const d = defaulted('apps/v1', 'Deployment', { spec: { selector: { matchLabels: { app: 'web' } }, template: template([{ name: 'web', image: 'nginx:1.27' }]) } });
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.deepEqual(d.status, {}, 'the OpenAPI default of a struct Go always serialises');
  // A Recreate strategy gets no rollingUpdate.
  const recreate = defaulted('apps/v1', 'Deployment', { spec: { replicas: 3, strategy: { type: 'Recreate' }, template: template([]) } });
  assert.deepEqual([recreate.spec.replicas, recreate.spec.strategy], [3, { type: 'Recreate' }]);
});

test("the pod template: SetDefaults_PodSpec, SetDefaults_Container (imagePullPolicy from the tag), probes, ports, volumes, the downward API's apiVersion", () => {
  const containers = [
    { name: 'a', image: 'nginx:1.27', ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 }, periodSeconds: 0 }, env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] },
    { name: 'b', image: 'nginx' },
    { name: 'c', image: 'nginx:latest', imagePullPolicy: 'Never' },
    { name: 'd', image: 'registry:5000/app@sha256:abc' },
  ];
  const volumes = [{ name: 'none' }, { name: 's', secret: { secretName: 's' } }, { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }, { name: 'h', hostPath: { path: '/x' } }];
  const spec = defaulted('apps/v1', 'Deployment', { spec: { template: template(containers, { volumes }) } }).spec.template.spec;
  assert.deepEqual([spec.dnsPolicy, spec.restartPolicy, spec.securityContext, spec.terminationGracePeriodSeconds, spec.schedulerName], ['ClusterFirst', 'Always', {}, 30, 'default-scheduler']);
  assert.deepEqual(spec.containers.map((c: Obj) => c.imagePullPolicy), ['IfNotPresent', 'Always', 'Never', 'IfNotPresent']);
  const [a] = spec.containers;
  assert.deepEqual([a.terminationMessagePath, a.terminationMessagePolicy, a.resources], ['/dev/termination-log', 'File', {}]);
  assert.deepEqual(a.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(a.livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
  assert.equal(a.env[0].valueFrom.fieldRef.apiVersion, 'v1');
  assert.deepEqual(spec.volumes, [
    { name: 'none', emptyDir: {} },
    { name: 's', secret: { secretName: 's', defaultMode: 420 } },
    { name: 'p', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }], defaultMode: 420 } },
    { name: 'h', hostPath: { path: '/x', type: '' } },
  ]);
});

test('StatefulSet, DaemonSet, ReplicaSet, CronJob (SetDefaults_StatefulSet, _DaemonSet, _ReplicaSet, _CronJob)', () => {
  const sts = defaulted('apps/v1', 'StatefulSet', { spec: { template: template([]), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }] } }).spec;
  assert.deepEqual([sts.replicas, sts.podManagementPolicy, sts.updateStrategy, sts.persistentVolumeClaimRetentionPolicy, sts.revisionHistoryLimit], [1, 'OrderedReady', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, { whenDeleted: 'Retain', whenScaled: 'Retain' }, 10]);
  assert.equal(sts.volumeClaimTemplates[0].spec.volumeMode, 'Filesystem');
  const ds = defaulted('apps/v1', 'DaemonSet', { spec: { template: template([]) } }).spec;
  assert.deepEqual(ds.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(defaulted('apps/v1', 'ReplicaSet', { spec: { template: template([]) } }).spec.replicas, 1);
  const cron = defaulted('batch/v1', 'CronJob', { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: template([{ name: 'j', image: 'busybox:1' }]) } } } }).spec;
  assert.deepEqual([cron.concurrencyPolicy, cron.suspend, cron.successfulJobsHistoryLimit, cron.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  assert.equal(cron.jobTemplate.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(cron.jobTemplate.spec.backoffLimit, undefined, 'SetObjectDefaults_CronJob runs no SetDefaults_Job');
});

test('a Job (SetDefaults_Job): completions and parallelism, backoffLimit, the template labels, podReplacementPolicy per release and podFailurePolicy', () => {
  const job = defaulted('batch/v1', 'Job', { spec: { template: template([]) } });
  assert.deepEqual([job.spec.completions, job.spec.parallelism, job.spec.backoffLimit, job.spec.completionMode, job.spec.suspend, job.spec.podReplacementPolicy], [1, 1, 6, 'NonIndexed', false, 'TerminatingOrFailed']);
  assert.deepEqual(job.metadata.labels, { app: 'web' });
  const perIndex = defaulted('batch/v1', 'Job', { spec: { parallelism: 2, backoffLimitPerIndex: 1, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, template: template([]) } });
  assert.deepEqual([perIndex.spec.completions, perIndex.spec.backoffLimit, perIndex.spec.podReplacementPolicy], [undefined, 2147483647, 'Failed']);
  assert.equal(perIndex.spec.podFailurePolicy.rules[0].onPodConditions[0].status, 'True');
  // JobPodReplacementPolicy: beta (on by default) from 1.29; kdry's releases all have it.
  assert.equal(defaulted('batch/v1', 'Job', { spec: { template: template([]) } }, '1.29').spec.podReplacementPolicy, 'TerminatingOrFailed');
});

test('Pod, Service, Secret, ConfigMap, NetworkPolicy, HorizontalPodAutoscaler', () => {
  const pod = defaulted('v1', 'Pod', { spec: { hostNetwork: true, containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 8080 }], resources: { limits: { cpu: '1' }, requests: { memory: '1Gi' } } }] } }).spec;
  assert.deepEqual(pod.containers[0].resources.requests, { cpu: '1', memory: '1Gi' }, 'SetDefaults_Pod: requests default to limits');
  assert.equal(pod.containers[0].ports[0].hostPort, 8080);
  assert.equal(pod.enableServiceLinks, true);
  const svc = defaulted('v1', 'Service', { spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }).spec;
  assert.deepEqual([svc.sessionAffinity, svc.ports[0], svc.externalTrafficPolicy, svc.internalTrafficPolicy, svc.allocateLoadBalancerNodePorts], ['None', { port: 80, protocol: 'TCP', targetPort: 80 }, 'Cluster', 'Cluster', true]);
  assert.equal(defaulted('v1', 'Service', { spec: { ports: [{ port: 80 }] } }).spec.externalTrafficPolicy, undefined);
  assert.equal(defaulted('v1', 'Secret', {}).type, 'Opaque');
  assert.equal('data' in defaulted('v1', 'ConfigMap', {}), false, 'SetDefaults_ConfigMap makes data an empty map, which omitempty leaves out');
  const np = defaulted('networking.k8s.io/v1', 'NetworkPolicy', { spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } }).spec;
  assert.deepEqual([np.policyTypes, np.egress[0].ports[0].protocol], [['Ingress', 'Egress'], 'TCP']);
  const hpa = defaulted('autoscaling/v2', 'HorizontalPodAutoscaler', { spec: { maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } }).spec;
  assert.equal(hpa.minReplicas, 1);
  assert.deepEqual(hpa.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual(hpa.behavior.scaleDown, { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], stabilizationWindowSeconds: 60 });
  assert.equal(hpa.behavior.scaleUp.policies.length, 2);
});

test('the input is never mutated; a kind kdry does not model gives undefined; malformed values do not throw', () => {
  const value = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { template: { spec: { containers: [{ name: 'a' }] } } } };
  const before = JSON.stringify(value);
  withApiServerDefaults(value, 'apps/v1', 'Deployment', '1.35');
  assert.equal(JSON.stringify(value), before);
  assert.equal(withApiServerDefaults({}, 'example.com/v1', 'Widget', '1.35'), undefined);
  // A `__proto__` key in the manifest stays a key of the copy, not its prototype.
  const proto = JSON.parse('{"metadata": {"__proto__": {"polluted": true}}, "spec": {}}');
  const copy = withApiServerDefaults(proto, 'apps/v1', 'Deployment', '1.35') as Obj;
  assert.equal(Object.getPrototypeOf(copy.metadata), Object.prototype);
  assert.deepEqual(Object.keys(copy.metadata), ['__proto__']);
  for (const spec of [5, 'x', null, [], { template: 5 }, { template: { spec: { containers: 5, volumes: [null, 3] } } }, { strategy: 'x' }]) assert.doesNotThrow(() => withApiServerDefaults({ spec }, 'apps/v1', 'Deployment', '1.35'));
});

test('a release kdry does not bundle is defaulted with the schemas of the bundled release that stands for it (schema/target.ts), its own feature gates kept', () => {
  for (const release of ['1.28', '1.36', '1.37']) {
    const d = defaulted('apps/v1', 'Deployment', { spec: { template: template([{ name: 'web', image: 'nginx:1.27' }]) } }, release);
    assert.equal(d.spec.replicas, 1, release);
    assert.deepEqual(d.spec.template.spec.containers[0].resources, {}, `${release}: the OpenAPI defaults of the stand-in release`);
  }
  assert.equal(withApiServerDefaults({ spec: {} }, 'apps/v1', 'Deployment', 'not a release'), undefined);
});

// cel/condition.go objectToResolveVal reads runtime.DefaultUnstructuredConverter.ToUnstructured's output:
// resource.Quantity ToUnstructured (String(), the canonical form), core/v1 SetDefaults_ResourceList
// (Quantity.RoundUp(-3)), converter.go structToUnstructured (an omitempty map or slice of length 0 is left out).
test('quantities read as their canonical strings, resource lists rounded up to milli units', () => {
  const resources = { limits: { cpu: 1, memory: '2048Mi', 'example.com/gpu': '0.0001' }, requests: { cpu: '0.5', memory: '1e3' } };
  const volumes = [{ name: 'scratch', emptyDir: { sizeLimit: '1.5Gi' } }];
  const spec = defaulted('apps/v1', 'Deployment', { spec: { template: template([{ name: 'a', image: 'x:1', resources }], { volumes }) } }).spec.template.spec;
  assert.deepEqual(spec.containers[0].resources, { limits: { cpu: '1', memory: '2Gi', 'example.com/gpu': '1m' }, requests: { cpu: '500m', memory: '1e3' } });
  assert.equal(spec.volumes[0].emptyDir.sizeLimit, '1536Mi', 'a single quantity is not rounded, only printed canonically');
  const pod = defaulted('v1', 'Pod', { spec: { containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: 2 } } }] } }).spec;
  assert.deepEqual(pod.containers[0].resources, { limits: { cpu: '2' }, requests: { cpu: '2' } }, 'SetDefaults_Pod copies the limit, then both serialise');
  const hpa = defaulted('autoscaling/v2', 'HorizontalPodAutoscaler', { spec: { maxReplicas: 3, metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: 0.25 } } }] } }).spec;
  assert.equal(hpa.metrics[0].pods.target.averageValue, '250m');
  // Not a quantity: left as written (validation refuses it).
  assert.equal(defaulted('v1', 'Pod', { spec: { containers: [{ name: 'a', resources: { limits: { cpu: 'lots' } } }] } }).spec.containers[0].resources.limits.cpu, 'lots');
});

test('an empty map or list of an omitempty field is left out; a required one and an empty struct stay', () => {
  const d = defaulted('apps/v1', 'Deployment', { metadata: { name: 'x', labels: {}, annotations: {} }, spec: { template: template([{ name: 'a', image: 'x:1', args: [], env: [], resources: { limits: {} } }], { volumes: [], securityContext: {} }) } });
  assert.deepEqual(d.metadata, { name: 'x' });
  const spec = d.spec.template.spec;
  assert.deepEqual([spec.containers[0].args, spec.containers[0].env, spec.volumes], [undefined, undefined, undefined]);
  assert.deepEqual(spec.containers[0].resources, {}, 'limits: {} is left out; resources is a struct');
  assert.deepEqual(spec.securityContext, {});
  assert.deepEqual(defaulted('apps/v1', 'Deployment', { spec: { template: template([]) } }).spec.template.spec.containers, [], 'containers has no omitempty');
  const pod = defaulted('v1', 'Pod', { spec: { containers: [{ name: 'a', image: 'x:1', resources: { limits: {} } }] } }).spec;
  assert.deepEqual(pod.containers[0].resources, {}, 'SetDefaults_Pod makes requests an empty map too, left out as well');
});

test('imagePullPolicy from the tag parsers.ParseImageName finds (SetDefaults_Container): latest beside a digest is Always; an unparseable, digest-only or missing image is IfNotPresent', () => {
  const hex = 'a'.repeat(64);
  const cases: [string | undefined, string][] = [
    ['nginx', 'Always'],
    ['nginx:latest', 'Always'],
    [`nginx:latest@sha256:${hex}`, 'Always'],
    ['localhost:5000/team/app', 'Always'],
    ['registry.example.com/team/app:latest', 'Always'],
    ['nginx:1.27', 'IfNotPresent'],
    [`nginx@sha256:${hex}`, 'IfNotPresent'],
    ['Nginx:latest', 'IfNotPresent'],
    ['nginx@sha256:abc', 'IfNotPresent'],
    [`nginx@sha256:${'A'.repeat(64)}`, 'IfNotPresent'],
    [hex, 'IfNotPresent'],
    ['', 'IfNotPresent'],
    [undefined, 'IfNotPresent'],
  ];
  const containers = cases.map(([image], i) => (image === undefined ? { name: `c${i}` } : { name: `c${i}`, image }));
  const spec = defaulted('apps/v1', 'Deployment', { spec: { template: template(containers) } }).spec.template.spec;
  assert.deepEqual(spec.containers.map((c: Obj) => [c.name, c.imagePullPolicy]), cases.map(([, policy], i) => [`c${i}`, policy]));
});

test('Job manualSelector false from 1.29 (PR #120206); a CronJob pattern gets its status from 1.34 (PR #131525); a Namespace its name label (SetDefaults_Namespace)', () => {
  assert.equal(defaulted('batch/v1', 'Job', { spec: { template: template([]) } }).spec.manualSelector, false);
  assert.equal(defaulted('batch/v1', 'Job', { spec: { manualSelector: true, template: template([]) } }).spec.manualSelector, true);
  assert.equal(defaulted('batch/v1', 'Job', { spec: { template: template([]) } }, '1.28').spec.manualSelector, undefined);
  const cron = (release: string) => defaulted('batch/v1', 'CronJob', { spec: { schedule: '* * * * *', jobTemplate: { spec: { podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, template: template([]) } } } }, release);
  assert.equal(cron('1.34').spec.jobTemplate.spec.podFailurePolicy.rules[0].onPodConditions[0].status, 'True');
  // Before, the field stays Go's zero value (`json:"status"`, no omitempty), which validation refuses.
  assert.equal(cron('1.33').spec.jobTemplate.spec.podFailurePolicy.rules[0].onPodConditions[0].status, '');
  assert.deepEqual(defaulted('v1', 'Namespace', { metadata: { name: 'team', labels: { env: 'prod' } } }).metadata.labels, { env: 'prod', 'kubernetes.io/metadata.name': 'team' });
  assert.equal(defaulted('v1', 'Namespace', { metadata: { generateName: 'team-' } }).metadata.labels, undefined);
});

test('StatefulSet rollingUpdate.maxUnavailable 1 where MaxUnavailableStatefulSet is on by default (SetDefaults_StatefulSet): 1.37, not 1.35 or 1.36', () => {
  const strategy = (release: string) => defaulted('apps/v1', 'StatefulSet', { spec: { template: template([]) } }, release).spec.updateStrategy;
  assert.deepEqual(strategy('1.37'), { type: 'RollingUpdate', rollingUpdate: { partition: 0, maxUnavailable: 1 } });
  for (const release of ['1.35', '1.36']) assert.deepEqual(strategy(release), { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, release);
  const written = defaulted('apps/v1', 'StatefulSet', { spec: { updateStrategy: { rollingUpdate: { maxUnavailable: '50%' } }, template: template([]) } }, '1.37').spec.updateStrategy;
  assert.equal(written.rollingUpdate.maxUnavailable, '50%');
});

test('a zero non-pointer omitempty scalar is left out (omitempty-scalars.ts, from k8s.io/api types.go); a pointer keeps its zero', () => {
  const d = defaulted('apps/v1', 'Deployment', { spec: { replicas: 0, minReadySeconds: 0, paused: false, template: template([{ name: 'a', image: 'x:1', ports: [{ containerPort: 80, hostPort: 0 }], workingDir: '' }], { hostNetwork: false, serviceAccountName: '' }) } }).spec;
  assert.deepEqual([d.replicas, 'minReadySeconds' in d, 'paused' in d], [0, false, false]);
  const pod = d.template.spec;
  assert.deepEqual(['hostNetwork' in pod, 'serviceAccountName' in pod, 'workingDir' in pod.containers[0]], [false, false, false]);
  assert.deepEqual(pod.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }], 'containerPort has no omitempty; hostPort 0 is left out');
  assert.equal(defaulted('apps/v1', 'Deployment', { spec: { minReadySeconds: 10, template: template([]) } }).spec.minReadySeconds, 10);
});
