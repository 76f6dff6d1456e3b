// Pod Security levels, policy versions and the namespace labels that choose them, after
// k8s.io/pod-security-admission api/constants.go and api/helpers.go (ParseLevel, ParseVersion,
// PolicyToEvaluate, CompareLevels).

export type Level = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

/** A policy version: `v1.x`, or `latest` (newer than every numbered version). */
export interface Version {
  minor: number;
  latest?: true;
}

export interface LevelVersion {
  level: Level;
  version: Version;
}

export type Mode = 'enforce' | 'warn' | 'audit';
export const MODES: readonly Mode[] = ['enforce', 'warn', 'audit'];

export type Policy = Record<Mode, LevelVersion>;

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';

export const LATEST: Version = { minor: Number.POSITIVE_INFINITY, latest: true };

export function levelLabel(mode: Mode): string {
  return LABEL_PREFIX + mode;
}

export function versionLabel(mode: Mode): string {
  return `${LABEL_PREFIX}${mode}-version`;
}

export function versionString(v: Version): string {
  return v.latest ? 'latest' : `v1.${v.minor}`;
}

/** `restricted:latest`, `baseline:v1.29` (LevelVersion.String). */
export function levelVersionString(lv: LevelVersion): string {
  return `${lv.level}:${versionString(lv.version)}`;
}

export function older(a: Version, b: Version): boolean {
  if (a.latest) return false;
  if (b.latest) return true;
  return a.minor < b.minor;
}

/** The default of the API server's PodSecurity configuration: every mode `privileged:latest`. */
export const PRIVILEGED_POLICY: Policy = {
  enforce: { level: 'privileged', version: LATEST },
  warn: { level: 'privileged', version: LATEST },
  audit: { level: 'privileged', version: LATEST },
};

/** An invalid label, as field.Invalid reports it. */
export interface LabelError {
  label: string;
  value: string;
  detail: string;
}

const VERSION = /^v1\.([0-9]|[1-9][0-9]*)$/;

/** ParseLevel: an unknown level reads as `restricted` (fail closed) with an error. */
function parseLevel(value: string): { level: Level; error?: string } {
  return (LEVELS as readonly string[]).includes(value) ? { level: value as Level } : { level: 'restricted', error: `must be one of ${LEVELS.join(', ')}` };
}

/** ParseVersion: an unknown version reads as `latest` with an error. */
function parseVersion(value: string): { version: Version; error?: string } {
  if (value === 'latest') return { version: LATEST };
  const m = VERSION.exec(value);
  return m ? { version: { minor: Number(m[1]) } } : { version: LATEST, error: 'must be "latest" or "v1.x"' };
}

/** -1, 0 or 1 as `a` is less, as or more restrictive than `b` (CompareLevels). */
export function compareLevels(a: Level, b: Level): number {
  return Math.sign(LEVELS.indexOf(a) - LEVELS.indexOf(b));
}

/**
 * The policy a namespace's labels select over the cluster's defaults (PolicyToEvaluate). An
 * invalid enforce level is enforced as `restricted`; invalid audit and warn levels fail open
 * (`privileged`). Without a `warn` label, warn follows an enforce label that is more restrictive.
 */
export function policyToEvaluate(labels: Record<string, string>, defaults: Policy = PRIVILEGED_POLICY): { policy: Policy; errors: LabelError[] } {
  const policy: Policy = { enforce: { ...defaults.enforce }, warn: { ...defaults.warn }, audit: { ...defaults.audit } };
  const errors: LabelError[] = [];
  const note = (label: string, value: string, error: string | undefined) => error && errors.push({ label, value, detail: error });
  let hasEnforceLevel = false;
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    const level = labels[levelLabel(mode)];
    if (level !== undefined) {
      const parsed = parseLevel(level);
      policy[mode].level = parsed.error && mode !== 'enforce' ? 'privileged' : parsed.level;
      if (mode === 'enforce') hasEnforceLevel = !parsed.error;
      note(levelLabel(mode), level, parsed.error);
    }
    const version = labels[versionLabel(mode)];
    if (version !== undefined) {
      const parsed = parseVersion(version);
      policy[mode].version = parsed.version;
      note(versionLabel(mode), version, parsed.error);
    }
  }
  if (labels[levelLabel('warn')] === undefined && hasEnforceLevel && compareLevels(policy.enforce.level, policy.warn.level) > 0) {
    policy.warn.level = policy.enforce.level;
    if (labels[versionLabel('warn')] === undefined) policy.warn.version = policy.enforce.version;
  }
  return { policy, errors };
}

/** `metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of ...` */
export function labelErrorString(e: LabelError): string {
  return `metadata.labels[${e.label}]: Invalid value: ${JSON.stringify(e.value)}: ${e.detail}`;
}
