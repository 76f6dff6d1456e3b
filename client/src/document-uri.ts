// Which documents "Simulate Rollout" opens from its `uri` argument. The command can be invoked by
// anything that can run a command (a command link in a hover, another extension), so the argument
// is untrusted: a file on disk or an unsaved buffer, never another scheme whose provider would
// fetch or compute the text (vscode-vfs:, git:, a remote or an extension's own scheme).
export const SIMULATABLE_SCHEMES: readonly string[] = ['file', 'untitled'];

export function hasSimulatableScheme(uri: string): boolean {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1].toLowerCase();
  return scheme !== undefined && SIMULATABLE_SCHEMES.includes(scheme);
}
