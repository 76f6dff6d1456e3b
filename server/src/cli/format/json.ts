// Machine-readable check results: one entry per file, findings with 1-based positions.
import type { FileReport } from '../report';
import { countBySeverity } from '../report';

export function formatJson(reports: FileReport[]): string {
  return JSON.stringify({ files: reports, summary: { files: reports.length, ...countBySeverity(reports) } }, null, 2) + '\n';
}
