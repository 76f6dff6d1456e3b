// eslint's "stylish" layout: findings grouped per file, the files not (or only partly) checked,
// then a summary line. Every name, path and message is escaped (see escape.ts).
import type { FileReport } from '../report';
import { countBySeverity, countNotChecked } from '../report';
import type { CheckRun } from '../report';
import { escapeControls, neutralizeWorkflowCommands } from './escape';

export function formatStylish(reports: FileReport[], color: boolean, run: CheckRun): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  const header: string[] = [];
  if (run.config) header.push(`Settings from ${escapeControls(run.config)}${run.disabled ? ', which disables every check (enable: false)' : ''}`);
  if (run.kubernetes && !run.disabled) header.push(`Checked for Kubernetes ${run.kubernetes.version} (${escapeControls(run.kubernetes.reason)})`);
  for (const e of run.excluded ?? []) header.push(`${e.files} file${e.files === 1 ? '' : 's'} excluded by ${escapeControls(e.from)} ${escapeControls(e.pattern)}`);
  if (header.length) lines.push(...header.map((h) => paint(2, h)), '');
  for (const report of reports) {
    if (report.findings.length === 0) continue;
    lines.push(paint(4, escapeControls(report.path)));
    const width = Math.max(...report.findings.map((f) => `${f.line}:${f.column}`.length));
    for (const f of report.findings) {
      const sev = f.severity === 'error' ? paint(31, 'error  ') : f.severity === 'warning' ? paint(33, 'warning') : paint(36, 'info   ');
      lines.push(`  ${`${f.line}:${f.column}`.padEnd(width)}  ${sev}  ${escapeControls(f.message)}  ${paint(2, escapeControls(f.ruleId))}`);
    }
    lines.push('');
  }
  for (const [coverage, title] of [
    ['none', 'Not checked'],
    ['partial', 'Partly checked'],
  ] as const) {
    const listed = reports.filter((r) => r.coverage === coverage).sort((a, b) => a.path.localeCompare(b.path));
    if (listed.length === 0) continue;
    lines.push(paint(33, `${title}:`));
    for (const r of listed) lines.push(`  ${escapeControls(r.path)}: ${r.notChecked.map(escapeControls).join('; ')}`);
    lines.push('');
  }
  const c = countBySeverity(reports);
  const unchecked = countNotChecked(reports);
  const total = c.error + c.warning + c.info;
  const files = reports.length - unchecked.none;
  const checked = `${files} file${files === 1 ? '' : 's'} checked`;
  const notChecked = [unchecked.none && `${unchecked.none} not checked`, unchecked.partial && `${unchecked.partial} only partly checked`].filter(Boolean).join(', ');
  if (total === 0) lines.push(notChecked ? paint(33, `${checked} (${notChecked}), no problems found in what was checked`) : `${checked}, no problems`);
  else {
    const fixable = reports.reduce((n, r) => n + r.findings.filter((f) => f.fixable).length, 0);
    const summary = `${total} problem${total === 1 ? '' : 's'} (${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info) in ${checked}${notChecked ? ` (${notChecked})` : ''}`;
    lines.push(paint(c.error ? 31 : 33, summary) + (fixable ? `\n  ${fixable} of them can be fixed with a quick-fix in the editor` : ''));
  }
  return neutralizeWorkflowCommands(lines.join('\n') + '\n');
}
