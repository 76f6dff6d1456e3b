// Runs the simulation checks over files of a small workspace on a chosen cluster, as `kdry check` does.
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { DEFAULT_CLUSTER, parseClusterText, type SimNode } from '../../server/src/engine';
import { checkSimulations, hashText, SIMULATION_RULES } from '../../server/src/simulation-checks';
import { applyTextEdits } from '../../server/src/rules';
import { DEFAULT_KUBERNETES_VERSION } from '../../server/src/settings';
import { fixesOf, type Finding } from '../../server/src/findings';

export interface Checked {
  text: string;
  findings: Finding[];
  /** The text each finding sits on. */
  at(f: Finding): string;
}

/** Findings of the first file (`files[0]`; others share its folder unless their name has a folder). */
export function simulate(files: string[] | string, nodes: SimNode[] = DEFAULT_CLUSTER, ruleId?: string, release = DEFAULT_KUBERNETES_VERSION): Checked {
  const list = typeof files === 'string' ? [files] : files;
  const workspace = new WorkspaceIndex();
  const parsed = list.map((text, i) => parseManifest(text, `file:///ws/app/file-${i}.yaml`));
  for (const f of parsed) workspace.set(f);
  const cluster = { key: hashText(JSON.stringify(nodes)), nodes, release, source: nodes === DEFAULT_CLUSTER ? 'the embedded default cluster' : 'the cluster in nodes.yaml', nodeCount: nodes.length };
  const found = checkSimulations(workspace, [parsed[0].uri], cluster, SIMULATION_RULES).get(parsed[0].uri) ?? [];
  const text = list[0];
  return { text, findings: ruleId ? found.filter((f) => f.ruleId === ruleId) : found, at: (f) => text.slice(f.range[0], f.range[1]) };
}

/** The text after the finding's preferred fix. */
export function fixed(checked: Checked, f: Finding): string {
  const fix = fixesOf(f).find((x) => x.preferred) ?? fixesOf(f)[0];
  if (!fix) throw new Error(`no fix on ${f.ruleId}: ${f.message}`);
  return applyTextEdits(checked.text, fix.edits);
}

/** Nodes as a cluster file writes them. */
export function nodes(yaml: string): SimNode[] {
  const loaded = parseClusterText(yaml, 'nodes.yaml');
  if (loaded.errors.length) throw new Error(loaded.errors.join('; '));
  return loaded.nodes;
}

export function node(name: string, cpu: string, memory = '16Gi', extra = ''): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    kubernetes.io/hostname: ${name}
${extra}status:
  allocatable:
    cpu: "${cpu}"
    memory: ${memory}
    pods: "110"
---
`;
}
