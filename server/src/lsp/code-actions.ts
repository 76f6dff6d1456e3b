// Code actions: each published finding's fixes (quickfix, preferred when the rule says the fix
// is the obvious one) plus a suppression comment for the line.
import type { CodeAction, CodeActionParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fixesOf, type Finding } from '../findings';
import { fixToCodeAction, toDiagnostic } from './convert';
import { disableForLineAction } from './suppression';

export function codeActions(doc: TextDocument, params: CodeActionParams, findings: readonly Finding[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const suppressions: CodeAction[] = [];
  const seen = new Set<string>();
  // Findings by rule and place, so a request that sends back thousands of diagnostics (the whole
  // file selected) matches each in one lookup.
  const place = (ruleId: unknown, start: number, end: number) => `${String(ruleId)}@${start}:${end}`;
  const byPlace = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = place(f.ruleId, f.range[0], f.range[1]);
    const same = byPlace.get(key);
    if (same) same.push(f);
    else byPlace.set(key, [f]);
  }
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'kdry') continue;
    for (const f of byPlace.get(place(diagnostic.code, doc.offsetAt(diagnostic.range.start), doc.offsetAt(diagnostic.range.end))) ?? []) {
      for (const fix of fixesOf(f)) actions.push(fixToCodeAction(doc, fix, diagnostic));
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
      for (const fix of fixesOf(f)) actions.push(fixToCodeAction(doc, fix, d));
    }
  }
  return [...actions, ...suppressions];
}
