// What a ResourceQuota does to the pods of its namespace, after plugin/pkg/admission/resourcequota
// (controller.go checkRequest: Constraints, then requested + used <= hard for every resource the
// request touches, else `exceeded quota: NAME, requested: ..., used: ..., limited: ...` with
// prettyPrint's sorted `name=value` lists) and pkg/quota/v1/evaluator/core/pods.go (PodUsageFunc,
// podComputeUsageHelper, Constraints, podMatchesScopeFunc).
//
// Pod-level `spec.resources` (PodLevelResources, on from 1.34): PodUsageFunc asks
// component-helpers/resource PodRequests and PodLimits with SkipPodLevelResources off, so each
// resource the pod sets at pod level (cpu, memory, hugepages-*) replaces the containers' aggregate;
// Constraints no longer asks every container for cpu and memory; BestEffort is judged on the
// pod-level resources (qos.ComputePodQOS).
import { ZERO, addAmounts, amountOf, compareAmounts, formatAmount, isZeroAmount, type Amount } from './quantity-amount';
import { podTotal, type ResourceList } from './resource-list';
import type { PodResources } from './limit-range';
import { isSupportedPodLevelResource, podLevelResourcesOf, type PodLevelResources } from './pod-level-resources';

export interface ScopeSelector {
  scopeName: string;
  operator: string;
  values: string[];
}

export interface Quota {
  name: string;
  hard: ResourceList;
  /** spec.scopes (as Exists selectors) and spec.scopeSelector.matchExpressions (getScopeSelectorsFromQuota). */
  scopes: ScopeSelector[];
}

export function quotaOf(name: string, spec: unknown): Quota {
  const s = (typeof spec === 'object' && spec !== null ? spec : {}) as Record<string, unknown>;
  const hard: ResourceList = new Map();
  for (const [k, v] of Object.entries((typeof s.hard === 'object' && s.hard) || {})) {
    const amount = amountOf(v);
    if (amount) hard.set(k, amount);
  }
  const scopes: ScopeSelector[] = (Array.isArray(s.scopes) ? s.scopes : []).map((scopeName) => ({ scopeName: String(scopeName), operator: 'Exists', values: [] }));
  const expressions = (s.scopeSelector as Record<string, unknown> | undefined)?.matchExpressions;
  for (const e of Array.isArray(expressions) ? expressions : []) {
    const r = (e ?? {}) as Record<string, unknown>;
    scopes.push({ scopeName: String(r.scopeName ?? ''), operator: String(r.operator ?? ''), values: Array.isArray(r.values) ? r.values.map(String) : [] });
  }
  return { name, hard, scopes };
}

/** What quota needs to know of a pod besides its resources. */
export interface QuotaPod {
  resources: PodResources;
  /**
   * The pod's own `spec.resources` as the API server stores it (defaulted: podLevelResourcesOf),
   * when the release honours them and they set a supported resource (IsPodLevelResourcesSet).
   */
  podLevel?: PodLevelResources;
  activeDeadlineSeconds?: number;
  priorityClassName?: string;
  crossNamespacePodAffinity: boolean;
}

const POD_RESOURCES = new Set(['pods', 'count/pods', 'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage']);
const ONE: Amount = { numerator: 1n, denominator: 1n, format: 'DecimalSI' };

