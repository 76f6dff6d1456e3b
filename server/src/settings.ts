// The `kdry.*` settings: the editor reads them per folder (lsp/settings.ts), the CLI from
// `.kdry/config.yaml` (cli/config.ts); the check pipeline applies them.
import { BUNDLED_RELEASES } from './schema/generated/releases';

/** What `kdry.rules` may say about a rule: drop its findings, or report them at this severity. */
export type RuleSetting = 'off' | 'warning' | 'error';
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'warning', 'error'];

export interface KdrySettings {
  enable: boolean;
  /** Severity per rule id; `off` drops the rule's findings. */
  rules: Record<string, RuleSetting>;
  clusterFile: string;
  schemaValidation: boolean;
  /**
   * The Kubernetes release the manifests are checked for (`1.31`); docs/kubernetes-versions.md. In
   * the editor '' means automatic (lsp/kubernetes-version.ts); checkFile reads '' as the newest bundled release.
   */
  kubernetesVersion: string;
  /**
   * Why `kubernetesVersion` is in force, in words (`from .kdry/cluster.yaml: nodes run kubelet
   * v1.31.4`; release-in-force.ts), set where it was resolved; notes that name the
   * release say it. Absent: the kdry.kubernetesVersion setting, or the newest bundled release when that is ''.
   */
  kubernetesVersionReason?: string;
  /**
   * The Pod Security level kdry assumes the cluster enforces where no Namespace in scope says
   * (the API server's PodSecurity `defaults.enforce`); '' assumes none. docs/pod-security.md.
   */
  podSecurityAssumeLevel: PodSecurityLevelSetting;
  /** Simulation-backed checks (server/src/simulation-checks/): run each workload in the engine on the cluster in force. */
  simulationChecks: boolean;
}

export type PodSecurityLevelSetting = '' | 'privileged' | 'baseline' | 'restricted';
export const POD_SECURITY_LEVEL_SETTINGS: readonly PodSecurityLevelSetting[] = ['', 'privileged', 'baseline', 'restricted'];

/** The newest bundled release: what kdry checks for unless told otherwise. */
export const DEFAULT_KUBERNETES_VERSION = BUNDLED_RELEASES[BUNDLED_RELEASES.length - 1];

export const DEFAULT_SETTINGS: KdrySettings = { enable: true, rules: {}, clusterFile: '', schemaValidation: true, kubernetesVersion: DEFAULT_KUBERNETES_VERSION, podSecurityAssumeLevel: '', simulationChecks: true };
