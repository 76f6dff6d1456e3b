// A pod's QoS class as the API server records it in status.qosClass on create
// (pkg/apis/core/helper/qos/qos.go ComputePodQOS, called by the pod strategy's PrepareForCreate):
// BestEffort without any cpu or memory request or limit, Guaranteed when every container limits
// both and requests equal limits, else Burstable. With pod-level resources (a release whose
// PodLevelResources gate is on, and a spec.resources that sets a supported resource) the pod's own
// requests and limits decide instead of the containers'.
import { addAmounts, compareAmounts, ZERO, type Amount } from './quantity-amount';
import { podLevelResourcesOf } from './pod-level-resources';
import { resourceListOf, type ResourceList } from './resource-list';

export type QOSClass = 'BestEffort' | 'Burstable' | 'Guaranteed';

/** qos.go supportedQoSComputeResources. */
const QOS_RESOURCES = new Set(['cpu', 'memory']);

/** processResourceList: adds the positive cpu and memory quantities of `from` to `into`; returns the names it added. */
function addPositive(into: Map<string, Amount>, from: ResourceList): Set<string> {
  const found = new Set<string>();
  for (const [name, amount] of from) {
    if (!QOS_RESOURCES.has(name) || compareAmounts(amount, ZERO) <= 0) continue;
    found.add(name);
    const had = into.get(name);
    into.set(name, had ? addAmounts(had, amount) : amount);
  }
  return found;
}

const record = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * `spec`: the pod spec as the release stores it, after decoding defaults (a container's requests
 * default to its limits, SetDefaults_Pod) and with spec.resources dropped where the release's gate is off.
 */
export function podQOSClass(spec: Record<string, unknown>): QOSClass {
  const requests = new Map<string, Amount>();
  const limits = new Map<string, Amount>();
  let guaranteed = true;
  const own = record(spec.resources);
  if (podLevelResourcesOf(spec)) {
    addPositive(requests, resourceListOf(own.requests));
    const limited = addPositive(limits, resourceListOf(own.limits));
    if (Object.keys(record(own.limits)).length > 0 && !(limited.has('cpu') && limited.has('memory'))) guaranteed = false;
  } else {
    // Ephemeral containers set no resources, so they never count.
    for (const list of ['containers', 'initContainers']) {
      for (const c of Array.isArray(spec[list]) ? spec[list] : []) {
        const resources = record(record(c).resources);
        addPositive(requests, resourceListOf(resources.requests));
        const limited = addPositive(limits, resourceListOf(resources.limits));
        if (!(limited.has('cpu') && limited.has('memory'))) guaranteed = false;
      }
    }
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (!limit || compareAmounts(limit, request) !== 0) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
