// `kdry check --upgrade-to 1.35`: what breaks or changes meaning when the cluster moves from the
// target release to a newer one. Both releases check every file; a finding is reported when the
// new release has it and the current one does not (APIs removed, fields removed, values no longer
// allowed, a feature gate whose default changed), with the fixes the check offers; and the defaults
// and controller behaviour that change in between (schema/changed-defaults.ts).
import type { Finding } from '../findings';
import type { ManifestFile } from '../manifest';
import { SCHEMA } from '../builtin-checks';
import { behaviourChanges } from '../schema/changed-defaults';

/**
 * Findings of `after` (release `to`) with no counterpart in `before` (release `from`), and what
 * changes for `file` between the two. A feature-gate note on a field the table of changes explains
 * gives way to the table's finding, which says what changes rather than the gate's stage.
 */
export function upgradeFindings(file: ManifestFile, before: readonly Finding[], after: readonly Finding[], from: string, to: string): Finding[] {
  const changes = behaviourChanges(file, from, to);
  const explained = new Set(changes.map(rangeKey));
  const known = new Set(before.map(findingKey));
  const added = after.filter((f) => !known.has(findingKey(f)) && !(f.ruleId === SCHEMA.id && f.severity === 'info' && explained.has(rangeKey(f))));
  return [...added, ...changes];
}

function findingKey(f: Finding): string {
  return `${f.ruleId} ${f.range[0]} ${f.range[1]} ${f.message.replace(/Kubernetes \d+\.\d+/g, 'Kubernetes')}`;
}

const rangeKey = (f: Finding) => `${f.range[0]} ${f.range[1]}`;
