// The limit-range and resource-quota rules over workspaces: the namespace's LimitRanges and
// ResourceQuotas in scope judge each workload's pods as the admission plugins do, and the
// LimitRange defaults reach the other checks (the autoscaler's requests, quota usage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFile } from '../../server/src/check';
import { uri, workspaceOf } from '../scope/helpers';
import type { WorkspaceIndex } from '../../server/src/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

function found(workspace: WorkspaceIndex, path: string, ruleId: string, kubernetesVersion?: string) {
  const file = workspace.get(uri(path))!;
  return checkFile(file, workspace, kubernetesVersion ? { ...DEFAULT_SETTINGS, kubernetesVersion } : DEFAULT_SETTINGS)
    .filter((f) => f.ruleId === ruleId)
    .map((f) => ({ severity: f.severity, message: f.message, text: file.text.slice(f.range[0], f.range[1]) }));
}

const deployment = (name: string, opts: { ns?: string; replicas?: number; resources?: string } = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${opts.ns === '' ? '' : `  namespace: ${opts.ns ?? 'shop'}\n`}spec:
${opts.replicas !== undefined ? `  replicas: ${opts.replicas}\n` : ''}  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${name}
        image: "nginx:1.27"
${opts.resources ?? ''}`;

const limitRange = (limits: string, ns = 'shop') => `apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: limits\n  namespace: ${ns}\nspec:\n  limits:\n${limits}`;
const quota = (hard: string, name = 'compute', ns = 'shop') => `apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  hard:\n${hard}`;

test('limit-range: a container over max is forbidden in the plugin\'s words, shown at its resources', () => {
  const ws = workspaceOf({
    'lr.yaml': limitRange('  - type: Container\n    max: {cpu: "1"}\n'),
    'web.yaml': deployment('web', { resources: '        resources:\n          limits: {cpu: 1500m}\n' }),
  });
  const [f, ...rest] = found(ws, 'web.yaml', 'limit-range');
  assert.equal(rest.length, 0);
  assert.equal(f.text, 'resources');
  assert.equal(
    f.message,
    'The Deployment is accepted, but every pod its ReplicaSet creates is forbidden, so none runs: the ReplicaSet records FailedCreate `Error creating: pods "web-..." is forbidden: maximum cpu usage per Container is 1, but limit is 1500m`. LimitRange "limits" of the namespace sets these bounds.',
  );
  // the same LimitRange in another namespace does not apply
  assert.deepEqual(found(workspaceOf({ 'lr.yaml': limitRange('  - type: Container\n    max: {cpu: "1"}\n', 'tools'), 'web.yaml': deployment('web', { resources: '        resources:\n          limits: {cpu: "2"}\n' }) }), 'web.yaml', 'limit-range'), []);
});

test('limit-range: defaults are applied before the bounds are checked (a container without resources takes max as its limit)', () => {
  const ws = workspaceOf({ 'lr.yaml': limitRange('  - type: Container\n    max: {cpu: "1"}\n    min: {cpu: 100m}\n'), 'web.yaml': deployment('web') });
  assert.deepEqual(found(ws, 'web.yaml', 'limit-range'), []);
  const pod = workspaceOf({ 'lr.yaml': limitRange('  - type: Pod\n    max: {memory: 1Gi}\n'), 'web.yaml': deployment('web', { resources: '        resources:\n          requests: {memory: 512Mi}\n' }) });
  const [f] = found(pod, 'web.yaml', 'limit-range');
  assert.ok(f.message.includes('is forbidden: maximum memory usage per Pod is 1Gi.  No limit is specified`'), f.message);
});

test('resource-quota: replicas over the quota alone are an error naming how many fit; a pod that fits nowhere is refused outright', () => {
  const five = workspaceOf({ 'q.yaml': quota('    requests.cpu: "1"\n'), 'web.yaml': deployment('web', { replicas: 5, resources: '        resources:\n          requests: {cpu: 250m}\n' }) });
  const [f] = found(five, 'web.yaml', 'resource-quota');
  assert.equal(f.severity, 'error');
  assert.equal(f.text, 'replicas');
  assert.equal(
    f.message,
    'Only 4 of the 5 pods fit the quota: the others are forbidden and the ReplicaSet records FailedCreate `Error creating: pods "web-..." is forbidden: exceeded quota: compute, requested: requests.cpu=250m, used: requests.cpu=1, limited: requests.cpu=1`.',
  );
  const big = workspaceOf({ 'q.yaml': quota('    requests.cpu: "1"\n'), 'web.yaml': deployment('web', { resources: '        resources:\n          requests: {cpu: "2"}\n' }) });
  assert.ok(found(big, 'web.yaml', 'resource-quota')[0].message.includes('every pod its ReplicaSet creates is forbidden, so none runs: the ReplicaSet records FailedCreate `Error creating: pods "web-..." is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1`'));
  assert.deepEqual(found(workspaceOf({ 'q.yaml': quota('    requests.cpu: "1"\n'), 'web.yaml': deployment('web', { replicas: 4, resources: '        resources:\n          requests: {cpu: 250m}\n' }) }), 'web.yaml', 'resource-quota'), []);
});

