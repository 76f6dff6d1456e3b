// The node lifecycle controller and its taint-based eviction: a node that stops reporting Ready
// gets the not-ready taints, its pods lose Ready, and pods on a node with a NoExecute taint are
// evicted once their toleration of it runs out (tolerationSeconds; DefaultTolerationSeconds
// admission gives not-ready/unreachable 300 s). Upstream: pkg/controller/nodelifecycle
// (node_lifecycle_controller.go) and pkg/controller/tainteviction (taint_eviction.go).
import { noExecuteTolerationSeconds } from '../lifecycle';
import type { Faults, SimNode, SimPod } from '../types';
import { setPodCondition } from './pod-condition';
import type { WorldActions, WorldState } from './state';

export const NOT_READY_TAINT_KEY = 'node.kubernetes.io/not-ready';

export class NodeLifecycleController {
  private readonly evicted = new Set<SimPod>();

  constructor(
    private readonly state: WorldState,
    private readonly world: WorldActions,
  ) {}

  /**
   * Queue the node faults relative to `origin` (the start of the recorded timeline). A node failed
   * from the start is NotReady, and tainted, before the first sync and scheduling pass: the
   * node lifecycle controller taints it node.kubernetes.io/not-ready:NoSchedule as soon as its
   * Ready condition is not True (doNoScheduleTaintingPass), so the scheduler never picks it.
   */
  scheduleNodeFaults(faults: Faults['nodeNotReady'], origin: number): void {
    for (const f of faults ?? []) {
      if (!(f.at > 0)) this.markNodeNotReady(f.node);
      else this.state.queue.push(origin + f.at, 'nodeNotReady', f.node);
    }
  }

  wasEvicted(pod: SimPod): boolean {
    return this.evicted.has(pod);
  }

  forget(pod: SimPod): void {
    this.evicted.delete(pod);
  }

  /** A pod bound to a node with NoExecute taints: its eviction is due when its toleration ends. */
  podBound(pod: SimPod, node: SimNode): void {
    const taints = node.taints;
    for (let i = 0; i < taints.length; i++) if (taints[i].effect === 'NoExecute') this.scheduleTaintEviction(pod, taints[i].key);
  }

  markNodeNotReady(nodeName: string): void {
    const { nodes, changes } = this.state;
    const node = nodes.get(nodeName);
    if (!node || !node.ready) return;
    node.ready = false;
    for (const effect of ['NoSchedule', 'NoExecute'] as const) {
      if (!node.taints.some((t) => t.key === NOT_READY_TAINT_KEY && t.effect === effect)) node.taints.push({ key: NOT_READY_TAINT_KEY, effect });
    }
    this.state.scheduler.nodesChanged(nodes.list);
    this.world.clusterChanged();
    changes.event(`node/${node.name}`, `Node ${node.name} status is now: NodeNotReady`, 'Warning');
    for (const pod of this.state.pods.onNode(nodeName)) {
      if (pod.ready) {
        pod.ready = false;
        pod.readySince = undefined;
        changes.podChanged(pod);
      }
      if (pod.deletionTimestamp === undefined) this.scheduleTaintEviction(pod, NOT_READY_TAINT_KEY);
    }
  }

  /** The `taintEviction` clock event: the pod's toleration ran out while the taint is still there. */
  evict(pod: SimPod): void {
    if (pod.deletionTimestamp !== undefined || !this.state.nodes.hasNoExecuteTaint(pod.nodeName)) return;
    this.state.changes.event(`pod/${pod.name}`, `Marking for deletion Pod ${this.state.namespace}/${pod.name}`);
    // taint_eviction.go addConditionAndDeletePod: the condition a Job's podFailurePolicy can match.
    setPodCondition(pod, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' });
    this.evicted.add(pod);
    this.world.deletePod(pod);
  }

  private scheduleTaintEviction(pod: SimPod, taintKey: string): void {
    const seconds = noExecuteTolerationSeconds(pod.spec, taintKey);
    if (seconds !== undefined) this.state.queue.pushPod(this.state.time.now + seconds, 'taintEviction', pod);
  }
}
