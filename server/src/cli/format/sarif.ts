// SARIF 2.1.0 as GitHub code scanning accepts it: rule metadata in tool.driver.rules, every
// result with its real region, paths relative to the checkout (%SRCROOT%) as percent-encoded URI
// references. What was not checked goes in the invocation's toolExecutionNotifications, the config
// file used in its toolConfigurationNotifications (SARIF 2.1.0 sections 3.20.21 and 3.20.22).
import type { Severity } from '../../findings';
import type { FileReport } from '../report';
import type { CheckRun } from '../report';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { stringifyJson } from './escape';

export interface RuleDescriptor {
  id: string;
  title: string;
  description: string;
  remediation?: string;
  severity: Severity;
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function formatSarif(reports: FileReport[], rules: RuleDescriptor[], version: string, run: CheckRun, allowUnchecked: boolean): string {
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
            artifactLocation: artifactLocation(report.path),
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
        invocations: [invocation(reports, run, allowUnchecked)],
        columnKind: 'utf16CodeUnits',
        results,
        // SARIF 2.1.0 section 3.8 (property bags): the release checked for, where it came from and why,
        // and the files each `exclude:` glob left out.
        properties: {
          ...(run.kubernetes ? { kubernetesVersion: run.kubernetes.version, kubernetesVersionSource: run.kubernetes.source, kubernetesVersionReason: run.kubernetes.reason } : {}),
          excluded: run.excluded ?? [],
        },
      },
    ],
  };
  return stringifyJson(log);
}

/** A path relative to the checkout as a URI reference: each segment percent-encoded (`a#b.yaml` -> `a%23b.yaml`). */
export function relativeUri(path: string): string {
  return path.split(/[\\/]/).map(encodeURIComponent).join('/');
}

function artifactLocation(path: string): { uri: string; uriBaseId?: string } {
  // stdin has no file; a path outside the checkout is left absolute (a file: URI).
  if (path === '<stdin>') return { uri: 'stdin' };
  return isAbsolute(path) ? { uri: pathToFileURL(path).href } : { uri: relativeUri(path), uriBaseId: '%SRCROOT%' };
}

function invocation(reports: FileReport[], run: CheckRun, allowUnchecked: boolean) {
  const toolExecutionNotifications = reports
    .filter((r) => r.coverage !== 'full')
    .flatMap((r) =>
      r.notChecked.map((why) => ({
        descriptor: { id: r.coverage === 'none' ? 'not-checked' : 'partly-checked' },
        level: allowUnchecked ? 'warning' : 'error',
        message: { text: `${r.coverage === 'none' ? 'Not checked' : 'Partly checked'}: ${why}` },
        locations: [{ physicalLocation: { artifactLocation: artifactLocation(r.path) } }],
      })),
    );
  // Inputs that could not be read (a --crds file, the cluster file): the run failed, exit 2.
  const inputProblems = (run.problems ?? []).map((p) => ({
    descriptor: { id: 'input-error' },
    level: 'error',
    message: { text: `${p.path}: ${p.message}` },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(p.path) } }],
  }));
  toolExecutionNotifications.push(...inputProblems);
  const toolConfigurationNotifications = run.config
    ? [{ descriptor: { id: 'config' }, level: run.disabled ? 'error' : 'note', message: { text: `Settings from ${run.config}${run.disabled ? ', which disables every check (enable: false)' : ''}` }, locations: [{ physicalLocation: { artifactLocation: artifactLocation(run.config) } }] }]
    : [];
  // SARIF 2.1.0 section 3.20.14 and appendix I: executionSuccessful false says the tool ended with an
  // exit code that denotes failure, so the results are not complete: kdry's exit 1 for a file it
  // did not check (unless --allow-unchecked), or 2 for an input it could not read.
  const failed = toolExecutionNotifications.some((n) => n.level === 'error');
  return { executionSuccessful: !failed, toolExecutionNotifications, toolConfigurationNotifications };
}

function pascal(id: string): string {
  return id.replace(/(^|[-/])(\w)/g, (_, __, c: string) => c.toUpperCase());
}
