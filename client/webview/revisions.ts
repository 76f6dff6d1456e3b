// Stable colours per revision: the order revisions first appear in the timeline picks a chart colour.
import type { PodSnapshot, SimulationResult } from '../../server/src/protocol/wire';

const PALETTE_SIZE = 6;

export interface RevisionOrder {
  /** Revisions in the order they first appear; the last one is the rollout's target. */
  all: string[];
  newest: string | undefined;
  colourClass(revision: string): string;
}

/** `finalPods`: every pod at the last step (steps may list only changes, see podsAtStep). */
export function revisionOrder(result: SimulationResult, finalPods: readonly PodSnapshot[]): RevisionOrder {
  const seen = new Map<string, number>();
  for (const step of result.steps) {
    // A pod's revision never changes: it is in the pod's first entry (later changes omit it).
    for (const pod of step.pods) if (typeof pod.revision === 'string' && !seen.has(pod.revision)) seen.set(pod.revision, seen.size);
  }
  const all = [...seen.keys()];
  const live = finalPods.filter((p) => !p.terminating).map((p) => p.revision);
  let newest: string | undefined;
  for (const revision of live) if (newest === undefined || all.indexOf(revision) > all.indexOf(newest)) newest = revision;
  return {
    all,
    newest: newest ?? all[all.length - 1],
    colourClass: (revision) => `rev-${(seen.get(revision) ?? 0) % PALETTE_SIZE}`,
  };
}
