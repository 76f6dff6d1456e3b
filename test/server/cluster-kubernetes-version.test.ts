// The release in force in the editor, end to end over stdio: with `kdry.kubernetesVersion` empty,
// the nodes of `.kdry/cluster.yaml` decide it (their kubeletVersion, the newest minor), kdry/
// kubernetesVersion and hover say why, an explicit setting wins, and a changed cluster file is
// read again.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { ensureBuilt, LspClient, messageOf } from './lsp-client';
import type { KubernetesVersionResponse, SimulateResponse } from '../../server/src/protocol/requests';
import { BUNDLED_RELEASES } from '../../server/src/schema';
import { RESTART_RULES_POD as POD, kubeletNode as node } from '../fixtures/kubernetes-release';

let workspace: string;
let clusterFile: string;
let client: LspClient;
let settings: Record<string, unknown> = {};
before(async () => {
  ensureBuilt();
  workspace = realpathSync(mkdtempSync(join(tmpdir(), 'kdry-version-')));
  mkdirSync(join(workspace, '.kdry'));
  clusterFile = join(workspace, '.kdry', 'cluster.yaml');
  // Mid-upgrade: one node still on 1.30; the control plane is at least 1.31.
  writeFileSync(clusterFile, node('old', 'v1.30.9') + node('new', 'v1.31.4') + node('unknown'));
  writeFileSync(join(workspace, 'pod.yaml'), POD);
  client = new LspClient({ workspaceFolder: workspace, configuration: () => settings });
  await client.initialize();
});
after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

const dated = (ds: Diagnostic[]) => ds.filter((d) => d.code === 'schema' && messageOf(d).startsWith('"restartPolicyRules"')).map((d) => messageOf(d).split('. ')[0]);
const versionOf = (uri: string) => client.request<KubernetesVersionResponse>('kdry/kubernetesVersion', { uri });

test('the cluster file nodes decide the release: the newest kubelet minor, and the request and hover say why', async () => {
  const uri = pathToFileURL(join(workspace, 'pod.yaml')).href;
  const shown = await client.open(uri, POD);
  assert.deepEqual(dated(shown), ['"restartPolicyRules" is not in Kubernetes 1.31 (added in 1.34)']);
  assert.deepEqual(await versionOf(uri), { version: '1.31', source: 'cluster-file', reason: 'from .kdry/cluster.yaml: nodes run kubelet v1.31.4' });
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 7 } });
  assert.match(JSON.stringify(hover.contents), /Checked for Kubernetes 1\.31: from \.kdry\/cluster\.yaml: nodes run kubelet v1\.31\.4/);
});

test('an explicit kdry.kubernetesVersion wins over the cluster file', async () => {
  const uri = pathToFileURL(join(workspace, 'pod.yaml')).href;
  settings = { kubernetesVersion: '1.33' };
  const published = client.nextDiagnostics(uri, (p) => dated(p.diagnostics).some((m) => m.includes('1.33')));
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kdry: settings } });
  assert.deepEqual(dated((await published).diagnostics), ['"restartPolicyRules" is not in Kubernetes 1.33 (added in 1.34)']);
  assert.deepEqual(await versionOf(uri), { version: '1.33', source: 'setting', reason: 'from the kdry.kubernetesVersion setting' });

  settings = {};
  const automatic = client.nextDiagnostics(uri, (p) => dated(p.diagnostics).some((m) => m.includes('1.31')));
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kdry: settings } });
  await automatic;
  assert.equal((await versionOf(uri)).source, 'cluster-file');
});

// JobManagedBy (pkg/features/kube_features.go: beta, on by default from 1.32) makes the built-in Job
// controller leave a Job another controller manages alone (pkg/controller/job/job_controller.go
// syncJob): on the 1.31 cluster of .kdry/cluster.yaml the Dry-run still runs its pods.
test('the Dry-run simulates the automatic release: the cluster file kubelets, not the newest bundled one', async () => {
  const uri = pathToFileURL(join(workspace, 'job.yaml')).href;
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: work}\nspec:\n  managedBy: kueue.x-k8s.io/multikueue\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: c, image: busybox}]\n';
  writeFileSync(join(workspace, 'job.yaml'), job);
  await client.open(uri, job);
  const r = await client.request<SimulateResponse>('kdry/simulate', { uri });
  assert.deepEqual(r.result?.kubernetes, { version: '1.31', reason: 'from .kdry/cluster.yaml: nodes run kubelet v1.31.4' });
  assert.ok(r.result?.steps.some((s) => s.events.some((e) => e.message.startsWith('Created pod: work-'))), 'the built-in controller runs the Job on 1.31');

  settings = { kubernetesVersion: '1.35' };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kdry: settings } });
  await versionOf(uri);
  const named = await client.request<SimulateResponse>('kdry/simulate', { uri });
  assert.deepEqual(named.result?.kubernetes, { version: '1.35', reason: 'from the kdry.kubernetesVersion setting' });
  assert.ok(!named.result?.steps.some((s) => s.events.some((e) => e.message.startsWith('Created pod: work-'))), 'on 1.35 the Job is left to its manager');
  settings = {};
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { kdry: settings } });
  await versionOf(uri);
});

test('a changed cluster file is read again; without kubelet versions the newest bundled release is in force', async () => {
  const uri = pathToFileURL(join(workspace, 'pod.yaml')).href;
  const clusterUri = pathToFileURL(clusterFile).href;
  writeFileSync(clusterFile, node('a', 'v1.34.2-eks-1234'));
  const published = client.nextDiagnostics(uri, (p) => dated(p.diagnostics).length === 0);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: clusterUri, type: 2 }] });
  await published;
  assert.deepEqual(await versionOf(uri), { version: '1.34', source: 'cluster-file', reason: 'from .kdry/cluster.yaml: nodes run kubelet v1.34.2-eks-1234' });

  writeFileSync(clusterFile, node('a'));
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: clusterUri, type: 2 }] });
  const newest = BUNDLED_RELEASES[BUNDLED_RELEASES.length - 1];
  assert.deepEqual(await versionOf(uri), {
    version: newest,
    source: 'bundled',
    reason: 'the newest release kdry bundles (no node in .kdry/cluster.yaml reports status.nodeInfo.kubeletVersion)',
  });

  rmSync(clusterFile);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: clusterUri, type: 3 }] });
  assert.deepEqual(await versionOf(uri), { version: newest, source: 'bundled', reason: 'the newest release kdry bundles' });
});

test('kdry/kubernetesVersion refuses malformed parameters', async () => {
  await assert.rejects(client.request('kdry/kubernetesVersion', { uri: 42 }), /uri must be a string/);
});
