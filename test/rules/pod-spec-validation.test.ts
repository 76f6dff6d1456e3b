// The API server's validation of newer pod fields against each other (pkg/apis/core/validation/
// validation.go ValidatePodSpec), per release: a field the release drops (its gate off by default,
// pkg/api/pod/util.go dropDisabledFields) is not validated there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { checkFile } from '../../server/src/check';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace';

function messages(text: string, kubernetesVersion = '1.35', ruleId = 'pod-spec-validation'): string[] {
  const file = parseManifest(text, 'file:///p.yaml');
  const workspace = new WorkspaceIndex();
  workspace.set(file);
  return checkFile(file, workspace, { ...DEFAULT_SETTINGS, kubernetesVersion })
    .filter((f) => f.ruleId === ruleId)
    .map((f) => f.message);
}

const pod = (spec: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${spec}  containers:\n  - name: app\n    image: nginx:1.27\n`;
const rejects = (field: string) => `The API server rejects this Pod: \`${field}\`.`;

test('validateHostUsers: hostUsers false with each host namespace is Forbidden (paths HostPID/HostIPC as upstream prints them)', () => {
  const forbidden = ': Forbidden: when `pod.Spec.HostUsers` is false';
  assert.deepEqual(messages(pod('  hostUsers: false\n  hostNetwork: true\n  hostPID: true\n  hostIPC: true\n')), [
    rejects(`spec.hostNetwork${forbidden}`),
    rejects(`spec.HostPID${forbidden}`),
    rejects(`spec.HostIPC${forbidden}`),
  ]);
  assert.deepEqual(messages(pod('  hostUsers: true\n  hostNetwork: true\n')), [], 'host user namespace: nothing to check');
  assert.deepEqual(messages(pod('  hostUsers: false\n  hostNetwork: false\n')), []);
  // UserNamespacesSupport is beta and off in 1.30-1.32: the field is dropped, the pod is created (the schema's gate note says so).
  assert.deepEqual(messages(pod('  hostUsers: false\n  hostNetwork: true\n'), '1.32'), []);
  assert.equal(messages(pod('  hostUsers: false\n  hostNetwork: true\n'), '1.33').length, 1);
});

test('validateResourceClaimNames: a container claim naming no pod claim is Not found, with the names the pod has', () => {
  const claims = (podClaims: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: train}
spec:
  selector: {matchLabels: {app: train}}
  template:
    metadata: {labels: {app: train}}
    spec:
${podClaims}      initContainers:
      - {name: init, image: busybox:1.36, resources: {claims: [{name: gpu}, {name: gpu}]}}
      containers:
      - name: train
        image: train:1
        resources: {claims: [{name: gpu}, {name: tpu}]}
`;
  const two = '      resourceClaims:\n      - {name: gpu, resourceClaimTemplateName: gpu}\n      - {name: nic, resourceClaimName: nic-0}\n';
  assert.deepEqual(messages(claims(two)), [
    'The API server rejects this Deployment: `spec.template.spec.initContainers[0].resources.claims[1]: Duplicate value: "gpu"`.',
    'The API server rejects this Deployment: `spec.template.spec.containers[0].resources.claims[1]: Not found: "tpu": must be one of the names in pod.spec.resourceClaims: gpu, nic`.',
  ]);
  const none = (where: string, i: number, name: string) =>
    `The API server rejects this Deployment: \`spec.template.spec.${where}[0].resources.claims[${i}]: Not found: "${name}": must be one of the names in pod.spec.resourceClaims which is empty\`.`;
  assert.deepEqual(messages(claims('')), [
    none('initContainers', 0, 'gpu'),
    'The API server rejects this Deployment: `spec.template.spec.initContainers[0].resources.claims[1]: Duplicate value: "gpu"`.',
    none('initContainers', 1, 'gpu'),
    none('containers', 0, 'gpu'),
    none('containers', 1, 'tpu'),
  ]);
  // DynamicResourceAllocation is beta and off in 1.32-1.33: both lists are dropped, the pods are created.
  assert.deepEqual(messages(claims(two), '1.33'), []);
});

test('validatePodResourceClaim: a repeated name, and exactly one of resourceClaimName / resourceClaimTemplateName', () => {
  const spec = '  resourceClaims:\n  - {name: gpu, resourceClaimName: a, resourceClaimTemplateName: b}\n  - {name: gpu}\n';
  assert.deepEqual(messages(pod(spec)), [
    rejects('spec.resourceClaims[0]: Invalid value: core.PodResourceClaim{...}: at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified'),
    rejects('spec.resourceClaims[1].name: Duplicate value: "gpu"'),
    rejects('spec.resourceClaims[1]: Invalid value: core.PodResourceClaim{...}: must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'),
  ]);
});

test('validateResizePolicy: each resource once, cpu and memory only; not validated before 1.33 (the field is dropped)', () => {
  const spec = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resizePolicy:
    - {resourceName: cpu, restartPolicy: NotRequired}
    - {resourceName: cpu, restartPolicy: RestartContainer}
    - {resourceName: nvidia.com/gpu, restartPolicy: NotRequired}
`;
  assert.deepEqual(messages(spec), [
    rejects('spec.containers[0].resizePolicy[1]: Duplicate value: "cpu"'),
    rejects('spec.containers[0].resizePolicy: Unsupported value: "nvidia.com/gpu": supported values: "cpu", "memory"'),
  ]);
  assert.deepEqual(messages(spec, '1.32'), []);
});

test('validatePodResources: supported pod-level resources only, no claims, requests not above limits; from 1.34 (PodLevelResources on)', () => {
  const spec = pod('  resources:\n    requests: {cpu: "2", memory: 1Gi, nvidia.com/gpu: "1"}\n    limits: {cpu: 1500m, memory: 1Gi}\n    claims: [{name: gpu}]\n');
  assert.deepEqual(messages(spec), [
    rejects('spec.resources.claims: Forbidden: claims cannot be set for Resources at pod-level'),
    rejects('spec.resources.requests[nvidia.com/gpu]: Unsupported value: "nvidia.com/gpu": supported values: "cpu", "memory"'),
    rejects('spec.resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1500m'),
  ]);
  assert.deepEqual(messages(pod('  resources:\n    requests: {cpu: 1500m}\n    limits: {cpu: "1.5", hugepages-2Mi: 2Mi}\n'), '1.35'), [], 'equal amounts written differently; hugepages are supported');
  assert.deepEqual(messages(spec, '1.33'), [], 'PodLevelResources off: the field is dropped');
});

test('validatePodResourceConsistency: pod-level requests cover the containers\' aggregate (sidecars and init containers as AggregateContainerRequests counts them), no container limit above the pod\'s', () => {
  const spec = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resources:
    requests: {cpu: "1", memory: 1Gi}
    limits: {cpu: "2", memory: 2Gi}
  initContainers:
  - {name: proxy, image: envoy:1, restartPolicy: Always, resources: {requests: {cpu: 200m}}}
  - {name: migrate, image: db:1, resources: {requests: {memory: 1536Mi}}}
  containers:
  - {name: app, image: app:1, resources: {requests: {cpu: 600m}, limits: {memory: 3Gi}}}
  - {name: worker, image: app:1, resources: {limits: {cpu: 500m}}}
`;
  // cpu: 600m + 500m (worker's limit stands for its request) + 200m (sidecar) = 1300m > 1.
  // memory: containers 3Gi (app's limit as its request) > the pod's 1Gi; the init container's 1536Mi is smaller.
  assert.deepEqual(messages(spec), [
    rejects('spec.resources.requests[cpu]: Invalid value: "1": must be greater than or equal to aggregate container requests of 1300m'),
    rejects('spec.resources.requests[memory]: Invalid value: "1Gi": must be greater than or equal to aggregate container requests of 3Gi'),
    rejects('spec.resources.containers[0][memory].limits: Invalid value: "3Gi": must be less than or equal to pod limits of 2Gi'),
  ]);
  const fits = spec.replace('requests: {cpu: "1", memory: 1Gi}', 'requests: {cpu: 1300m, memory: 3Gi}').replace('limits: {cpu: "2", memory: 2Gi}', 'limits: {cpu: "2", memory: 3Gi}');
  assert.deepEqual(messages(fits), []);
  assert.deepEqual(messages(spec.replace('requests: {cpu: "1", memory: 1Gi}\n    limits: {cpu: "2", memory: 2Gi}', 'requests: {memory: 4Gi}')), [], 'a resource the pod does not name is not compared');
  assert.deepEqual(messages(spec, '1.33'), [], 'PodLevelResources off: the field is dropped');
});

test('ValidateStatefulSetSpec: ordinals.start must be non-negative (number-range)', () => {
  const sts = (start: number) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  ordinals: {start: ${start}}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: db:1}]
`;
  assert.deepEqual(messages(sts(-1), '1.35', 'number-range'), ['The API server rejects this StatefulSet: `spec.ordinals.start: Invalid value: -1: must be greater than or equal to 0`.']);
  assert.deepEqual(messages(sts(0), '1.35', 'number-range'), []);
});

test('a gated field the release drops gets its gate note, not an enum error: trafficDistribution at 1.30, hostUsers at 1.32', () => {
  const service = 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: s}\n  trafficDistribution: PreferSameNode\n  ports: [{port: 80}]\n';
  const at130 = messages(service, '1.30', 'schema');
  assert.equal(at130.length, 1, at130.join('\n'));
  assert.match(at130[0], /^spec\.trafficDistribution needs the ServiceTrafficDistribution feature gate, alpha in Kubernetes 1\.30 and off by default/);
  assert.deepEqual(messages(service.replace('PreferSameNode', 'PreferClose'), '1.31', 'schema').filter((m) => /feature gate/.test(m)).length, 1, 'beta and on in 1.31');
  const hostUsers = messages(pod('  hostUsers: false\n'), '1.32', 'schema');
  assert.match(hostUsers.join('\n'), /spec\.hostUsers needs the UserNamespacesSupport feature gate, beta in Kubernetes 1\.32 and off by default: .*the pod runs in the host's user namespace/);
});
