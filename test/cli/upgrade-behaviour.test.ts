// `kdry check --upgrade-to`: defaults and controller behaviour that change between the current and
// the target release, from kdry's cited table (server/src/schema/changed-defaults.ts):
// SetDefaults_Job (pkg/apis/batch/v1/defaults.go, 1.29), delayTerminalCondition and syncJob's
// managedBy (pkg/controller/job/job_controller.go, 1.31 and 1.32), and StatefulSet maxUnavailable
// (pkg/controller/statefulset/stateful_set_control.go, 1.37).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from './run-cli';

const FOLDER = join(__dirname, '..', 'fixtures', 'upgrade-behaviour');

interface JsonReport {
  files: { path: string; findings: { ruleId: string; severity: string; message: string; line: number }[] }[];
}

async function upgrade(from: string, to: string): Promise<string[]> {
  const r = await runCli(['check', '--format', 'json', '--no-simulation', '--kubernetes-version', from, '--upgrade-to', to, FOLDER]);
  const report = JSON.parse(r.stdout) as JsonReport;
  return report.files
    .flatMap((f) => f.findings.filter((x) => x.ruleId !== 'image-latest-tag').map((x) => `${f.path.split(/[\\/]/).pop()}:${x.line} ${x.ruleId} ${x.severity} ${x.message.split(' (')[0]}`))
    .sort();
}

test('1.28 -> 1.35: every change between, each once, on the field it concerns', async () => {
  // MaxUnavailableStatefulSet is off in 1.35 from 1.35.4 (kubernetes #137926): the gate note, not a change.
  assert.deepEqual(await upgrade('1.28', '1.35'), [
    'db.yaml:11 schema info spec.updateStrategy.rollingUpdate.maxUnavailable needs the MaxUnavailableStatefulSet feature gate, beta in Kubernetes 1.35 and off by default: unless the cluster enables it',
    'import-job.yaml:2 changed-behaviour info From Kubernetes 1.31 the Job controller first adds `FailureTarget` or `SuccessCriteriaMet` and sets `Failed` or `Complete` only once the Job\'s pods have terminated',
    'import-job.yaml:6 changed-behaviour warning From Kubernetes 1.29 a Job with a podFailurePolicy gets `podReplacementPolicy: Failed` by default',
    'queued-job.yaml:6 changed-behaviour warning From Kubernetes 1.32 the built-in Job controller leaves this Job to "kueue.x-k8s.io/multikueue"',
  ]);
});

test('only the changes after the current release: 1.31 -> 1.35, and nothing for 1.35 -> 1.35', async () => {
  assert.deepEqual(await upgrade('1.31', '1.35'), [
    'db.yaml:11 schema info spec.updateStrategy.rollingUpdate.maxUnavailable needs the MaxUnavailableStatefulSet feature gate, beta in Kubernetes 1.35 and off by default: unless the cluster enables it',
    'queued-job.yaml:6 changed-behaviour warning From Kubernetes 1.32 the built-in Job controller leaves this Job to "kueue.x-k8s.io/multikueue"',
  ]);
  assert.deepEqual(await upgrade('1.36', '1.37'), ['db.yaml:11 changed-behaviour warning From Kubernetes 1.37 `maxUnavailable: 2` takes effect'], 'MaxUnavailableStatefulSet on again (kubernetes #139466); the gate note on the same key gives way');
  assert.deepEqual(await upgrade('1.35', '1.35'), []);
});

test('a sidecar across 1.29: the gate note of the target says it now runs beside the app', async () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n  - name: proxy\n    image: envoy:1\n    restartPolicy: Always\n  containers:\n  - name: app\n    image: app:1\n';
  const r = await runCli(['check', '--format', 'json', '--kubernetes-version', '1.28', '--upgrade-to', '1.30', '-'], { stdin: pod });
  const messages = (JSON.parse(r.stdout) as JsonReport).files.flatMap((f) => f.findings.map((x) => x.message));
  assert.deepEqual(messages, ['spec.initContainers[0].restartPolicy needs the SidecarContainers feature gate, beta in Kubernetes 1.30 and on by default, so it works unless the cluster turns the gate off.']);
});

test('a gitRepo volume across 1.33 and AppArmor annotations across 1.30: the rule that judges them per release reports them in the upgrade', async () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: docs
spec:
  selector:
    matchLabels: {app: docs}
  template:
    metadata:
      labels: {app: docs}
      annotations:
        container.apparmor.security.beta.kubernetes.io/web: runtime/default
    spec:
      volumes:
      - name: site
        gitRepo: {repository: "https://example.com/site.git"}
      containers:
      - name: web
        image: nginx:1.27
        volumeMounts: [{name: site, mountPath: /usr/share/nginx/html}]
`;
  const upgrade = async (from: string, to: string) => {
    const r = await runCli(['check', '--format', 'json', '--no-simulation', '--kubernetes-version', from, '--upgrade-to', to, '-'], { stdin: deployment });
    return (JSON.parse(r.stdout) as JsonReport).files.flatMap((f) => f.findings.map((x) => `${x.line} ${x.severity} ${x.message.slice(0, 60)}`));
  };
  assert.deepEqual(await upgrade('1.32', '1.33'), ['16 error From Kubernetes 1.33 the kubelet no longer mounts a `gitRepo']);
  assert.deepEqual(await upgrade('1.29', '1.30'), ['12 warning The API server accepts this Deployment with a warning: `spec']);
  assert.deepEqual(await upgrade('1.33', '1.35'), []);
});
