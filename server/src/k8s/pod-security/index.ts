// Pod Security Admission (k8s.io/pod-security-admission) over pod templates as written: the
// namespace labels that choose a policy, the checks per level and version, and the API server's
// words (admission/admission.go EvaluatePod).
export * from './api';
export { forbiddenDetail, type AggregateCheckResult, type Check, type CheckResult, type PodParts, type TemplatePath } from './check';
export { evaluatePod, checksFor, effectiveMinor, maxPolicyMinor, DEFAULT_CHECKS } from './registry';
export { violatesMessage, wouldViolateMessage } from './messages';
