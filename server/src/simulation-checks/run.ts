// The simulation checks in three parts, so the engine part can run on another thread:
// 1. simulationJob (main thread, cheap): the workloads of the files asked about and of their
//    scopes, as plain data, with the cluster's nodes;
// 2. runSimulationJob (engine-job.ts; a worker thread in the editor);
// 3. simulationFindings (main thread, cheap): the verdicts read by the rules into findings on the
//    lines that cause them.
// `kdry check` and the tests run the three in a row (checkSimulations).
import { basename, dirname } from 'node:path';
import { isKubernetesObject, isRecord, type ManifestDocument, type ManifestFile } from '../manifest';
import { isSimulatedKind, type PlacedWorkload, type SimNode, type WorkloadVerdict } from '../engine';
import { runSimulationJob, type JobWorkload, type SimulationAnswer, type SimulationJob, type VerdictCache } from './engine-job';
import type { Finding } from '../findings';
import { placementOf, scopeIdOf } from '../scope/scope';
import { workloadRefTargetOf } from '../scope/workspace-lookup';
import { uriToPath, type IndexedDocument, type WorkspaceIndex } from '../workspace';
import type { ClusterInForce, ScopeNeighbour, SimulationRule } from './types';
import { customWorkloadRefusals } from '../crd/workload-refusal';

interface Located {
  uri: string;
  file: ManifestFile;
  doc: ManifestDocument;
}

/**
 * A workload document the engine can run: a simulated kind with a name, parsed without errors.
 * An Argo Rollout only with `rollouts` (the capacity report and the checks, once its schema accepts it).
 */
export function isWorkloadDocument(doc: ManifestDocument, rollouts = false): boolean {
  return !doc.templated && isRecord(doc.value) && isKubernetesObject(doc) && isSimulatedKind(doc.kind) && (rollouts || doc.kind !== 'Rollout') && !!doc.name && !doc.problems.some((p) => p.severity === 'error');
}

/** A Rollout whose pod template comes from another workload (`spec.workloadRef`): its verdict needs that one too. */
export function refersToWorkload(doc: ManifestDocument): boolean {
  return doc.kind === 'Rollout' && isRecord(doc.value) && isRecord(doc.value.spec) && doc.value.spec.workloadRef !== undefined;
}

/** The scope a workload is placed in: its innermost deployment unit, else its folder, else its file. */
export function scopeOf(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument): string {
  return scopeIdOf(placementOf(workspace, uri, doc));
}

const accepted = new WeakMap<ManifestDocument, { release: string; workspace: WorkspaceIndex; revision: number; ok: boolean }>();

/**
 * A workload the API server stores: an Argo Rollout its CRD's schema (or kdry's bundled one) rejects
 * in `release` is never created, so it gets no verdict (custom-resource reports why). Judged once
 * per document, release and workspace revision (an edit of the CRD changes the answer).
 */
function storedByApiServer(workspace: WorkspaceIndex, doc: ManifestDocument, release: string): boolean {
  if (doc.kind !== 'Rollout') return true;
  const known = accepted.get(doc);
  if (known && known.release === release && known.workspace === workspace && known.revision === workspace.revision) return known.ok;
  const ok = customWorkloadRefusals(doc, workspace, release).length === 0;
  accepted.set(doc, { release, workspace, revision: workspace.revision, ok });
  return ok;
}

export interface PreparedJob {
  job: SimulationJob;
  /** Where each workload key is written. */
  located: Map<string, Located>;
}

/** The cluster the engine runs on and the release it simulates (the schema checks' release in force). */
export interface EngineTarget {
  key: string;
  nodes: SimNode[];
  release: string;
}

/**
 * What a workload's answers are kept by (JobWorkload.source): by default its document's source; the
 * editor passes a key of the parsed object (lsp/simulation-reuse.ts inputKey), so an edit the engine
 * does not read (a comment, spacing, quoting) keeps the verdict.
 */
export type WorkloadIdentity = (doc: ManifestDocument) => string;

const bySource: WorkloadIdentity = (doc) => doc.source;

/**
 * A `workloadRef` Rollout's target (workloadRefTargetOf: in the Rollout's scope and namespace, as
 * rollout/templateref.go Resolve asks the lister): the document the verdict takes the template from.
 */
export function workloadRefTarget(workspace: WorkspaceIndex, uri: string, doc: ManifestDocument): IndexedDocument | undefined {
  return refersToWorkload(doc) ? workloadRefTargetOf(workspace, { uri, doc }) : undefined;
}

/**
 * The target as the engine gets it beside the Rollout's own text: in the namespace the Rollout is
 * written in. The scope model already put both in one namespace (a kustomization's `namespace` may
 * be what does it, which the raw texts do not show), and the engine compares the written ones.
 */
