// The World's nodes: its own copy (faults change them; the caller's list, e.g. DEFAULT_CLUSTER,
// stays as it was), indexed by name.
import type { SimNode, Taint } from '../types';

/**
 * Nodes from outside the loader may be partial: missing fields take defaults, nameless or
 * duplicate nodes are dropped.
 */
function copyNodes(nodes: readonly SimNode[]): SimNode[] {
  const seen = new Set<string>();
  const copies: SimNode[] = [];
  for (const n of Array.isArray(nodes) ? nodes : []) {
    if (typeof n !== 'object' || n === null || typeof n.name !== 'string' || n.name === '' || seen.has(n.name)) continue;
    seen.add(n.name);
    copies.push({
      name: n.name,
      labels: { ...(n.labels ?? {}) },
      taints: Array.isArray(n.taints) ? (n.taints as Taint[]).filter((t) => typeof t === 'object' && t !== null).map((t) => ({ ...t })) : [],
      unschedulable: n.unschedulable === true,
      ready: n.ready !== false,
      allocatable: { ...(n.allocatable ?? {}) },
    });
  }
  return copies;
}

export class NodeStore {
  readonly list: SimNode[];
  private readonly byName = new Map<string, SimNode>();

  constructor(nodes: readonly SimNode[]) {
    this.list = copyNodes(nodes);
    for (const n of this.list) this.byName.set(n.name, n);
  }

  get(name: string | undefined): SimNode | undefined {
    return name === undefined ? undefined : this.byName.get(name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  isReady(name: string | undefined): boolean {
    return this.get(name)?.ready ?? false;
  }

  hasNoExecuteTaint(name: string | undefined): boolean {
    return this.get(name)?.taints.some((t) => t.effect === 'NoExecute') ?? false;
  }
}
