// Findings -> LSP diagnostics for one open file, converted again only where a document changed
// (the per-document entries are updated in place).
// After a keystroke nearly every finding of a large file reads as before: its document has the
// same source and starts on the same line (typing within a line moves offsets, not lines), so its
// diagnostics are the very objects sent last time. Converting 900 findings anew on every edit
// (two position searches and four objects each) was a tenth of the edit's work. A document that
// moved by whole lines (Enter above it) gets its diagnostics moved (moved-diagnostic.ts).
// When the line count is unchanged, the findings before the edited documents and those after
// them (moved by the characters the edit added or removed) are not looked at one by one: the
// last conversion's diagnostics are copied for them, and only the findings in between go through
// the documents' entries. An edit's conversion costs what it changed, not a step per finding.
// Findings come where they were made, each with how far its document moved since
// (placed-findings.ts): a finding stands at its range plus its shift.
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../findings';
import type { PlacedFindings } from '../placed-findings';
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

/** The last conversion: what the next one compares with. */
interface LastConversion {
  documents: readonly ManifestDocument[];
  findings: PlacedFindings;
  diagnostics: Diagnostic[];
  lineCount: number;
  /** The documents run to the end of the text: false for a first publication's head, or a file past MAX_CHECKED_DOCUMENTS. */
  reachesEnd: boolean;
}

export class DocumentDiagnostics {
  private documents = new Map<string, ConvertedDocument>();
  private conversions = 0;
  private last: LastConversion | undefined;

  /** `findings` as diagnostics, in their order; `documents` are the file's, in file order. */
  convert(text: TextDocument, documents: readonly ManifestDocument[], findings: PlacedFindings): Diagnostic[] {
    const conversion = ++this.conversions;
    const lineCount = text.lineCount;
    const last = this.last;
    const reachesEnd = runsToEnd(text, documents);
    const diagnostics = last && last.lineCount === lineCount ? this.splice(text, documents, findings, last, reachesEnd && last.reachesEnd, conversion) : this.convertAll(text, documents, findings, conversion);
    this.last = { documents, findings, diagnostics, lineCount, reachesEnd };
    return diagnostics;
  }

  /**
   * The last conversion's diagnostics for the findings before the documents the edit changed and
   * for those after them, and the findings in between converted. Only with the line count
   * unchanged: the text after the changed documents is then on the same lines, and since a
   * document starts at a line start, at the same characters. The end is matched only when both
   * lists run to the end of their texts (`fromEnd`): a list that stops short (the first 20
   * documents, or the first MAX_CHECKED_DOCUMENTS) ends somewhere else each time.
   */
  private splice(text: TextDocument, documents: readonly ManifestDocument[], placed: PlacedFindings, last: LastConversion, fromEnd: boolean, conversion: number): Diagnostic[] {
    const before = last.documents;
    // The documents the edit left alone: the same objects at the start; at the end, the same
    // sources, all moved by the same number of characters.
    const most = Math.min(documents.length, before.length);
    let same = 0;
    while (same < most && documents[same] === before[same]) same++;
    let sameEnd = 0;
    const moved = documents.length > 0 && before.length > 0 ? documents[documents.length - 1].offset - before[before.length - 1].offset : 0;
    while (fromEnd && sameEnd < most - same) {
      const now = documents[documents.length - 1 - sameEnd];
      const then = before[before.length - 1 - sameEnd];
      if (now.source !== then.source || now.offset - then.offset !== moved) break;
      sameEnd++;
    }
    // Text before `unchangedBefore` is as it was; text from `unchangedFrom` on is as it was, `moved` characters later.
    const unchangedBefore = same < documents.length ? documents[same].offset : Infinity;
    // (A document after a `---` line starts a line; one that does not, such as an item of a flow
    // sequence, may share its line with the edit.)
    const after = sameEnd > 0 ? documents[documents.length - sameEnd].offset : Infinity;
    const unchangedFrom = after !== Infinity && text.positionAt(after).character === 0 ? after : Infinity;
    // Findings alike (rule, severity, message, place) at the start, within the unchanged text.
    const { findings, shifts } = placed;
    const { findings: old, shifts: oldShifts } = last.findings;
    const count = Math.min(findings.length, old.length);
    let p = 0;
    while (p < count && within(findings[p], shifts[p], 0, unchangedBefore) && alike(findings[p], shifts[p], old[p], oldShifts[p])) p++;
    let s = 0;
    for (let i = findings.length - 1, j = old.length - 1; s < count - p; s++, i--, j--) {
      if (!within(findings[i], shifts[i], unchangedFrom, Infinity) || !alike(findings[i], shifts[i], old[j], oldShifts[j] + moved)) break;
    }
    const out: Diagnostic[] = new Array(findings.length);
    for (let k = 0; k < p; k++) out[k] = last.diagnostics[k];
    this.convertRange(text, documents, placed, p, findings.length - s, out, conversion);
    for (let k = 0; k < s; k++) out[findings.length - 1 - k] = last.diagnostics[old.length - 1 - k];
    // Entries of the documents the edit replaced, unless one in between still uses them.
    for (let k = same; k < before.length - sameEnd; k++) {
      const entry = this.documents.get(before[k].source);
      if (entry && entry.used !== conversion) this.documents.delete(before[k].source);
    }
    return out;
  }