export function referencedForEngine(target: IndexedDocument, rollout: ManifestDocument, identify: WorkloadIdentity = bySource): NonNullable<JobWorkload['referenced']> {
  const object = target.doc.value as Record<string, unknown>;
  const namespace = rollout.namespace ?? '';
  // The target's own identity, as its own JobWorkload has it: placement finds the Deployment a Rollout scales to 0 by it.
  const source = identify(target.doc);
  if ((target.doc.namespace ?? '') === namespace) return { source, object };
  let byNamespace = inRolloutNamespace.get(object);
  if (!byNamespace) inRolloutNamespace.set(object, (byNamespace = new Map()));
  let moved = byNamespace.get(namespace);
  if (!moved) {
    const metadata: Record<string, unknown> = { ...(isRecord(object.metadata) ? object.metadata : {}) };
    if (namespace) metadata.namespace = namespace;
    else delete metadata.namespace;
    byNamespace.set(namespace, (moved = { ...object, metadata }));
  }
  return { source, object: moved };
}

/**
 * referencedForEngine's rewritten targets, by target object and the Rollout's namespace: the same
 * object every pass, so the runner's hash of it (workloadHash, kept by object) is computed once.
 */
const inRolloutNamespace = new WeakMap<object, Map<string, Record<string, unknown>>>();

/**
 * Part 1: the workloads of `uris` (files of the workspace) and every workload sharing a scope with
 * them, and the scopes with more than one workload, up to `maxWorkloads` (the files asked about
 * first). Patches and chart templates are not objects of their own and are left out.
 */
export function simulationJob(workspace: WorkspaceIndex, uris: readonly string[], target: EngineTarget, maxWorkloads = Infinity, identify: WorkloadIdentity = bySource): PreparedJob {
  const located = new Map<string, Located>();
  const wanted = new Set<string>();
  const scopes = new Map<string, string[]>();
  const asked = new Set(uris);
  const add = (uri: string, file: ManifestFile, doc: ManifestDocument) => {
    const key = `${uri}#${doc.index}`;
    if (located.has(key) || located.size >= maxWorkloads) return undefined;
    located.set(key, { uri, file, doc });
    const scope = scopeOf(workspace, uri, doc);
    const members = scopes.get(scope);
    if (members) members.push(key);
    else scopes.set(scope, [key]);
    return scope;
  };
  for (const uri of asked) {
    const file = workspace.get(uri);
    if (!file || workspace.isPatch(uri)) continue;
    for (const doc of file.documents) {
      if (!isWorkloadDocument(doc, true) || !storedByApiServer(workspace, doc, target.release)) continue;
      wanted.add(add(uri, file, doc) ?? scopeOf(workspace, uri, doc));
    }
  }
  // The other workloads of the same scopes: they share the nodes.
  if (wanted.size > 0) {
    for (const { uri, file, doc } of workspace.documents()) {
      if (asked.has(uri) || !isWorkloadDocument(doc, true)) continue;
      if (wanted.has(scopeOf(workspace, uri, doc)) && storedByApiServer(workspace, doc, target.release)) add(uri, file, doc);
    }
  }
  const job: SimulationJob = {
    clusterKey: target.key,
    nodes: target.nodes,
    release: target.release,
    workloads: [...located].map(([key, { uri, doc }]) => {
      const target = workloadRefTarget(workspace, uri, doc);
      return { key, source: identify(doc), object: doc.value as Record<string, unknown>, ...(target ? { referenced: referencedForEngine(target, doc, identify) } : {}) };
    }),
    scopes: [...scopes].filter(([id, members]) => wanted.has(id) && members.length > 1).map(([id, members]) => ({ id, members })),
  };
  return { job, located };
}

/**
 * Findings a caller kept from an earlier answer (the language server, between two answers): a
 * workload whose document, verdict and scope placement are the very same objects as then gets the
 * same findings, so an answer after one edit reads the rules for the changed workloads only.
 */
export interface WorkloadFindingsMemo {
  get(key: string, doc: ManifestDocument, verdict: WorkloadVerdict, placement: PlacedWorkload[] | undefined): Finding[] | undefined;
  set(key: string, doc: ManifestDocument, verdict: WorkloadVerdict, placement: PlacedWorkload[] | undefined, findings: Finding[]): void;
}

/** Part 3: the findings of one file from the answer (raw: settings and suppressions not applied). */
export function simulationFindings(uri: string, prepared: PreparedJob, answer: SimulationAnswer, cluster: ClusterInForce, rules: readonly SimulationRule[], workspace: WorkspaceIndex, memo?: WorkloadFindingsMemo): Finding[] {
  return simulationFindingsOf([uri], prepared, answer, cluster, rules, workspace, memo).get(uri) ?? [];
}

