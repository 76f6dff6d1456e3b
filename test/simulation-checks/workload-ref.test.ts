// A `workloadRef` Rollout's verdict (argo-rollouts rollout/templateref.go Resolve): the engine runs
// it with the template of the Deployment it names in its scope, and the verdict is cached by both
// documents, so an edit of the Deployment changes what the Rollout's finding says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from './helpers';
import { runSimulationJob, VerdictCache, type SimulationJob } from '../../server/src/simulation-checks/engine-job';
import { capacityOf, DEFAULT_CLUSTER } from '../../server/src/engine';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { checkSimulations, SIMULATION_RULES, simulationJob, workloadsOfFiles } from '../../server/src/simulation-checks';
import { DEFAULT_KUBERNETES_VERSION } from '../../server/src/settings';

const deploymentYaml = (cpu: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests:
              cpu: "${cpu}"
`;

const rolloutYaml = `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web-rollout
spec:
  replicas: 2
  workloadRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  strategy:
    canary:
      steps:
        - setWeight: 50
`;

test('a workloadRef Rollout gets the verdict of the Deployment template it runs, on its workloadRef line', () => {
  const checked = simulate([rolloutYaml, deploymentYaml('64')], DEFAULT_CLUSTER, 'unschedulable-replicas');
  assert.equal(checked.findings.length, 1, JSON.stringify(checked.findings));
  const [finding] = checked.findings;
  assert.match(finding.message, /0\/\d+ nodes are available: .*Insufficient cpu/);
  assert.equal(checked.at(finding), 'workloadRef', 'the template comes from there');
  // a request that fits: nothing to say
  assert.equal(simulate([rolloutYaml, deploymentYaml('100m')], DEFAULT_CLUSTER, 'unschedulable-replicas').findings.length, 0);
});

test('without its Deployment in scope the Rollout gets no verdict (custom-resource and the references say why)', () => {
  assert.equal(simulate([rolloutYaml], DEFAULT_CLUSTER).findings.length, 0);
});

test('the verdict cache keys a workloadRef Rollout by its own source and its Deployment\'s', () => {
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web-rollout' }, spec: { replicas: 2, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, strategy: { canary: { steps: [{ setWeight: 50 }] } } } };
  const deployment = (cpu: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu } } }] } } } });
  const job = (cpu: string): SimulationJob => ({ clusterKey: 'c', nodes: DEFAULT_CLUSTER, release: '1.35', scopes: [], workloads: [{ key: 'r', source: 'rollout-text', object: rollout, referenced: { source: `deployment-text-${cpu}`, object: deployment(cpu) } }] });
  const cache = new VerdictCache();
  assert.equal(runSimulationJob(job('100m'), cache)!.verdicts.r.pending, undefined);
  // same Rollout text, another Deployment: simulated again, not served from the cache
  assert.ok(runSimulationJob(job('64'), cache)!.verdicts.r.pending, 'the 64-CPU template cannot be placed');
});

// The scope placed together (the capacity report, the checks' clashes): a workloadRef Rollout's
// pods take the referenced template's room (rollout/templateref.go Resolve).
const rolloutTo = (target: string, scaleDown?: string) =>
  rolloutYaml.replace('name: web\n', `name: ${target}\n${scaleDown ? `    scaleDown: ${scaleDown}\n` : ''}`);

function capacityOfFolder(files: Record<string, string>) {
  const workspace = new WorkspaceIndex();
  const uris = Object.keys(files).map((name) => `file:///ws/app/${name}`);
  for (const [i, text] of Object.values(files).entries()) workspace.set(parseManifest(text, uris[i]));
  const found = workloadsOfFiles(workspace, uris);
  const report = capacityOf(found.workloads, DEFAULT_CLUSTER)!;
  const requested = (name: string) => report.workloads.find((w) => w.name === name);
  return { found, report, requested };
}

test("capacity places a workloadRef Rollout with the referenced Deployment's template, the one it names now", () => {
  const web = deploymentYaml('100m');
  const web2 = deploymentYaml('300m').replace('name: web\n', 'name: web2\n');
  const usedCpu = (r: ReturnType<typeof capacityOfFolder>) => r.report.nodes.reduce((sum, n) => sum + (n.requested.cpu ?? 0), 0);
  // millicores requested: Deployments 2 x 100m + 2 x 300m, and the Rollout's 2 pods: with web's template 200m, with web2's 600m
  const toWeb = capacityOfFolder({ 'rollout.yaml': rolloutTo('web'), 'deploy.yaml': `${web}---\n${web2}` });
  assert.equal(usedCpu(toWeb), 200 + 600 + 200);
  const toWeb2 = capacityOfFolder({ 'rollout.yaml': rolloutTo('web2'), 'deploy.yaml': `${web}---\n${web2}` });
  assert.equal(usedCpu(toWeb2), 200 + 600 + 600);
  // a template that fits nowhere leaves the Rollout's pods Pending with the scheduler's words
  const big = capacityOfFolder({ 'rollout.yaml': rolloutTo('web'), 'deploy.yaml': deploymentYaml('64') });
  assert.match(big.report.workloads.find((w) => w.kind === 'Rollout')!.message ?? '', /Insufficient cpu/);
});

