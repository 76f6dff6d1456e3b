// eslint's "stylish" layout: findings grouped per file, then a summary line.
import type { FileReport } from '../report';
import { countBySeverity } from '../report';

export function formatStylish(reports: FileReport[], color: boolean): string {
  const paint = (code: number, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  for (const report of reports) {
    if (report.findings.length === 0) continue;
    lines.push(paint(4, report.path));
    const width = Math.max(...report.findings.map((f) => `${f.line}:${f.column}`.length));
    for (const f of report.findings) {
      const sev = f.severity === 'error' ? paint(31, 'error  ') : f.severity === 'warning' ? paint(33, 'warning') : paint(36, 'info   ');
      lines.push(`  ${`${f.line}:${f.column}`.padEnd(width)}  ${sev}  ${f.message.replace(/\n/g, ' ')}  ${paint(2, f.ruleId)}`);
    }
    lines.push('');
  }
  const c = countBySeverity(reports);
  const total = c.error + c.warning + c.info;
  const files = reports.length;
  if (total === 0) lines.push(`${files} file${files === 1 ? '' : 's'} checked, no problems`);
  else {
    const fixable = reports.reduce((n, r) => n + r.findings.filter((f) => f.fixable).length, 0);
    const summary = `${total} problem${total === 1 ? '' : 's'} (${c.error} error${c.error === 1 ? '' : 's'}, ${c.warning} warning${c.warning === 1 ? '' : 's'}, ${c.info} info) in ${files} file${files === 1 ? '' : 's'}`;
    lines.push(paint(c.error ? 31 : 33, summary) + (fixable ? `\n  ${fixable} of them can be fixed with a quick-fix in the editor` : ''));
  }
  return lines.join('\n') + '\n';
}
