// framework.PodInfo: what the scheduler reads from a pod, parsed once. The spec-level part is
// cached per spec object (pods created from one template usually share it); label- and
// namespace-dependent parts (affinity terms, spread selectors) are built per pod.
import type { Resources, SimPod, Toleration } from '../types';
import type { LabelSelector } from '../../k8s/labels';
import { labelSelectorMatches } from '../../k8s/labels';
import {
  readPreferredSchedulingTerms,
  readRequiredNodeAffinity,
  type PreferredSchedulingTerm,
  type RequiredNodeAffinity,
} from './nodeaffinity';
import { podNonZeroRequests, podRequests } from './requests';
import { asArray, asInteger, asRecord, asRecords, asString, asStringMap, dig } from './spec';
import { readTolerations } from './tolerations';

export interface HostPort {
  /** `0.0.0.0` when unset. */
  hostIP: string;
  /** `TCP` when unset. */
  protocol: string;
  hostPort: number;
}

interface RawAffinityTerm {
  labelSelector: LabelSelector | null;
  namespaces: string[];
  namespaceSelector: LabelSelector | null;
  topologyKey: string;
  matchLabelKeys: string[];
  mismatchLabelKeys: string[];
}

interface RawWeightedAffinityTerm {
  weight: number;
  term: RawAffinityTerm;
}

export interface RawSpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: string;
  labelSelector: LabelSelector | null;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
  matchLabelKeys: string[];
}

/** The template-level view of a pod spec. */
export interface SpecInfo {
  requests: Resources;
  /** `requests` as a list, for the cache's running sums (added and removed on every bind). */
  requestList: { name: string; amount: number }[];
  /** Requests with the 100m / 200Mi defaults for containers that request nothing (scoring). */
  nonZeroRequests: Resources;
  hostPorts: HostPort[];
  tolerations: Toleration[];
  requiredNodeAffinity: RequiredNodeAffinity;
  preferredNodeAffinity: PreferredSchedulingTerm[];
  requiredAffinity: RawAffinityTerm[];
  requiredAntiAffinity: RawAffinityTerm[];
  preferredAffinity: RawWeightedAffinityTerm[];
  preferredAntiAffinity: RawWeightedAffinityTerm[];
  spreadConstraints: RawSpreadConstraint[];
  nodeName?: string;
  priority: number;
  /** spec.preemptionPolicy Never: the pod waits instead of evicting others. */
  preemptionNever: boolean;
  /** spec.schedulingGates names: while any remain the scheduler does not consider the pod. */
  schedulingGates: string[];
}

const specCache = new WeakMap<object, SpecInfo>();

/** Priority of the built-in classes; other classes need the PriorityClass object, which a manifest rarely has. */
const BUILTIN_PRIORITY: Record<string, number> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

function readSelector(value: unknown): LabelSelector | null {
  const rec = asRecord(value);
  if (!rec) return null;
  return {
    matchLabels: asStringMap(rec.matchLabels),
    matchExpressions: asRecords(rec.matchExpressions).map((r) => ({
      key: asString(r.key) ?? '',
      operator: asString(r.operator) ?? '',
      values: asArray(r.values)
        .map(asString)
        .filter((s): s is string => s !== undefined),
    })),
  };
}

function readStrings(value: unknown): string[] {
  return asArray(value)
    .map(asString)
    .filter((s): s is string => s !== undefined);
}

function readAffinityTerms(value: unknown): RawAffinityTerm[] {
  return asRecords(value).map((t) => ({
    labelSelector: readSelector(t.labelSelector),
    namespaces: readStrings(t.namespaces),
    namespaceSelector: readSelector(t.namespaceSelector),
    topologyKey: asString(t.topologyKey) ?? '',
    matchLabelKeys: readStrings(t.matchLabelKeys),
    mismatchLabelKeys: readStrings(t.mismatchLabelKeys),
  }));
}

function readWeightedAffinityTerms(value: unknown): RawWeightedAffinityTerm[] {
  return asRecords(value)
    .map((w) => ({ weight: asInteger(w.weight) ?? 0, term: readAffinityTerms([w.podAffinityTerm])[0] }))
    .filter((w): w is RawWeightedAffinityTerm => w.term !== undefined && w.weight !== 0);
}