test('capacity: scaleDown onsuccess/progressively leaves the referenced Deployment at 0; an unresolved reference is not placed', () => {
  const web = deploymentYaml('100m');
  for (const policy of ['onsuccess', 'progressively']) {
    const { report } = capacityOfFolder({ 'rollout.yaml': rolloutTo('web', policy), 'deploy.yaml': web });
    assert.equal(report.nodes.reduce((sum, n) => sum + (n.requested.cpu ?? 0), 0), 200, `${policy}: only the Rollout's 2 pods`);
  }
  const never = capacityOfFolder({ 'rollout.yaml': rolloutTo('web', 'never'), 'deploy.yaml': web });
  assert.equal(never.report.nodes.reduce((sum, n) => sum + (n.requested.cpu ?? 0), 0), 400);
  const missing = capacityOfFolder({ 'rollout.yaml': rolloutTo('nowhere') });
  assert.equal(missing.found.workloads.length, 0);
  assert.deepEqual(missing.found.refused.map((r) => r.errors), [['The Rollout "web-rollout" is invalid: spec.workloadRef: deployments.apps "nowhere" not found (not in this scope)']]);
});

test("the checks' placement of a scope keys and places a workloadRef Rollout by its referenced template", () => {
  const rollout = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web-rollout' }, spec: { replicas: 2, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, strategy: { canary: { steps: [{ setWeight: 50 }] } } } };
  const deployment = (cpu: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu } } }] } } } });
  const job = (cpu: string): SimulationJob => ({
    clusterKey: 'c', nodes: DEFAULT_CLUSTER, release: '1.35', scopes: [{ id: 'app', members: ['r', 'd'] }],
    workloads: [
      { key: 'r', source: 'rollout-text', object: rollout, referenced: { source: `deployment-text-${cpu}`, object: deployment(cpu) } },
      { key: 'd', source: `deployment-text-${cpu}`, object: deployment(cpu) },
    ],
  });
  const cache = new VerdictCache();
  const share = (cpu: string) => runSimulationJob(job(cpu), cache)!.placements.app!.find((p) => p.key === 'r')!;
  assert.deepEqual([share('100m').placed, share('100m').pending], [2, 0]);
  // the same Rollout text with a template that fits nowhere: placed again, its pods Pending
  assert.deepEqual([share('64').placed, share('64').pending], [0, 2]);
});

test("the checks' placement leaves the Deployment a Rollout scales down at 0, matched by its source, as Capacity does", () => {
  const rollout = (scaleDown: string) => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web-rollout' }, spec: { replicas: 2, workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', scaleDown }, strategy: { canary: { steps: [{ setWeight: 50 }] } } } });
  const deployment = () => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } } } });
  // separate copies of the Deployment, as the worker gets them (structured clones)
  const job = (scaleDown: string): SimulationJob => ({
    clusterKey: 'c', nodes: DEFAULT_CLUSTER, release: '1.35', scopes: [{ id: 'app', members: ['r', 'd'] }],
    workloads: [
      { key: 'r', source: `rollout-text-${scaleDown}`, object: rollout(scaleDown), referenced: { source: 'deployment-text', object: deployment() } },
      { key: 'd', source: 'deployment-text', object: deployment() },
    ],
  });
  const placedOf = (scaleDown: string) => Object.fromEntries(runSimulationJob(job(scaleDown))!.placements.app!.map((p) => [p.key, p.placed]));
  assert.deepEqual(placedOf('onsuccess'), { r: 2, d: 0 });
  assert.deepEqual(placedOf('progressively'), { r: 2, d: 0 });
  assert.deepEqual(placedOf('never'), { r: 2, d: 2 });
});

test('capacity zeroes the Deployment the reference resolved to: a Rollout in namespace default and a Deployment with none', () => {
  const rollout = rolloutTo('web', 'onsuccess').replace('  name: web-rollout\n', '  name: web-rollout\n  namespace: default\n');
  const { report } = capacityOfFolder({ 'rollout.yaml': rollout, 'deploy.yaml': deploymentYaml('100m') });
  assert.equal(report.nodes.reduce((sum, n) => sum + (n.requested.cpu ?? 0), 0), 200, "only the Rollout's 2 pods");
});

