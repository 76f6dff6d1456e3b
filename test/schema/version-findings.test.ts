// Version-aware findings: apiVersions the target does not serve, deprecated fields, feature gates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { checkFile } from '../../server/src/check';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace';
import { fixesOf, type Finding } from '../../server/src/findings';

function check(text: string, kubernetesVersion: string): (Finding & { text: string })[] {
  const file = parseManifest(text, 'file:///v.yaml');
  const workspace = new WorkspaceIndex();
  workspace.set(file);
  return checkFile(file, workspace, { ...DEFAULT_SETTINGS, kubernetesVersion }).map((f) => ({ ...f, text: text.slice(...f.range) }));
}

const only = (findings: (Finding & { text: string })[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);

test('an API removed before 1.29 (cited table): the release that removed it and the served apiVersion', () => {
  const pdb = 'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  minAvailable: 1\n';
  const [f] = only(check(pdb, '1.31'), 'removed-api-version');
  assert.equal(f.text, 'policy/v1beta1');
  assert.match(f.message, /^policy\/v1beta1 PodDisruptionBudget was removed in Kubernetes 1\.25: Kubernetes 1\.31 answers `no matches for kind "PodDisruptionBudget" in version "policy\/v1beta1"`/);
  assert.match(f.message, /empty spec\.selector selects every pod/);
  assert.equal(fixesOf(f)[0]?.title, 'Change apiVersion to policy/v1');
});

test('an API the data dates: flowcontrol v1beta3 is served by 1.31 with its deprecation warning, removed in 1.32', () => {
  const fs = 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: f\nspec:\n  priorityLevelConfiguration: {name: p}\n';
  const [warned] = only(check(fs, '1.31'), 'removed-api-version');
  assert.equal(warned.severity, 'warning');
  assert.equal(warned.text, 'flowcontrol.apiserver.k8s.io/v1beta3');
  // apiserver deprecation.go WarningMessage, from v1beta3's APILifecycleDeprecated 1.29 / Removed 1.32.
  assert.match(warned.message, /warns: "flowcontrol\.apiserver\.k8s\.io\/v1beta3 FlowSchema is deprecated in v1\.29\+, unavailable in v1\.32\+; use flowcontrol\.apiserver\.k8s\.io\/v1 FlowSchema"/);
  assert.equal(fixesOf(warned)[0]?.edits[0].newText, 'flowcontrol.apiserver.k8s.io/v1');
  const [f] = only(check(fs, '1.32'), 'removed-api-version');
  assert.match(f.message, /was removed in Kubernetes 1\.32/);
  assert.equal(fixesOf(f)[0]?.edits[0].newText, 'flowcontrol.apiserver.k8s.io/v1');
});

test('v1 Endpoints: deprecated from 1.33 (KEP-4974), served and stored with the warning kubectl prints', () => {
  const ep = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: external-db\nsubsets:\n  - addresses: [{ip: 10.0.0.5}]\n    ports: [{port: 5432}]\n';
  assert.deepEqual(only(check(ep, '1.32'), 'removed-api-version'), []);
  for (const release of ['1.33', '1.35']) {
    const [f] = only(check(ep, release), 'removed-api-version');
    assert.equal(f.severity, 'warning');
    assert.equal(f.message, `Kubernetes ${release} accepts Endpoints at v1 and warns: "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice".`);
    assert.deepEqual(fixesOf(f), [], 'an EndpointSlice is another shape: no apiVersion swap');
  }
});

test('an API not yet added: ValidatingAdmissionPolicy at admissionregistration.k8s.io/v1 before 1.30', () => {
  const vap = 'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: p\nspec:\n  validations: [{expression: "true"}]\n';
  const [f] = only(check(vap, '1.29'), 'removed-api-version');
  assert.match(f.message, /is not served by Kubernetes 1\.29 \(added in 1\.30\)/);
  assert.equal(fixesOf(f)[0]?.edits[0].newText, 'admissionregistration.k8s.io/v1beta1');
  assert.deepEqual(only(check(vap, '1.30'), 'removed-api-version'), []);
});

test('an alpha API is served only when enabled: an information note', () => {
  const vac = 'apiVersion: storage.k8s.io/v1alpha1\nkind: VolumeAttributesClass\nmetadata:\n  name: fast\ndriverName: csi.example.com\n';
  const [f] = only(check(vac, '1.29'), 'removed-api-version');
  assert.equal(f.severity, 'info');
  assert.match(f.message, /alpha API.*--runtime-config=storage\.k8s\.io\/v1alpha1=true/);
});

test('a beta API new since 1.24 is off by default (KEP-3136, controlplane betaAPIGroupVersionsDisabledByDefault): the same note per release', () => {
  const vac = 'apiVersion: storage.k8s.io/v1beta1\nkind: VolumeAttributesClass\nmetadata:\n  name: fast\ndriverName: csi.example.com\nparameters: {iops: "3000"}\n';
  for (const release of ['1.31', '1.33', '1.35']) {
    const [f] = only(check(vac, release), 'removed-api-version');
    assert.equal(f?.severity, 'info', release);
    assert.match(f.message, /^storage\.k8s\.io\/v1beta1 is a beta API that is off by default .*--runtime-config=storage\.k8s\.io\/v1beta1=true.*no matches for kind "VolumeAttributesClass" in version "storage\.k8s\.io\/v1beta1"/);
  }
  assert.match(only(check(vac, '1.34'), 'removed-api-version')[0].message, /Kubernetes 1\.34 serves VolumeAttributesClass at storage\.k8s\.io\/v1 by default\.$/);
  const rct = 'apiVersion: resource.k8s.io/v1beta2\nkind: ResourceClaimTemplate\nmetadata:\n  name: gpu\nspec:\n  spec:\n    devices:\n      requests:\n      - name: gpu\n        exactly: {deviceClassName: gpu.example.com}\n';
  assert.match(only(check(rct, '1.33'), 'removed-api-version')[0].message, /^resource\.k8s\.io\/v1beta2 is a beta API that is off by default/);
  // The legacy beta resources stay on until their removal (flowcontrol v1beta3 in 1.29-1.31): the test above.
});

test('a deprecated field: a warning quoting the API, and a rename to the replacement', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  serviceAccount: builder\n  containers: [{name: c, image: busybox}]\n';
  const [f] = only(check(pod, '1.35'), 'schema');
  assert.equal(f.text, 'serviceAccount');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /^spec\.serviceAccount is deprecated in Kubernetes 1\.35: Use serviceAccountName instead\.$/);
  assert.equal(fixesOf(f)[0]?.title, 'Rename "serviceAccount" to "serviceAccountName"');
  const both = only(check(pod.replace('  serviceAccount: builder\n', '  serviceAccount: builder\n  serviceAccountName: builder\n'), '1.35'), 'schema');
  assert.deepEqual(fixesOf(both[0]), [], 'no rename onto a key that is already set');
  assert.match(both[0].message, /serviceAccountName is already set: remove serviceAccount\.$/);
});

