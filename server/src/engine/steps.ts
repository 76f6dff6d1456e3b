// Decoding the timeline's compact step format: a step with `podsDelta` lists only the pods that
// appeared or changed since the previous step, each as a PodChange (its name and the fields that
// differ; `null` for a field that went away), plus `removedPods`; and a step's `nodes` only the
// nodes whose usage changed. No engine code: the CLI uses these through the engine, the client
// and the webview through server/src/protocol/wire.ts, without bundling the engine.
import type { NodeUsage, PodChange, PodSnapshot, SimulationResult, TimelineStep } from './result';

/**
 * Folds one step into `pods` (name -> snapshot, in creation order): a full step replaces them, a
 * delta step removes the pods that left and merges each change into its pod's last snapshot.
 * Worked example: {name: 'web-1', phase: 'Pending', reason: 'Unschedulable', ...} and the change
 * {name: 'web-1', node: 'n1', reason: null} give {name: 'web-1', phase: 'Pending', node: 'n1', ...}.
 */
export function applyStep(pods: Map<string, PodSnapshot>, step: TimelineStep): void {
  if (!step.podsDelta) {
    pods.clear();
    for (const p of step.pods) pods.set(p.name, p);
    return;
  }
  for (const name of step.removedPods) pods.delete(name);
  for (const change of step.pods) pods.set(change.name, merged(pods.get(change.name), change));
}

/**
 * The previous snapshot with the change's fields set and its null fields left out, keys in the
 * order `{ ...previous }` then assigning each change would give. Built without `delete`, which
 * turned every merged pod into a slow dictionary object (the paged view's counts read each one).
 */
function merged(previous: PodSnapshot | undefined, change: PodChange): PodSnapshot {
  let removes = false;
  for (const key in change) if ((change as Record<string, unknown>)[key] === null) removes = true;
  if (!removes) return { ...previous, ...change } as PodSnapshot;
  const before = (previous ?? {}) as Record<string, unknown>;
  const changed = change as Record<string, unknown>;
  const next: Record<string, unknown> = {};
  for (const key of Object.keys(before)) {
    if (!Object.hasOwn(changed, key)) next[key] = before[key];
    else if (changed[key] !== null) next[key] = changed[key];
  }
  for (const key of Object.keys(changed)) if (changed[key] !== null && !Object.hasOwn(before, key)) next[key] = changed[key];
  return next as unknown as PodSnapshot;
}

/** Every pod at step `index`: the last full list before it plus every delta up to it. */
export function podsAtStep(result: Pick<SimulationResult, 'steps'>, index: number): PodSnapshot[] {
  const steps = result.steps;
  if (index < 0 || index >= steps.length) return [];
  let base = index;
  while (base > 0 && steps[base].podsDelta) base--;
  const byName = new Map<string, PodSnapshot>();
  for (let i = base; i <= index; i++) applyStep(byName, steps[i]);
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
