// The pod-security rule: a Namespace in scope labelled pod-security.kubernetes.io/* (or the
// assumed level) judges every pod template in it with the admission plugin's words
// (k8s.io/pod-security-admission admission/admission.go EvaluatePod), per mode and version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFile } from '../../server/src/check';
import { DEFAULT_SETTINGS, type KdrySettings } from '../../server/src/settings';
import { normalizeSettings } from '../../server/src/lsp/settings';
import { parseCommand } from '../../server/src/cli/args';
import { applyFix } from './helpers';
import { uri, workspaceOf } from '../scope/helpers';
import type { WorkspaceIndex } from '../../server/src/workspace';
import { fixesOf } from '../../server/src/findings';

const namespace = (labels: Record<string, string>, name = 'shop') =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n${Object.entries(labels)
    .map(([k, v]) => `    pod-security.kubernetes.io/${k}: "${v}"`)
    .join('\n')}\n`;

const deployment = (ns = 'shop', extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
${ns ? `  namespace: ${ns}\n` : ''}spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
${extra}      containers:
      - name: web
        image: "nginx:1.27"
`;

const RESTRICTED_DETAIL =
  'allowPrivilegeEscalation != false (container "web" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "web" must set securityContext.capabilities.drop=["ALL"]), ' +
  'runAsNonRoot != true (pod or container "web" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "web" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")';

function psa(workspace: WorkspaceIndex, path: string, settings: Partial<KdrySettings> = {}) {
  const file = workspace.get(uri(path))!;
  return checkFile(file, workspace, { ...DEFAULT_SETTINGS, ...settings })
    .filter((f) => f.ruleId === 'pod-security')
    .map((f) => ({ ...f, text: file.text.slice(f.range[0], f.range[1]) }));
}

/** Applies the first quick-fix of app/deploy.yaml's pod-security finding until there is none (at most 5). */
function applyFirstFixes(files: Record<string, string>): { text: string; titles: string[] } {
  let text = files['app/deploy.yaml'];
  const titles: string[] = [];
  for (let i = 0; i < 5; i++) {
    const [f] = psa(workspaceOf({ ...files, 'app/deploy.yaml': text }), 'app/deploy.yaml');
    if (!f) break;
    const [fix] = fixesOf(f);
    titles.push(fix.title);
    text = applyFix(text, fix);
  }
  return { text, titles };
}

test('enforce: the Deployment is accepted, its pods are forbidden with the API server\'s message, shown at the container that lacks the fields', () => {
  const ws = workspaceOf({ 'app/namespace.yaml': namespace({ enforce: 'restricted' }), 'app/deploy.yaml': deployment() });
  const [f, ...rest] = psa(ws, 'app/deploy.yaml');
  assert.equal(rest.length, 0, 'warn follows enforce, so one finding says both');
  assert.equal(f.severity, 'error');
  assert.equal(f.text, 'name', 'the container without a securityContext is shown by its name');
  assert.ok(f.message.includes(`the ReplicaSet records FailedCreate \`Error creating: pods "web-..." is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED_DETAIL}\``), f.message);
  assert.ok(f.message.startsWith('The Deployment is accepted (kubectl prints the same verdict as a warning), but every pod its ReplicaSet creates is forbidden'), f.message);
  assert.ok(f.message.endsWith('Namespace "shop" enforces restricted:latest (label pod-security.kubernetes.io/enforce: restricted).'), f.message);
});

test('the quick-fixes set what restricted asks, one at a time, until the pods are admitted', () => {
  const files = { 'app/namespace.yaml': namespace({ enforce: 'restricted' }), 'app/deploy.yaml': deployment() };
  const { text, titles } = applyFirstFixes(files);
  assert.deepEqual(psa(workspaceOf({ ...files, 'app/deploy.yaml': text }), 'app/deploy.yaml'), []);
  assert.deepEqual(titles, [
    'Set securityContext.allowPrivilegeEscalation: false',
    'Set securityContext.runAsNonRoot: true (the image must then run as a non-root user)',
    'Drop ALL capabilities (securityContext.capabilities.drop: ["ALL"])',
    "Set the pod's securityContext.seccompProfile.type: RuntimeDefault",
  ]);
  assert.match(text, /      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n      containers:\n      - name: web\n        image: "nginx:1.27"\n        securityContext:\n/);
});

// The trial's L4: a container written as a flow map, or with a flow-map securityContext, lost every
// per-container fix (the edit could not extend a flow map, and one container without an edit dropped the fix).
test('the quick-fixes reach containers written in flow style, and the pods are then admitted', () => {
  const flow = deployment('shop', '      initContainers: [{name: init, image: "busybox:1.36", command: ["true"]}]\n').replace('        image: "nginx:1.27"\n', '        image: "nginx:1.27"\n        securityContext: {readOnlyRootFilesystem: true}\n');
  const files = { 'app/namespace.yaml': namespace({ enforce: 'restricted' }), 'app/deploy.yaml': flow };
  const { text, titles } = applyFirstFixes(files);
  assert.deepEqual(psa(workspaceOf({ ...files, 'app/deploy.yaml': text }), 'app/deploy.yaml'), []);
  assert.equal(titles.length, 4);
  assert.match(text, /initContainers: \[\{name: init, image: "busybox:1\.36", command: \["true"\], securityContext: \{allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: \{drop: \[ALL\]\}\}\}\]/);
  assert.match(text, /securityContext: \{readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: \{drop: \[ALL\]\}\}/);
});

