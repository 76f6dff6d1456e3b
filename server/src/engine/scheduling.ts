// The engine's binding to the scheduler: kube-scheduler's SchedulerCache kept up to date by the
// World (pods bound, finished, gone; nodes changed), so each scheduling decision is O(nodes).
import { SchedulerCache, schedulePod } from './scheduler';
import type { SchedulerBackend } from './world';

export function cachedKubeScheduler(): SchedulerBackend {
  const cache = new SchedulerCache();
  return {
    schedule: (pod) => schedulePod(pod, cache),
    podChanged: (pod) => cache.syncPod(pod),
    podRemoved: (pod) => cache.removePod(pod),
    nodesChanged: (nodes) => cache.setNodes(nodes),
  };
}
