// A workspace of files below /repo, and the findings of one of them through the check pipeline.
import { pathToFileURL } from 'node:url';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { checkFile } from '../../server/src/check';

const ROOT = '/repo';
export const uri = (path: string) => pathToFileURL(`${ROOT}/${path}`).href;

/** A workspace of files (path below /repo -> text). */
export function workspaceOf(files: Record<string, string>): WorkspaceIndex {
  const workspace = new WorkspaceIndex();
  for (const [path, text] of Object.entries(files)) workspace.set(parseManifest(text, uri(path)));
  return workspace;
}

/** Findings of one file of the workspace, as `ruleId severity: message`. */
export function findingsIn(workspace: WorkspaceIndex, path: string, ruleId?: string): { ruleId: string; severity?: string; message: string; text: string }[] {
  const file = workspace.get(uri(path))!;
  return checkFile(file, workspace)
    .filter((f) => ruleId === undefined || f.ruleId === ruleId)
    .map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, text: file.text.slice(f.range[0], f.range[1]) }));
}