  /** Every finding through the documents' entries; entries of documents no longer in the file are dropped. */
  private convertAll(text: TextDocument, documents: readonly ManifestDocument[], placed: PlacedFindings, conversion: number): Diagnostic[] {
    // One diagnostic per finding: the list is made at its size (no regrowth per keystroke).
    const out: Diagnostic[] = new Array(placed.findings.length);
    this.convertRange(text, documents, placed, 0, placed.findings.length, out, conversion);
    this.documents.forEach((entry, source) => entry.used !== conversion && this.documents.delete(source));
    return out;
  }

  /** Findings `from` to `to` as diagnostics, into `out` at the same places, through their documents' entries. */
  private convertRange(text: TextDocument, documents: readonly ManifestDocument[], placed: PlacedFindings, from: number, to: number, out: Diagnostic[], conversion: number): void {
    const { findings, shifts } = placed;
    const entries = this.documents;
    const touched: ConvertedDocument[] = [];
    let n = from;
    let doc: ManifestDocument | undefined;
    for (let i = from; i < to; i++) {
      const f = findings[i];
      const shift = shifts[i];
      const start = f.range[0] + shift;
      const end = f.range[1] + shift;
      // Findings mostly come in document order: the last finding's document is looked at first
      // (strictly inside it: at its start, the document before may end there and would be the first).
      if (!doc || start <= doc.range[0] || start > doc.range[1]) doc = documentAt(documents, start);
      // A finding that reaches past its document depends on the text after it: converted each time.
      if (!doc || end > doc.offset + doc.source.length) {
        out[n++] = toDiagnostic(text, f, shift);
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
        touched.push(entry);
      } else if (entry.offset !== doc.offset) {
        out[n++] = toDiagnostic(text, f, shift);
        continue;
      }
      const relativeStart = start - doc.offset;
      const relativeEnd = end - doc.offset;
      // The n-th finding of a document is compared with the n-th one of last time.
      const kept = entry.own ? undefined : entry.findings[entry.count];
      if (kept && kept.start === relativeStart && kept.end === relativeEnd && sameFinding(kept.finding, f)) {
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
      const diagnostic = toDiagnostic(text, f, shift);
      entry.findings.push({ start: relativeStart, end: relativeEnd, finding: f, diagnostic });
      entry.count++;
      out[n++] = diagnostic;
    }
    // A document with fewer findings than last time keeps only those it has (one with none is
    // dropped by the caller).
    for (const entry of touched) if (!entry.own && entry.count < entry.findings.length) entry.findings = entry.findings.slice(0, entry.count);
  }
}

/** Whether both ends of the finding's place (its range moved by `shift`) are within `from` to `to`. */
function within(f: Finding, shift: number, from: number, to: number): boolean {
  const start = f.range[0] + shift;
  const end = f.range[1] + shift;
  return start >= from && end >= from && start <= to && end <= to;
}

/** Same rule, severity, message and place: `a`'s range moved by `aShift`, `b`'s by `bShift`. */
function alike(a: Finding, aShift: number, b: Finding, bShift: number): boolean {
  if (a === b) return aShift === bShift;
  return a.range[0] + aShift === b.range[0] + bShift && a.range[1] + aShift === b.range[1] + bShift && a.ruleId === b.ruleId && a.severity === b.severity && a.message === b.message;
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

/** The last document ends where the text ends (an empty list trivially does). */
function runsToEnd(text: TextDocument, documents: readonly ManifestDocument[]): boolean {
  const end = documents.at(-1);
  // A line past the last one is the text's end (TextDocument.offsetAt clamps it so).
  return end === undefined || end.offset + end.source.length === text.offsetAt({ line: text.lineCount, character: 0 });
}
