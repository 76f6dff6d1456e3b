// A Job's spec.podFailurePolicy: what a failed pod means, after pkg/controller/job/pod_failure_policy.go
// (matchPodFailurePolicy, matchOnExitCodes, matchOnPodConditions, isOnExitCodesOperatorMatching).
// The first rule that matches decides: FailJob fails the Job at once (with the rule in the message),
// FailIndex fails the pod's index (backoffLimitPerIndex), Ignore does not count the failure toward
// any limit, Count counts it as usual. No rule matching counts it as usual too.
import { isObj, type Obj } from '../../objects';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyRule {
  action: PodFailurePolicyAction;
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status: string }[];
}

/** A failed pod as the policy looks at it: its containers' exit codes and its conditions. */
export interface FailedPodView {
  namespace: string;
  name: string;
  /** Terminated containers, in status order (containerStatuses, then initContainerStatuses). */
  containers: { name: string; exitCode: number }[];
  initContainers?: { name: string; exitCode: number }[];
  conditions: { type: string; status: string }[];
}

export interface PodFailurePolicyMatch {
  /** FailJob: the Job's failure message. */
  failJobMessage?: string;
  /** False when an Ignore rule matched: the failure counts toward no limit. */
  countFailed: boolean;
  action?: PodFailurePolicyAction;
}

const ACTIONS: readonly PodFailurePolicyAction[] = ['FailJob', 'FailIndex', 'Ignore', 'Count'];

/** spec.podFailurePolicy.rules as written; rules the API server would reject are left out. */
export function podFailurePolicyOf(spec: Obj): PodFailurePolicyRule[] | undefined {
  const policy = spec.podFailurePolicy;
  if (!isObj(policy) || !Array.isArray(policy.rules)) return undefined;
  const rules: PodFailurePolicyRule[] = [];
  for (const rule of policy.rules) {
    if (!isObj(rule) || !ACTIONS.includes(rule.action as PodFailurePolicyAction)) continue;
    const action = rule.action as PodFailurePolicyAction;
    if (isObj(rule.onExitCodes)) {
      const { containerName, operator, values } = rule.onExitCodes;
      if ((operator !== 'In' && operator !== 'NotIn') || !Array.isArray(values)) continue;
      rules.push({
        action,
        onExitCodes: { operator, values: values.filter((v): v is number => Number.isInteger(v)), ...(typeof containerName === 'string' ? { containerName } : {}) },
      });
    } else if (Array.isArray(rule.onPodConditions)) {
      const patterns = rule.onPodConditions.filter(isObj).map((p) => ({ type: String(p.type ?? ''), status: typeof p.status === 'string' ? p.status : 'True' }));
      rules.push({ action, onPodConditions: patterns });
    }
  }
  return rules;
}

/** matchPodFailurePolicy: the first matching rule's verdict on a failed pod. */
export function matchPodFailurePolicy(rules: readonly PodFailurePolicyRule[] | undefined, pod: FailedPodView): PodFailurePolicyMatch {
  if (!rules) return { countFailed: true };
  for (const [index, rule] of rules.entries()) {
    if (rule.onExitCodes) {
      const container = matchOnExitCodes(pod, rule.onExitCodes);
      if (!container) continue;
      if (rule.action === 'FailJob') {
        const failJobMessage = `Container ${container.name} for pod ${pod.namespace}/${pod.name} failed with exit code ${container.exitCode} matching FailJob rule at index ${index}`;
        return { failJobMessage, countFailed: true, action: 'FailJob' };
      }
      return { countFailed: rule.action !== 'Ignore', action: rule.action };
    }
    if (rule.onPodConditions) {
      const condition = pod.conditions.find((c) => rule.onPodConditions?.some((p) => p.type === c.type && p.status === c.status));
      if (!condition) continue;
      if (rule.action === 'FailJob') {
        const failJobMessage = `Pod ${pod.namespace}/${pod.name} has condition ${condition.type} matching FailJob rule at index ${index}`;
        return { failJobMessage, countFailed: true, action: 'FailJob' };
      }
      return { countFailed: rule.action !== 'Ignore', action: rule.action };
    }
  }
  return { countFailed: true };
}

// matchOnExitCodes -> getMatchingContainerFromList: the first terminated container (regular ones
// first, then init containers) with a non-zero exit code the operator accepts.
function matchOnExitCodes(pod: FailedPodView, requirement: NonNullable<PodFailurePolicyRule['onExitCodes']>): { name: string; exitCode: number } | undefined {
  const matches = (c: { name: string; exitCode: number }) =>
    (requirement.containerName === undefined || requirement.containerName === c.name) &&
    c.exitCode !== 0 &&
    (requirement.operator === 'In' ? requirement.values.includes(c.exitCode) : !requirement.values.includes(c.exitCode));
  return pod.containers.find(matches) ?? pod.initContainers?.find(matches);
}
