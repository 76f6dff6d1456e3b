// ResourceLists (`{cpu: 500m, memory: 1Gi}`) as exact amounts, and the pod's total requests and
// limits as the kubelet, the scheduler and quota count them (k8s.io/component-helpers resource
// PodRequests / PodLimits, mirrored by plugin/pkg/admission/limitranger podRequests / podLimits):
// the containers' sum, restartable init containers (sidecars) added to it, and each other init
// container with the sidecars started before it; the larger of the two wins, per resource.
import { addAmounts, amountOf, compareAmounts, type Amount } from './quantity-amount';

export type ResourceList = Map<string, Amount>;

/** A YAML `requests:`/`limits:` map; entries that are not quantities are left out (schema reports them). */
export function resourceListOf(value: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const amount = amountOf(v);
    if (amount) out.set(k, amount);
  }
  return out;
}

/** list += other, per resource (addResourceList). */
export function addResourceList(list: ResourceList, other: ResourceList): void {
  for (const [name, amount] of other) {
    const had = list.get(name);
    list.set(name, had ? addAmounts(had, amount) : amount);
  }
}

/** list = max(list, other), per resource of other (maxResourceList). */
export function maxResourceList(list: ResourceList, other: ResourceList): void {
  for (const [name, amount] of other) {
    const had = list.get(name);
    if (!had || compareAmounts(amount, had) > 0) list.set(name, amount);
  }
}

export interface ContainerResources {
  requests: ResourceList;
  limits: ResourceList;
  /** An init container with restartPolicy: Always (a sidecar). */
  restartable?: boolean;
}

/** podRequests / podLimits over one side (`requests` or `limits`) of the containers. */
export function podTotal(containers: ContainerResources[], initContainers: ContainerResources[], side: 'requests' | 'limits'): ResourceList {
  const total: ResourceList = new Map();
  for (const c of containers) addResourceList(total, c[side]);
  const sidecars: ResourceList = new Map();
  const init: ResourceList = new Map();
  for (const c of initContainers) {
    let own: ResourceList;
    if (c.restartable) {
      addResourceList(total, c[side]);
      addResourceList(sidecars, c[side]);
      own = sidecars;
    } else {
      own = new Map();
      addResourceList(own, c[side]);
      addResourceList(own, sidecars);
    }
    maxResourceList(init, own);
  }
  maxResourceList(total, init);
  return total;
}
