// `kdry check`: the editor's checks (YAML, schema, every rule) over files, folders and globs.
import { parseManifest } from '../manifest';
import { WorkspaceIndex } from '../workspace';
import { checkFile } from '../check';
import { upgradeFindings } from './upgrade-report';
import type { KdrySettings } from '../settings';
import { ALL_RULES } from '../rules';
import { kustomizationsAround, readInputs, type InputProblem } from './inputs';
import { placeFindings, countBySeverity, type FileReport } from './report';
import { formatStylish } from './format/stylish';
import { formatJson } from './format/json';
import { formatSarif, type RuleDescriptor } from './format/sarif';
import type { Command } from './args';

export interface CheckIo {
  cwd: string;
  stdin: () => string;
  out: (s: string) => void;
  err: (s: string) => void;
  color: boolean;
  version: string;
}

export async function runCheck(cmd: Extract<Command, { name: 'check' }>, settings: KdrySettings, io: CheckIo): Promise<number> {
  const { files, problems } = await readInputs(cmd.inputs, io.cwd, io.stdin);
  reportInputProblems(problems, io);
  if (files.length === 0 && problems.length > 0) return 2;

  const effective: KdrySettings = { ...settings, ...(cmd.schema ? {} : { schemaValidation: false }), ...(cmd.kubernetesVersion ? { kubernetesVersion: cmd.kubernetesVersion } : {}) };
  // Parse everything first: cross-document rules (Service <-> workload) see every file given.
  const workspace = new WorkspaceIndex();
  const parsed = files.map((f) => {
    const manifest = parseManifest(f.text, f.uri);
    workspace.set(manifest);
    return { input: f, manifest };
  });
  // CustomResourceDefinitions from --crds and `crds:` judge custom resources; they are not checked themselves.
  const crds = await readInputs(cmd.crds, io.cwd, io.stdin);
  reportInputProblems(crds.problems, io);
  problems.push(...crds.problems);
  for (const f of crds.files) if (!workspace.get(f.uri)) workspace.set(parseManifest(f.text, f.uri));
  // A file given alone is still a patch when a kustomization beside or above it says so.
  for (const kustomization of kustomizationsAround(files, io.cwd)) workspace.set(parseManifest(kustomization.text, kustomization.uri));
  const upgraded: KdrySettings | undefined = cmd.upgradeTo ? { ...effective, kubernetesVersion: cmd.upgradeTo } : undefined;
  const reports: FileReport[] = parsed.map(({ input, manifest }) => {
    const findings = checkFile(manifest, workspace, effective);
    return placeFindings(input, upgraded ? upgradeFindings(findings, checkFile(manifest, workspace, upgraded)) : findings);
  });
  if (upgraded && cmd.format === 'stylish') {
    io.out(`Upgrade from Kubernetes ${effective.kubernetesVersion} to ${upgraded.kubernetesVersion}: what ${upgraded.kubernetesVersion} reports that ${effective.kubernetesVersion} does not.\n`);
  }

  io.out(
    cmd.format === 'json'
      ? formatJson(reports)
      : cmd.format === 'sarif'
        ? formatSarif(reports, ruleDescriptors(reports), io.version)
        : formatStylish(reports, io.color),
  );

  const counts = countBySeverity(reports);
  if (counts.error > 0) return 1;
  if (cmd.maxWarnings !== undefined && cmd.maxWarnings >= 0 && counts.warning > cmd.maxWarnings) {
    io.err(`kdry: too many warnings (${counts.warning}); the maximum allowed is ${cmd.maxWarnings}.\n`);
    return 1;
  }
  return problems.length > 0 ? 2 : 0;
}

function reportInputProblems(problems: InputProblem[], io: CheckIo): void {
  for (const p of problems) io.err(`kdry: ${p.path}: ${p.message}\n`);
}

/** Every rule's metadata, plus descriptors for built-in checks (YAML, schema) that produced findings. */
function ruleDescriptors(reports: FileReport[]): RuleDescriptor[] {
  const rules: RuleDescriptor[] = ALL_RULES.map((r) => ({ id: r.id, title: r.title, description: r.description, remediation: r.remediation, severity: r.severity }));
  const known = new Set(rules.map((r) => r.id));
  for (const report of reports)
    for (const f of report.findings)
      if (!known.has(f.ruleId)) {
        known.add(f.ruleId);
        rules.push({ id: f.ruleId, title: BUILTIN_TITLES[f.ruleId] ?? f.ruleId, description: BUILTIN_TITLES[f.ruleId] ?? f.ruleId, severity: 'error' });
      }
  return rules;
}

const BUILTIN_TITLES: Record<string, string> = {
  schema: 'The document does not match the API schema of its kind in the target Kubernetes release; the API server rejects it.',
  yaml: 'The file is not valid YAML; kubectl cannot read it.',
};
