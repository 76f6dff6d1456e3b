// A workspace of files below /repo, and the findings of one of them through the check pipeline.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { checkFile } from '../../server/src/check';
import { DEFAULT_SETTINGS, type KdrySettings } from '../../server/src/settings';

const ROOT = '/repo';
export const uri = (path: string) => pathToFileURL(`${ROOT}/${path}`).href;

/** A Deployment "web" (selector and labels app=web, flow style) whose container list is `containers`, YAML lines indented by 6. */
export const webDeployment = (containers: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
${containers}`;

/** A workspace of files (path below /repo -> text). */
export function workspaceOf(files: Record<string, string>): WorkspaceIndex {
  const workspace = new WorkspaceIndex();
  for (const [path, text] of Object.entries(files)) workspace.set(parseManifest(text, uri(path)));
  return workspace;
}

/** Findings of one file of the workspace (a path below /repo, or a file: uri), as `ruleId severity: message`. */
export function findingsIn(workspace: WorkspaceIndex, path: string, ruleId?: string, settings?: Partial<KdrySettings>): { ruleId: string; severity?: string; message: string; text: string }[] {
  const file = workspace.get(path.startsWith('file:') ? path : uri(path))!;
  return checkFile(file, workspace, { ...DEFAULT_SETTINGS, ...settings })
    .filter((f) => ruleId === undefined || f.ruleId === ruleId)
    .map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, text: file.text.slice(f.range[0], f.range[1]) }));
}

/** Files written to a temporary folder; the YAML ones also in a workspace (as the editor's scan holds them). */
export function onDisk(files: Record<string, string>, run: (workspace: WorkspaceIndex, uriOf: (path: string) => string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'kdry-generators-'));
  try {
    const workspace = new WorkspaceIndex();
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
      if (/\.ya?ml$/.test(path)) workspace.set(parseManifest(text, pathToFileURL(join(root, path)).href));
    }
    run(workspace, (path) => pathToFileURL(join(root, path)).href);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A language server over stdio on a temporary folder holding `files` (path -> text), each opened;
 * `run` gets the client and the uri of a path. The folder is removed afterwards.
 */
export async function inEditor(files: Record<string, string>, run: (client: import('../server/lsp-client').LspClient, uriOf: (path: string) => string) => Promise<void>): Promise<void> {
  const { startedClient } = await import('../server/lsp-client');
  const root = mkdtempSync(join(tmpdir(), 'kdry-scope-'));
  const uriOf = (path: string) => pathToFileURL(join(root, path)).href;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const client = await startedClient({ workspaceFolder: root });
  try {
    for (const [path, text] of Object.entries(files)) await client.open(uriOf(path), text);
    await run(client, uriOf);
  } finally {
    await client.shutdown();
    rmSync(root, { recursive: true, force: true });
  }
}
