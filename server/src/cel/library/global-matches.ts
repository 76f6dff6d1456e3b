// cel-go common/stdlib declares `matches` in both forms: `s.matches(re)` (matches_string) and
// the global `matches(s, re)` (overloads.Matches, (string, string) -> bool). @bufbuild/cel has only
// the member form, so Gateway API's own policy (`!matches(..., 'v0')`) was never evaluated.
import { CelScalar, celFunc, type CelFunc } from '@bufbuild/cel';
import { RE2JS } from '@bufbuild/re2';

export const GLOBAL_MATCHES_FUNCS: CelFunc[] = [
  // The member form's own matching (RE2 semantics, as Go's regexp), the receiver passed first.
  celFunc('matches', [CelScalar.STRING, CelScalar.STRING], CelScalar.BOOL, (text, pattern) => RE2JS.compile(pattern).test(text)),
];
