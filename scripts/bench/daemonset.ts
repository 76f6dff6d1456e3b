// A DaemonSet on 5,000 nodes: the placement rules over every node, one controller sync on a World
// with a pod per node, and the whole simulated rollout (create, then a rolling update at 10%).
import { performance } from 'node:perf_hooks';
import { daemonPodPlacement, nodeShouldRunDaemonPod } from '../../server/src/engine/controllers/daemonset';
import { simulate } from '../../server/src/engine/simulate';
import type { SimNode } from '../../server/src/engine/types';

const NODE_COUNT = 5000;

function nodes(): SimNode[] {
  return Array.from({ length: NODE_COUNT }, (_, i) => ({
    name: `node-${String(i).padStart(4, '0')}`,
    labels: { 'kubernetes.io/hostname': `node-${i}`, 'kubernetes.io/os': 'linux', pool: i % 10 === 0 ? 'gpu' : 'general' },
    taints: i % 10 === 0 ? [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' as const }] : [],
    unschedulable: false,
    ready: true,
    allocatable: { cpu: 8000, memory: 32 * 2 ** 30, pods: 110 },
  }));
}

const ds = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'node-agent' },
  spec: {
    selector: { matchLabels: { app: 'node-agent' } },
    updateStrategy: { rollingUpdate: { maxUnavailable: '10%' } },
    template: {
      metadata: { labels: { app: 'node-agent' } },
      spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'agent', image, resources: { requests: { cpu: '50m', memory: '64Mi' } } }] },
    },
  },
});

export default async function run(): Promise<void> {
  const cluster = nodes();
  const placement = daemonPodPlacement(ds('agent:1').spec.template.spec);
  const t0 = performance.now();
  let eligible = 0;
  for (let i = 0; i < 20; i++) eligible = cluster.filter((n) => nodeShouldRunDaemonPod(n, placement).shouldRun).length;
  console.log(`nodeShouldRunDaemonPod over ${NODE_COUNT} nodes: ${((performance.now() - t0) / 20).toFixed(1)} ms per pass (${eligible} eligible)`);

  const t1 = performance.now();
  const created = simulate({ objects: [ds('agent:1')], nodes: cluster, maxSteps: 100_000 });
  const ms1 = performance.now() - t1;
  console.log(`simulate create on ${NODE_COUNT} nodes: ${ms1.toFixed(0)} ms, ${created.steps.length} steps, completed ${created.summary.completed}, problems: ${created.problems.map((p) => p.message).join('; ') || 'none'}`);

  const t2 = performance.now();
  const rolled = simulate({ objects: [ds('agent:2')], before: ds('agent:1'), nodes: cluster, maxSteps: 100_000 });
  const ms2 = performance.now() - t2;
  const last = rolled.steps[rolled.steps.length - 1]?.status.find((r) => r.object === 'daemonset.apps/node-agent')?.columns;
  console.log(
    `simulate warm-up + rolling update (maxUnavailable 10%) on ${NODE_COUNT} nodes: ${ms2.toFixed(0)} ms, ${rolled.steps.length} steps, ` +
      `${rolled.summary.durationSeconds} s virtual, UP-TO-DATE ${last?.['UP-TO-DATE']}/${last?.DESIRED}, min available ${rolled.summary.minAvailable}`,
  );
}