test('a field behind a feature gate: its stage and default in the target release', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  resources:\n    limits: {cpu: "1"}\n  containers: [{name: c, image: busybox}]\n';
  const old = only(check(pod, '1.33'), 'schema');
  assert.equal(old.length, 1);
  assert.equal(old[0].severity, 'info');
  assert.match(old[0].message, /^spec\.resources needs the PodLevelResources feature gate, alpha in Kubernetes 1\.33 and off by default/);
  assert.match(only(check(pod, '1.35'), 'schema')[0].message, /beta in Kubernetes 1\.35 and on by default/);
  assert.match(only(check(pod, '1.31'), 'schema')[0].message, /"resources" is not in Kubernetes 1\.31 \(added in 1\.32\)/);
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  managedBy: kueue.x-k8s.io/multikueue\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n';
  assert.match(only(check(job, '1.31'), 'schema')[0].message, /JobManagedBy feature gate, alpha in Kubernetes 1\.31 and off by default/);
  assert.deepEqual(only(check(job, '1.35'), 'schema'), [], 'GA in 1.35: nothing to say');
});

// kdry's data ends at 1.35 (kube_features.go of release-1.35); a newer target may have promoted a gate,
// so the stage is stated for the release the data knows (the trial's L5: "beta in Kubernetes 1.37").
test('a gate past kdry\'s data: the stage is stated for the newest release kdry has, unless the table dates the newer one', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  resources:\n    limits: {cpu: "1"}\n  containers: [{name: c, image: busybox}]\n';
  const [f] = only(check(pod, '1.37'), 'schema');
  assert.match(f.message, /^spec\.resources needs the PodLevelResources feature gate, beta in Kubernetes 1\.35, the newest release kdry has \(1\.37 may differ\) and on by default/);
  // MaxUnavailableStatefulSet's table has a 1.37 entry (kubernetes PR #139466): that release is stated as it is.
  const sts = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  updateStrategy:\n    rollingUpdate: {maxUnavailable: 2}\n  template:\n    metadata: {labels: {app: db}}\n    spec:\n      containers: [{name: c, image: busybox}]\n';
  const gated = only(check(sts, '1.37'), 'schema').find((g) => g.message.includes('MaxUnavailableStatefulSet'));
  assert.match(gated?.message ?? '', /MaxUnavailableStatefulSet feature gate, beta in Kubernetes 1\.37 and on by default/);
});

