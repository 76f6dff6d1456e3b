// Go regular expressions of a kustomization (a patch or replacement target's anchored fields:
// api/types/selector.go SelectorRegex; an `images:` name: api/internal/image/image.go
// IsImageMatched), compiled once per pattern rather than per object tested. RE2 (linear time):
// a pattern from the repository cannot stall the server.
import { RE2JS } from '@bufbuild/re2';

/** Patterns kept at most: a workspace has few; a hostile one cannot grow the memo without bound. */
const MAX_PATTERNS = 1024;
const compiled = new Map<string, RE2JS | null>();

/** The compiled pattern; undefined when it does not compile (such a pattern matches nothing). */
export function goRegexp(pattern: string): RE2JS | undefined {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern);
    } catch {
      re = null;
    }
    if (compiled.size >= MAX_PATTERNS) compiled.clear();
    compiled.set(pattern, re);
  }
  return re ?? undefined;
}
