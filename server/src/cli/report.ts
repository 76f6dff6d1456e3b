// A finding placed in its file with 1-based lines and columns, as every output format needs it.
import { LinePositions } from './line-positions';
import type { Finding, Severity } from '../findings';
import type { ExcludedInput, InputFile, InputProblem } from './inputs';
import type { ExcludePattern } from '../workspace/exclude';
import type { ReleaseInForce } from '../release-in-force';

export interface ReportedFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  /** 1-based, UTF-16 columns (what editors and SARIF's default columnKind use). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  fixable: boolean;
}

/** How much of a file was checked: a gate must not call a file clean that it did not read. */
export type Coverage = 'full' | 'partial' | 'none';

export interface FileReport {
  path: string;
  findings: ReportedFinding[];
  coverage: Coverage;
  /** Why the file was not (or only partly) checked, in words; empty when fully checked. */
  notChecked: string[];
}

/** A file that was found but not checked at all (not read, too large, checks disabled). */
export function notCheckedReport(path: string, reason: string): FileReport {
  return { path, findings: [], coverage: 'none', notChecked: [reason] };
}

export function placeFindings(file: InputFile, findings: Finding[], coverage: Coverage = 'full', notChecked: string[] = []): FileReport {
  const doc = new LinePositions(file.text);
  const placed = findings.map((f) => {
    const start = doc.positionAt(f.range[0]);
    const end = doc.positionAt(f.range[1]);
    return {
      ruleId: f.ruleId,
      severity: f.severity ?? 'warning',
      message: f.message,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      // Offered, not built: building every fix would parse each document's YAML tree again.
      fixable: f.fixes !== undefined,
    };
  });
  placed.sort((a, b) => a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId));
  return { path: file.path, findings: placed, coverage, notChecked };
}

export function countNotChecked(reports: FileReport[]): { none: number; partial: number } {
  return { none: reports.filter((r) => r.coverage === 'none').length, partial: reports.filter((r) => r.coverage === 'partial').length };
}

export function countBySeverity(reports: FileReport[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const r of reports) for (const f of r.findings) counts[f.severity]++;
  return counts;
}

/** What the run was given beside the files: which config file and release, shown in every format. */
export interface CheckRun {
  /** The config file used, relative to the working directory when inside it. */
  config?: string;
  /** Checks were switched off by the config (`enable: false`): nothing was checked. */
  disabled: boolean;
  /** The release checked for and why (release-in-force.ts). */
  kubernetes?: ReleaseInForce;
  /** Inputs that could not be read (a CRD source, the cluster file): the run failed (exit 2). */
  problems?: InputProblem[];
  /** Files left out by `exclude:` globs, counted per glob in the order written (never read). */
  excluded?: ExcludedCount[];
}

export interface ExcludedCount {
  pattern: string;
  /** `.kdry/config.yaml exclude:` or `--exclude`. */
  from: string;
  files: number;
}

/** How many files each glob left out, in the order the globs were written; globs that left out none are omitted. */
export function countExcluded(excluded: readonly ExcludedInput[], patterns: readonly ExcludePattern[]): ExcludedCount[] {
  return patterns
    .map((p) => ({ pattern: p.pattern, from: p.from, files: excluded.filter((e) => e.by === p).length }))
    .filter((c) => c.files > 0);
}
