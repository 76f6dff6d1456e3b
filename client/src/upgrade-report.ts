// kdry: Upgrade report… — asks for the release the cluster moves to and shows, as a Markdown
// document, what `kdry check --upgrade-to` reports for the workspace (the server checks every file
// it holds for the release in force and for the target: kdry/upgradeReport).
import * as vscode from 'vscode';
import { UpgradeReportRequest, type UpgradeReportResponse } from '../../server/src/protocol/requests';
import type { ClientProvider } from './server-requests';

export const UPGRADE_REPORT_COMMAND = 'kdry.upgradeReport';

/** Asks for the target release (unless given) and opens the report; undefined when cancelled or refused. */
export async function showUpgradeReport(client: ClientProvider, target?: unknown): Promise<UpgradeReportResponse | undefined> {
  const to =
    typeof target === 'string'
      ? target
      : await vscode.window.showInputBox({
          title: 'kdry: Upgrade report',
          prompt: 'The Kubernetes release the cluster moves to',
          placeHolder: '1.35',
          validateInput: (text) => (/^v?\d+\.\d+(\.\d+)?$/.test(text.trim()) ? undefined : 'A release such as 1.35'),
        });
  if (!to) return undefined;
  let report: UpgradeReportResponse;
  try {
    report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `kdry: checking the workspace for Kubernetes ${to.trim()}` }, async () =>
      (await client()).sendRequest(UpgradeReportRequest, { to: to.trim() }),
    );
  } catch (error) {
    void vscode.window.showErrorMessage(`kdry: no upgrade report: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: report.markdown });
  await vscode.window.showTextDocument(document, { preview: false });
  return report;
}
