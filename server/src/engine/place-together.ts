// The workloads of one scope placed together on the cluster by kube-scheduler, as they would be
// once all of them are applied: what each leaves Pending that it would not leave Pending alone
// (another workload took the host port or the room). An entry point of its own: nothing in the
// engine depends on it. Long-running pods only (a Job's or CronJob's pods come and go); DaemonSet
// pods first, one per node they should run on, pinned to it as the DaemonSet controller does;
// then every other workload's replicas, in the order given.
import { addOrUpdateDaemonPodTolerations, daemonPodPlacement, nodeShouldRunDaemonPod } from './controllers/daemonset/placement';
import { replaceDaemonSetPodNodeNameNodeAffinity } from './controllers/daemonset/node-name-affinity';
import { isObj, type Obj } from './objects';
import { releaseBehaviour, type ReleaseBehaviour } from './release-behaviour';
import { storedPodSpec } from './world/disabled-fields';
import { SchedulerCache, schedulePod, specInfo } from './scheduler';
import { readTolerations } from './scheduler/tolerations';
import { fitsRequest } from './scheduler/filters/noderesources';
import type { Resources, SimNode, SimPod } from './types';

export interface PlacedWorkload {
  /** The caller's key for the workload (echoed back). */
  key: string;
  placed: number;
  pending: number;
  /** The scheduler's message for the first pod left Pending. */
  message?: string;
  /** Nodes this workload's pods were bound to. */
  nodes: string[];
}

/** Above this many pods in one scope the placement is not tried (a bound on the editor's work). */
export const MAX_PLACED_PODS = 20_000;

const LONG_RUNNING = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Pod', 'Rollout']);

/** The scope placed together: each workload's share, and the scheduler's cache as the placement left it. */
export interface ScopePlacement {
  workloads: PlacedWorkload[];
  /** Every node with the pods bound to it (NodeInfo.requested, podCount). */
  cache: SchedulerCache;
  /** Each workload's pods, bound (nodeName set) or left Pending, by workload key. */
  pods: Map<string, SimPod[]>;
  /**
   * The nodes that ran out of room for every pod of the scope, in the order they did (the
   * placement's real fill order): after a pod was bound to it, no workload's pod would pass
   * NodeResourcesFit (noderesources/fit.go fitsRequest) or the pod count there any more.
   */
  filled: string[];
}

/**
 * Places every workload's pods, as the API server of `kubernetesVersion` (default 1.35) stores
 * them (world/disabled-fields.ts); undefined when there are too many to place.
 */
export function placeTogether(workloads: readonly { key: string; object: Obj }[], nodes: readonly SimNode[], kubernetesVersion?: string): PlacedWorkload[] | undefined {
  return placeScope(workloads, nodes, kubernetesVersion)?.workloads;
}

/** placeTogether with what the placement left behind (capacity.ts reads it); undefined when there are too many pods. */
export function placeScope(workloads: readonly { key: string; object: Obj }[], nodes: readonly SimNode[], kubernetesVersion?: string): ScopePlacement | undefined {
  const release = releaseBehaviour(kubernetesVersion);
  const ordered = [...workloads.filter((w) => w.object.kind === 'DaemonSet'), ...workloads.filter((w) => w.object.kind !== 'DaemonSet')].filter((w) => LONG_RUNNING.has(String(w.object.kind)));
  const plans = ordered.map((w) => ({ key: w.key, pods: podsOf(w.key, w.object, nodes, release) }));
  if (plans.reduce((sum, p) => sum + p.pods.length, 0) > MAX_PLACED_PODS) return undefined;
  const cache = new SchedulerCache(nodes);
  const wants = distinctRequests(plans.map((p) => p.pods[0]).filter((p): p is SimPod => p !== undefined));
  const filled: string[] = [];
  const isFilled = new Set<string>();
  const placedWorkloads = plans.map(({ key, pods }) => {
    const placed: PlacedWorkload = { key, placed: 0, pending: 0, nodes: [] };
    // A DaemonSet's pods each go to another node: a set keeps the list linear.
    const nodesUsed = new Set<string>();
    for (const pod of pods) {
      const result = schedulePod(pod, cache);
      if (result.nodeName) {
        pod.nodeName = result.nodeName;
        pod.phase = 'Running';
        placed.placed++;
        nodesUsed.add(result.nodeName);
        if (!isFilled.has(result.nodeName) && !roomForAny(cache, result.nodeName, wants)) {
          isFilled.add(result.nodeName);
          filled.push(result.nodeName);
        }
      } else {
        placed.pending++;
        placed.message ??= result.reason;
      }
    }
    placed.nodes = [...nodesUsed];
    return placed;
  });
  return { workloads: placedWorkloads, cache, pods: new Map(plans.map((p) => [p.key, p.pods])), filled };
}