test("a kustomization's namespace puts a Rollout written in it and a Deployment without one together: checks and Capacity resolve the reference", () => {
  const rollout = rolloutTo('web', 'onsuccess').replace('  name: web-rollout\n', '  name: web-rollout\n  namespace: prod\n');
  const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: prod\nresources:\n  - rollout.yaml\n  - deploy.yaml\n';
  const { found, report } = capacityOfFolder({ 'kustomization.yaml': kustomization, 'rollout.yaml': rollout, 'deploy.yaml': deploymentYaml('100m') });
  assert.deepEqual(found.refused, []);
  // the Rollout's 2 pods with web's template; web itself scaled to 0
  assert.equal(report.nodes.reduce((sum, n) => sum + (n.requested.cpu ?? 0), 0), 200);
  // the checks: the Rollout runs the Deployment's template, so a template that fits nowhere is its finding
  const workspace = new WorkspaceIndex();
  for (const [name, text] of Object.entries({ 'kustomization.yaml': kustomization, 'rollout.yaml': rollout, 'deploy.yaml': deploymentYaml('64') })) workspace.set(parseManifest(text, `file:///ws/app/${name}`));
  const cluster = { key: 'default', nodes: DEFAULT_CLUSTER, release: DEFAULT_KUBERNETES_VERSION, source: 'the embedded default cluster', nodeCount: DEFAULT_CLUSTER.length };
  const findings = checkSimulations(workspace, ['file:///ws/app/rollout.yaml'], cluster, SIMULATION_RULES).get('file:///ws/app/rollout.yaml') ?? [];
  assert.ok(findings.some((f) => f.ruleId === 'unschedulable-replicas' && /Insufficient cpu/.test(f.message)), JSON.stringify(findings));
});

// Argo scales a referenced Deployment down only through a reference that resolved: scaleDeployment
// (rollout/scale_utils.go) runs from promoteStable (sync.go, `onsuccess`) and reconcileNewReplicaSet
// (replicaset.go, `progressively`), after controller.go newRolloutContext has resolved the
// workloadRef; when Resolve fails it returns the InvalidSpec error first. Both placements of a
// scope follow it: Capacity (capacity-scope.ts) and the checks' job (engine-job.ts).
function bothPlacements(files: Record<string, string>) {
  const { report } = capacityOfFolder(files);
  const capacity = Object.fromEntries(report.workloads.map((w) => [w.name, w.placed + w.pending]));
  const workspace = new WorkspaceIndex();
  for (const [name, text] of Object.entries(files)) workspace.set(parseManifest(text, `file:///ws/app/${name}`));
  const { job } = simulationJob(workspace, ['file:///ws/app/rollout.yaml'], { key: 'default', nodes: DEFAULT_CLUSTER, release: DEFAULT_KUBERNETES_VERSION });
  const nameOf = (key: string) => (job.workloads.find((w) => w.key === key)!.object.metadata as { name: string }).name;
  const placements = Object.values(runSimulationJob(job)!.placements);
  assert.equal(placements.length, 1, 'one scope: the folder');
  const checks = Object.fromEntries((placements[0] ?? []).map((p) => [nameOf(p.key), p.placed + p.pending]));
  return { capacity, checks };
}

test('a Rollout whose workloadRef names a Deployment not in the workspace scales nothing down: Capacity and the checks keep the other Deployment running', () => {
  const other = deploymentYaml('100m').replace('name: web\n', 'name: api\n');
  for (const policy of ['onsuccess', 'progressively']) {
    const { capacity, checks } = bothPlacements({ 'rollout.yaml': rolloutTo('web', policy), 'deploy.yaml': other });
    assert.equal(capacity.api, 2, `${policy}: Capacity`);
    assert.equal(checks.api, 2, `${policy}: the checks`);
    assert.equal(checks['web-rollout'], undefined, 'the Rollout is InvalidSpec: no pods');
  }
});

test('a Rollout whose workloadRef names a Deployment in the workspace scales it to 0 in both, unless the Rollout is invalid', () => {
  const web = deploymentYaml('100m');
  const resolved = bothPlacements({ 'rollout.yaml': rolloutTo('web', 'onsuccess'), 'deploy.yaml': web });
  assert.deepEqual([resolved.capacity.web, resolved.checks.web], [0, 0]);
  assert.equal(resolved.checks['web-rollout'], 2);
  // A template of its own beside the workloadRef: Resolve's "template must be empty for workload
  // reference rollout", so the Deployment it names keeps its 2 replicas (the checks zeroed it from the workloadRef alone before).
  const withTemplate = rolloutTo('web', 'onsuccess').replace('  strategy:', '  template:\n    metadata:\n      labels: {app: web}\n  strategy:');
  const invalid = bothPlacements({ 'rollout.yaml': withTemplate, 'deploy.yaml': web });
  assert.deepEqual([invalid.capacity.web, invalid.checks.web], [2, 2]);
  assert.equal(invalid.checks['web-rollout'], undefined);
});
