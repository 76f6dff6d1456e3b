// Which checks run for a level and version, after k8s.io/pod-security-admission policy/registry.go
// (NewEvaluator, EvaluatePod, populate, inflateVersions): a check applies in its newest revision
// whose minimum version is at or below the policy version; restricted runs its own checks and the
// baseline checks none of them overrides; baseline checks come first, each level's sorted by id.
// `latest` and versions newer than the checks know (or than the emulated release) use the newest.
import { older, type LevelVersion } from './api';
import { aggregateCheckResults, type AggregateCheckResult, type Check, type PodParts, type VersionedCheck } from './check';
import { allowPrivilegeEscalation } from './checks/allow-privilege-escalation';
import { appArmorProfile } from './checks/app-armor-profile';
import { capabilitiesBaseline } from './checks/capabilities-baseline';
import { capabilitiesRestricted } from './checks/capabilities-restricted';
import { hostNamespaces } from './checks/host-namespaces';
import { hostPathVolumes } from './checks/host-path-volumes';
import { hostPorts } from './checks/host-ports';
import { hostProbesAndHostLifecycle } from './checks/host-probes-and-host-lifecycle';
import { privileged } from './checks/privileged';
import { procMountBaseline } from './checks/proc-mount-baseline';
import { procMountRestricted } from './checks/proc-mount-restricted';
import { restrictedVolumes } from './checks/restricted-volumes';
import { runAsNonRoot } from './checks/run-as-non-root';
import { runAsUser } from './checks/run-as-user';
import { seLinuxOptions } from './checks/se-linux-options';
import { seccompProfileBaseline } from './checks/seccomp-profile-baseline';
import { seccompProfileRestricted } from './checks/seccomp-profile-restricted';
import { sysctls } from './checks/sysctls';
import { windowsHostProcess } from './checks/windows-host-process';

const byId = (a: Check, b: Check) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every check of the policy (policy/check_*.go registers each in its init). */
export const DEFAULT_CHECKS: readonly Check[] = [
  allowPrivilegeEscalation, appArmorProfile, capabilitiesBaseline, capabilitiesRestricted, hostNamespaces, hostPathVolumes, hostPorts, hostProbesAndHostLifecycle, privileged,
  procMountBaseline, procMountRestricted, restrictedVolumes, runAsNonRoot, runAsUser, seLinuxOptions, seccompProfileBaseline, seccompProfileRestricted, sysctls, windowsHostProcess,
];

/** The newest minimum version of any check: the policy version `latest` stands for. */
export function maxPolicyMinor(checks: readonly Check[] = DEFAULT_CHECKS): number {
  return Math.max(...checks.map((c) => c.versions[c.versions.length - 1].minimumVersion));
}

function revisionAt(check: Check, minor: number): VersionedCheck | undefined {
  let found: VersionedCheck | undefined;
  for (const v of check.versions) if (v.minimumVersion <= minor) found = v;
  return found;
}

/**
 * The policy minor version the checks run at: `latest` and newer versions fall back to the newest
 * known, lowered to the emulated Kubernetes release (an API server of 1.33 knows no 1.34 check).
 */
export function effectiveMinor(lv: LevelVersion, emulatedMinor?: number, checks: readonly Check[] = DEFAULT_CHECKS): number {
  const newest = maxPolicyMinor(checks);
  const max = emulatedMinor !== undefined && emulatedMinor < newest ? emulatedMinor : newest;
  return older(lv.version, { minor: max }) ? lv.version.minor : max;
}

export interface ApplicableCheck {
  id: string;
  revision: VersionedCheck;
}

/** The check revisions for a level at a policy version, in message order (baseline, then restricted, each by id). */
export function checksFor(lv: LevelVersion, emulatedMinor?: number, checks: readonly Check[] = DEFAULT_CHECKS): ApplicableCheck[] {
  if (lv.level === 'privileged') return [];
  const minor = effectiveMinor(lv, emulatedMinor, checks);
  const at = (level: Check['level']) =>
    checks
      .filter((c) => c.level === level)
      .sort(byId)
      .flatMap((c) => {
        const revision = revisionAt(c, minor);
        return revision ? [{ id: c.id, revision }] : [];
      });
  const baseline = at('baseline');
  if (lv.level === 'baseline') return baseline;
  const restricted = at('restricted');
  const overridden = new Set(restricted.flatMap((r) => r.revision.overrideCheckIds ?? []));
  return [...baseline.filter((b) => !overridden.has(b.id)), ...restricted];
}

/** EvaluatePod, aggregated: what the API server would say about this pod at this level and version. */
export function evaluatePod(lv: LevelVersion, pod: PodParts, emulatedMinor?: number): AggregateCheckResult {
  return aggregateCheckResults(checksFor(lv, emulatedMinor).map((c) => c.revision.checkPod(pod)));
}
