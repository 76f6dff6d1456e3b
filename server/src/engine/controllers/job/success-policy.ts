// An Indexed Job's spec.successPolicy, after pkg/controller/job/success_policy.go
// (matchSuccessPolicy, matchSucceededIndexesRule): the Job succeeds as soon as one rule holds,
// then the controller deletes its remaining pods. A rule holds when every index of its
// `succeededIndexes` succeeded, or at least `succeededCount` of them did (of all indexes when the
// rule names none).
import { isObj, type Obj } from '../../objects';
import { type CompletedIndexes, parseCompletedIndexes } from './completed-indexes';

export interface SuccessPolicyRule {
  succeededIndexes?: string;
  succeededCount?: number;
}

export function successPolicyOf(spec: Obj): SuccessPolicyRule[] | undefined {
  const policy = spec.successPolicy;
  if (!isObj(policy) || !Array.isArray(policy.rules)) return undefined;
  return policy.rules.filter(isObj).map((r) => ({
    ...(typeof r.succeededIndexes === 'string' ? { succeededIndexes: r.succeededIndexes } : {}),
    ...(Number.isInteger(r.succeededCount) ? { succeededCount: r.succeededCount as number } : {}),
  }));
}

/** The SuccessCriteriaMet message (`Matched rules at index 0`), or undefined while no rule holds. */
export function matchSuccessPolicy(rules: readonly SuccessPolicyRule[] | undefined, completions: number, succeeded: CompletedIndexes): string | undefined {
  if (!rules || succeeded.size === 0) return undefined;
  for (const [index, rule] of rules.entries()) {
    if (rule.succeededIndexes !== undefined) {
      const required = parseCompletedIndexes(rule.succeededIndexes, completions);
      // An unparsable rule matches nothing, as upstream skips it.
      if (required.length === 0) continue;
      const contained = required.filter((i) => succeeded.has(i)).length;
      if (contained === required.length || (rule.succeededCount !== undefined && contained >= rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && succeeded.size >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
