// The `kdry` settings section: read through workspace/configuration when the client supports it
// (VS Code), else from initializationOptions and didChangeConfiguration (other editors).
import { DEFAULT_SETTINGS, POD_SECURITY_LEVEL_SETTINGS, RULE_SETTINGS, type KdrySettings, type PodSecurityLevelSetting, type RuleSetting } from '../settings';
import { releaseOf } from '../schema/release-version';

/** Any client value (possibly `{ kdry: {...} }`, partial or malformed) -> complete settings. */
export function normalizeSettings(raw: unknown): KdrySettings {
  let section = record(raw);
  if (section && record(section.kdry)) section = record(section.kdry);
  if (!section) return { ...DEFAULT_SETTINGS, rules: {} };
  const rules: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(record(section.rules) ?? {}))
    if (RULE_SETTINGS.includes(value as RuleSetting)) rules[id] = value as RuleSetting;
  return {
    enable: typeof section.enable === 'boolean' ? section.enable : DEFAULT_SETTINGS.enable,
    rules,
    clusterFile: typeof section.clusterFile === 'string' ? section.clusterFile : DEFAULT_SETTINGS.clusterFile,
    schemaValidation: typeof section.schemaValidation === 'boolean' ? section.schemaValidation : DEFAULT_SETTINGS.schemaValidation,
    // A value that names no release (`latest`, `1`) falls back to the default rather than stopping validation.
    kubernetesVersion: (typeof section.kubernetesVersion === 'string' && releaseOf(section.kubernetesVersion)) || DEFAULT_SETTINGS.kubernetesVersion,
    podSecurityAssumeLevel: podSecurityLevel(record(section.podSecurity)?.assumeLevel) ?? DEFAULT_SETTINGS.podSecurityAssumeLevel,
  };
}

function podSecurityLevel(v: unknown): PodSecurityLevelSetting | undefined {
  return POD_SECURITY_LEVEL_SETTINGS.find((l) => l === v);
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
