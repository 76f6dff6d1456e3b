// Shared by the schema tests: validate a whole file and look at findings through the text they cover.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifest } from '../../server/src/manifest';
import { validateDocument } from '../../server/src/schema';
import type { Finding, Fix } from '../../server/src/findings';

export interface Located extends Finding {
  /** The text the finding's range covers. */
  text: string;
}

export function schemaFindings(text: string): Located[] {
  return parseManifest(text).documents.flatMap((doc) => validateDocument(doc).map((f) => ({ ...f, text: text.slice(...f.range) })));
}

export function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
}

/** The text after applying every edit of `fix` (edits never overlap; applied from the end). */
export function applyFix(text: string, fix: Fix): string {
  let out = text;
  for (const edit of [...fix.edits].sort((a, b) => b.range[0] - a.range[0])) out = out.slice(0, edit.range[0]) + edit.newText + out.slice(edit.range[1]);
  return out;
}

/** A Deployment built around `spec` lines (indented by two), valid unless the caller breaks it. */
export function deployment(specLines: string[]): string {
  return ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', 'spec:', ...specLines.map((l) => `  ${l}`), ''].join('\n');
}

/** The valid template body for deployment(): selector and template with one container. */
export const VALID_TEMPLATE = [
  'selector:',
  '  matchLabels: {app: web}',
  'template:',
  '  metadata:',
  '    labels: {app: web}',
  '  spec:',
  '    containers:',
  '    - name: web',
  '      image: nginx:1.27',
];
