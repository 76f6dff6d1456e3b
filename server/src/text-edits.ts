// Applying text edits (for verifying a fix before offering it, and in tests) and rendering small
// YAML fragments with the quoting the yaml library would choose.
import { stringify } from 'yaml';
import type { TextEdit } from './findings';

/** Applies non-overlapping edits to `text` (file offsets). Overlapping edits throw: that is a bug in a fix. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.range[0] < at) throw new Error(`overlapping edits at offset ${e.range[0]}`);
    out += text.slice(at, e.range[0]) + e.newText;
    at = e.range[1];
  }
  return out + text.slice(at);
}

/** A scalar as a plain YAML value on one line, quoted only where YAML needs it (`"1"`, `"true"`). */
export function yamlScalar(value: unknown): string {
  return stringify(value, { lineWidth: 0, flowCollectionPadding: false }).trimEnd();
}

/** `key: value` lines of a flat mapping at `column`. */
export function mappingLines(entries: Record<string, unknown>, column: number): string {
  return Object.entries(entries)
    .map(([k, v]) => `${' '.repeat(column)}${yamlScalar(k)}: ${yamlScalar(v)}\n`)
    .join('');
}
