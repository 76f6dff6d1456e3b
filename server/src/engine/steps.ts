// Decoding the timeline's compact step format: a step with `podsDelta` lists only the pods that
// appeared or changed since the previous step (and `removedPods`), and a step's `nodes` only the
// nodes whose usage changed. Types only, no engine code: the CLI uses these through the engine,
// the client and the webview through server/src/protocol.ts, without bundling the engine.
import type { NodeUsage, PodSnapshot, SimulationResult } from './types';

/** Every pod at step `index`: the last full list before it plus every delta up to it. */
export function podsAtStep(result: Pick<SimulationResult, 'steps'>, index: number): PodSnapshot[] {
  const steps = result.steps;
  if (index < 0 || index >= steps.length) return [];
  let base = index;
  while (base > 0 && steps[base].podsDelta) base--;
  const byName = new Map<string, PodSnapshot>();
  for (const p of steps[base].pods) byName.set(p.name, p);
  for (let i = base + 1; i <= index; i++) {
    for (const name of steps[i].removedPods ?? []) byName.delete(name);
    for (const p of steps[i].pods) byName.set(p.name, p);
  }
  return [...byName.values()];
}

/**
 * Every node's usage at step `index` (requested resources, Ready, unschedulable), in cluster order:
 * the first step lists every node and later steps only those that changed, so this folds them up to
 * `index`. Empty for an index out of range or a result recorded without node usage.
 */
export function nodesAtStep(result: Pick<SimulationResult, 'steps'>, index: number): NodeUsage[] {
  const steps = result.steps;
  if (index < 0 || index >= steps.length) return [];
  const byName = new Map<string, NodeUsage>();
  for (let i = 0; i <= index; i++) for (const node of steps[i].nodes ?? []) byName.set(node.name, node);
  return [...byName.values()];
}
