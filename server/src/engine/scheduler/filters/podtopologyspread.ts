// PodTopologySpread (filter): for every DoNotSchedule constraint, placing the pod on this node
// must keep `matching pods in the node's domain + (1 if the pod itself matches) - global minimum`
// within maxSkew. Domains and the minimum are computed over eligible nodes only: nodes that carry
// every constraint's topologyKey and pass the node inclusion policies (nodeAffinityPolicy Honor,
// nodeTaintsPolicy Ignore by default).
import type { SimNode, SimPod } from '../../types';
import type { LabelSelector } from '../../../k8s/labels';
import { labelSelectorMatches } from '../../../k8s/labels';
import { type CycleState, cycleData, type FilterPlugin, type NodeInfo, type Status, unresolvable, unschedulable } from '../framework';
import { requiredNodeAffinityMatchesParsed } from '../nodeaffinity';
import type { PodInfo, RawSpreadConstraint } from '../podinfo';
import { doNotScheduleTaintsFilter, findMatchingUntoleratedTaint } from '../tolerations';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = `${ERR_REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

/** A constraint with its selector resolved against the incoming pod (matchLabelKeys merged in). */
export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: LabelSelector | null;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

export function resolveConstraint(raw: RawSpreadConstraint, pod: SimPod): SpreadConstraint {
  let selector = raw.labelSelector;
  const labels = pod.labels ?? {};
  const extra = raw.matchLabelKeys.filter((k) => k in labels).map((k) => ({ key: k, operator: 'In', values: [labels[k]] }));
  if (extra.length > 0) {
    selector = { matchLabels: selector?.matchLabels ?? {}, matchExpressions: [...(selector?.matchExpressions ?? []), ...extra] };
  }
  return {
    maxSkew: raw.maxSkew,
    topologyKey: raw.topologyKey,
    selector,
    minDomains: raw.minDomains,
    nodeAffinityPolicy: raw.nodeAffinityPolicy,
    nodeTaintsPolicy: raw.nodeTaintsPolicy,
  };
}

function selectorIsEmpty(selector: LabelSelector | null): boolean {
  return selector !== null && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** countPodsMatchSelector: terminating pods and other namespaces do not count; an empty selector counts nothing. */
export function countPodsMatchSelector(pods: Iterable<PodInfo>, selector: LabelSelector | null, namespace: string): number {
  if (selector === null || selectorIsEmpty(selector)) return 0;
  let count = 0;
  for (const p of pods) {
    if (p.pod.deletionTimestamp !== undefined || p.pod.namespace !== namespace) continue;
    if (labelSelectorMatches(selector, p.pod.labels)) count++;
  }
  return count;
}

export function nodeLabelsMatchSpreadConstraints(node: SimNode, constraints: readonly SpreadConstraint[]): boolean {
  return constraints.every((c) => node.labels?.[c.topologyKey] !== undefined);
}

/** MatchNodeInclusionPolicies: whether the node's domain counts for this constraint. */
export function matchNodeInclusionPolicies(c: SpreadConstraint, pod: PodInfo, node: SimNode): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !requiredNodeAffinityMatchesParsed(pod.spec.requiredNodeAffinity, node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findMatchingUntoleratedTaint(node.taints, pod.spec.tolerations, doNotScheduleTaintsFilter)) return false;
  return true;
}

interface PreFilterState {
  constraints: SpreadConstraint[];
  /** Per constraint: domain value -> matching pods. */
  tpValueToMatchNum: Map<string, number>[];
}

function preFilter(state: CycleState): PreFilterState {
  const pod = state.pod;
  const constraints = pod.spec.spreadConstraints.filter((c) => c.whenUnsatisfiable === 'DoNotSchedule').map((c) => resolveConstraint(c, pod.pod));
  const tpValueToMatchNum = constraints.map(() => new Map<string, number>());
  if (constraints.length === 0) return { constraints, tpValueToMatchNum };
  for (const nodeInfo of state.allNodes) {
    const node = nodeInfo.node;
    if (!nodeLabelsMatchSpreadConstraints(node, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!matchNodeInclusionPolicies(c, pod, node)) return;
      const value = node.labels[c.topologyKey];
      const count = countPodsMatchSelector(nodeInfo.pods.values(), c.selector, pod.pod.namespace);
      tpValueToMatchNum[i].set(value, (tpValueToMatchNum[i].get(value) ?? 0) + count);
    });
  }
  return { constraints, tpValueToMatchNum };
}

/** The global minimum of a constraint; 0 while fewer domains than minDomains exist. */
function minMatchNum(s: PreFilterState, i: number): number {
  const domains = s.tpValueToMatchNum[i];
  if (domains.size < s.constraints[i].minDomains || domains.size === 0) return 0;
  let min = Infinity;
  for (const n of domains.values()) if (n < min) min = n;
  return min;
}

export const podTopologySpread: FilterPlugin = {
  name: 'PodTopologySpread',
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined {
    const s = cycleData(state, this.name, () => preFilter(state));
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i];
      const value = nodeInfo.node.labels?.[c.topologyKey];
      if (value === undefined) return unresolvable(this.name, ERR_REASON_NODE_LABEL_NOT_MATCH);
      const self = c.selector !== null && labelSelectorMatches(c.selector, state.pod.pod.labels) ? 1 : 0;
      const skew = (s.tpValueToMatchNum[i].get(value) ?? 0) + self - minMatchNum(s, i);
      if (skew > c.maxSkew) return unschedulable(this.name, ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return undefined;
  },
};