test('resource-quota: a quota on cpu or memory needs it on every container (failed quota: must specify)', () => {
  const ws = workspaceOf({ 'q.yaml': quota('    limits.memory: 1Gi\n    requests.cpu: "2"\n'), 'web.yaml': deployment('web', { resources: '        resources:\n          requests: {cpu: 100m}\n' }) });
  const [f] = found(ws, 'web.yaml', 'resource-quota');
  assert.ok(f.message.includes('`Error creating: pods "web-..." is forbidden: failed quota: compute: must specify limits.memory for: web`'), f.message);
  // a LimitRange default supplies it
  const defaulted = workspaceOf({ 'lr.yaml': limitRange('  - type: Container\n    default: {memory: 256Mi}\n'), 'q.yaml': quota('    limits.memory: 1Gi\n    requests.cpu: "2"\n'), 'web.yaml': deployment('web', { resources: '        resources:\n          requests: {cpu: 100m}\n' }) });
  assert.deepEqual(found(defaulted, 'web.yaml', 'resource-quota'), []);
});

test('limit-range: a Pod item reads the pod-level resources from 1.34 (podRequests/podLimits with PodLevelResources on), the containers\' totals before', () => {
  // Two containers request 300Mi and limit memory to 600Mi each; the pod asks 600Mi and caps itself
  // at 1Gi (each container's limit within the pod's, their requests within its request).
  // admission.go PodValidateLimitFunc sums the containers' limits (1200Mi, over the Pod max of 1Gi)
  // unless the pod's own memory limit stands for them.
  const podLevel = `      resources:\n        requests: {memory: 600Mi}\n        limits: {memory: 1Gi}\n`;
  const container = '        resources:\n          requests: {memory: 300Mi}\n          limits: {memory: 600Mi}\n';
  const sidecar = `      - name: log\n        image: busybox\n${container}`;
  const web = deployment('web', { resources: container }).replace('      containers:\n', `${podLevel}      containers:\n`) + sidecar;
  const ws = workspaceOf({ 'lr.yaml': limitRange('  - type: Pod\n    max: {memory: 1Gi}\n'), 'web.yaml': web });
  assert.deepEqual(found(ws, 'web.yaml', 'limit-range', '1.35'), []);
  assert.deepEqual(found(ws, 'web.yaml', 'limit-range', '1.34'), []);
  const [old, ...rest] = found(ws, 'web.yaml', 'limit-range', '1.33');
  assert.equal(rest.length, 0);
  assert.ok(old.message.includes('is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1200Mi'), old.message);
  // A pod-level limit over the Pod max is found at the pod's own resources.
  const over = workspaceOf({ 'lr.yaml': limitRange('  - type: Pod\n    max: {memory: 512Mi}\n'), 'web.yaml': web });
  const [f] = found(over, 'web.yaml', 'limit-range', '1.35');
  assert.ok(f.message.includes('is forbidden: maximum memory usage per Pod is 512Mi, but limit is 1Gi'), f.message);
  assert.equal(f.text, 'resources');
});

test('resource-quota: pod-level resources count from 1.34 (PodUsageFunc with PodLevelResources on), the containers\' before', () => {
  // Each pod asks 1 cpu at pod level; its two containers ask 200m in all. pods.go PodUsageFunc counts
  // PodRequests with SkipPodLevelResources off: 3 pods x 1 cpu over a 2-cpu quota; Constraints does
  // not ask each container for cpu when pod-level resources are set.
  const podLevel = `      resources:\n        requests: {cpu: "1"}\n`;
  const web = deployment('web', { replicas: 3 }).replace('      containers:\n', `${podLevel}      containers:\n`) + '      - name: log\n        image: busybox\n        resources:\n          requests: {cpu: 200m}\n';
  const ws = workspaceOf({ 'q.yaml': quota('    requests.cpu: "2"\n'), 'web.yaml': web });
  const [f, ...rest] = found(ws, 'web.yaml', 'resource-quota', '1.35');
  assert.equal(rest.length, 0);
  assert.equal(f.message, 'Only 2 of the 3 pods fit the quota: the others are forbidden and the ReplicaSet records FailedCreate `Error creating: pods "web-..." is forbidden: exceeded quota: compute, requested: requests.cpu=1, used: requests.cpu=2, limited: requests.cpu=2`.');
  // 1.33: the API server drops spec.resources (PodLevelResources off by default), and the quota on
  // cpu then needs it on every container: the first one has none.
  const [old] = found(ws, 'web.yaml', 'resource-quota', '1.33');
  assert.ok(old.message.includes('failed quota: compute: must specify requests.cpu for: web`'), old.message);
});

