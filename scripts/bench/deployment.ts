// Deployment/ReplicaSet controller benchmarks: scale-down victim ranking (getPodsToDelete) and a
// rolling update driven on the World with an O(1) stand-in scheduler, so the figures are the
// controllers' own cost. Figures, not assertions.
import { getPodsToDelete } from '../../server/src/engine/controllers/replicaset/podstodelete';
import type { RankablePod } from '../../server/src/engine/controllers/replicaset/activepods';
import { createDeploymentController } from '../../server/src/engine/controllers/deployment/controller';
import type { SimNode } from '../../server/src/engine/types';
import { SimWorld } from '../../server/src/engine/world';

function ms(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10;
}

/** Pods with mixed phases, readiness, ages, restarts and co-location. */
function pods(count: number, nodes: number): RankablePod[] {
  return Array.from({ length: count }, (_, i) => ({
    uid: `pod-${i}`,
    nodeName: i % 17 === 0 ? '' : `node-${i % nodes}`,
    phase: i % 13 === 0 ? 'Pending' : 'Running',
    ready: i % 7 !== 0,
    readySince: i % 7 !== 0 ? 1000 + (i % 500) : undefined,
    createdAt: i,
    restartCount: i % 5,
  }));
}

function deployment(replicas: number, image: string): Record<string, unknown> {
  return {
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
  };
}

function nodes(count: number): SimNode[] {
  return Array.from({ length: count }, (_, i) => ({ name: `node-${i}`, labels: {}, taints: [], unschedulable: false, ready: true, allocatable: { cpu: 64000, memory: 2 ** 38, pods: 250 } }));
}

/** Before settled, then the template change to completion; returns the rollout's wall time. */
function rollingUpdate(replicas: number): { ms: number; syncs: number; virtualSeconds: number } {
  let next = 0;
  const world = new SimWorld({ nodes: nodes(Math.max(10, replicas / 10)), schedulePod: (_pod, list) => ({ nodeName: list[next++ % list.length].name }) });
  const controller = createDeploymentController(deployment(replicas, 'web:1'));
  let syncs = 0;
  const drive = () => {
    for (let guard = 0; guard < 100_000; guard++) {
      while (controller.sync(world) || world.schedulePending()) syncs++;
      if (controller.settled(world)) return;
      const at = world.queue.peekTime();
      if (at === undefined) return;
      world.now = at;
      for (const e of world.queue.popDue(at)) world.apply(e);
    }
  };
  drive();
  const from = world.now;
  syncs = 0;
  controller.update(deployment(replicas, 'web:2'));
  const start = process.hrtime.bigint();
  drive();
  return { ms: ms(start), syncs, virtualSeconds: world.now - from };
}

export default async function run(): Promise<void> {
  for (const count of [1_000, 10_000, 100_000]) {
    const list = pods(count, Math.max(1, count / 10));
    const start = process.hrtime.bigint();
    const victims = getPodsToDelete(list, list, Math.floor(count / 4), 2000);
    console.log(`getPodsToDelete ${count} pods, diff ${victims.length}: ${ms(start)} ms`);
  }
  for (const replicas of [1_000, 10_000, 100_000]) {
    const r = rollingUpdate(replicas);
    console.log(`rolling update ${replicas} replicas (controllers only, stand-in scheduler): ${r.ms} ms, ${r.syncs} syncs, ${r.virtualSeconds} virtual s`);
  }
}
