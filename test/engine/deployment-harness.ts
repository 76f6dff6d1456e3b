// A small driver for the Deployment/ReplicaSet/pattern controller tests: the core's SimWorld with
// a least-loaded scheduler, synced until quiet after every clock event, recording the events of
// each moment.
import { SimWorld } from '../../server/src/engine/world';
import type { Controller, Faults, SimNode, SimService, TimelineEvent } from '../../server/src/engine/types';

export function workerNodes(count: number): SimNode[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `worker-${i + 1}`,
    labels: { 'kubernetes.io/hostname': `worker-${i + 1}` },
    taints: [],
    unschedulable: false,
    ready: true,
    allocatable: { cpu: 4000, memory: 16 * 1024 ** 3, pods: 110 },
  }));
}

export function makeWorld(options: { nodes?: number; faults?: Faults; services?: SimService[] } = {}): SimWorld {
  return new SimWorld({
    nodes: workerNodes(options.nodes ?? 3),
    services: options.services,
    faults: options.faults,
    // Least-loaded node, ties by name: enough placement for controller tests.
    schedulePod: (_pod, nodes, allPods) => {
      const load = new Map(nodes.map((n) => [n.name, 0]));
      for (const p of allPods) if (p.nodeName !== undefined && p.deletionTimestamp === undefined) load.set(p.nodeName, (load.get(p.nodeName) ?? 0) + 1);
      const ready = nodes.filter((n) => n.ready && !n.unschedulable);
      if (ready.length === 0) return { reason: `0/${nodes.length} nodes are available.` };
      return { nodeName: ready.reduce((best, n) => ((load.get(n.name) ?? 0) < (load.get(best.name) ?? 0) ? n : best)).name };
    },
  });
}

export interface Moment {
  time: number;
  events: TimelineEvent[];
}

/**
 * Syncs every controller (and schedules pods) until nothing changes, then advances the clock to
 * the next queued event; stops when every controller is settled (or `until`, given the moment's
 * events, holds), when nothing
 * is queued, or at `maxSeconds`. Returns the events per moment.
 */
export function run(world: SimWorld, controllers: Controller[], options: { maxSeconds?: number; until?: (events: TimelineEvent[]) => boolean } = {}): Moment[] {
  const maxSeconds = options.maxSeconds ?? 3600;
  const moments: Moment[] = [];
  for (let guard = 0; guard < 100_000; guard++) {
    for (let round = 0; round < 1000; round++) {
      let changed = false;
      for (const c of controllers) changed = c.sync(world) || changed;
      changed = world.schedulePending() || changed;
      if (!changed) break;
    }
    const events = world.takeEvents();
    if (events.length > 0) moments.push({ time: world.now, events });
    if (options.until?.(events)) break;
    if (controllers.every((c) => c.settled(world))) break;
    const next = world.queue.peekTime();
    if (next === undefined || next > maxSeconds) break;
    world.now = next;
    for (const e of world.queue.popDue(next)) world.apply(e);
  }
  return moments;
}

/** The Deployment's own scaling events, in order. */
export function scalingEvents(moments: Moment[]): string[] {
  return moments.flatMap((m) => m.events.filter((e) => e.message.startsWith('Scaled ')).map((e) => e.message));
}

/** A Deployment manifest as plain JS. */
export function deployment(name: string, image: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
      ...spec,
    },
  };
}