test('resource-quota: LimitRange defaults count against the quota; other workloads of the namespace make it a warning that names them', () => {
  const files = {
    'lr.yaml': limitRange('  - type: Container\n    defaultRequest: {memory: 256Mi}\n'),
    'q.yaml': quota('    requests.memory: 1Gi\n'),
    'api.yaml': deployment('api', { replicas: 3 }),
    'web.yaml': deployment('web', { replicas: 2 }),
  };
  const ws = workspaceOf(files);
  const [web] = found(ws, 'web.yaml', 'resource-quota');
  assert.equal(web.severity, 'warning');
  assert.equal(
    web.message,
    'Only 1 of the 2 pods fit the quota: the others are forbidden and the ReplicaSet records FailedCreate `Error creating: pods "web-..." is forbidden: exceeded quota: compute, requested: requests.memory=256Mi, used: requests.memory=1Gi, limited: requests.memory=1Gi`. ' +
      'Counted after the pods of Deployment "api" (3) in the same namespace; whichever is created last is refused.',
  );
  // api alone fits (3 x 256Mi): it is judged after web in the same way
  assert.equal(found(ws, 'api.yaml', 'resource-quota')[0].severity, 'warning');
  // a workload in another namespace is not counted
  assert.deepEqual(found(workspaceOf({ ...files, 'api.yaml': deployment('api', { replicas: 3, ns: 'tools' }) }), 'web.yaml', 'resource-quota'), []);
});

test('resource-quota: count/deployments.apps refuses the Deployment object itself', () => {
  const ws = workspaceOf({ 'q.yaml': quota('    count/deployments.apps: "1"\n', 'objects'), 'api.yaml': deployment('api'), 'web.yaml': deployment('web') });
  const [f] = found(ws, 'web.yaml', 'resource-quota');
  assert.equal(f.text, 'Deployment');
  assert.equal(f.severity, 'warning');
  assert.equal(
    f.message,
    'The API server refuses this Deployment: deployments.apps "web" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1. Counted after the 1 other Deployment object of the namespace in scope; whichever is applied last is refused.',
  );
  const none = workspaceOf({ 'q.yaml': quota('    count/deployments.apps: "0"\n', 'objects'), 'web.yaml': deployment('web') });
  assert.equal(found(none, 'web.yaml', 'resource-quota')[0].severity, 'error');
});

test('hpa-resource-requests: a LimitRange in the namespace supplies the request, also through its max (SetDefaults_LimitRangeItem)', () => {
  const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 1
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
`;
  const withMax = workspaceOf({ 'hpa.yaml': hpa, 'web.yaml': deployment('web'), 'lr.yaml': limitRange('  - type: Container\n    max: {cpu: "1"}\n') });
  assert.deepEqual(found(withMax, 'hpa.yaml', 'hpa-resource-requests'), []);
  const elsewhere = workspaceOf({ 'hpa.yaml': hpa, 'web.yaml': deployment('web'), 'lr.yaml': limitRange('  - type: Container\n    max: {cpu: "1"}\n', 'tools') });
  assert.equal(found(elsewhere, 'hpa.yaml', 'hpa-resource-requests').length, 1);
  const memoryOnly = workspaceOf({ 'hpa.yaml': hpa, 'web.yaml': deployment('web'), 'lr.yaml': limitRange('  - type: Container\n    defaultRequest: {memory: 64Mi}\n') });
  assert.equal(found(memoryOnly, 'hpa.yaml', 'hpa-resource-requests').length, 1, 'a default for another resource does not count');
});

test("a quota or LimitRange of a named namespace found only in another app's folder judges a namespace-less workload with a warning that says where (quotaEvaluator.checkAttributes reads only the object's namespace; docs/scope.md ring 4)", () => {
  const files = {
    'team-a/quota.yaml': quota('    requests.cpu: "1"\n', 'mem-cpu', 'team-a'),
    'team-a/limits.yaml': limitRange('  - type: Container\n    max: {cpu: "1"}\n', 'team-a'),
    'app/web.yaml': deployment('web', { ns: '', resources: '        resources:\n          requests: {cpu: "2"}\n          limits: {cpu: "2"}\n' }),
  };
  const ws = workspaceOf(files);
  const [q] = found(ws, 'app/web.yaml', 'resource-quota');
  assert.equal(q.severity, 'warning');
  assert.match(q.message, /exceeded quota: mem-cpu.* ResourceQuota "mem-cpu" was found only in `team-a\/`, a different folder, in namespace "team-a": it judges this Deployment only where both are applied to the same namespace\.$/);
  const [l] = found(ws, 'app/web.yaml', 'limit-range');
  assert.equal(l.severity, 'warning');
  assert.match(l.message, /LimitRange "limits" sets these bounds\. LimitRange "limits" was found only in `team-a\/`, a different folder, in namespace "team-a"/);
  // In the same folder they are the workload's own: an error, as before.
  const near = workspaceOf({ 'app/quota.yaml': files['team-a/quota.yaml'], 'app/web.yaml': files['app/web.yaml'] });
  assert.equal(found(near, 'app/web.yaml', 'resource-quota')[0].severity, 'error');
});
