// What a LimitRange does to the pods of its namespace, after plugin/pkg/admission/limitranger
// (admission.go: defaultContainerResourceRequirements, mergeContainerResources, PodValidateLimitFunc,
// podRequests, podLimits, minConstraint, maxConstraint, limitRequestRatioConstraint) and the API's defaulting of the
// LimitRange itself (pkg/apis/core/v1/defaults.go SetDefaults_LimitRangeItem: a Container item's
// `max` is the default limit, a default limit is the default request, `min` is the default request).
import { formatAmount, milliValue, wholeValue, type Amount } from './quantity-amount';
import { podTotal, resourceListOf, type ContainerResources, type ResourceList } from './resource-list';

export interface LimitRangeItem {
  type: string;
  max: ResourceList;
  min: ResourceList;
  default: ResourceList;
  defaultRequest: ResourceList;
  maxLimitRequestRatio: ResourceList;
}

/** The items of a LimitRange's `spec.limits`, defaulted as the API server stores them. */
export function limitRangeItems(spec: unknown): LimitRangeItem[] {
  const limits = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>).limits : undefined;
  if (!Array.isArray(limits)) return [];
  return limits.flatMap((l) => {
    if (typeof l !== 'object' || l === null) return [];
    const r = l as Record<string, unknown>;
    const item: LimitRangeItem = {
      type: typeof r.type === 'string' ? r.type : '',
      max: resourceListOf(r.max),
      min: resourceListOf(r.min),
      default: resourceListOf(r.default),
      defaultRequest: resourceListOf(r.defaultRequest),
      maxLimitRequestRatio: resourceListOf(r.maxLimitRequestRatio),
    };
    if (item.type === 'Container') {
      for (const [k, v] of item.max) if (!item.default.has(k)) item.default.set(k, v);
      for (const [k, v] of item.default) if (!item.defaultRequest.has(k)) item.defaultRequest.set(k, v);
      for (const [k, v] of item.min) if (!item.defaultRequest.has(k)) item.defaultRequest.set(k, v);
    }
    return [item];
  });
}

export interface NamedContainer extends ContainerResources {
  name: string;
}

export interface PodResources {
  containers: NamedContainer[];
  initContainers: NamedContainer[];
}

/**
 * A pod spec's container resources as the API server has them before admission: a limit without
 * a request makes the request equal to the limit (SetDefaults_Pod).
 */
export function podResourcesOf(spec: unknown): PodResources {
  const read = (field: string): NamedContainer[] => {
    const list = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>)[field] : undefined;
    if (!Array.isArray(list)) return [];
    return list.flatMap((c) => {
      if (typeof c !== 'object' || c === null) return [];
      const container = c as Record<string, unknown>;
      const resources = (typeof container.resources === 'object' && container.resources) || {};
      const requests = resourceListOf((resources as Record<string, unknown>).requests);
      const limits = resourceListOf((resources as Record<string, unknown>).limits);
      for (const [k, v] of limits) if (!requests.has(k)) requests.set(k, v);
      return [{ name: String(container.name ?? ''), requests, limits, restartable: container.restartPolicy === 'Always' }];
    });
  };
  return { containers: read('containers'), initContainers: read('initContainers') };
}

export interface DefaultedResource {
  container: string;
  init: boolean;
  side: 'request' | 'limit';
  resource: string;
  value: Amount;
}

/**
 * The pod after the LimitRanges' defaults (PodMutateLimitFunc, one LimitRange after the other):
 * a container's missing request or limit of a resource takes the Container item's default. Returns
 * the pod and what was set (the plugin records it in the kubernetes.io/limit-ranger annotation).
 */
export function applyLimitRangeDefaults(limitRanges: LimitRangeItem[][], pod: PodResources): { pod: PodResources; set: DefaultedResource[] } {
  const set: DefaultedResource[] = [];
  const copy = (c: NamedContainer, init: boolean): NamedContainer => {
    const out = { ...c, requests: new Map(c.requests), limits: new Map(c.limits) };
    for (const items of limitRanges) {
      for (const item of items.filter((i) => i.type === 'Container')) {
        for (const [k, v] of item.default) if (!out.limits.has(k)) out.limits.set(k, v), set.push({ container: c.name, init, side: 'limit', resource: k, value: v });
        for (const [k, v] of item.defaultRequest) if (!out.requests.has(k)) out.requests.set(k, v), set.push({ container: c.name, init, side: 'request', resource: k, value: v });
      }
    }
    return out;
  };
  return { pod: { containers: pod.containers.map((c) => copy(c, false)), initContainers: pod.initContainers.map((c) => copy(c, true)) }, set };
}

/** resource.MaxMilliValue: beyond it the plugin compares whole units. */
const MAX_MILLI_VALUE = 9223372036854775807n / 1000n;

/** requestLimitEnforcedValues: thousandths when none overflows, else whole units, each rounded up. */
function comparable(request: Amount | undefined, limit: Amount | undefined, enforced: Amount): [bigint, bigint, bigint] {
  const whole = [request, limit, enforced].map((a) => (a ? wholeValue(a) : 0n));
  if (whole.every((v) => v <= MAX_MILLI_VALUE)) return [request ? milliValue(request) : 0n, limit ? milliValue(limit) : 0n, milliValue(enforced)];
  return whole as [bigint, bigint, bigint];
}