test('a field set to a forbidden value is shown itself; the Pod is refused outright', () => {
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: shop
spec:
  hostNetwork: true
  containers:
  - name: sh
    image: "busybox:1.36"
    securityContext:
      privileged: true
`;
  const ws = workspaceOf({ 'ns.yaml': namespace({ enforce: 'baseline', warn: 'restricted' }), 'pod.yaml': pod });
  const found = psa(ws, 'pod.yaml');
  assert.equal(found.length, 1, 'a refused Pod gets no warning (admission.go adds none to a rejected request)');
  assert.equal(found[0].text, 'hostNetwork');
  assert.equal(
    found[0].message,
    'The API server refuses this Pod: pods "debug" is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostNetwork=true), privileged (container "sh" must not set securityContext.privileged=true). ' +
      'Namespace "shop" enforces baseline:latest (label pod-security.kubernetes.io/enforce: baseline).',
  );
});

test('warn is a warning in kubectl\'s words, audit an information; a stricter warn than enforce gives both', () => {
  const warned = psa(workspaceOf({ 'ns.yaml': namespace({ warn: 'restricted', 'warn-version': 'v1.30' }), 'd.yaml': deployment() }), 'd.yaml');
  assert.equal(warned.length, 1);
  assert.equal(warned[0].severity, 'warning');
  assert.ok(warned[0].message.startsWith(`kubectl prints "Warning: would violate PodSecurity "restricted:v1.30": ${RESTRICTED_DETAIL}" (the Deployment is still created).`), warned[0].message);
  assert.ok(warned[0].message.includes('Namespace "shop" warns at restricted:v1.30 (label pod-security.kubernetes.io/warn: restricted, pod-security.kubernetes.io/warn-version: v1.30)'));

  const audited = psa(workspaceOf({ 'ns.yaml': namespace({ audit: 'restricted' }), 'd.yaml': deployment() }), 'd.yaml');
  assert.deepEqual(audited.map((f) => f.severity), ['info']);
  assert.ok(audited[0].message.startsWith('The API server admits it and records in the audit log: pod-security.kubernetes.io/audit-violations: would violate PodSecurity "restricted:latest": '));

  const both = psa(workspaceOf({ 'ns.yaml': namespace({ enforce: 'baseline', warn: 'restricted' }), 'd.yaml': deployment('shop', '      hostPID: true\n') }), 'd.yaml');
  assert.deepEqual(both.map((f) => [f.severity, f.text]), [['error', 'hostPID'], ['warning', 'hostPID']]);
  assert.ok(both[0].message.includes('violates PodSecurity "baseline:latest": host namespaces (hostPID=true)`'));
  assert.ok(both[1].message.includes(`would violate PodSecurity "restricted:latest": host namespaces (hostPID=true), ${RESTRICTED_DETAIL}`));
});

test('the policy version: a pinned version runs that version\'s checks; latest is the newest the target Kubernetes release knows', () => {
  // capabilities_restricted starts at 1.22 (check_capabilities_restricted.go)
  const old = psa(workspaceOf({ 'ns.yaml': namespace({ enforce: 'restricted', 'enforce-version': 'v1.21' }), 'd.yaml': deployment() }), 'd.yaml');
  assert.ok(old[0].message.includes('violates PodSecurity "restricted:v1.21": allowPrivilegeEscalation != false'));
  assert.ok(!old[0].message.includes('unrestricted capabilities'));
  // hostProbesAndHostLifecycle starts at 1.34: an API server of 1.33 has no such check, even for `latest`
  const probe = deployment('shop').replace('        image: "nginx:1.27"\n', '        image: "nginx:1.27"\n        livenessProbe:\n          httpGet: {host: example.com, port: 80}\n');
  const files = { 'ns.yaml': namespace({ enforce: 'baseline' }), 'd.yaml': probe };
  const on135 = psa(workspaceOf(files), 'd.yaml', { kubernetesVersion: '1.35' });
  assert.ok(on135[0].message.includes('violates PodSecurity "baseline:latest": probe or lifecycle host (container "web" uses probe or lifecycle host "example.com")'), on135[0].message);
  assert.equal(on135[0].text, 'host');
  assert.deepEqual(psa(workspaceOf(files), 'd.yaml', { kubernetesVersion: '1.33' }), []);
});

