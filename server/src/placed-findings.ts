// Findings kept where they were made, each with how far its document has moved since. The
// language server's check cache (check-cache.ts) keeps a document's findings at the offset they
// were computed for; when a keystroke moves the documents below it, none of their findings is
// copied: the shift says where each stands now, and the conversion to diagnostics reads it
// (lsp/document-diagnostics.ts). Before, every keystroke in the middle of the mixed 1,000-document
// file of `npm run bench lsp-realistic` copied the ~500 findings below it (with their fixes) at
// their new offsets, objects that lived one keystroke and were promoted before they died: most
// of the keystroke's garbage collection.
import { mapFixes, type Finding } from './findings';

/** findings[i] stands at its range moved by shifts[i] characters. */
export interface PlacedFindings {
  readonly findings: readonly Finding[];
  readonly shifts: Int32Array;
}

/** Findings that stand where their ranges say. */
export function unmoved(findings: readonly Finding[]): PlacedFindings {
  return { findings, shifts: new Int32Array(findings.length) };
}

/** `first`'s findings, then `second`'s. */
export function joined(first: PlacedFindings, second: PlacedFindings): PlacedFindings {
  if (first.findings.length === 0) return second;
  if (second.findings.length === 0) return first;
  const shifts = new Int32Array(first.shifts.length + second.shifts.length);
  shifts.set(first.shifts);
  shifts.set(second.shifts, first.shifts.length);
  return { findings: [...first.findings, ...second.findings], shifts };
}

/** The findings `keep` takes (given each one's shift), in order; `placed` itself when it takes all. */
export function keptWhere(placed: PlacedFindings, keep: (f: Finding, shift: number) => boolean): PlacedFindings {
  const { findings, shifts } = placed;
  let first = 0;
  while (first < findings.length && keep(findings[first], shifts[first])) first++;
  if (first === findings.length) return placed;
  const kept: Finding[] = findings.slice(0, first);
  const keptShifts = new Int32Array(findings.length);
  keptShifts.set(shifts.subarray(0, first));
  for (let i = first + 1; i < findings.length; i++) {
    if (!keep(findings[i], shifts[i])) continue;
    keptShifts[kept.length] = shifts[i];
    kept.push(findings[i]);
  }
  return { findings: kept, shifts: keptShifts.slice(0, kept.length) };
}

/** Each finding at its place: a moved one copied there, with its fixes. A new list. */
export function atTheirPlaces(placed: PlacedFindings): Finding[] {
  const { findings, shifts } = placed;
  const found = new Array<Finding>(findings.length);
  for (let i = 0; i < findings.length; i++) found[i] = shift(findings[i], shifts[i]);
  return found;
}

/** The finding moved by `delta` characters (its document moved), fixes included. */
export function shift(f: Finding, delta: number): Finding {
  if (delta === 0) return f;
  const moved = mapFixes(f, (fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, range: [e.range[0] + delta, e.range[1] + delta] })) }));
  return { ...moved, range: [f.range[0] + delta, f.range[1] + delta] };
}
