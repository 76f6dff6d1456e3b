// A `workloadRef` Rollout's verdict (argo-rollouts rollout/templateref.go Resolve): the engine runs
// it with the template of the Deployment it names in its scope, and the verdict is cached by both
// documents, so an edit of the Deployment changes what the Rollout's finding says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from './helpers';
import { runSimulationJob, VerdictCache, type SimulationJob } from '../../server/src/simulation-checks/engine-job';
import { DEFAULT_CLUSTER } from '../../server/src/engine';

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
