// The warnings `kubectl apply` prints for a pod template, with upstream's texts and field paths:
// kubernetes/kubernetes pkg/api/pod/warnings_test.go (TestWarnings, TestTemplateOnlyWarnings) and
// pkg/api/node/util.go GetNodeLabelDeprecatedMessage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { checkFile } from '../../server/src/check';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { fixesOf } from '../../server/src/findings';
import { applyFix, slice } from './helpers';

const ID = 'api-server-warnings';

function warnings(text: string, kubernetesVersion = '1.35') {
  const workspace = new WorkspaceIndex();
  const file = parseManifest(text, 'file:///work/test.yaml');
  workspace.set(file);
  return checkFile(file, workspace, { ...DEFAULT_SETTINGS, kubernetesVersion }).filter((f) => f.ruleId === ID);
}

/** The upstream warning text inside each message. */
const texts = (text: string, version?: string) => warnings(text, version).map((f) => /`(.*)`\.$/.exec(f.message)?.[1] ?? f.message);

const deployment = (podSpec: string, templateMeta = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
${templateMeta}    spec:
${podSpec}`;

test('deprecated node labels in nodeSelector, node affinity and topology spread, with the replacement label as fix', () => {
  const text = deployment(`      nodeSelector:
        beta.kubernetes.io/arch: amd64
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions:
              - {key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [a]}
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: node-role.kubernetes.io/master
        whenUnsatisfiable: DoNotSchedule
        labelSelector: {matchLabels: {app: web}}
      containers: [{name: web, image: nginx:1.27}]
`);
  assert.deepEqual(texts(text), [
    'spec.template.spec.nodeSelector[beta.kubernetes.io/arch]: deprecated since v1.14; use "kubernetes.io/arch" instead',
    'spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: failure-domain.beta.kubernetes.io/zone is deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
    'spec.template.spec.topologySpreadConstraints[0].topologyKey: node-role.kubernetes.io/master is use "node-role.kubernetes.io/control-plane" instead',
  ]);
  const found = warnings(text);
  assert.deepEqual(found.map((f) => slice(text, f.range)), ['beta.kubernetes.io/arch', 'failure-domain.beta.kubernetes.io/zone', 'node-role.kubernetes.io/master']);
  let fixed = text;
  for (const f of warnings(text).reverse()) fixed = applyFix(fixed, fixesOf(f)[0]);
  assert.deepEqual(warnings(fixed), []);
  assert.match(fixed, /kubernetes\.io\/arch: amd64[\s\S]*key: topology\.kubernetes\.io\/zone[\s\S]*topologyKey: node-role\.kubernetes\.io\/control-plane/);
});

test('a topology spread or pod affinity term without labelSelector matches no pod', () => {
  const text = deployment(`      topologySpreadConstraints:
      - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway}
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 1
            podAffinityTerm: {topologyKey: kubernetes.io/hostname}
      containers: [{name: web, image: nginx:1.27}]
