// kdry/upgradeReport: `kdry check --upgrade-to` for the editor. Every YAML file the server holds
// (open buffers and the scanned workspace folders) is checked for the release it is checked for now
// and for the target; what the target reports that the current release does not is listed
// (cli/upgrade-report.ts decides that, as for the CLI), as Markdown the client shows.
import { relative } from 'node:path';
import { checkFile } from '../check';
import { upgradeFindings } from '../cli/upgrade-report';
import { lineOf, type ManifestFile } from '../manifest';
import type { UpgradeReportResponse } from '../protocol/requests';
import type { KdrySettings } from '../settings';
import { isBelow, uriToPath, type WorkspaceIndex } from '../workspace';

export interface UpgradeReportContext {
  workspace: WorkspaceIndex;
  /** The file as checked now (an open buffer's parse, else the scanned file). */
  fileOf(uri: string): ManifestFile | undefined;
  /** The settings a file is checked with now, its release in force included. */
  settingsFor(uri: string): Promise<KdrySettings>;
  folders: string[];
}

export async function upgradeReport(to: string, ctx: UpgradeReportContext): Promise<UpgradeReportResponse> {
  const sections: string[] = [];
  let findings = 0;
  let checked = 0;
  const from = new Set<string>();
  for (const uri of ctx.workspace.uris().sort()) {
    const file = ctx.fileOf(uri);
    if (!file || file.documents.length === 0) continue;
    const settings = await ctx.settingsFor(uri);
    checked++;
    from.add(settings.kubernetesVersion);
    const added = upgradeFindings(file, checkFile(file, ctx.workspace, settings), checkFile(file, ctx.workspace, { ...settings, kubernetesVersion: to }), settings.kubernetesVersion, to);
    if (added.length === 0) continue;
    findings += added.length;
    const lines = added
      .sort((a, b) => a.range[0] - b.range[0])
      .map((f) => `- line ${lineOf(file.text, f.range[0])}, ${f.severity ?? 'warning'} \`${f.ruleId}\`: ${f.message}`);
    sections.push(`## ${shownPath(uri, ctx.folders)} (now ${settings.kubernetesVersion})\n\n${lines.join('\n')}\n`);
    // let editor requests in between files
    await new Promise(setImmediate);
  }
  const current = [...from].sort().join(', ') || 'the release in force';
  const summary =
    findings === 0
      ? `Nothing in the ${checked} file${checked === 1 ? '' : 's'} checked breaks or changes meaning on Kubernetes ${to}.`
      : `${findings} finding${findings === 1 ? '' : 's'} in ${sections.length} of ${checked} file${checked === 1 ? '' : 's'}: what Kubernetes ${to} reports that ${current} does not.`;
  const markdown = `# Upgrade to Kubernetes ${to}\n\n${summary} Defaults and controller behaviour that change come from kdry's table of them (\`changed-behaviour\`; docs/kubernetes-versions.md).\n\n${sections.join('\n')}`;
  return { to, checked, findings, markdown };
}


function shownPath(uri: string, folders: string[]): string {
  const path = uriToPath(uri);
  if (!path) return uri;
  const folder = folders.find((f) => isBelow(path, f));
  return folder ? relative(folder, path).split('\\').join('/') : path;
}
