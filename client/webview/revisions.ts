// Stable colours per revision: the order revisions first appear in the timeline picks a chart colour.
import type { PodSnapshot, SimulationResult } from '../../server/src/protocol/wire';
import type { PodPaging } from '../../server/src/protocol/requests';

const PALETTE_SIZE = 6;

export interface RevisionOrder {
  /** Revisions in the order they first appear; the last one is the rollout's target. */
  all: string[];
  newest: string | undefined;
  colourClass(revision: string): string;
}

/** `finalPods`: every pod at the last step (steps may list only changes, see podsAtStep). */
export function revisionOrder(result: SimulationResult, finalPods: readonly PodSnapshot[]): RevisionOrder {
  const seen = new Set<string>();
  for (const step of result.steps) {
    // A pod's revision never changes: it is in the pod's first entry (later changes omit it).
    for (const pod of step.pods) if (typeof pod.revision === 'string') seen.add(pod.revision);
  }
  return orderOf([...seen], finalPods.filter((p) => !p.terminating).map((p) => p.revision));
}

/**
 * A paged run (SimulateResponse.paging): its revisions in order of their first pod and the counts
 * at the last step, as the pods themselves are not all in the steps.
 */
export function pagedRevisionOrder(paging: Pick<PodPaging, 'revisions' | 'counts'>): RevisionOrder {
  const last = paging.counts.at(-1)?.byRevision ?? {};
  return orderOf(paging.revisions, Object.keys(last).filter((r) => last[r].live > 0));
}

/** `all` in order of appearance; the newest is the latest of those with live pods at the end. */
function orderOf(all: string[], live: readonly string[]): RevisionOrder {
  const index = new Map(all.map((r, i) => [r, i]));
  let newest: string | undefined;
  for (const revision of live) if (newest === undefined || (index.get(revision) ?? -1) > (index.get(newest) ?? -1)) newest = revision;
  return {
    all,
    newest: newest ?? all[all.length - 1],
    colourClass: (revision) => `rev-${(index.get(revision) ?? 0) % PALETTE_SIZE}`,
  };
}
