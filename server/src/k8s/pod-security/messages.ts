// The API server's words for a Pod Security verdict (admission/admission.go EvaluatePod): the
// enforce error, `violates PodSecurity "restricted:latest": ...` inside `pods "NAME" is forbidden:`
// (apierrors.NewForbidden), and the warn and audit text `would violate PodSecurity "...": ...`.
import { levelVersionString, type LevelVersion } from './api';
import { forbiddenDetail, type AggregateCheckResult } from './check';

export function violatesMessage(podName: string, lv: LevelVersion, result: AggregateCheckResult): string {
  return `pods ${JSON.stringify(podName)} is forbidden: violates PodSecurity ${JSON.stringify(levelVersionString(lv))}: ${forbiddenDetail(result)}`;
}

export function wouldViolateMessage(lv: LevelVersion, result: AggregateCheckResult): string {
  return `would violate PodSecurity ${JSON.stringify(levelVersionString(lv))}: ${forbiddenDetail(result)}`;
}
