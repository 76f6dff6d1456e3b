// InterPodAffinity from the cache's match counts: the incoming pod's terms read the matching pods
// of each domain from running sums, and the terms of pods already bound are grouped by signature
// with their declaring pods counted per node, so a pod costs O(terms x candidate nodes) rather
// than a pass over every pod. filters/ and scores/interpodaffinity.ts stay the reference.
import type { SchedulerCache } from '../cache';
import type { Candidates } from './candidates';
import type { CycleState } from '../framework';
import type { NodeCheck } from './topology-spread';
import type { NodeCounts } from './match-counts';
import { type AffinityTerm, affinityTermMatches } from '../podinfo';

/** A term's matching pods per domain of its topology key. */
interface DomainCounts {
  ids: Int32Array;
  sums: Int32Array;
}

function domainCounts(cache: SchedulerCache, term: AffinityTerm, counts: NodeCounts): DomainCounts & { labelled: number } {
  const domains = cache.domains(term.topologyKey);
  const d = counts.domainSums(domains);
  return { ids: domains.ids, sums: d.sums, labelled: d.labelled };
}

/** InterPodAffinity's filter (required affinity, required anti-affinity, existing pods' anti-affinity) as a check per node. */
export function podAffinityCheck(state: CycleState, cache: SchedulerCache): NodeCheck {
  const incoming = state.pod;
  // A node fails when its domain holds any pod counted here.
  const blocking: DomainCounts[] = [];
  for (const existing of cache.existingAntiAffinityTerms()) {
    if (affinityTermMatches(existing.term, incoming.pod)) blocking.push(domainCounts(cache, existing.term, existing.counts));
  }
  for (const term of incoming.requiredAntiAffinityTerms) blocking.push(domainCounts(cache, term, cache.termMatchCounts(term)));
  const terms = incoming.requiredAffinityTerms;
  const required: DomainCounts[] = [];
  let firstOfGroup = false;
  if (terms.length > 0) {
    const counts = cache.allTermsMatchCounts(terms);
    let anyMatching = false;
    for (const term of terms) {
      const d = domainCounts(cache, term, counts);
      if (d.labelled > 0) anyMatching = true;
      required.push(d);
    }
    // The first pod of a group with affinity to itself may go anywhere that has the topology labels.
    firstOfGroup = !anyMatching && terms.every((t) => affinityTermMatches(t, incoming.pod));
  }
  return (at) => {
    if (required.length > 0) {
      let podsExist = true;
      for (const r of required) {
        const d = r.ids[at];
        if (d < 0) return false;
        if (r.sums[d] <= 0) podsExist = false;
      }
      if (!podsExist && !firstOfGroup) return false;
    }
    for (const b of blocking) {
      const d = b.ids[at];
      if (d >= 0 && b.sums[d] > 0) return false;
    }
    return true;
  };
}

/**
 * InterPodAffinity's raw scores of the candidates: the incoming pod's preferred terms over the pods
 * bound, and the bound pods' required affinity (weight 1) and preferred terms over the incoming pod.
 * Undefined when no pod contributes anywhere (the plugin's scores would all normalise to 0).
 */
export function podAffinityScores(state: CycleState, cache: SchedulerCache, candidates: Candidates): number[] | undefined {
  const incoming = state.pod;
  const parts: (DomainCounts & { weight: number })[] = [];
  const add = (term: AffinityTerm, counts: NodeCounts, weight: number): void => {
    const d = domainCounts(cache, term, counts);
    if (d.labelled !== 0) parts.push({ ids: d.ids, sums: d.sums, weight });
  };
  for (const w of incoming.preferredAffinityTerms) add(w.term, cache.termMatchCounts(w.term), w.weight);
  for (const w of incoming.preferredAntiAffinityTerms) add(w.term, cache.termMatchCounts(w.term), -w.weight);
  for (const existing of cache.existingScoringTerms()) {
    if (affinityTermMatches(existing.term, incoming.pod)) add(existing.term, existing.counts, existing.weight);
  }
  if (parts.length === 0) return undefined;
  const scores = new Array<number>(candidates.count);
  for (let i = 0; i < candidates.count; i++) {
    const at = candidates.index[i];
    let score = 0;
    for (const p of parts) {
      const d = p.ids[at];
      if (d >= 0) score += p.weight * p.sums[d];
    }
    scores[i] = score;
  }
  return scores;
}