`);
  assert.deepEqual(texts(text), [
    'spec.template.spec.topologySpreadConstraints[0].labelSelector: a null labelSelector results in matching no pod',
    'spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector: a null labelSelector results in matching no pod',
  ]);
});

test('a later env entry that does not build on the earlier one hides it; $(NAME) in the new value does not', () => {
  const text = deployment(`      containers:
      - name: web
        image: nginx:1.27
        env:
        - {name: A, value: one}
        - {name: A, value: two}
        - {name: B, value: /x}
        - {name: B, value: $(B)/y}
        - {name: C, value: c}
        - {name: C, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
`);
  assert.deepEqual(texts(text), [
    'spec.template.spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
    'spec.template.spec.containers[0].env[5]: hides previous definition of "C", which may be dropped when using apply',
  ]);
});

test('container ports: duplicate, overlapping and ambiguous definitions across containers, and hostIP without hostPort', () => {
  const text = deployment(`      containers:
      - name: a
        image: nginx:1.27
        ports:
        - {containerPort: 80}
        - {containerPort: 81, hostPort: 81}
        - {containerPort: 82, hostPort: 82, hostIP: 10.0.0.1}
        - {name: dns, containerPort: 53, protocol: UDP, hostIP: 10.0.0.1}
      - name: b
        image: nginx:1.27
        ports:
        - {containerPort: 80, protocol: TCP}
        - {containerPort: 81}
        - {containerPort: 82, hostPort: 82}
`);
  assert.deepEqual(texts(text), [
    'spec.template.spec.containers[0].ports[3]: hostIP set without hostPort: {Name:dns HostPort:0 ContainerPort:53 Protocol:UDP HostIP:10.0.0.1}',
    'spec.template.spec.containers[1].ports[0]: duplicate port definition with spec.template.spec.containers[0].ports[0]',
    'spec.template.spec.containers[1].ports[1]: overlapping port definition with spec.template.spec.containers[0].ports[1]',
    'spec.template.spec.containers[1].ports[2]: dangerously ambiguous port definition with spec.template.spec.containers[0].ports[2]',
  ]);
});

test('fractional bytes of memory and ephemeral storage, in the canonical form Quantity.String gives', () => {
  const text = deployment(`      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests: {memory: 0.5Mi, ephemeral-storage: 1k, cpu: 0.5}
          limits: {memory: "0.5", ephemeral-storage: 100u}
`);
  // 0.5Mi = 524288 bytes (whole); "0.5" bytes = 500m; 100u bytes rounds up to 1m.
  assert.deepEqual(texts(text), [
    'spec.template.spec.containers[0].resources.limits[memory]: fractional byte value "500m" is invalid, must be an integer',
    'spec.template.spec.containers[0].resources.limits[ephemeral-storage]: fractional byte value "100u" is invalid, must be an integer',
  ]);
});

test('deprecated annotations; AppArmor annotations warn from 1.30, when the fields exist, and not where a field is set', () => {
  const meta = `      annotations:
        scheduler.alpha.kubernetes.io/critical-pod: ""
        seccomp.security.alpha.kubernetes.io/pod: runtime/default
        container.apparmor.security.beta.kubernetes.io/web: runtime/default
        container.apparmor.security.beta.kubernetes.io/side: runtime/default
`;
  const text = deployment(`      containers:
      - {name: web, image: nginx:1.27}
      - name: side
        image: busybox:1.36
        securityContext: {appArmorProfile: {type: RuntimeDefault}}
`, meta);
  const annotations = [
    'spec.template.metadata.annotations[scheduler.alpha.kubernetes.io/critical-pod]: non-functional in v1.16+; use the "priorityClassName" field instead',
    'spec.template.metadata.annotations[seccomp.security.alpha.kubernetes.io/pod]: non-functional in v1.27+; use the "seccompProfile" field instead',
  ];
  assert.deepEqual(texts(text, '1.35'), [...annotations, 'spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/web]: deprecated since v1.30; use the "appArmorProfile" field instead']);
  assert.deepEqual(texts(text, '1.29'), annotations);
});

test('a gitRepo volume warns before 1.33 and is an error from 1.33, when the kubelet no longer mounts it', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: docs
spec:
  volumes:
  - name: site
    gitRepo: {repository: "https://example.com/site.git"}
  containers:
  - {name: web, image: nginx:1.27}
`;
  const before = warnings(text, '1.32');
  assert.deepEqual(before.map((f) => [f.severity ?? 'warning', f.message]), [['warning', 'The API server accepts this Pod with a warning: `spec.volumes[0].gitRepo: deprecated in v1.11`.']]);
  assert.equal(slice(text, before[0].range), 'gitRepo');
  const after = warnings(text, '1.33');
  assert.equal(after[0].severity, 'error');
  assert.match(after[0].message, /^From Kubernetes 1\.33 the kubelet no longer mounts a `gitRepo` volume .*`git-repo volume plugin has been disabled; if necessary, it may be re-enabled by enabling the feature-gate GitRepoVolumeDriver`/);
});

test('a CronJob names the path inside its jobTemplate; a negative grace period and repeated pull secrets', () => {
  const text = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          terminationGracePeriodSeconds: -5
          imagePullSecrets: [{name: reg}, {name: reg}, {name: ""}]
          hostAliases: [{ip: 10.0.0.1, hostnames: [a]}, {ip: 10.0.0.1, hostnames: [b]}]
          containers: [{name: job, image: busybox:1.36}]
`;
  assert.deepEqual(texts(text), [
    'spec.jobTemplate.spec.template.spec.hostAliases[1].ip: duplicate ip "10.0.0.1"',
    'spec.jobTemplate.spec.template.spec.imagePullSecrets[1].name: duplicate name "reg"',
    'spec.jobTemplate.spec.template.spec.imagePullSecrets[2].name: invalid empty name ""',
    'spec.jobTemplate.spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
  ]);
});
