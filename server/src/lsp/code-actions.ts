// Code actions: each published finding's fixes (quickfix, preferred when the rule says the fix
// is the obvious one) plus a suppression comment for the line.
import type { CodeAction, CodeActionParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../rules/types';
import { fixToCodeAction, sameRange, toDiagnostic, toRange } from './convert';
import { disableForLineAction } from './suppression';

export function codeActions(doc: TextDocument, params: CodeActionParams, findings: readonly Finding[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const suppressions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'kdry') continue;
    for (const f of findings) {
      if (f.ruleId !== diagnostic.code || !sameRange(toRange(doc, f.range), diagnostic.range)) continue;
      for (const fix of f.fixes ?? []) actions.push(fixToCodeAction(doc, fix, diagnostic));
    }
    const key = `${diagnostic.code}@${diagnostic.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const suppress = disableForLineAction(doc, diagnostic);
    if (suppress) suppressions.push(suppress);
  }
  // Actions for findings the client did not send back (e.g. a range request without context).
  if (params.context.diagnostics.length === 0) {
    for (const f of findings) {
      const d = toDiagnostic(doc, f);
      if (d.range.start.line > params.range.end.line || d.range.end.line < params.range.start.line) continue;
      for (const fix of f.fixes ?? []) actions.push(fixToCodeAction(doc, fix, d));
    }
  }
  return [...actions, ...suppressions];
}
