// What a Pod Security check is and how results add up to the API server's message, after
// k8s.io/pod-security-admission policy/checks.go (Check, VersionedCheck, CheckResult,
// AggregateCheckResults, ForbiddenDetail).
import type { Level } from './api';

/** A path into the pod template (`['spec', 'containers', 0, 'securityContext', 'privileged']`). */
export type TemplatePath = (string | number)[];

export interface CheckResult {
  allowed: boolean;
  /** As short as possible, always shown: `host ports`, `privileged`. */
  forbiddenReason?: string;
  /** The values or containers at fault: `container "web" must set securityContext.allowPrivilegeEscalation=false`. */
  forbiddenDetail?: string;
  /**
   * kdry's addition: where the pod template breaks the check, each path the field that holds the
   * forbidden value or that should be set (its nearest existing parent is shown).
   */
  paths?: TemplatePath[];
}

/** The pod template as written: `metadata` and `spec` of a Pod or of a workload's template. */
export interface PodParts {
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
}

export type CheckPodFn = (pod: PodParts) => CheckResult;

export interface VersionedCheck {
  /** The first policy minor version (1.x) this revision applies to. */
  minimumVersion: number;
  checkPod: CheckPodFn;
  /** Baseline checks this (restricted) revision replaces. */
  overrideCheckIds?: string[];
}

export interface Check {
  id: string;
  level: Exclude<Level, 'privileged'>;
  /** Strictly increasing minimum versions. */
  versions: VersionedCheck[];
}

export const ALLOWED: CheckResult = { allowed: true };

export const UNKNOWN_FORBIDDEN_REASON = 'unknown forbidden reason';

export interface AggregateCheckResult {
  allowed: boolean;
  forbiddenReasons: string[];
  forbiddenDetails: string[];
  paths: TemplatePath[];
}

export function aggregateCheckResults(results: CheckResult[]): AggregateCheckResult {
  const forbidden = results.filter((r) => !r.allowed);
  return {
    allowed: forbidden.length === 0,
    forbiddenReasons: forbidden.map((r) => r.forbiddenReason || UNKNOWN_FORBIDDEN_REASON),
    forbiddenDetails: forbidden.map((r) => r.forbiddenDetail ?? ''),
    paths: forbidden.flatMap((r) => r.paths ?? []),
  };
}

/** `reason (detail), reason, reason (detail)`: the text after `violates PodSecurity "...": `. */
export function forbiddenDetail(a: AggregateCheckResult): string {
  return a.forbiddenReasons.map((reason, i) => (a.forbiddenDetails[i] ? `${reason} (${a.forbiddenDetails[i]})` : reason)).join(', ');
}
