// The "Disable <rule> for this line" action: inserts `# kdry-disable-next-line <rule>` above the
// line, at its indentation (after a list dash's column), which check.ts honours.
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

export function disableForLineAction(doc: TextDocument, diagnostic: Diagnostic): CodeAction | undefined {
  const rule = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
  if (!rule) return undefined;
  const line = diagnostic.range.start.line;
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ ]*/.exec(text)?.[0] ?? '';
  return {
    title: `Disable ${rule} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: false,
    edit: { changes: { [doc.uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# kdry-disable-next-line ${rule}\n` }] } },
  };
}