function minConstraint(type: string, name: string, enforced: Amount, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = comparable(req, lim, enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${formatAmount(enforced)}.  No request is specified`;
  if (r < e) return `minimum ${name} usage per ${type} is ${formatAmount(enforced)}, but request is ${formatAmount(req)}`;
  if (lim && l < e) return `minimum ${name} usage per ${type} is ${formatAmount(enforced)}, but limit is ${formatAmount(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Amount, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l, e] = comparable(req, lim, enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${formatAmount(enforced)}.  No limit is specified`;
  if (l > e) return `maximum ${name} usage per ${type} is ${formatAmount(enforced)}, but limit is ${formatAmount(lim)}`;
  if (req && r > e) return `maximum ${name} usage per ${type} is ${formatAmount(enforced)}, but request is ${formatAmount(req)}`;
  return undefined;
}

function limitRequestRatioConstraint(type: string, name: string, enforced: Amount, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests.get(name);
  const lim = limits.get(name);
  const [r, l] = comparable(req, lim, enforced);
  if (!req || r === 0n) return `${name} max limit to request ratio per ${type} is ${formatAmount(enforced)}, but no request is specified or request is 0`;
  if (!lim || l === 0n) return `${name} max limit to request ratio per ${type} is ${formatAmount(enforced)}, but no limit is specified or limit is 0`;
  const observed = Number(l) / Number(r);
  const enforcedWhole = wholeValue(enforced);
  const [ratio, max] = enforcedWhole <= MAX_MILLI_VALUE ? [observed * 1000, Number(milliValue(enforced))] : [observed, Number(enforcedWhole)];
  // %f: six decimals
  if (ratio > max) return `${name} max limit to request ratio per ${type} is ${formatAmount(enforced)}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

export interface LimitRangeViolation {
  message: string;
  /** The container at fault (Container items), undefined for the pod as a whole. */
  container?: string;
  init?: boolean;
  resource: string;
}

/**
 * The resources whose pod-level value replaces the containers' total for a Pod item: the plugin's
 * own isSupportedPodLevelResource, cpu and memory (hugepages, which component-helpers also counts
 * at pod level, are not among them).
 */
const LIMIT_RANGER_POD_LEVEL_RESOURCES = ['cpu', 'memory'];

/**
 * podRequests / podLimits of the plugin: the containers' totals (sidecars included), each of cpu
 * and memory that the pod sets at pod level replacing its total. `podLevel` is the pod's own
 * `spec.resources` as stored (defaulted when decoded, k8s/pod-level-resources.ts), given where the
 * release honours them (PodLevelResources on: opts.PodLevelResourcesEnabled).
 *
 * Worked example: containers limiting memory to 600Mi and 700Mi under a pod-level limit of 1Gi ->
 * the Pod item sees a memory limit of 1Gi, not 1300Mi.
 */
function podTotals(pod: PodResources, side: 'requests' | 'limits', podLevel: ResourceList | undefined): ResourceList {
  const total = podTotal(pod.containers, pod.initContainers, side);
  if (podLevel) for (const name of LIMIT_RANGER_POD_LEVEL_RESOURCES) if (podLevel.has(name)) total.set(name, podLevel.get(name)!);
  return total;
}

/**
 * PodValidateLimitFunc over one LimitRange: every Container item against each container (then
 * each init container), every Pod item against the pod's totals (podRequests, podLimits; with
 * pod-level resources, those replace the totals of cpu and memory). Resources are taken in name
 * order (upstream ranges over a Go map, whose order varies).
 */
export function validateLimitRange(items: LimitRangeItem[], pod: PodResources, podLevel?: { requests: ResourceList; limits: ResourceList }): LimitRangeViolation[] {
  const out: LimitRangeViolation[] = [];
  const sorted = (list: ResourceList) => [...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const judge = (item: LimitRangeItem, requests: ResourceList, limits: ResourceList, where: { container?: string; init?: boolean }) => {
    for (const [k, v] of sorted(item.min)) {
      const m = minConstraint(item.type, k, v, requests, limits);
      if (m) out.push({ message: m, resource: k, ...where });
    }
    for (const [k, v] of sorted(item.max)) {
      const m = maxConstraint(item.type, k, v, requests, limits);
      if (m) out.push({ message: m, resource: k, ...where });
    }
    for (const [k, v] of sorted(item.maxLimitRequestRatio)) {
      const m = limitRequestRatioConstraint(item.type, k, v, requests, limits);
      if (m) out.push({ message: m, resource: k, ...where });
    }
  };
  for (const item of items) {
    if (item.type === 'Container') {
      for (const c of pod.containers) judge(item, c.requests, c.limits, { container: c.name, init: false });
      for (const c of pod.initContainers) judge(item, c.requests, c.limits, { container: c.name, init: true });
    }
    if (item.type === 'Pod') judge(item, podTotals(pod, 'requests', podLevel?.requests), podTotals(pod, 'limits', podLevel?.limits), {});
  }
  return out;
}

/** utilerrors.NewAggregate's text: one message alone, several in brackets. */
export function aggregateMessage(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}
