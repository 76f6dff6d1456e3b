// The "before" of a rollout: the file as committed at git HEAD, through the built-in vscode.git
// extension's API. Any failure (no git extension, untracked file, not a repository) means "no baseline".
import * as vscode from 'vscode';

/** The few members of the vscode.git API (version 1) that kdry uses. */
interface GitRepository {
  show(ref: string, path: string): Promise<string>;
}
interface GitApi {
  getRepository(uri: vscode.Uri): GitRepository | null;
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

const GIT_TIMEOUT_MS = 5000;

/** The HEAD text when the file is tracked and differs from `current`; undefined otherwise. */
export async function gitHeadText(uri: vscode.Uri, current: string): Promise<string | undefined> {
  if (uri.scheme !== 'file') return undefined;
  try {
    const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!extension) return undefined;
    const git = extension.isActive ? extension.exports : await extension.activate();
    const repository = git.getAPI(1).getRepository(uri);
    if (!repository) return undefined;
    const head = await withTimeout(repository.show('HEAD', uri.fsPath), GIT_TIMEOUT_MS);
    return head !== undefined && normalise(head) !== normalise(current) ? head : undefined;
  } catch {
    return undefined;
  }
}

function normalise(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([promise, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms))]);
}
