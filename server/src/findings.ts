// The vocabulary every stage shares: what a check reports (a Finding) and how to repair it (a
// Fix of TextEdits). schema/, rules/, the check pipeline, lsp/ and cli/ all import it from here,
// so none of them has to reach into another's folder for it.
import type { Offsets } from './manifest';

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  range: Offsets; // file offsets in the file the finding belongs to
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one obvious fix (LSP isPreferred). */
  preferred?: boolean;
}

export interface Finding {
  ruleId: string;
  message: string;
  range: Offsets;
  severity?: Severity; // defaults to the rule's
  /**
   * Quick-fixes, built only when they are asked for (a code action, `kdry check`'s report), never
   * while diagnosing: building one may read the document's whole YAML tree, and a finding must
   * cost no more than its own range. Undefined when the rule has no fix to offer; in a layout an
   * edit cannot be placed in safely (a flow map, say) the function may still build none. Read
   * them with fixesOf.
   */
  fixes?: () => Fix[];
}

/** A finding's quick-fixes, built now. */
export function fixesOf(f: Finding): Fix[] {
  return f.fixes?.() ?? [];
}

/** One fix per item (a suggested name, say), offered when there are items and built on request. */
export function fixesFor<T>(items: readonly T[], build: (item: T, index: number) => Fix): (() => Fix[]) | undefined {
  return items.length ? () => items.map(build) : undefined;
}

/** Fixes built on the first request and kept: findings that share them build them once. */
export function buildOnce(build: () => Fix[]): () => Fix[] {
  let built: Fix[] | undefined;
  return () => (built ??= build());
}

/** The finding with each of its fixes (when built) passed through `change`; undefined drops the fix. */
export function mapFixes(f: Finding, change: (fix: Fix) => Fix | undefined): Finding {
  const fixes = f.fixes;
  if (!fixes) return f;
  return { ...f, fixes: () => fixes().flatMap((fix) => change(fix) ?? []) };
}
