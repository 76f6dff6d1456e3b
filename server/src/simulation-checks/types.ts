// The contract of a simulation-backed rule: data (id, title, docs, severity; fixtures are data files, fixture-files.ts) plus a
// function from what the engine found for one workload (engine/workload-verdict.ts) and for its
// scope placed together (engine/place-together.ts) to findings on the lines that cause it. The
// engine runs elsewhere (in the language server, on a worker thread); a rule only reads verdicts.
import type { ManifestDocument, ManifestFile } from '../manifest';
import type { PlacedWorkload, WorkloadVerdict } from '../engine';
import type { Finding, Severity } from '../findings';

/** The cluster the workloads were simulated on, as the messages name it. */
export interface ClusterInForce {
  /** As a message names it: `the embedded default cluster`, `the cluster in .kdry/cluster.yaml`. */
  source: string;
  nodeCount: number;
}

/** Another workload of the same scope, as a placement finding names it. */
export interface ScopeNeighbour {
  kind: string;
  name: string;
  /** Where it is written, for the message (`node-agent.yaml`). */
  file: string;
  /** The file's uri (an order-free tie-break: the document index moves when documents are reordered). */
  uri?: string;
  doc: ManifestDocument;
  placed?: PlacedWorkload;
  /** What the engine found for it alone (does every pod fit without the others?). */
  verdict?: WorkloadVerdict;
}

export interface SimulationRuleContext {
  file: ManifestFile;
  doc: ManifestDocument;
  verdict: WorkloadVerdict;
  cluster: ClusterInForce;
  /**
   * The scope placed together: this workload's share and every member's, this workload included
   * (`placed` is its own entry's). One list per scope, shared by its workloads: a rule that
   * filters it per workload costs n² on a scope of n workloads.
   */
  together?: { placed: PlacedWorkload; members: readonly ScopeNeighbour[]; scope: string };
}

export interface SimulationRule {
  id: string;
  title: string;
  severity: Severity;
  /** What Kubernetes does with such a manifest, and why it matters (Markdown). */
  description: string;
  /** How to fix it (Markdown). */
  remediation: string;
  /** The kinds whose documents it judges. */
  kinds: string[];
  findings(ctx: SimulationRuleContext): Finding[];
}
