// Runs rules over documents the way server.ts and cli.ts need it: only Kubernetes documents,
// only the kinds a rule declares, and a rule that throws on odd input yields no finding
// rather than taking the others down.
import { isKubernetesObject, type ManifestFile } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import type { Finding, Rule, RuleContext } from './types';

export function ruleApplies(rule: Rule, ctx: RuleContext): boolean {
  const { doc } = ctx;
  if (doc.templated || doc.value === undefined || !isKubernetesObject(doc)) return false;
  return !rule.kinds || rule.kinds.includes(`${doc.apiVersion}/${doc.kind}`);
}

export function checkDocument(ctx: RuleContext, rules: readonly Rule[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (!ruleApplies(rule, ctx)) continue;
    try {
      findings.push(...rule.check(ctx));
    } catch {
      // a rule bug must not hide the other rules' findings; the rule's tests catch it
    }
  }
  return findings;
}

/** Findings for every document of `file`, in document order. */
export function checkFile(file: ManifestFile, workspace: WorkspaceIndex, rules: readonly Rule[]): Finding[] {
  return file.documents.flatMap((doc) => checkDocument({ file, doc, workspace }, rules));
}