/** The workloads' distinct pod requests (PodRequests; amounts of zero ask for nothing). */
function distinctRequests(pods: readonly SimPod[]): Resources[] {
  const seen = new Map<string, Resources>();
  for (const pod of pods) {
    const requests = specInfo(pod.spec).requests;
    seen.set(JSON.stringify(Object.entries(requests).filter(([, amount]) => amount > 0)), requests);
  }
  return [...seen.values()];
}

/** Some workload's pod would still pass NodeResourcesFit on the node (its free room and pod slots). */
function roomForAny(cache: SchedulerCache, nodeName: string, wants: readonly Resources[]): boolean {
  const info = cache.nodeInfo(nodeName);
  return info !== undefined && wants.some((want) => fitsRequest(want, info).length === 0);
}

function podsOf(key: string, object: Obj, nodes: readonly SimNode[], release: ReleaseBehaviour): SimPod[] {
  const spec = isObj(object.spec) ? object.spec : {};
  const template = object.kind === 'Pod' ? { metadata: object.metadata, spec } : isObj(spec.template) ? spec.template : {};
  const metadata = isObj(template.metadata) ? template.metadata : {};
  const podSpec = storedPodSpec(isObj(template.spec) ? template.spec : {}, release).spec;
  const namespace = isObj(object.metadata) && typeof object.metadata.namespace === 'string' ? object.metadata.namespace : 'default';
  const labels = stringMap(metadata.labels);
  const pod = (index: number, specOf: Obj): SimPod => ({
    uid: `${key}#${index}`,
    name: `${key}-${index}`,
    namespace,
    labels,
    annotations: stringMap(metadata.annotations),
    owner: { kind: controllerKind(String(object.kind)), name: key, uid: key },
    revision: '1',
    spec: specOf,
    phase: 'Pending',
    ready: false,
    createdAt: 0,
    restartCount: 0,
  });
  if (object.kind === 'DaemonSet') {
    const placement = daemonPodPlacement(podSpec);
    const tolerations = addOrUpdateDaemonPodTolerations(readTolerations(podSpec.tolerations), podSpec.hostNetwork === true);
    return nodes
      .filter((node) => nodeShouldRunDaemonPod(node, placement).shouldRun)
      .map((node, i) => pod(i, { ...podSpec, tolerations, affinity: replaceDaemonSetPodNodeNameNodeAffinity(podSpec.affinity, node.name) }));
  }
  const replicas = object.kind === 'Pod' ? 1 : typeof spec.replicas === 'number' && Number.isInteger(spec.replicas) && spec.replicas >= 0 ? spec.replicas : 1;
  return Array.from({ length: Math.min(replicas, MAX_PLACED_PODS + 1) }, (_, i) => pod(i, podSpec));
}

/**
 * The kind of the controller that owns the workload's pods: a Deployment's and an Argo Rollout's
 * pods belong to their ReplicaSet (deployment/sync.go getNewReplicaSet; argo-rollouts
 * rollout/replicaset.go), which is what kube-scheduler's default spreading looks for
 * (framework/plugins/helper/spread.go DefaultSelector: ReplicationController, ReplicaSet,
 * StatefulSet owners), as it finds it for `kdry simulate`'s pods.
 */
function controllerKind(kind: string): string {
  return kind === 'Deployment' || kind === 'Rollout' ? 'ReplicaSet' : kind;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(value)) for (const [k, v] of Object.entries(value)) if (v !== null && typeof v !== 'object') out[k] = String(v);
  return out;
}
