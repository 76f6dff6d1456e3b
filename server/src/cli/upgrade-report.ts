// `kdry check --upgrade-to 1.35`: what breaks or changes meaning when the cluster moves from the
// target release to a newer one. Both releases check every file; a finding is reported when the
// new release has it and the current one does not (APIs removed, fields removed, values no longer
// allowed, a feature gate whose default changed), with the fixes the check offers.
import type { Finding } from '../findings';

/** Findings of `after` with no counterpart in `before` (same rule, place and wording apart from release numbers). */
export function upgradeFindings(before: readonly Finding[], after: readonly Finding[]): Finding[] {
  const known = new Set(before.map(findingKey));
  return after.filter((f) => !known.has(findingKey(f)));
}

function findingKey(f: Finding): string {
  return `${f.ruleId} ${f.range[0]} ${f.range[1]} ${f.message.replace(/Kubernetes \d+\.\d+/g, 'Kubernetes')}`;
}
