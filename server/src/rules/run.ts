// The one rule dispatcher (check.ts runs it for the editor and the CLI; the rules bench runs it
// alone): the rules that apply to a document, each guarded, so a rule that throws costs only its
// own findings and says so in an internal-error finding.
import { isKubernetesObject, type ManifestDocument } from '../manifest';
import { INTERNAL_ERROR } from '../builtin-checks';
import type { Finding } from '../findings';
import type { Rule, RuleContext } from './types';

export interface RuleSelection {
  /** Only single-document rules, or only cross-document ones (the language server caches them apart). */
  only?: 'local' | 'crossDocument';
  /** The document is a partial object (a kustomize patch, a template): only rules that judge what it sets. */
  partial?: boolean;
}

/** The rule looks at documents of this kind (every Kubernetes document when it names no kinds). */
export function ruleApplies(rule: Rule, doc: ManifestDocument): boolean {
  if (doc.value === undefined || !isKubernetesObject(doc)) return false;
  return !rule.kinds || rule.kinds.includes(`${doc.apiVersion}/${doc.kind}`);
}

/** Findings of every selected rule on `ctx.doc`, with the rule's severity where a finding names none. */
export function runRules(ctx: RuleContext, rules: readonly Rule[], selection: RuleSelection = {}): Finding[] {
  const { only, partial } = selection;
  const findings: Finding[] = [];
  const { doc } = ctx;
  if (doc.value === undefined || !isKubernetesObject(doc)) return findings;
  // ruleApplies for every rule, with the kind key made once per document rather than once per rule.
  const kindKey = `${doc.apiVersion}/${doc.kind}`;
  for (const rule of rules) {
    if (partial && !rule.partialObjects) continue;
    if (only === 'local' && rule.crossDocument) continue;
    if (only === 'crossDocument' && !rule.crossDocument) continue;
    if (rule.kinds && !rule.kinds.includes(kindKey)) continue;
    // guarded() inlined: no closure per rule and document, and nothing copied when a rule finds nothing.
    try {
      for (const f of rule.check(ctx)) findings.push(f.severity ? f : { ...f, severity: rule.severity });
    } catch (err) {
      findings.push(internalError(rule.id, doc, err));
    }
  }
  return findings;
}

/** `run`'s findings, or one internal-error finding naming the check when it throws. */
export function guarded(checkId: string, doc: ManifestDocument, run: () => Finding[]): Finding[] {
  try {
    return run();
  } catch (err) {
    return [internalError(checkId, doc, err)];
  }
}

/** The finding for a check that failed on `doc`, on the document's first line. */
export function internalError(checkId: string, doc: ManifestDocument, err: unknown): Finding {
  const start = doc.range[0];
  const firstLineEnd = doc.source.indexOf('\n');
  return {
    ruleId: INTERNAL_ERROR.id,
    severity: INTERNAL_ERROR.severity,
    range: [start, start + (firstLineEnd < 0 ? doc.source.length : firstLineEnd)],
    message: `kdry's ${checkId} check failed on this document (${err instanceof Error ? err.message : String(err)}); its findings are missing. Please report this.`,
  };
}