function readSpreadConstraints(value: unknown): RawSpreadConstraint[] {
  return asRecords(value).map((c) => ({
    maxSkew: asInteger(c.maxSkew) ?? 1,
    topologyKey: asString(c.topologyKey) ?? '',
    whenUnsatisfiable: asString(c.whenUnsatisfiable) ?? 'DoNotSchedule',
    labelSelector: readSelector(c.labelSelector),
    minDomains: asInteger(c.minDomains) ?? 1,
    nodeAffinityPolicy: c.nodeAffinityPolicy === 'Ignore' ? 'Ignore' : 'Honor',
    nodeTaintsPolicy: c.nodeTaintsPolicy === 'Honor' ? 'Honor' : 'Ignore',
    matchLabelKeys: readStrings(c.matchLabelKeys),
  }));
}

/** GetHostPorts: host ports of app containers and sidecars; hostNetwork makes every containerPort a host port. */
function readHostPorts(spec: unknown): HostPort[] {
  const hostNetwork = dig(spec, 'hostNetwork') === true;
  const containers = [
    ...asRecords(dig(spec, 'initContainers')).filter((c) => c.restartPolicy === 'Always'),
    ...asRecords(dig(spec, 'containers')),
  ];
  const out: HostPort[] = [];
  for (const c of containers) {
    for (const p of asRecords(c.ports)) {
      const hostPort = asInteger(p.hostPort) ?? (hostNetwork ? asInteger(p.containerPort) : undefined);
      if (hostPort === undefined || hostPort <= 0) continue;
      out.push({ hostIP: asString(p.hostIP) || '0.0.0.0', protocol: asString(p.protocol) || 'TCP', hostPort });
    }
  }
  return out;
}

function readPriority(spec: unknown): number {
  const explicit = asInteger(dig(spec, 'priority'));
  if (explicit !== undefined) return explicit;
  return BUILTIN_PRIORITY[asString(dig(spec, 'priorityClassName')) ?? ''] ?? 0;
}

