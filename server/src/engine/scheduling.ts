// The engine's binding to the scheduler: kube-scheduler's SchedulerCache kept up to date by the
// World (pods bound, finished, gone; nodes changed), so each scheduling decision is O(nodes).
import { SchedulerCache, schedulePod } from './scheduler';
import type { SimNode, SimPod } from './types';

/** The scheduler as the World calls it: a node for the pod, or kube-scheduler's reason why none fits. */
export type SchedulePodFn = (pod: SimPod, nodes: SimNode[], allPods: SimPod[]) => { nodeName?: string; reason?: string };

/**
 * A scheduler plus the bookkeeping an incremental cache needs: the World reports every pod that
 * starts or stops holding node resources and every node change, so scheduling a pod stays O(nodes).
 */
export interface SchedulerBackend {
  schedule: SchedulePodFn;
  podChanged(pod: SimPod): void;
  podRemoved(pod: SimPod): void;
  nodesChanged(nodes: readonly SimNode[]): void;
}

/** A scheduler without a cache: it reads allPods on every call. */
export function statelessScheduler(schedule: SchedulePodFn): SchedulerBackend {
  const ignore = () => undefined;
  return { schedule, podChanged: ignore, podRemoved: ignore, nodesChanged: ignore };
}

export function cachedKubeScheduler(): SchedulerBackend {
  const cache = new SchedulerCache();
  return {
    schedule: (pod) => schedulePod(pod, cache),
    podChanged: (pod) => cache.syncPod(pod),
    podRemoved: (pod) => cache.removePod(pod),
    nodesChanged: (nodes) => cache.setNodes(nodes),
  };
}
