// Per-node and per-domain counts of pods, kept current by the SchedulerCache on every pod it
// accounts or drops, so PodTopologySpread and InterPodAffinity read "how many matching pods in this
// node's domain" in O(1) instead of scanning every pod for every pod scheduled (upstream rebuilds
// these counts in PreFilter/PreScore from the snapshot; the answers are the same numbers).
import type { LabelSelector } from '../../../k8s/labels';
import type { SimNode } from '../../types';
import type { AffinityTerm } from '../podinfo';

/** The domains of one topology key: each node's domain id (-1: the node lacks the label) and the values. */
export interface TopologyDomains {
  ids: Int32Array;
  values: string[];
}

export function topologyDomains(nodes: readonly { node: SimNode }[], key: string): TopologyDomains {
  const ids = new Int32Array(nodes.length);
  const byValue = new Map<string, number>();
  const values: string[] = [];
  nodes.forEach(({ node }, i) => {
    const value = node.labels?.[key];
    if (value === undefined) {
      ids[i] = -1;
      return;
    }
    let id = byValue.get(value);
    if (id === undefined) {
      byValue.set(value, (id = values.length));
      values.push(value);
    }
    ids[i] = id;
  });
  return { ids, values };
}

/** Sums of a NodeCounts over the domains of one key; `labelled`: the count on nodes that have the key. */
export interface DomainSums {
  domains: TopologyDomains;
  sums: Int32Array;
  labelled: number;
}

/** A count per node (by NodeInfo.index), with its sums per domain for the topology keys asked for so far. */
export class NodeCounts {
  readonly perNode: Int32Array;
  total = 0;
  private readonly byKey = new Map<TopologyDomains, DomainSums>();

  constructor(nodeCount: number) {
    this.perNode = new Int32Array(nodeCount);
  }

  add(node: number, delta: number): void {
    this.perNode[node] += delta;
    this.total += delta;
    for (const d of this.byKey.values()) {
      const id = d.domains.ids[node];
      if (id < 0) continue;
      d.sums[id] += delta;
      d.labelled += delta;
    }
  }

  /** The sums over `domains` (built once from the per-node counts, then kept current by add). */
  domainSums(domains: TopologyDomains): DomainSums {
    let d = this.byKey.get(domains);
    if (!d) {
      d = { domains, sums: new Int32Array(domains.values.length), labelled: 0 };
      for (let i = 0; i < this.perNode.length; i++) {
        const id = domains.ids[i];
        if (id < 0 || this.perNode[i] === 0) continue;
        d.sums[id] += this.perNode[i];
        d.labelled += this.perNode[i];
      }
      this.byKey.set(domains, d);
    }
    return d;
  }
}

const selectorKeys = new WeakMap<object, string>();

/** A selector as a string: equal strings select the same pods (parsed selectors are shared per template). */
export function selectorKey(selector: LabelSelector | null): string {
  if (selector === null) return 'null';
  let key = selectorKeys.get(selector);
  if (key === undefined) selectorKeys.set(selector, (key = JSON.stringify(selector)));
  return key;
}

const termKeys = new WeakMap<AffinityTerm, string>();

/** What an affinity term selects (namespaces and labels), without its topology key. */
export function termSelectionKey(term: AffinityTerm): string {
  let key = termKeys.get(term);
  if (key === undefined) {
    key = `${selectorKey(term.selector)}|${selectorKey(term.namespaceSelector)}|${[...term.namespaces].sort().join(',')}`;
    termKeys.set(term, key);
  }
  return key;
}
