// The `kdry.*` settings: the editor reads them per folder (lsp/settings.ts), the CLI from
// `.kdry/config.yaml` (cli/config.ts); the check pipeline applies them.

/** What `kdry.rules` may say about a rule: drop its findings, or report them at this severity. */
export type RuleSetting = 'off' | 'warning' | 'error';
export const RULE_SETTINGS: readonly RuleSetting[] = ['off', 'warning', 'error'];

export interface KdrySettings {
  enable: boolean;
  /** Severity per rule id; `off` drops the rule's findings. */
  rules: Record<string, RuleSetting>;
  clusterFile: string;
  schemaValidation: boolean;
}

export const DEFAULT_SETTINGS: KdrySettings = { enable: true, rules: {}, clusterFile: '', schemaValidation: true };
