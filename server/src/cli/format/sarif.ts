// SARIF 2.1.0 as GitHub code scanning accepts it: rule metadata in tool.driver.rules, every
// result with its real region, paths relative to the checkout (%SRCROOT%).
import type { Severity } from '../../findings';
import type { FileReport } from '../report';

export interface RuleDescriptor {
  id: string;
  title: string;
  description: string;
  remediation?: string;
  severity: Severity;
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function formatSarif(reports: FileReport[], rules: RuleDescriptor[], version: string): string {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = reports.flatMap((report) =>
    report.findings.map((f) => ({
      ruleId: f.ruleId,
      ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: report.path.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: Math.max(f.endColumn, f.line === f.endLine ? f.column + 1 : 1) },
          },
        },
      ],
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kdry',
            version,
            semanticVersion: version,
            rules: rules.map((r) => ({
              id: r.id,
              name: pascal(r.id),
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: { text: r.remediation ?? r.description, markdown: `${r.description}\n\n${r.remediation ?? ''}`.trim() },
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function pascal(id: string): string {
  return id.replace(/(^|[-/])(\w)/g, (_, __, c: string) => c.toUpperCase());
}
