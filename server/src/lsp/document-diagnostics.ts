// Findings -> LSP diagnostics for one open file, converted again only where a document changed
// (the per-document entries are updated in place).
// After a keystroke nearly every finding of a large file reads as before: its document has the
// same source and starts on the same line (typing within a line moves offsets, not lines), so its
// diagnostics are the very objects sent last time. Converting 900 findings anew on every edit
// (two position searches and four objects each) was a tenth of the edit's work. A document that
// moved by whole lines (Enter above it) gets its diagnostics moved (moved-diagnostic.ts).
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../findings';
import type { ManifestDocument } from '../manifest';
import { toDiagnostic } from './convert';
import { lineAt } from './document-text';
import { movedDiagnostic } from './moved-diagnostic';

/** A finding relative to its document, and its diagnostic. */
interface Converted {
  start: number;
  end: number;
  finding: Finding;
  diagnostic: Diagnostic;
}

/** A document's findings as last converted, in the order they came. */
interface ConvertedDocument {
  /** Where the document is now: a second document with the same source is not cached. */
  offset: number;
  startLine: number;
  /** Lines the document moved by since its diagnostics were made: kept ones are moved as much. */
  moved: number;
  /** Last time's list while every finding so far matched it (nothing is allocated then), else a new one. */
  findings: Converted[];
  count: number;
  own: boolean;
  /** The conversion that last used the entry: entries are updated in place, and the others dropped after it. */
  used: number;
}

export class DocumentDiagnostics {
  private documents = new Map<string, ConvertedDocument>();
  private conversions = 0;

  /** `findings` as diagnostics, in their order; `documents` are the file's, in file order. */
  convert(text: TextDocument, documents: readonly ManifestDocument[], findings: readonly Finding[]): Diagnostic[] {
    const entries = this.documents;
    const conversion = ++this.conversions;
    // One diagnostic per finding: the list is made at its size (no regrowth per keystroke).
    const out: Diagnostic[] = new Array(findings.length);
    let n = 0;
    let doc: ManifestDocument | undefined;
    for (const f of findings) {
      // Findings mostly come in document order: the last finding's document is looked at first
      // (strictly inside it: at its start, the document before may end there and would be the first).
      if (!doc || f.range[0] <= doc.range[0] || f.range[0] > doc.range[1]) doc = documentAt(documents, f.range[0]);
      // A finding that reaches past its document depends on the text after it: converted each time.
      if (!doc || f.range[1] > doc.offset + doc.source.length) {
        out[n++] = toDiagnostic(text, f);
        continue;
      }
      let entry = entries.get(doc.source);
      if (entry?.used !== conversion) {
        // The document's first finding this time: last time's list holds, moved by the lines the document moved.
        const startLine = lineAt(text, doc.offset);
        const known = entry !== undefined;
        if (!entry) entries.set(doc.source, (entry = { offset: doc.offset, startLine, moved: 0, findings: [], count: 0, own: true, used: conversion }));
        entry.moved = startLine - entry.startLine;
        entry.offset = doc.offset;
        entry.startLine = startLine;
        entry.count = 0;
        entry.used = conversion;
        entry.own = !known;
      } else if (entry.offset !== doc.offset) {
        out[n++] = toDiagnostic(text, f);
        continue;
      }
      const start = f.range[0] - doc.offset;
      const end = f.range[1] - doc.offset;
      // The n-th finding of a document is compared with the n-th one of last time.
      const kept = entry.own ? undefined : entry.findings[entry.count];
      if (kept && kept.start === start && kept.end === end && sameFinding(kept.finding, f)) {
        entry.count++;
        // The entry's own record: last time's diagnostic is replaced by its moved copy.
        if (entry.moved !== 0) kept.diagnostic = movedDiagnostic(kept.diagnostic, entry.moved);
        out[n++] = kept.diagnostic;
        continue;
      }
      if (!entry.own) {
        entry.findings = entry.findings.slice(0, entry.count);
        entry.own = true;
      }
      const diagnostic = toDiagnostic(text, f);
      entry.findings.push({ start, end, finding: f, diagnostic });
      entry.count++;
      out[n++] = diagnostic;
    }
    // A document with fewer findings than last time keeps only those it has; one with none is forgotten.
    entries.forEach((entry, source) => {
      if (entry.used !== conversion) entries.delete(source);
      else if (!entry.own && entry.count < entry.findings.length) entry.findings = entry.findings.slice(0, entry.count);
    });
    return out;
  }
}

/** Same rule, severity and message (positions are compared relative to the document by the caller). */
function sameFinding(a: Finding, b: Finding): boolean {
  return a === b || (a.ruleId === b.ruleId && a.severity === b.severity && a.message === b.message);
}

/** The first document whose range holds `offset` (documents are in file order). */
export function documentAt(documents: readonly ManifestDocument[], offset: number): ManifestDocument | undefined {
  let low = 0;
  let high = documents.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (documents[mid].range[1] < offset) low = mid + 1;
    else high = mid;
  }
  const doc = documents[low];
  return doc && doc.range[0] <= offset ? doc : undefined;
}