test('which Namespace: metadata.namespace or the kustomization\'s namespace, the nearest one; none when the namespace is not set', () => {
  const ns = namespace({ enforce: 'restricted' });
  assert.equal(psa(workspaceOf({ 'ns.yaml': ns, 'd.yaml': deployment('') }), 'd.yaml').length, 0, 'kubectl apply -n decides: kdry does not guess');
  assert.equal(psa(workspaceOf({ 'ns.yaml': ns, 'd.yaml': deployment('tools') }), 'd.yaml').length, 0);
  const kustomized = workspaceOf({ 'app/kustomization.yaml': 'namespace: shop\nresources: [deploy.yaml, ns.yaml]\n', 'app/ns.yaml': ns, 'app/deploy.yaml': deployment('') });
  assert.equal(psa(kustomized, 'app/deploy.yaml')[0]?.severity, 'error');
  // a Namespace only in another folder may not be the one applied: a warning that says where it is
  const far = psa(workspaceOf({ 'other/ns.yaml': ns, 'app/deploy.yaml': deployment() }), 'app/deploy.yaml');
  assert.equal(far[0].severity, 'warning');
  assert.ok(far[0].message.includes('Namespace "shop" in `other/`, a different folder enforces restricted:latest'), far[0].message);
  // two equally near Namespaces of that name that disagree: kdry cannot tell which is applied
  assert.deepEqual(psa(workspaceOf({ 'a/ns.yaml': ns, 'b/ns.yaml': namespace({ enforce: 'baseline' }), 'd.yaml': deployment() }), 'd.yaml'), []);
});

test('kdry.podSecurity.assumeLevel: the level the cluster enforces where no Namespace in scope says', () => {
  const ws = workspaceOf({ 'd.yaml': deployment('') });
  assert.deepEqual(psa(ws, 'd.yaml'), []);
  const [f] = psa(ws, 'd.yaml', { podSecurityAssumeLevel: 'restricted' });
  assert.equal(f.severity, 'error');
  assert.ok(f.message.includes('violates PodSecurity "restricted:latest"'));
  assert.ok(f.message.endsWith('the namespace is not set; kdry.podSecurity.assumeLevel assumes the cluster enforces restricted:latest.'), f.message);
  // a Namespace's own enforce label wins over the assumption
  const labelled = workspaceOf({ 'ns.yaml': namespace({ enforce: 'privileged' }), 'd.yaml': deployment() });
  assert.deepEqual(psa(labelled, 'd.yaml', { podSecurityAssumeLevel: 'restricted' }), []);
  // the setting reaches kdry from the editor, the config file and the command line
  assert.equal(normalizeSettings({ kdry: { podSecurity: { assumeLevel: 'baseline' } } }).podSecurityAssumeLevel, 'baseline');
  assert.equal(normalizeSettings({ kdry: { podSecurity: { assumeLevel: 'strict' } } }).podSecurityAssumeLevel, '');
  const cmd = parseCommand(['check', '--assume-pod-security', 'restricted', 'x.yaml']);
  assert.equal(cmd.name === 'check' && cmd.assumePodSecurity, 'restricted');
  assert.throws(() => parseCommand(['check', '--assume-pod-security', 'strict']), /--assume-pod-security must be one of privileged, baseline, restricted/);
});

test('StatefulSet and CronJob say who records FailedCreate, as their controllers do', () => {
  const sts = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: "postgres:17"
        securityContext: {privileged: true}
`;
  const [f] = psa(workspaceOf({ 'ns.yaml': namespace({ enforce: 'baseline' }), 'sts.yaml': sts }), 'sts.yaml');
  assert.equal(f.text, 'privileged');
  assert.ok(f.message.includes('FailedCreate `create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: violates PodSecurity "baseline:latest": privileged (container "db" must not set securityContext.privileged=true)`'), f.message);
  const cron = `apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          hostIPC: true
          containers: [{name: report, image: "report:1"}]
`;
  const [c] = psa(workspaceOf({ 'ns.yaml': namespace({ enforce: 'baseline' }), 'cron.yaml': cron }), 'cron.yaml');
  assert.ok(c.message.startsWith('The CronJob is accepted (kubectl prints the same verdict as a warning), but every pod of the Jobs it starts is forbidden, so none runs: each Job records FailedCreate `Error creating: pods "report-..." is forbidden: violates PodSecurity "baseline:latest": host namespaces (hostIPC=true)`'), c.message);
});

test('a Namespace whose Pod Security labels the API server cannot read is refused', () => {
  const ws = workspaceOf({ 'ns.yaml': namespace({ enforce: 'strict', 'enforce-version': '1.30' }) });
  const found = psa(ws, 'ns.yaml');
  assert.deepEqual(found.map((f) => f.text), ['"strict"', '"1.30"']);
  assert.equal(
    found[0].message,
    'The API server refuses this Namespace: Namespace "shop" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted, ' +
      'metadata.labels[pod-security.kubernetes.io/enforce-version]: Invalid value: "1.30": must be "latest" or "v1.x"]',
  );
});
