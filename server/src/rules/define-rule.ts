// Wraps a rule's check so that every caller gets the same guarantees: no finding on a document
// whose YAML is broken (its value is not what the user wrote: duplicate keys keep the last value
// while ranges point at the first), and only findings whose range lies inside the document. Fix
// text is written with the file's own line ending. An exception is not caught here: the
// dispatcher (rules/run.ts) turns it into an internal-error finding the user can see and report.
import type { Rule, RuleContext } from './types';
import { mapFixes, type Finding } from '../findings';
import { textIncludes, type ManifestFile } from '../manifest';

const unguarded = new WeakMap<Rule, Rule['check']>();

/** The rule's own check without the guard, so tests can see every range it reports. */
export function rawCheck(rule: Rule): Rule['check'] {
  return unguarded.get(rule) ?? rule.check;
}

export function defineRule(rule: Rule): Rule {
  const check = rule.check;
  const guarded: Rule = {
    ...rule,
    check(ctx: RuleContext): Finding[] {
      const { doc } = ctx;
      if (doc.value === undefined || hasError(doc.problems)) return [];
      const findings = check(ctx);
      // Most checks find nothing in most documents: no copies of an empty list.
      if (findings.length === 0) return findings;
      const inside = findings.filter((f) => Array.isArray(f.range) && f.range[0] >= doc.range[0] && f.range[1] <= doc.range[1] && f.range[0] <= f.range[1]);
      // CRLF is looked for when a fix is built: the scan covers the whole file.
      return inside.map((f) => (f.fixes ? withCrlfIfUsed(f, ctx.file) : f));
    },
  };
  unguarded.set(guarded, check);
  return guarded;
}

function hasError(problems: readonly { severity: string }[]): boolean {
  for (const p of problems) if (p.severity === 'error') return true;
  return false;
}

const crlfFiles = new WeakMap<ManifestFile, boolean>();

/**
 * The file's text has CRLF line endings, scanned once per file: once per rule and document with a
 * fixable finding, the scans of a 1,000-document file with ~500 such documents read its text 500 times.
 * An editor's buffer answers from its pieces, without joining them.
 */
function usesCrlf(file: ManifestFile): boolean {
  let crlf = crlfFiles.get(file);
  if (crlf === undefined) crlfFiles.set(file, (crlf = textIncludes(file, '\r\n')));
  return crlf;
}

/** The finding whose fixes, once built, write CRLF line endings in a file that uses them. */
function withCrlfIfUsed(f: Finding, file: ManifestFile): Finding {
  return mapFixes(f, (fix) => (usesCrlf(file) ? { ...fix, edits: fix.edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, '\r\n') })) } : fix));
}