/** MatchingResources: the quota's resources a pod counts against. */
export function podMatchingResources(names: Iterable<string>): string[] {
  return [...names].filter((n) => POD_RESOURCES.has(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-') || (n.startsWith('requests.') && n.includes('/')));
}

/** applyPodLevelResources: each supported resource set at pod level replaces the containers' total. */
function withPodLevel(total: ResourceList, podLevel: ResourceList | undefined): ResourceList {
  if (podLevel) for (const [name, amount] of podLevel) if (isSupportedPodLevelResource(name)) total.set(name, amount);
  return total;
}

/** PodUsageFunc for a pod that is not terminal: count/pods, pods and the compute resources it requests and limits. */
export function podUsage(pod: QuotaPod): ResourceList {
  const requests = withPodLevel(podTotal(pod.resources.containers, pod.resources.initContainers, 'requests'), pod.podLevel?.requests);
  const limits = withPodLevel(podTotal(pod.resources.containers, pod.resources.initContainers, 'limits'), pod.podLevel?.limits);
  const usage: ResourceList = new Map([['count/pods', ONE], ['pods', ONE]]);
  for (const name of ['cpu', 'memory', 'ephemeral-storage']) {
    const request = requests.get(name);
    if (request) usage.set(name, request).set(`requests.${name}`, request);
    const limit = limits.get(name);
    if (limit) usage.set(`limits.${name}`, limit);
  }
  for (const [name, request] of requests) {
    if (name.startsWith('hugepages-')) usage.set(name, request).set(`requests.${name}`, request);
    else if (name.includes('/') && !name.startsWith('requests.')) usage.set(`requests.${name}`, request);
  }
  return usage;
}

/**
 * QoS BestEffort: no container requests or limits cpu or memory (qos.ComputePodQOS); with
 * pod-level resources, the pod's own requests and limits decide.
 */
function isBestEffort(pod: QuotaPod): boolean {
  if (pod.podLevel) return !['cpu', 'memory'].some((r) => [pod.podLevel!.requests.get(r), pod.podLevel!.limits.get(r)].some((a) => a && !isZeroAmount(a)));
  const all = [...pod.resources.containers, ...pod.resources.initContainers];
  return !all.some((c) => ['cpu', 'memory'].some((r) => [c.requests.get(r), c.limits.get(r)].some((a) => a && !isZeroAmount(a))));
}

/** podMatchesScopeFunc */
function matchesScope(pod: QuotaPod, s: ScopeSelector): boolean {
  const terminating = pod.activeDeadlineSeconds !== undefined && pod.activeDeadlineSeconds >= 0;
  switch (s.scopeName) {
    case 'Terminating':
      return terminating;
    case 'NotTerminating':
      return !terminating;
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass': {
      const pc = pod.priorityClassName ?? '';
      switch (s.operator) {
        case 'Exists':
          return pc !== '';
        case 'DoesNotExist':
          return pc === '';
        case 'In':
          return pc !== '' && s.values.includes(pc);
        case 'NotIn':
          return pc === '' || !s.values.includes(pc);
        default:
          return false;
      }
    }
    case 'CrossNamespacePodAffinity':
      return pod.crossNamespacePodAffinity;
    default:
      return false;
  }
}

/** generic.Matches: the quota counts a resource of pods and every scope selector matches. */
export function quotaMatchesPod(quota: Quota, pod: QuotaPod): boolean {
  return podMatchingResources(quota.hard.keys()).length > 0 && quota.scopes.every((s) => matchesScope(pod, s));
}

const VALIDATION_SET = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/**
 * Constraints: a quota on cpu or memory requires every container to set it ("it coupled
 * validation with resource counting ... this was a mistake", pods.go). The text after
 * `failed quota: NAME: `, or undefined.
 */
export function quotaConstraints(quota: Quota, pod: QuotaPod): string | undefined {
  // "With pod-level resources feature, container-level resources are not mandatory" (Constraints)
  if (pod.podLevel) return undefined;
  const required = podMatchingResources(quota.hard.keys()).filter((r) => VALIDATION_SET.includes(r));
  const missing = new Map<string, Set<string>>();
  for (const c of [...pod.resources.containers, ...pod.resources.initContainers]) {
    const has = (r: string) => {
      const [side, name] = r.includes('.') ? (r.split('.') as [string, string]) : ['requests', r];
      return (side === 'limits' ? c.limits : c.requests).has(name);
    };
    for (const r of required) if (!has(r)) missing.set(r, (missing.get(r) ?? new Set()).add(c.name));
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

/** prettyPrint: `name=value` sorted by name, joined by commas. */
export function prettyPrint(list: ResourceList): string {
  return [...list.keys()]
    .sort()
    .map((k) => `${k}=${formatAmount(list.get(k)!)}`)
    .join(',');
}

export interface QuotaExceeded {
  /** The resources over the limit, sorted. */
  resources: string[];
  /** `exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=1500m, limited: requests.cpu=2` */
  message: string;
}

/**
 * checkRequest for one quota: the request (masked to the quota's resources) added to what the
 * namespace already uses must stay within hard for every resource it touches.
 */
export function checkQuota(quota: Quota, used: ResourceList, requested: ResourceList): QuotaExceeded | undefined {
  const touched = [...requested.keys()].filter((k) => quota.hard.has(k));
  // the quota controller records every hard resource in status.used, 0 when nothing uses it
  const usedOf = (k: string) => used.get(k) ?? ZERO;
  const exceeded = touched.filter((k) => compareAmounts(addAmounts(usedOf(k), requested.get(k)!), quota.hard.get(k)!) > 0);
  if (exceeded.length === 0) return undefined;
  const mask = (list: ResourceList | ((k: string) => Amount)) => new Map(exceeded.map((k) => [k, typeof list === 'function' ? list(k) : list.get(k)!]));
  return {
    resources: exceeded.sort(),
    message: `exceeded quota: ${quota.name}, requested: ${prettyPrint(mask(requested))}, used: ${prettyPrint(mask(usedOf))}, limited: ${prettyPrint(mask(quota.hard))}`,
  };
}

/**
 * The facts of a pod spec that quota scopes read. `spec` is the pod spec as the release stores it:
 * without `resources` where PodLevelResources is off (pod-level-resources.ts dropDisabledPodLevelResources,
 * which the engine's storedPodSpec calls).
 */
export function quotaPodOf(spec: Record<string, unknown>, resources: PodResources): QuotaPod {
  const affinity = (spec.affinity ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const terms = ['podAffinity', 'podAntiAffinity'].flatMap((k) => {
    const a = affinity[k] ?? {};
    const required = Array.isArray(a.requiredDuringSchedulingIgnoredDuringExecution) ? a.requiredDuringSchedulingIgnoredDuringExecution : [];
    const preferred = Array.isArray(a.preferredDuringSchedulingIgnoredDuringExecution) ? a.preferredDuringSchedulingIgnoredDuringExecution.map((w) => (w as Record<string, unknown>)?.podAffinityTerm) : [];
    return [...required, ...preferred].filter((t): t is Record<string, unknown> => typeof t === 'object' && t !== null);
  });
  const podLevel = podLevelResourcesOf(spec);
  return {
    resources,
    ...(podLevel ? { podLevel } : {}),
    activeDeadlineSeconds: typeof spec.activeDeadlineSeconds === 'number' ? spec.activeDeadlineSeconds : undefined,
    priorityClassName: typeof spec.priorityClassName === 'string' ? spec.priorityClassName : undefined,
    crossNamespacePodAffinity: terms.some((t) => (Array.isArray(t.namespaces) && t.namespaces.length > 0) || (t.namespaceSelector !== undefined && t.namespaceSelector !== null)),
  };
}
