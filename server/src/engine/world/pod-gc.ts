// PodGC: pods left terminating on a NotReady node are force-deleted, since no kubelet there will
// ever confirm their shutdown. The approximation of docs/simulation.md: the NotReady node counts
// as out of service (as if tainted node.kubernetes.io/out-of-service), so gcTerminating applies.
// Upstream: pkg/controller/podgc/gc_controller.go (gcTerminating).
import { POD_GC_PERIOD_SECONDS } from '../lifecycle';
import type { SimPod } from '../types';
import type { WorldActions, WorldState } from './state';

export class PodGarbageCollector {
  constructor(
    private readonly state: WorldState,
    private readonly world: WorldActions,
  ) {}

  /** A pod began terminating on a NotReady node: the next gcCheckPeriod finds it. */
  watchTerminating(pod: SimPod): void {
    this.state.queue.pushPod(this.state.time.now + POD_GC_PERIOD_SECONDS, 'podGarbageCollected', pod);
  }

  /** The `podGarbageCollected` clock event. */
  collect(pod: SimPod): void {
    if (pod.deletionTimestamp === undefined || this.state.nodes.isReady(pod.nodeName)) return;
    this.state.changes.event(
      `pod/${pod.name}`,
      `PodGC: force deleting terminating pod ${this.state.namespace}/${pod.name} on NotReady node ${pod.nodeName}`,
      'Warning',
    );
    this.world.removePod(pod);
  }
}
