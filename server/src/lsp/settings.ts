// The `kdry` settings section: read through workspace/configuration when the client supports it
// (VS Code), else from initializationOptions and didChangeConfiguration (other editors).
import { DEFAULT_SETTINGS, POD_SECURITY_LEVEL_SETTINGS, RULE_SETTINGS, type KdrySettings, type PodSecurityLevelSetting, type RuleSetting } from '../settings';
import { releaseOf } from '../k8s/release-version';

/** Any client value (possibly `{ kdry: {...} }`, partial or malformed) -> complete settings. */
export function normalizeSettings(raw: unknown): KdrySettings {
  let section = record(raw);
  if (section && record(section.kdry)) section = record(section.kdry);
  if (!section) return { ...DEFAULT_SETTINGS, rules: {}, kubernetesVersion: AUTOMATIC_KUBERNETES_VERSION };
  const rules: Record<string, RuleSetting> = {};
  for (const [id, value] of Object.entries(record(section.rules) ?? {}))
    if (RULE_SETTINGS.includes(value as RuleSetting)) rules[id] = value as RuleSetting;
  return {
    enable: typeof section.enable === 'boolean' ? section.enable : DEFAULT_SETTINGS.enable,
    rules,
    clusterFile: typeof section.clusterFile === 'string' ? section.clusterFile : DEFAULT_SETTINGS.clusterFile,
    schemaValidation: typeof section.schemaValidation === 'boolean' ? section.schemaValidation : DEFAULT_SETTINGS.schemaValidation,
    // '' (the default) is automatic: lsp/kubernetes-version.ts resolves it per document. A value
    // that names no release (`latest`, `1`) is automatic too rather than stopping validation.
    kubernetesVersion: (typeof section.kubernetesVersion === 'string' && releaseOf(section.kubernetesVersion)) || AUTOMATIC_KUBERNETES_VERSION,
    podSecurityAssumeLevel: podSecurityLevel(record(section.podSecurity)?.assumeLevel) ?? DEFAULT_SETTINGS.podSecurityAssumeLevel,
    simulationChecks: typeof section.simulationChecks === 'boolean' ? section.simulationChecks : DEFAULT_SETTINGS.simulationChecks,
  };
}

/** `kdry.kubernetesVersion` left empty: the cluster file's nodes, else the newest bundled release. */
export const AUTOMATIC_KUBERNETES_VERSION = '';

function podSecurityLevel(v: unknown): PodSecurityLevelSetting | undefined {
  return POD_SECURITY_LEVEL_SETTINGS.find((l) => l === v);
}

/**
 * Each open document's settings, read for the document itself (workspace/configuration with its
 * `scopeUri`, as lsp-sample does), so each folder of a multi-root workspace applies its own
 * `kdry.*`. Read once when the document opens, dropped when it closes, read again after a
 * configuration change. Until they arrive, and for clients that cannot answer per resource, a
 * document gets the workspace-wide settings (`global`).
 */
export class DocumentSettings {
  global: KdrySettings = normalizeSettings(undefined);
  private documents = new Map<string, KdrySettings>();
  private open = new Set<string>();
  /** Moves on every configuration change, so an answer to an older read is not kept. */
  private generation = 0;

  /** @param read asks the client for the `kdry` section of a resource; undefined when it cannot. */
  constructor(private readonly read: (scopeUri: string) => Promise<unknown> | undefined) {}

  /** The settings that apply to `uri` now. */
  for(uri: string | undefined): KdrySettings {
    return (uri !== undefined && this.documents.get(uri)) || this.global;
  }

  /** Reads the settings of an opened document; resolves when they are known (or the read failed). */
  async load(uri: string): Promise<void> {
    this.open.add(uri);
    const generation = this.generation;
    const answer = this.read(uri);
    if (!answer) return;
    try {
      const settings = normalizeSettings(await answer);
      if (generation === this.generation && this.open.has(uri)) this.documents.set(uri, settings);
    } catch {
      // keep what the document had: a client that cannot answer should not stop validation
    }
  }

  /** The document closed: its settings go with it. */
  forget(uri: string): void {
    this.open.delete(uri);
    this.documents.delete(uri);
  }

  /** The configuration changed: every open document's settings are read again. */
  async reload(): Promise<void> {
    this.generation++;
    await Promise.all([...this.open].map((uri) => this.load(uri)));
  }
}

function record(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
