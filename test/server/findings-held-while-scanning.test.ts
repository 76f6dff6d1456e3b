// While the editor's workspace scan is still reading files, the findings that depend on files it
// has not read yet are held back: the first publication after an open said "Deployment "frontend"
// is not in scope (kdry looked in the workspace ...)" about a file in the same folder and withdrew
// it once the scan was in (a user trial, T6). They are published when the scan ends; the file's own
// findings (YAML, schema, single-document rules) are not held.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { checkFile } from '../../server/src/check';
import { DiagnosticsPublisher } from '../../server/src/lsp/diagnostics';
import { FileStore } from '../../server/src/lsp/files';
import { parseManifest } from '../../server/src/manifest';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { WorkspaceIndex } from '../../server/src/workspace';

const HPA_URI = 'file:///repo/apps/frontend/base/hpa.yaml';
const DEPLOYMENT_URI = 'file:///repo/apps/frontend/base/deployment.yaml';
// `minReplica` (for minReplicas) is the file's own mistake: a schema finding, judged at once.
const HPA = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: frontend
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: frontend
  minReplica: 2
  maxReplicas: 5
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: frontend
spec:
  selector:
    matchLabels: {app: frontend}
  template:
    metadata:
      labels: {app: frontend}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources: {requests: {cpu: 100m}}
`;

const rulesOf = (findings: { ruleId: string }[]) => findings.map((f) => f.ruleId).sort();

function hpaFindings(workspace: WorkspaceIndex) {
  const file = parseManifest(HPA, HPA_URI);
  workspace.set(file);
  return checkFile(file, workspace);
}

test('a reference to a file not read yet is not reported while the scan runs; once it has ended, it is', () => {
  const workspace = new WorkspaceIndex();
  workspace.scanning = true;
  assert.deepEqual(rulesOf(hpaFindings(workspace)), ['schema'], 'the schema finding is not held');
  workspace.scanning = false;
  const after = hpaFindings(workspace);
  assert.deepEqual(rulesOf(after), ['missing-reference', 'schema']);
  assert.match(after.find((f) => f.ruleId === 'missing-reference')!.message, /Deployment "frontend" is not in scope \(kdry looked in the workspace/);
});

test('the same reference, once the scan has read its file, resolves', () => {
  const workspace = new WorkspaceIndex();
  workspace.scanning = true;
  workspace.set(parseManifest(DEPLOYMENT, DEPLOYMENT_URI));
  workspace.scanning = false;
  assert.deepEqual(rulesOf(hpaFindings(workspace)), ['schema']);
});

test("a kustomization's build findings wait for the scan (a patch's object may be in a file not read yet)", () => {
  const kustomizationUri = 'file:///repo/apps/frontend/base/kustomization.yaml';
  const workspace = new WorkspaceIndex();
  workspace.set(parseManifest(DEPLOYMENT, DEPLOYMENT_URI));
  workspace.set(parseManifest('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: frontnd}\nspec: {replicas: 5}\n', 'file:///repo/apps/frontend/base/replicas.yaml'));
  const check = () => {
    const file = parseManifest('resources: [deployment.yaml]\npatchesStrategicMerge:\n- replicas.yaml\n', kustomizationUri);
    workspace.set(file);
    return checkFile(file, workspace).filter((f) => f.ruleId === 'kustomize-build').map((f) => f.message);
  };
  workspace.scanning = true;
  assert.deepEqual(check(), []);
  workspace.scanning = false;
  assert.match(check()[0] ?? '', /kustomize build fails: no object of the build is Deployment "frontnd"/);
});

test('the language server publishes the held findings when the scan ends, the file unchanged', async () => {
  const files = new FileStore();
  const published: PublishDiagnosticsParams[] = [];
  const doc = TextDocument.create(HPA_URI, 'yaml', 1, HPA);
  const publisher = new DiagnosticsPublisher({ sendDiagnostics: async (p) => void published.push(p) }, files, (uri) => (uri === HPA_URI ? doc : undefined), () => DEFAULT_SETTINGS, () => [HPA_URI]);
  let endScan!: () => void;
  const scan = files.scanning(() => new Promise<void>((resolve) => (endScan = resolve)));
  publisher.validate(HPA_URI);
  assert.deepEqual(published.map((p) => p.diagnostics.map((d) => d.code)), [['schema']]);
  endScan();
  await scan;
  // What server.ts does once the scan has read every file (addFolderFiles).
  publisher.scheduleStale();
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.deepEqual(published.map((p) => p.diagnostics.map((d) => d.code).sort()), [['schema'], ['missing-reference', 'schema']]);
});
