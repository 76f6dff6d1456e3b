// Hover and completion read a document through its full YAML tree, which the yaml library builds
// in about a second per MiB (a 1 MiB flow sequence on one line took ~4 s per keystroke, as every
// feature asked again after each edit). Past a size those features stay off for the document, and
// one diagnostic says so; diagnostics themselves still run (they read the fast loader's values).
// A document with YAML problems was read by the full parser already: its tree costs nothing more.
import type { ManifestDocument, ManifestFile } from '../manifest';
import type { Finding } from '../findings';
import { DOCUMENT_TOO_LARGE } from '../builtin-checks';
import type { KdrySettings } from '../settings';

export const EDITOR_FEATURES_MAX_DOCUMENT_BYTES = 256 * 1024;

export function tooLargeForEditorFeatures(doc: ManifestDocument | undefined): boolean {
  return doc !== undefined && doc.source.length > EDITOR_FEATURES_MAX_DOCUMENT_BYTES && doc.problems.length === 0;
}

/**
 * One informative finding per document too large for hover and completion, on its first line.
 * Editor-only (the CLI has no hover), so it is added beside the check pipeline, which is why it
 * reads `kdry.enable` and its own rule setting here.
 */
export function largeDocumentFindings(file: ManifestFile, settings: KdrySettings): Finding[] {
  if (!settings.enable || settings.rules[DOCUMENT_TOO_LARGE.id] === 'off') return [];
  const out: Finding[] = [];
  for (const doc of file.documents) {
    if (!tooLargeForEditorFeatures(doc)) continue;
    const firstLine = doc.source.indexOf('\n');
    out.push({
      ruleId: DOCUMENT_TOO_LARGE.id,
      severity: DOCUMENT_TOO_LARGE.severity,
      range: [doc.offset, doc.offset + (firstLine < 0 ? doc.source.length : firstLine)],
      message: `This YAML document is ${(doc.source.length / 1024).toFixed(0)} KiB; hover and completion are off in documents over ${EDITOR_FEATURES_MAX_DOCUMENT_BYTES / 1024} KiB so that typing stays responsive. Diagnostics still cover it.`,
    });
  }
  return out;
}
