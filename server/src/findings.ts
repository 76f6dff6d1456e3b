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
  fixes?: Fix[];
}
