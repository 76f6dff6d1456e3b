// Shared by the first-publication tests (not a test file: importing a .test.ts would run its tests).
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DiagnosticsPublisher } from '../../server/src/lsp/diagnostics';
import { DocumentText } from '../../server/src/lsp/document-text';
import { FileStore } from '../../server/src/lsp/files';
import { DEFAULT_SETTINGS } from '../../server/src/settings';

/** A diagnostic as the tests compare it: range, code, severity and message. */
export const diagnosticKey = (d: Diagnostic) => JSON.stringify([d.range, d.code, d.severity, d.message]);

/** The diagnostics the publisher gives the whole text in one check, with no first publication. */
export function wholeCheck(uri: string, text: string, files = new FileStore()): Diagnostic[] {
  const doc = DocumentText.create(uri, 'yaml', 1, text);
  let published: PublishDiagnosticsParams | undefined;
  const publisher = new DiagnosticsPublisher({ sendDiagnostics: async (p) => void (published = p) }, files, () => doc, () => DEFAULT_SETTINGS, () => [uri]);
  publisher.validate(uri);
  return published!.diagnostics;
}