function buildSpecInfo(spec: unknown): SpecInfo {
  const requests = podRequests(spec);
  return {
    requests,
    requestList: Object.entries(requests).map(([name, amount]) => ({ name, amount })),
    nonZeroRequests: podNonZeroRequests(spec),
    hostPorts: readHostPorts(spec),
    tolerations: readTolerations(dig(spec, 'tolerations')),
    requiredNodeAffinity: readRequiredNodeAffinity(spec),
    preferredNodeAffinity: readPreferredSchedulingTerms(dig(spec, 'affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution')),
    requiredAffinity: readAffinityTerms(dig(spec, 'affinity', 'podAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')),
    requiredAntiAffinity: readAffinityTerms(dig(spec, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')),
    preferredAffinity: readWeightedAffinityTerms(dig(spec, 'affinity', 'podAffinity', 'preferredDuringSchedulingIgnoredDuringExecution')),
    preferredAntiAffinity: readWeightedAffinityTerms(dig(spec, 'affinity', 'podAntiAffinity', 'preferredDuringSchedulingIgnoredDuringExecution')),
    spreadConstraints: readSpreadConstraints(dig(spec, 'topologySpreadConstraints')),
    nodeName: asString(dig(spec, 'nodeName')) || undefined,
    priority: readPriority(spec),
    preemptionNever: dig(spec, 'preemptionPolicy') === 'Never',
    schedulingGates: asRecords(dig(spec, 'schedulingGates')).map((g) => asString(g.name) ?? ''),
  };
}

/** The parsed spec of a pod; malformed specs read as empty. */
export function specInfo(spec: unknown): SpecInfo {
  const rec = asRecord(spec);
  if (!rec) return buildSpecInfo({});
  let info = specCache.get(rec);
  if (!info) {
    info = buildSpecInfo(rec);
    specCache.set(rec, info);
  }
  return info;
}

/** framework.AffinityTerm: a pod (anti-)affinity term resolved against the pod that declares it. */
export interface AffinityTerm {
  /** Namespaces named explicitly, or the declaring pod's own when neither names nor a selector are given. */
  namespaces: Set<string>;
  namespaceSelector: LabelSelector | null;
  selector: LabelSelector | null;
  topologyKey: string;
}

function resolveTerm(raw: RawAffinityTerm, pod: SimPod): AffinityTerm {
  const namespaces = new Set(raw.namespaces);
  if (namespaces.size === 0 && raw.namespaceSelector === null) namespaces.add(pod.namespace);
  let selector = raw.labelSelector;
  // matchLabelKeys / mismatchLabelKeys merge the declaring pod's own label values into the selector.
  if (selector && (raw.matchLabelKeys.length > 0 || raw.mismatchLabelKeys.length > 0)) {
    const labels = pod.labels ?? {};
    const extra = [
      ...raw.matchLabelKeys.filter((k) => k in labels).map((k) => ({ key: k, operator: 'In', values: [labels[k]] })),
      ...raw.mismatchLabelKeys.filter((k) => k in labels).map((k) => ({ key: k, operator: 'NotIn', values: [labels[k]] })),
    ];
    selector = { matchLabels: selector.matchLabels, matchExpressions: [...(selector.matchExpressions ?? []), ...extra] };
  }
  return { namespaces, namespaceSelector: raw.namespaceSelector, selector, topologyKey: raw.topologyKey };
}

/**
 * AffinityTerm.Matches: the pod is in one of the term's namespaces and its labels match. Namespace
 * labels are not modelled beyond `kubernetes.io/metadata.name`, which the API server always sets.
 */
export function affinityTermMatches(term: AffinityTerm, pod: SimPod): boolean {
  const inNamespace =
    term.namespaces.has(pod.namespace) ||
    (term.namespaceSelector !== null && labelSelectorMatches(term.namespaceSelector, { 'kubernetes.io/metadata.name': pod.namespace }));
  return inNamespace && labelSelectorMatches(term.selector, pod.labels);
}

export interface WeightedAffinityTerm {
  weight: number;
  term: AffinityTerm;
}

/** A pod as the scheduler sees it. */
export interface PodInfo {
  pod: SimPod;
  spec: SpecInfo;
  requiredAffinityTerms: AffinityTerm[];
  requiredAntiAffinityTerms: AffinityTerm[];
  preferredAffinityTerms: WeightedAffinityTerm[];
  preferredAntiAffinityTerms: WeightedAffinityTerm[];
  /**
   * The controller this pod is counted under on the NodeInfo holding it (set there when the pod is
   * added, while it is not terminating), so a later deletionTimestamp cannot unbalance the counts.
   * Kept on the pod's entry, not in a map by uid: a 10,000-replica rollout looked it up 100,000 times.
   */
  countedOwner: string | undefined;
}

/** Whether the pod declares any pod affinity or anti-affinity (NodeInfo.PodsWithAffinity). */
export function hasPodAffinity(info: PodInfo): boolean {
  return (
    info.requiredAffinityTerms.length + info.requiredAntiAffinityTerms.length + info.preferredAffinityTerms.length + info.preferredAntiAffinityTerms.length >
    0
  );
}

/** Shared by every pod without terms of a kind (most pods): one allocation fewer per parse. */
const NO_TERMS: never[] = [];

function resolveTerms(raw: readonly RawAffinityTerm[], pod: SimPod): AffinityTerm[] {
  return raw.length === 0 ? NO_TERMS : raw.map((t) => resolveTerm(t, pod));
}

function resolveWeightedTerms(raw: readonly RawWeightedAffinityTerm[], pod: SimPod): WeightedAffinityTerm[] {
  return raw.length === 0 ? NO_TERMS : raw.map((w) => ({ weight: w.weight, term: resolveTerm(w.term, pod) }));
}

export function podInfo(pod: SimPod): PodInfo {
  const spec = specInfo(pod.spec);
  return {
    pod,
    spec,
    requiredAffinityTerms: resolveTerms(spec.requiredAffinity, pod),
    requiredAntiAffinityTerms: resolveTerms(spec.requiredAntiAffinity, pod),
    preferredAffinityTerms: resolveWeightedTerms(spec.preferredAffinity, pod),
    preferredAntiAffinityTerms: resolveWeightedTerms(spec.preferredAntiAffinity, pod),
    countedOwner: undefined,
  };
}