// A container's restartPolicy is two gates (pkg/api/pod/util.go): SidecarContainers for `Always`
// on an init container (dropDisabledFields; kube_features.go: alpha 1.28, beta on 1.29, GA 1.33)
// and ContainerRestartRules on a regular container (dropContainerRestartRules: alpha 1.34, beta on
// 1.35; before, validation.go validateContainers refuses it: "may not be set for non-init containers").
test('a sidecar (init container with restartPolicy: Always) and a regular container restartPolicy: what each release does', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: proxy\n    image: envoy:1\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: app:1\n';
  const sidecar = (v: string) => only(check(pod, v), 'schema').map((f) => [f.severity, f.message]);
  assert.deepEqual(sidecar('1.27'), [['error', 'spec.initContainers[0].restartPolicy is not in Kubernetes 1.27 (sidecar containers arrived in 1.28). kubectl apply fails with: strict decoding error: unknown field "spec.initContainers[0].restartPolicy".']]);
  const [[severity, off = '']] = sidecar('1.28');
  assert.equal(severity, 'info');
  assert.match(off, /^spec\.initContainers\[0\]\.restartPolicy needs the SidecarContainers feature gate, alpha in Kubernetes 1\.28 and off by default: .*the sidecar runs as an ordinary init container: the pod's other containers start only once it exits/);
  assert.match(sidecar('1.30')[0]?.[1] ?? '', /SidecarContainers feature gate, beta in Kubernetes 1\.30 and on by default/);
  assert.deepEqual(sidecar('1.33'), [], 'GA from 1.33');

  const regular = pod.replace('  - name: app\n    image: app:1\n', '  - name: app\n    image: app:1\n    restartPolicy: Always\n');
  const onApp = (v: string) => only(check(regular, v), 'schema').filter((f) => f.message.startsWith('spec.containers[0]')).map((f) => f.message);
  assert.deepEqual(onApp('1.33'), ['spec.containers[0].restartPolicy is not allowed on a regular container in Kubernetes 1.33 (container restart rules arrived in 1.34). The API server rejects the object: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers.']);
  assert.match(onApp('1.34')[0], /ContainerRestartRules feature gate, alpha in Kubernetes 1\.34 and off by default/);
  assert.match(onApp('1.35')[0], /ContainerRestartRules feature gate, beta in Kubernetes 1\.35 and on by default/);
});
