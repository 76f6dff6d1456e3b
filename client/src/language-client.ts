// Starts the bundled language server (dist/server.js) over stdio: there the server writes a
// publish from the kept bytes of unchanged diagnostics (server/src/lsp/message-encoder.ts), where
// Node's IPC channel stringifies every message again (about 3.7 ms of the server's CPU per edit
// for the 410 KB of diagnostics of a 1,000-document file). In a restricted (untrusted)
// workspace the server still validates YAML but is told not to read a cluster file from the workspace.
// The server keeps V8's code cache of its bundle in the extension's global storage (per user, never
// in a workspace), so a start after the first does not compile the checks again (server-start.ts).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { CODE_CACHE_DIR_ARG, SERVER_EXEC_ARGV } from '../../server/src/protocol/server-process';

/**
 * YAML, Helm chart templates (the `helm` language Kubernetes Tools gives files under templates/),
 * and JSON files (the server checks those whose top-level object is a Kubernetes object and stays
 * silent on package.json and the like).
 */
export const MANIFEST_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', language: 'yaml' },
  { scheme: 'untitled', language: 'yaml' },
  { scheme: 'file', language: 'helm' },
  { scheme: 'file', language: 'json' },
];

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const storage = context.globalStorageUri;
  const args = storage.scheme === 'file' ? [`${CODE_CACHE_DIR_ARG}=${vscode.Uri.joinPath(storage, 'code-cache').fsPath}`] : [];
  const serverOptions: ServerOptions = {
    run: { module, args, transport: TransportKind.stdio, options: { execArgv: [...SERVER_EXEC_ARGV] } },
    debug: { module, args, transport: TransportKind.stdio, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: MANIFEST_SELECTOR as LanguageClientOptions['documentSelector'],
    synchronize: { configurationSection: 'kdry' },
    initializationOptions: { workspaceTrusted: vscode.workspace.isTrusted },
    middleware: {
      workspace: {
        // Restricted mode: hide any configured cluster file so nothing from the workspace is read.
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (vscode.workspace.isTrusted || !Array.isArray(values)) return values;
          return values.map((value, i) => (params.items[i]?.section === 'kdry' && value && typeof value === 'object'
            ? { ...value, clusterFile: '', workspaceTrusted: false }
            : params.items[i]?.section === 'kdry.clusterFile' ? '' : value));
        },
      },
    },
  };
  return new LanguageClient('kdry', 'kdry', serverOptions, clientOptions);
}
