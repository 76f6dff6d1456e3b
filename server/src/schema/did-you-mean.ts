// Suggests the name the user probably meant, for unknown fields and enum values.
import { distance } from 'fastest-levenshtein';

export interface Suggestion {
  /** Candidates at the smallest distance, best first. */
  names: string[];
  /** Exactly one candidate stands out: safe to offer as the preferred fix. */
  clear: boolean;
}

/**
 * Close candidates for `input`: a case-insensitive match wins outright; otherwise edit distance
 * up to a third of the word (at least 2, so `contianers` -> `containers` and `replica` ->
 * `replicas` both qualify, but unrelated short names do not).
 */
export function suggestNames(input: string, candidates: readonly string[]): Suggestion {
  const lower = input.toLowerCase();
  const sameLetters = candidates.filter((c) => c.toLowerCase() === lower);
  if (sameLetters.length) return { names: sameLetters, clear: sameLetters.length === 1 };
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best = Infinity;
  let names: string[] = [];
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d > limit || d > best) continue;
    if (d < best) {
      best = d;
      names = [];
    }
    names.push(candidate);
  }
  return { names, clear: names.length === 1 };
}
