import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate } from '../../server/src/engine/simulate';
import { nodesAtStep, podsAtStep } from '../../server/src/engine/timeline';
import type { SimulateOptions, SimulationResult } from '../../server/src/engine/types';

const MI = 1024 * 1024;

function deployment(replicas: number, image: string, strategy: Record<string, unknown> = { type: 'RollingUpdate' }, podSpec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy,
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '100m', memory: '64Mi' } } }], ...podSpec },
      },
    },
  };
}

const job = {
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'batch' },
  spec: { completions: 4, parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '250m' } } }] } } },
};

/** Real runs covering rollouts, recreate (terminating pods), a finishing Job, a node fault and delta pod lists. */
const RUNS: Record<string, SimulateOptions> = {
  rolling: { objects: [deployment(3, 'web:2')], before: deployment(3, 'web:1') },
  recreate: { objects: [deployment(4, 'web:2', { type: 'Recreate' })], before: deployment(4, 'web:1', { type: 'Recreate' }) },
  job: { objects: [job] },
  nodeNotReady: { objects: [deployment(3, 'web:1')], faults: { nodeNotReady: [{ node: 'worker-1', at: 60 }] } },
  delta: { objects: [deployment(6, 'web:2')], before: deployment(6, 'web:1'), snapshotMode: 'delta' },
};

const runs: [string, SimulationResult][] = Object.entries(RUNS).map(([name, options]) => [name, simulate(options)]);

describe('per-step node usage', () => {
  it('counts at every step the pods bound to each node and not finished, terminating ones included', () => {
    for (const [name, result] of runs) {
      assert.equal(result.problems.length, 0, name);
      for (let i = 0; i < result.steps.length; i++) {
        const expected = new Map(result.cluster.nodes.map((n) => [n, 0]));
        for (const pod of podsAtStep(result, i)) {
          if (pod.node !== undefined && pod.phase !== 'Succeeded' && pod.phase !== 'Failed') expected.set(pod.node, expected.get(pod.node)! + 1);
        }
        const counted = new Map(nodesAtStep(result, i).map((n) => [n.name, n.requested.pods ?? 0]));
        assert.deepEqual(counted, expected, `${name} step ${i}`);
      }
    }
  });

  it('sums the pod requests: cpu and memory follow the pod count of a uniform workload', () => {
    const result = runs.find(([name]) => name === 'rolling')![1];
    for (let i = 0; i < result.steps.length; i++) {
      for (const node of nodesAtStep(result, i)) {
        const pods = node.requested.pods ?? 0;
        assert.equal(node.requested.cpu ?? 0, 100 * pods, `step ${i} ${node.name}`);
        assert.equal(node.requested.memory ?? 0, 64 * MI * pods, `step ${i} ${node.name}`);
      }
    }
  });

  it("holds terminating pods: a Recreate rollout's old pods count until they are gone", () => {
    const result = runs.find(([name]) => name === 'recreate')![1];
    const total = (i: number) => nodesAtStep(result, i).reduce((sum, n) => sum + (n.requested.pods ?? 0), 0);
    const terminatingAt = result.steps.findIndex((_, i) => podsAtStep(result, i).some((p) => p.terminating));
    assert.ok(terminatingAt > 0, 'some step has terminating pods');
    assert.equal(total(terminatingAt), 4, 'old pods still count while terminating');
    assert.ok(result.steps.every((_, i) => total(i) <= 4), 'the new pods start only once the old ones are gone');
  });

  it('applies the init-container max rule (podRequests)', () => {
    const spec = { initContainers: [{ name: 'migrate', image: 'm', resources: { requests: { cpu: '500m', memory: '16Mi' } } }] };
    const result = simulate({ objects: [deployment(1, 'web:1', { type: 'RollingUpdate' }, spec)] });
    const last = nodesAtStep(result, result.steps.length - 1).find((n) => n.requested.pods === 1)!;
    assert.equal(last.requested.cpu, 500, 'max(init 500m, app 100m)');
    assert.equal(last.requested.memory, 64 * MI, 'max(init 16Mi, app 64Mi)');
  });

  it('ends where cluster.nodeDetails ends', () => {
    for (const [name, result] of runs) {
      const last = nodesAtStep(result, result.steps.length - 1);
      assert.deepEqual(
        last.map((n) => [n.name, n.requested, n.ready, n.unschedulable]),
        result.cluster.nodeDetails!.map((d) => [d.name, d.requested, d.ready, d.unschedulable]),
        name,
      );
    }
  });

  it('lists every node at the first step, then only nodes that changed since the previous step', () => {
    for (const [name, result] of runs) {
      assert.deepEqual(result.steps[0].nodes?.map((n) => n.name), result.cluster.nodes, name);
      for (let i = 1; i < result.steps.length; i++) {
        const before = new Map(nodesAtStep(result, i - 1).map((n) => [n.name, n]));
        for (const node of result.steps[i].nodes ?? []) assert.notDeepEqual(node, before.get(node.name), `${name} step ${i} repeats ${node.name}`);
        if (result.steps[i].nodes) assert.ok(result.steps[i].nodes!.length > 0, `${name} step ${i}: no empty list`);
      }
    }
  });

  it('follows a node going NotReady', () => {
    const result = runs.find(([name]) => name === 'nodeNotReady')![1];
    const readyAt = (i: number) => nodesAtStep(result, i).find((n) => n.name === 'worker-1')!.ready;
    assert.equal(readyAt(0), true);
    assert.equal(readyAt(result.steps.length - 1), false);
    const change = result.steps.findIndex((s) => s.nodes?.some((n) => n.name === 'worker-1' && !n.ready));
    assert.ok(result.steps[change].time >= 60);
  });

  it('is empty out of range', () => {
    assert.deepEqual(nodesAtStep(runs[0][1], -1), []);
    assert.deepEqual(nodesAtStep(runs[0][1], runs[0][1].steps.length), []);
  });

  it('is deterministic', () => {
    assert.equal(JSON.stringify(simulate(RUNS.rolling).steps), JSON.stringify(runs[0][1].steps));
  });
});
