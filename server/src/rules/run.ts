// Runs rules over documents (tests, the rules doc, benchmarks): only Kubernetes documents and
// only the kinds a rule declares. Each rule's check is already guarded (util/define-rule).
import { isKubernetesObject, type ManifestFile } from '../manifest';
import type { WorkspaceIndex } from '../workspace';
import type { Rule, RuleContext } from './types';
import type { Finding } from '../findings';
import { kubernetesTarget, type KubernetesTarget } from '../schema/target';

export function ruleApplies(rule: Rule, ctx: RuleContext): boolean {
  const { doc } = ctx;
  if (doc.value === undefined || !isKubernetesObject(doc)) return false;
  return !rule.kinds || rule.kinds.includes(`${doc.apiVersion}/${doc.kind}`);
}

export function runRules(ctx: RuleContext, rules: readonly Rule[]): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    if (!ruleApplies(rule, ctx)) continue;
    findings.push(...rule.check(ctx));
  }
  return findings;
}

/** Findings for every document of `file`, in document order (for the newest bundled release unless told). */
export function runRulesOnFile(file: ManifestFile, workspace: WorkspaceIndex, rules: readonly Rule[], kubernetes: KubernetesTarget = kubernetesTarget()!): Finding[] {
  return file.documents.flatMap((doc) => runRules({ file, doc, workspace, kubernetes }, rules));
}