/**
 * The findings of each of `uris`, from one pass over the job's workloads: asked file by file,
 * each file's call walked every workload and listed each scope's members anew (`kdry check` on
 * 100 files of one folder: 100 walks of its 10,000 workloads).
 */
export function simulationFindingsOf(uris: readonly string[], prepared: PreparedJob, answer: SimulationAnswer, cluster: ClusterInForce, rules: readonly SimulationRule[], workspace: WorkspaceIndex, memo?: WorkloadFindingsMemo): Map<string, Finding[]> {
  const byUri = new Map<string, Finding[]>(uris.map((uri) => [uri, []]));
  const scopeOfKey = new Map<string, string>();
  for (const scope of prepared.job.scopes) for (const key of scope.members) scopeOfKey.set(key, scope.id);
  // Each member's share by key: a find per member costs n² on a scope of n workloads.
  const shares = new Map<PlacedWorkload[], Map<string, PlacedWorkload>>();
  const shareOf = (placement: PlacedWorkload[], key: string) => {
    let byKey = shares.get(placement);
    if (!byKey) shares.set(placement, (byKey = new Map(placement.map((p) => [p.key, p]))));
    return byKey.get(key);
  };
  // Every member of a scope as a neighbour, listed once per placement and shared by its workloads
  // (listing them anew per workload made one answer cost seconds on a 1,000-workload scope, on the
  // language server's main thread).
  const members = new Map<PlacedWorkload[], ScopeNeighbour[]>();
  const membersOf = (placement: PlacedWorkload[]) => {
    let all = members.get(placement);
    if (!all) members.set(placement, (all = neighbours(prepared, placement, answer.verdicts)));
    return all;
  };
  for (const [key, where] of prepared.located) {
    const findings = byUri.get(where.uri);
    if (!findings) continue;
    const verdict = answer.verdicts[key];
    if (!verdict) continue;
    const scopeId = scopeOfKey.get(key);
    const placement = scopeId !== undefined ? answer.placements[scopeId] : undefined;
    const kept = memo?.get(key, where.doc, verdict, placement);
    if (kept) {
      findings.push(...kept);
      continue;
    }
    const placed = placement && shareOf(placement, key);
    // The members are listed only once a rule reads them (a hostPort clash, crowding).
    const together = placed && placement ? { placed, get members() { return membersOf(placement); }, scope: describeScope(scopeId!, workspace) } : undefined;
    const own: Finding[] = [];
    for (const rule of rules) {
      if (!rule.kinds.includes(verdict.kind)) continue;
      try {
        for (const f of rule.findings({ file: where.file, doc: where.doc, verdict, cluster, together })) own.push({ ...f, severity: f.severity ?? rule.severity });
      } catch (err) {
        own.push({ ruleId: 'kdry-internal', severity: 'warning', range: [where.doc.range[0], where.doc.range[0]], message: `kdry's ${rule.id} check failed on this document (${err instanceof Error ? err.message : String(err)}); its findings are missing. Please report this.` });
      }
    }
    memo?.set(key, where.doc, verdict, placement, own);
    findings.push(...own);
  }
  return byUri;
}

function neighbours(prepared: PreparedJob, placement: PlacedWorkload[], verdicts: SimulationAnswer['verdicts']): ScopeNeighbour[] {
  const out: ScopeNeighbour[] = [];
  const names = new Map<string, string>();
  for (const placed of placement) {
    const where = prepared.located.get(placed.key);
    if (!where) continue;
    let file = names.get(where.uri);
    if (file === undefined) names.set(where.uri, (file = shortName(where.uri)));
    out.push({ kind: where.doc.kind ?? '', name: where.doc.name ?? '', file, uri: where.uri, doc: where.doc, placed, verdict: verdicts[placed.key] });
  }
  return out;
}

function shortName(uri: string): string {
  const path = uriToPath(uri);
  return path ? basename(path) : uri;
}

/** A scope as messages name it: `the kustomization in prod/`, `the folder apps/`, `the same file`. */
export function describeScope(id: string, workspace: WorkspaceIndex): string {
  if (workspace.get(id)) {
    const path = uriToPath(id);
    return path ? `the ${/Chart\.ya?ml$/.test(path) ? 'chart' : 'kustomization'} in ${basename(dirname(path))}/` : 'the same deployment unit';
  }
  return id.includes('://') ? 'the same file' : `the folder ${basename(id)}/`;
}

/** The three parts in a row, for `kdry check` and the tests: raw findings per uri. */
export function checkSimulations(workspace: WorkspaceIndex, uris: readonly string[], cluster: ClusterInForce & EngineTarget, rules: readonly SimulationRule[], cache?: VerdictCache): Map<string, Finding[]> {
  const prepared = simulationJob(workspace, uris, cluster);
  const answer = runSimulationJob(prepared.job, cache)!;
  return simulationFindingsOf(uris, prepared, answer, cluster, rules, workspace);
}
