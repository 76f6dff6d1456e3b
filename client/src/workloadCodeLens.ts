// "Dry-run" and "Simulate rollout" above every workload document of a YAML file.
import * as vscode from 'vscode';
import { loadWorkloadDocuments } from './lazy';
import { SIMULATE_ROLLOUT_COMMAND } from './simulateRollout';

export const DRY_RUN_COMMAND = 'kdry.dryRun';

export class WorkloadCodeLensProvider implements vscode.CodeLensProvider {
  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (document.lineCount > 50_000) return []; // too large to annotate usefully; the view still works
    const { workloadDocuments } = await loadWorkloadDocuments();
    const uri = document.uri.toString();
    return workloadDocuments(document.getText()).flatMap((workload) => {
      const position = document.positionAt(workload.start);
      const range = new vscode.Range(position, position);
      const target = { uri, workload: { kind: workload.kind, name: workload.name } };
      return [
        new vscode.CodeLens(range, { title: 'Dry-run', command: DRY_RUN_COMMAND, arguments: [target], tooltip: `Show ${workload.kind}/${workload.name} in the kdry Dry-run view` }),
        new vscode.CodeLens(range, { title: 'Simulate rollout', command: SIMULATE_ROLLOUT_COMMAND, arguments: [target], tooltip: `Preview the rollout of ${workload.kind}/${workload.name}` }),
      ];
    });
  }
}
