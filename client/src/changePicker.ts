// When there is no git baseline: the user says what changes and kdry derives the "after" text
// from the buffer with that one edit (see rolloutChanges.ts).
import * as vscode from 'vscode';
import type { WorkloadDocument } from './workloadDocuments';
import { applyChange, changeCandidates, nextImageTag } from './rolloutChanges';

/** Asks what changes; undefined when the user cancels. */
export async function pickChange(text: string, workload: WorkloadDocument): Promise<string | undefined> {
  const candidates = changeCandidates(workload);
  if (candidates.length === 0) {
    void vscode.window.showWarningMessage(`kdry: nothing to change in ${workload.kind}/${workload.name} (no replicas, images or env values found).`);
    return undefined;
  }
  const choice = await vscode.window.showQuickPick(candidates, { title: `What changes in ${workload.kind}/${workload.name}?`, placeHolder: 'No git baseline: pick the change to roll out' });
  if (!choice) return undefined;
  const next = await vscode.window.showInputBox({
    title: choice.label,
    value: choice.label.startsWith('Image') ? nextImageTag(choice.current) : choice.current,
    validateInput: (input) => (choice.numeric && !/^\d+$/.test(input.trim()) ? 'A whole number' : input.trim() === '' ? 'A value' : undefined),
  });
  if (next === undefined) return undefined;
  return applyChange(text, workload, choice.path, choice.numeric ? Number(next.trim()) : next.trim());
}

