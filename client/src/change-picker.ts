// When there is no git baseline: the user says what changes (from the candidates the language
// server found) and the server returns the "after" text with that one edit.
import * as vscode from 'vscode';
import type { ChangeCandidate, WorkloadInfo } from '../../server/src/protocol/requests';
import { nextImageTag } from './image-tag';

export interface PickedChange {
  path: ChangeCandidate['path'];
  value: string | number;
}

/** Asks what changes; undefined when the user cancels. */
export async function pickChange(workload: WorkloadInfo): Promise<PickedChange | undefined> {
  if (workload.changes.length === 0) {
    void vscode.window.showWarningMessage(`kdry: nothing to change in ${workload.kind}/${workload.name} (no replicas, images or env values found).`);
    return undefined;
  }
  const items = workload.changes.map((change) => ({ label: change.label, description: change.current, change }));
  const choice = await vscode.window.showQuickPick(items, { title: `What changes in ${workload.kind}/${workload.name}?`, placeHolder: 'No git baseline: pick the change to roll out' });
  if (!choice) return undefined;
  const { change } = choice;
  const next = await vscode.window.showInputBox({
    title: change.label,
    value: change.image ? nextImageTag(change.current) : change.current,
    validateInput: (input) => (change.numeric && !/^\d+$/.test(input.trim()) ? 'A whole number' : input.trim() === '' ? 'A value' : undefined),
  });
  if (next === undefined) return undefined;
  return { path: change.path, value: change.numeric ? Number(next.trim()) : next.trim() };
}
