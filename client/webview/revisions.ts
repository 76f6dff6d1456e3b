// Stable colours per revision: the order revisions first appear in the timeline picks a chart colour.
import type { SimulationResult } from '../../server/src/protocol';

const PALETTE_SIZE = 6;

export interface RevisionOrder {
  /** Revisions in the order they first appear; the last one is the rollout's target. */
  all: string[];
  newest: string | undefined;
  colourClass(revision: string): string;
}

export function revisionOrder(result: SimulationResult): RevisionOrder {
  const seen = new Map<string, number>();
  for (const step of result.steps) {
    for (const pod of step.pods) if (!seen.has(pod.revision)) seen.set(pod.revision, seen.size);
  }
  const all = [...seen.keys()];
  const last = result.steps[result.steps.length - 1];
  const newest = last ? newestRevision(last.pods.filter((p) => !p.terminating).map((p) => p.revision), all) : undefined;
  return {
    all,
    newest,
    colourClass: (revision) => `rev-${(seen.get(revision) ?? 0) % PALETTE_SIZE}`,
  };
}

/** The revision of the latest-created live pods at the end; falls back to the last revision seen. */
function newestRevision(live: string[], all: string[]): string | undefined {
  let best: string | undefined;
  for (const revision of live) if (best === undefined || all.indexOf(revision) > all.indexOf(best)) best = revision;
  return best ?? all[all.length - 1];
}
