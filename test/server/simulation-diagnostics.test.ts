// Simulation-backed diagnostics over stdio, as an editor sees them: published after typing pauses,
// from the worker thread (dist/simulation-checks-worker.js), merged with the file's other
// diagnostics, and gone once the edit that fixes them is simulated.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './lsp-client';
import { deployment, container } from '../simulation-checks/manifests';
import { simulationRuleFixtures } from '../../server/src/simulation-checks/fixture-files';

const web = (cpu: string) => deployment('web', container(`        resources:\n          requests:\n            cpu: ${cpu}\n            memory: 256Mi\n`));
const simulated = (d: Diagnostic) => d.code === 'unschedulable-replicas';

describe('simulation-backed diagnostics in the language server', () => {
  let workspace: string;
  let client: LspClient;
  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'kdry-sim-lsp-'));
    mkdirSync(join(workspace, 'app'));
    client = new LspClient({ workspaceFolder: workspace });
    await client.initialize();
  });
  after(async () => {
    await client.shutdown();
    rmSync(workspace, { recursive: true, force: true });
  });

  it("a CPU request larger than any node gets the scheduler's message on `cpu:`; lowering it clears it", async () => {
    const uri = pathToFileURL(join(workspace, 'app', 'web.yaml')).href;
    const text = web('"8"');
    const found = client.nextDiagnostics(uri, (p) => p.diagnostics.some(simulated));
    await client.open(uri, text);
    const diagnostic = (await found).diagnostics.find(simulated)!;
    const lines = text.split('\n');
    const cpuLine = lines.findIndex((l) => l.trim().startsWith('cpu:'));
    assert.deepEqual(diagnostic.range.start, { line: cpuLine, character: lines[cpuLine].indexOf('cpu') });
    assert.ok(String(diagnostic.message).includes('0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient cpu.'), String(diagnostic.message));
    assert.equal(diagnostic.severity, 2);

    // The edit's own diagnostics come at once, without the stale finding; the worker's answer for
    // the new text has none either. (An answer that changes nothing shown is not published again,
    // so the edit also adds a Job whose own simulation finding makes this answer visible.)
    const job = simulationRuleFixtures('job-deadline-exceeded').bad[0];
    const lowered = await client.change(uri, `${web('500m')}---\n${job}`);
    assert.deepEqual(lowered.filter(simulated), []);
    const answered = await client.nextDiagnostics(uri, (p) => p.version === 2 && p.diagnostics.some((d) => d.code === 'job-deadline-exceeded'));
    assert.deepEqual(answered.diagnostics.filter(simulated), []);

    // And raising it again brings it back, from the worker's cache or a new run.
    const back = client.nextDiagnostics(uri, (p) => p.diagnostics.some(simulated));
    await client.change(uri, web('"8"'));
    assert.ok((await back).diagnostics.some(simulated));
  });

  it('kdry.rules turns a simulation rule off like any rule', async () => {
    const quiet = new LspClient({ workspaceFolder: workspace, configuration: (section) => (section === 'kdry' ? { rules: { 'unschedulable-replicas': 'off' } } : null) });
    await quiet.initialize();
    try {
      // The Job's finding comes in the same answer: once it is there, the request's would be too.
      const text = `${web('"8"')}---\n${simulationRuleFixtures('job-deadline-exceeded').bad[0]}`;
      const uri = pathToFileURL(join(workspace, 'app', 'quiet.yaml')).href;
      const answered = quiet.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'job-deadline-exceeded'));
      await quiet.open(uri, text);
      assert.deepEqual((await answered).diagnostics.filter(simulated), []);
    } finally {
      await quiet.shutdown();
    }
  });

  // The engine simulates the release the schema checks use: a Job another controller manages is
  // left to it from 1.32 (JobManagedBy, job_controller.go syncJob), run by the built-in controller in 1.31.
  it('follows the release in force: kdry.kubernetesVersion 1.31 runs a managedBy Job, 1.35 leaves it alone', async () => {
    const job = simulationRuleFixtures('job-deadline-exceeded').bad[0].replace('spec:\n  completions', 'spec:\n  managedBy: kueue.x-k8s.io/multikueue\n  completions');
    // The Deployment's finding comes in the same answer: once it is there, the Job's would be too.
    const text = `${web('"8"')}---\n${job}`;
    const deadline = (d: Diagnostic) => d.code === 'job-deadline-exceeded';
    for (const [version, expected] of [['1.31', 1], ['1.35', 0]] as const) {
      const versioned = new LspClient({ workspaceFolder: workspace, configuration: (section) => (section === 'kdry' ? { kubernetesVersion: version } : null) });
      await versioned.initialize();
      try {
        const uri = pathToFileURL(join(workspace, 'app', `managed-${version}.yaml`)).href;
        const answered = versioned.nextDiagnostics(uri, (p) => p.diagnostics.some(simulated));
        await versioned.open(uri, text);
        assert.equal((await answered).diagnostics.filter(deadline).length, expected, version);
      } finally {
        await versioned.shutdown();
      }
    }
  });
  // argo-rollouts rollout/templateref.go Resolve: a workloadRef Rollout runs the template of the
  // Deployment it names. The worker gets that Deployment with the Rollout, keyed by both, so an
  // edit that points the Rollout at another Deployment is simulated with the new one.
  it('a workloadRef Rollout is simulated with the Deployment it names, and follows an edit that names another', async () => {
    mkdirSync(join(workspace, 'argo'));
    const deployments = `${deployment('web', container('        resources:\n          requests:\n            cpu: 100m\n'), '', 2)}---\n${deployment('web2', container('        resources:\n          requests:\n            cpu: "64"\n'), '', 2)}`;
    const rollout = (target: string) => `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web-rollout
spec:
  replicas: 2
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${target}
  strategy:
    canary:
      steps:
        - setWeight: 50
`;
    const deploymentsUri = pathToFileURL(join(workspace, 'argo', 'deployments.yaml')).href;
    const uri = pathToFileURL(join(workspace, 'argo', 'rollout.yaml')).href;
    await client.open(deploymentsUri, deployments);
    const found = client.nextDiagnostics(uri, (p) => p.diagnostics.some(simulated));
    await client.open(uri, rollout('web2'));
    const diagnostic = (await found).diagnostics.find(simulated)!;
    assert.match(String(diagnostic.message), /Insufficient cpu/);
    assert.equal(diagnostic.range.start.line, rollout('web2').split('\n').findIndex((l) => l.trim() === 'workloadRef:'));
    // pointed at the Deployment that fits: the answer for the new text has no such finding (the
    // Job's own finding shows that answer came)
    const job = simulationRuleFixtures('job-deadline-exceeded').bad[0];
    await client.change(uri, `${rollout('web')}---\n${job}`);
    const answered = await client.nextDiagnostics(uri, (p) => p.version === 2 && p.diagnostics.some((d) => d.code === 'job-deadline-exceeded'));
    assert.deepEqual(answered.diagnostics.filter(simulated), []);
    // an edit of deployments.yaml alone (web's request 100m -> "64"): the Rollout's text is the
    // same, but the worker's keys hold the Deployment's source too, so it is simulated again
    const again = client.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => simulated(d) && /Insufficient cpu/.test(String(d.message))));
    await client.change(deploymentsUri, deployments.replace('cpu: 100m', 'cpu: "64"'));
    assert.ok((await again).diagnostics.some((d) => simulated(d) && /Insufficient cpu/.test(String(d.message))));
    // and back to 100m: the finding goes
    const cleared = client.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'job-deadline-exceeded') && !p.diagnostics.some(simulated));
    await client.change(deploymentsUri, deployments);
    assert.deepEqual((await cleared).diagnostics.filter(simulated), []);
  });
});
