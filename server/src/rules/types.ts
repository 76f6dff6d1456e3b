// The contract every rule file implements. A rule is data (id, title, docs, severity) plus a check;
// server.ts and cli.ts turn its findings into diagnostics and code actions. Its fixtures are data
// files beside the rule files (fixture-files.ts).
import type { ManifestDocument, ManifestFile } from '../manifest';
import type { Finding, Severity } from '../findings';
import type { WorkspaceIndex } from '../workspace';

import type { KubernetesTarget } from '../schema/target';
import type { KdrySettings } from '../settings';

export interface RuleContext {
  file: ManifestFile;
  doc: ManifestDocument;
  /** Every YAML file of the workspace (including `file`), for cross-document rules. */
  workspace: WorkspaceIndex;
  /** The Kubernetes release the document is checked for. */
  kubernetes: KubernetesTarget;
  /** The settings in force (absent in callers that run rules alone: defaults apply). */
  settings?: KdrySettings;
}

export interface Rule {
  id: string;
  title: string;
  severity: Severity;
  /** What Kubernetes does with such a manifest, and why it matters (Markdown). */
  description: string;
  /** How to fix it (Markdown). */
  remediation: string;
  /** `${apiVersion}/${kind}` keys this rule looks at; undefined = every Kubernetes document. */
  kinds?: string[];
  /** Reads other documents or files (re-run when any file changes). */
  crossDocument?: boolean;
  /**
   * A cross-document rule that judges while the editor's workspace scan is still reading files
   * (WorkspaceIndex.scanning), because it leaves out by itself what a file not read yet could
   * change. The other cross-document rules wait for the scan (check.ts).
   */
  judgesWhileScanning?: boolean;
  /**
   * Judges only the fields a document sets, so it also runs on kustomize patches (partial objects
   * that set only what they change); other rules would report what the base already has.
   */
  partialObjects?: boolean;
  /**
   * Judges each field on its own, so it also runs on what a Go/Helm template writes literally,
   * where two parts of a document may sit in alternative `{{ if }}` branches.
   */
  templates?: boolean;
  /**
   * The check of what a Go/Helm template writes literally (`ctx.doc`: its masked view), for a
   * cross-document rule whose whole check would misjudge a partial object; run in place of `check`.
   */
  checkTemplate?(ctx: RuleContext): Finding[];
  check(ctx: RuleContext): Finding[];
}
