// The simulation-backed rules' part of docs/rules.md (`kdry rules --format markdown`), rendered
// from the rules' own metadata, with what the rule reports on its example on the embedded default
// cluster, so it cannot drift from the code.
import { DEFAULT_CLUSTER } from '../engine';
import { DEFAULT_ENGINE_RELEASE } from '../engine/release-behaviour';
import { parseManifest } from '../manifest';
import { WorkspaceIndex } from '../workspace';
import { checkSimulations } from './run';
import { fixesOf } from '../findings';
import { SIMULATION_RULES } from './index';
import type { SimulationRule } from './types';
import { simulationRuleExample } from './fixture-files';

export function simulationRulesDoc(rules: readonly SimulationRule[] = SIMULATION_RULES): string {
  const out: string[] = [
    '',
    '# Simulation-backed rules',
    '',
    "These rules run each workload through kdry's engine (the controllers and kube-scheduler) on the cluster in force: `--cluster FILE` for `kdry check`, else `clusterFile` in `.kdry/config.yaml` (the editor's `kdry.clusterFile`), else `.kdry/cluster.yaml` in the project folder (the folder holding `.kdry/`, as the editor looks in the workspace folder), else the embedded default cluster (a tainted control-plane node and three 4-CPU, 16 GiB workers). The engine simulates the Kubernetes release the schema checks use (the release in force: `kdry.kubernetesVersion` or `--kubernetes-version`, else `kubernetesVersion` in the config, else the cluster file's newest kubelet, else the newest bundled release), so what differs by release follows it: a sidecar before 1.29 is an ordinary init container, a Job another controller manages (`managedBy`) is left to it from 1.32, a StatefulSet's `maxUnavailable` counts from 1.35. The workloads of one scope (a kustomization or chart, else a folder) are also placed together, since clashes exist only between workloads. Messages quote the scheduler and the controllers in their own words. In the editor they run on a worker thread once typing pauses (300 ms), never on the typing path, for the open files and the workloads that share their scope; a newer edit cancels a run, and each workload is simulated again only when what the engine reads of it (its parsed object: not a comment, spacing or quoting), the cluster or the release changed. `kdry.simulationChecks: false` (`simulationChecks: false` in `.kdry/config.yaml`, or `kdry check --no-simulation`) turns them all off, and `kdry.rules` sets each one like any rule.",
    '',
    '| Rule | Severity | Title |',
    '| --- | --- | --- |',
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${r.title} |`),
    '',
  ];
  for (const r of rules) out.push(...section(r));
  return out.join('\n');
}

function section(r: SimulationRule): string[] {
  const lines = [`## ${r.id}`, '', `**${r.title}**`, '', `- Severity: ${r.severity}`, `- Applies to: ${r.kinds.map((k) => `\`${k}\``).join(', ')}`, '- Runs the engine on the cluster in force'];
  lines.push('', '### What Kubernetes does', '', r.description, '', '### How to fix it', '', r.remediation, '');
  const example = simulationRuleExample(r.id);
  lines.push('### Example', '', '```yaml', example.trimEnd(), '```', '');
  const workspace = new WorkspaceIndex();
  const file = parseManifest(example, 'file:///example/example.yaml');
  workspace.set(file);
  const cluster = { key: 'embedded', nodes: DEFAULT_CLUSTER, release: DEFAULT_ENGINE_RELEASE, source: 'the embedded default cluster', nodeCount: DEFAULT_CLUSTER.length };
  const findings = checkSimulations(workspace, [file.uri], cluster, [r]).get(file.uri) ?? [];
  if (findings.length) {
    lines.push('kdry reports, on the embedded default cluster:', '');
    for (const f of findings) {
      lines.push(`- on \`${example.slice(f.range[0], f.range[1])}\` (${f.severity ?? r.severity}): ${f.message}`);
      for (const fix of fixesOf(f)) lines.push(`  - quick-fix: ${fix.title}${fix.preferred ? ' (preferred)' : ''}`);
    }
    lines.push('');
  }
  return lines;
}
