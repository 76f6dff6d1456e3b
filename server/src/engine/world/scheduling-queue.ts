// kube-scheduler's scheduling queue and its scheduling cycle: new pods are tried in creation order
// (activeQ); pods that did not fit wait (unschedulablePods) until the cluster changes in a way
// that could make them fit (a pod left or finished, a node changed: moveAllToActiveOrBackoffQueue,
// or a pod was placed that their pod affinity or topology spread may wait for).
// Upstream: pkg/scheduler/internal/queue/scheduling_queue.go, pkg/scheduler/schedule_one.go.
import type { SimPod } from '../types';
import type { WorldState } from './state';

/** Scheduled-pod events listed one by one per pass; the rest are counted in one line. */
const SCHEDULED_EVENTS_PER_PASS = 20;

/** Required pod affinity or topology spread constraints: placement depends on where other pods are. */
function waitsOnOtherPods(spec: Record<string, unknown>): boolean {
  const affinity = spec.affinity as Record<string, unknown> | undefined;
  const constraints = spec.topologySpreadConstraints;
  return (typeof affinity === 'object' && affinity !== null && affinity.podAffinity !== undefined) || (Array.isArray(constraints) && constraints.length > 0);
}

export class SchedulingQueue {
  /**
   * Pods not tried yet, in creation order. A list, not a set: a pod is added once, when created, and
   * one removed before its turn is skipped by the pass (it is no longer in the API), so `forget`
   * need not find it here.
   */
  private unattempted: SimPod[] = [];
  private readonly unschedulable = new Set<SimPod>();
  private moveRequested = false;
  private readonly specIds = new WeakMap<object, number>();
  private nextSpecId = 0;

  constructor(
    private readonly state: WorldState,
    /** The binding cycle: sets the pod's node and tells the node's actors. */
    private readonly bind: (pod: SimPod, nodeName: string) => void,
  ) {}

  add(pod: SimPod): void {
    this.unattempted.push(pod);
  }

  forget(pod: SimPod): void {
    this.unschedulable.delete(pod);
  }

  /** moveAllToActiveOrBackoffQueue: the unschedulable pods are tried again at the next pass. */
  clusterChanged(): void {
    this.moveRequested = true;
  }

  /**
   * One scheduling pass: new pods in creation order, and the unschedulable ones again when the
   * cluster changed since they were last tried (a pod left, a node changed). Returns true if any
   * pod was bound or got a new reason.
   */
  schedulePending(): boolean {
    const { pods, nodes, changes } = this.state;
    if (this.unattempted.length === 0 && !(this.moveRequested && this.unschedulable.size > 0)) {
      this.moveRequested = false;
      return false;
    }
    let candidates = this.unattempted;
    if (this.moveRequested && this.unschedulable.size > 0) {
      // Each pod's order read once, not twice a comparison (it parses the uid).
      const keyed = [...this.unschedulable, ...candidates].map((pod) => ({ pod, order: pods.creationOrder(pod) }));
      candidates = keyed.sort((a, b) => a.order - b.order).map((k) => k.pod);
    }
    this.unattempted = [];
    this.moveRequested = false;
    if (candidates.length === 0) return false;
    let changed = false;
    let scheduledEvents = 0;
    let failedEvents = 0;
    const allPods = pods.all() as SimPod[];
    // Pods of one template that failed since the last bind fail again with the same message:
    // nothing they depend on changed, so the scheduler is not asked again (an equivalence class).
    const failedClasses = new Map<string, string>();
    for (let i = 0; i < candidates.length; i++) {
      const pod = candidates[i];
      if (!pods.holds(pod) || pod.deletionTimestamp !== undefined || pod.nodeName !== undefined) {
        this.unschedulable.delete(pod);
        continue;
      }
      // The class is only needed to look up or remember a failure: none since the last bind, none to look up.
      const schedulingClass = failedClasses.size > 0 ? this.schedulingClass(pod) : undefined;
      const knownFailure = schedulingClass === undefined ? undefined : failedClasses.get(schedulingClass);
      let result: { nodeName?: string; reason?: string };
      if (knownFailure !== undefined) result = { reason: knownFailure };
      else {
        try {
          result = this.state.scheduler.schedule(pod, nodes.list, allPods);
        } catch (e) {
          result = { reason: `scheduler error: ${e instanceof Error ? e.message : String(e)}` };
        }
      }
      if (result.nodeName !== undefined && nodes.has(result.nodeName)) {
        this.unschedulable.delete(pod);
        pod.unschedulableReason = undefined;
        this.bind(pod, result.nodeName);
        // Map.clear makes a new table even when empty: most binds follow no failure.
        if (failedClasses.size > 0) failedClasses.clear();
        if (scheduledEvents++ < SCHEDULED_EVENTS_PER_PASS) changes.event(`pod/${pod.name}`, `Successfully assigned ${this.state.namespace}/${pod.name} to ${result.nodeName}`);
        changed = true;
      } else {
        const reason = result.reason ?? `0/${nodes.list.length} nodes are available.`;
        failedClasses.set(schedulingClass ?? this.schedulingClass(pod), reason);
        this.unschedulable.add(pod);
        if (pod.unschedulableReason !== reason) {
          pod.unschedulableReason = reason;
          changes.podChanged(pod);
          if (failedEvents++ < SCHEDULED_EVENTS_PER_PASS) changes.event(`pod/${pod.name}`, reason, 'Warning');
          changed = true;
        }
      }
    }
    if (failedEvents > SCHEDULED_EVENTS_PER_PASS) {
      changes.event('scheduler', `${failedEvents - SCHEDULED_EVENTS_PER_PASS} more pods could not be scheduled (FailedScheduling)`, 'Warning');
    }
    // A pod placed can be what a pending pod's pod affinity or topology spread waits for (the
    // scheduling queue's "pod added" hint): those are tried again at the next pass.
    if (scheduledEvents > 0 && [...this.unschedulable].some((p) => waitsOnOtherPods(p.spec))) this.moveRequested = true;
    if (scheduledEvents > SCHEDULED_EVENTS_PER_PASS) {
      changes.event('scheduler', `Successfully assigned ${scheduledEvents - SCHEDULED_EVENTS_PER_PASS} more pods`);
    }
    return changed;
  }

  /** Pods with the same spec object, labels and owner are interchangeable to the scheduler. */
  private schedulingClass(pod: SimPod): string {
    let specId = this.specIds.get(pod.spec);
    if (specId === undefined) this.specIds.set(pod.spec, (specId = this.nextSpecId++));
    const labels = Object.keys(pod.labels)
      .sort()
      .map((k) => `${k}=${pod.labels[k]}`)
      .join(',');
    return `${specId}|${pod.owner?.uid ?? ''}|${labels}`;
  }
}
