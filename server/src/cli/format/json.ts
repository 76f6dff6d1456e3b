// Machine-readable check results: one entry per file (with how much of it was checked), findings
// with 1-based positions, the config file used, the Kubernetes release checked for (and why), the files
// each `exclude:` glob left out (a count per glob), and a summary.
import type { FileReport } from '../report';
import { countBySeverity, countNotChecked } from '../report';
import type { CheckRun } from '../report';
import { stringifyJson } from './escape';

export function formatJson(reports: FileReport[], run: CheckRun): string {
  const unchecked = countNotChecked(reports);
  const summary = { files: reports.length, ...countBySeverity(reports), notChecked: unchecked.none, partlyChecked: unchecked.partial };
  return stringifyJson({ config: run.config ?? null, checksDisabled: run.disabled, ...(run.kubernetes ? { kubernetes: run.kubernetes } : {}), excluded: run.excluded ?? [], files: reports, summary });
}
