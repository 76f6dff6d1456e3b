// NodeAffinity (filter): spec.nodeSelector and the required node affinity must both match.
import { type CycleState, type FilterPlugin, type NodeInfo, type Status, unresolvable } from '../framework';
import { type RequiredNodeAffinity, requiredNodeAffinityMatchesParsed } from '../nodeaffinity';

export const ERR_REASON_POD_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

export const nodeAffinity: FilterPlugin = {
  name: 'NodeAffinity',
  filter(state: CycleState, nodeInfo: NodeInfo): Status | undefined {
    return requiredNodeAffinityMatchesParsed(state.pod.spec.requiredNodeAffinity, nodeInfo.node)
      ? undefined
      : unresolvable(this.name, ERR_REASON_POD_NODE_AFFINITY);
  },
};

export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

/**
 * NodeAffinity PreFilter: when every required term names nodes with `matchFields metadata.name In`
 * (what the DaemonSet controller writes), only those nodes are evaluated; the rest are reported
 * as "didn't satisfy plugin(s) [NodeAffinity]". Terms naming no node at all conflict.
 */
export function nodeAffinityPreFilterNodeNames(affinity: RequiredNodeAffinity): Set<string> | 'conflict' | undefined {
  const terms = affinity.requiredTerms;
  if (!terms || terms.length === 0) return undefined;
  let nodeNames: Set<string> | undefined;
  for (const term of terms) {
    let termNames: Set<string> | undefined;
    for (const r of term.matchFields ?? []) {
      if (r.key !== 'metadata.name' || r.operator !== 'In') continue;
      const values = new Set(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => values.has(n))) : values;
    }
    // A term without a node-name requirement makes every node eligible (terms are ORed).
    if (!termNames) return undefined;
    nodeNames = new Set([...(nodeNames ?? []), ...termNames]);
  }
  return nodeNames && nodeNames.size === 0 ? 'conflict' : nodeNames;
}
