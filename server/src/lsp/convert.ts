// Findings (file offsets) <-> LSP shapes (line/character positions).
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic, type Range, type WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Offsets } from '../manifest';
import type { Finding, Fix, Severity } from '../findings';

export const DIAGNOSTIC_SOURCE = 'kdry';

export function toRange(doc: TextDocument, [start, end]: Offsets): Range {
  return { start: doc.positionAt(start), end: doc.positionAt(end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** `shift`: how far the finding's document moved since it was made (placed-findings.ts). */
export function toDiagnostic(doc: TextDocument, f: Finding, shift = 0): Diagnostic {
  return { range: toRange(doc, shift === 0 ? f.range : [f.range[0] + shift, f.range[1] + shift]), severity: SEVERITY[f.severity ?? 'error'], code: f.ruleId, source: DIAGNOSTIC_SOURCE, message: f.message };
}

export function fixToCodeAction(doc: TextDocument, fix: Fix, diagnostic: Diagnostic): CodeAction {
  const edit: WorkspaceEdit = { changes: { [doc.uri]: fix.edits.map((e) => ({ range: toRange(doc, e.range), newText: e.newText })) } };
  return { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.preferred === true, edit };
}
