// The kdry/simulate request: pick a workload from the text, resolve the cluster and run the
// engine in a worker (simulation-runner.ts). Every failure comes back as `error`; nothing here
// throws to the client.
import { dirname, isAbsolute } from 'node:path';
import type { CancellationToken } from 'vscode-languageserver';
import { chooseWorkload, findBeforeWorkload, SIMULATED_KINDS, type SimulateOptions } from '../engine';
import { isRecord, parseManifest, type ManifestDocument, type ManifestFile } from '../manifest';
import type { RolloutBounds, SimulateParams, SimulatePodsParams, SimulatePodsResponse, SimulateResponse, WorkloadRef } from '../protocol/requests';
import type { SimulationRunner } from './simulation-runner';
import { clusterFileIn, loadCluster } from '../workspace/cluster-file';
import { isBelow, uriToPath } from '../workspace';
import { rolloutBounds, workloadDocuments } from './workloads';

export interface SimulateContext {
  /** The server's copy of the document (open buffer or scanned file). */
  textOf(uri: string): string | undefined;
  /** The parsed file for this text: the server's cached parse when it is the open buffer's. */
  fileOf(uri: string, text: string): ManifestFile;
  /** kdry.clusterFile ('' = not set). */
  clusterFile: string;
  /** Workspace folder paths, for relative cluster files and `.kdry/cluster.yaml`. */
  folders: string[];
  /** Restricted mode: do not read cluster files from the workspace. */
  trusted: boolean;
  /** The release in force for the document (lsp/kubernetes-version.ts): the one the engine simulates. */
  release?: { version: string; reason: string };
  /** Objects of other files in scope that act on the workload (its HPA, the PDBs selecting its pods, its namespace's policies). */
  actingOn?(uri: string, workload: ManifestDocument, kustomization?: string): unknown[];
  /**
   * An object of the file as its kustomization builds it (namespace, names, labels, replicas:
   * scope/kustomize-build.ts); with `kustomization` (a uri), as that one (an overlay) builds it.
   */
  built?(uri: string, value: unknown, kustomization?: string): unknown;
  /**
   * The workload as `built` gives it, built once; or why there is nothing to run: the build
   * deletes it (`$patch: delete`), or `kustomization` is no kustomization that builds the file.
   */
  builtWorkload?(uri: string, value: unknown, kustomization?: string): { value: unknown } | { error: string };
  /** For a file that names no workload itself (a JSON 6902 patch): the file of the object to run, and the kustomization whose build runs it (`kustomization`, when asked for). */
  subjectOf?(uri: string, workload?: WorkloadRef, kustomization?: string): { uri: string; kustomization: string } | undefined;
  /** What the API server refuses a custom workload with by its CRD schema (an Argo Rollout): shown instead of a run. */
  refusals?(workload: ManifestDocument): SimulateOptions['refusals'];
}

/**
 * Answers kdry/simulate: the workload is chosen and the inputs read here (cheap, the server's
 * cached parse), the engine runs in the runner's worker thread (bounded, cancellable).
 */
export async function handleSimulate(params: SimulateParams, ctx: SimulateContext, runner: SimulationRunner, token?: CancellationToken): Promise<SimulateResponse> {
  try {
    const prepared = await prepare(params, ctx);
    if ('response' in prepared) return prepared.response;
    const { options, workloads, bounds } = prepared;
    const answer = await runner.run(options, token, params.podWindow);
    if ('error' in answer) return { workloads, error: answer.error };
    return { result: answer.result, workloads, ...(bounds ? { bounds } : {}), ...(answer.paging ? { paging: answer.paging } : {}) };
  } catch (err) {
    return { workloads: [], error: `kdry could not simulate: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Answers kdry/simulatePods: a page of a paged run's pods (pod-paging.ts), from the worker that keeps the run. */
export async function handleSimulatePods(params: SimulatePodsParams, runner: SimulationRunner, token?: CancellationToken): Promise<SimulatePodsResponse> {
  const answer = await runner.pods(params, token);
  return 'error' in answer ? { error: answer.error } : answer.pods;
}

type Prepared = { response: SimulateResponse } | { options: SimulateOptions; workloads: SimulateResponse['workloads']; bounds?: RolloutBounds };

async function prepare(given: SimulateParams, ctx: SimulateContext): Promise<Prepared> {
  const subject = ctx.subjectOf?.(given.uri, given.workload, given.kustomization);
  const params: SimulateParams = subject ? { ...given, uri: subject.uri, text: undefined, offset: undefined, kustomization: subject.kustomization } : given;
  const text = params.text ?? ctx.textOf(params.uri);
  if (text === undefined) return { response: { workloads: [], error: `No text for ${params.uri}: open the file or pass its text.` } };
  const file = ctx.fileOf(params.uri, text);
  const workloadDocs = workloadDocuments(file);
  const workloads = workloadDocs.map((d) => ({ kind: d.kind, name: d.name, offset: d.range[0] }));
  if (workloadDocs.length === 0) return { response: { workloads, error: `No workload (${SIMULATED_KINDS.join(', ')}) with a name in this file.` } };
  const { offset } = params;
  const atOffset = offset === undefined ? undefined : (d: (typeof workloadDocs)[number]) => offset >= d.range[0] && offset <= d.range[1];
  const chosen = chooseWorkload(workloadDocs, params.workload, atOffset);
  if (!chosen) return { response: { workloads, error: `No ${params.workload!.kind} named ${params.workload!.name} in this file.` } };
  const before = params.beforeText === undefined ? undefined : findBeforeWorkload(parseManifest(params.beforeText, params.uri).documents.map((d) => d.value), chosen);
  const where = await clusterPath(params.uri, ctx);
  const cluster = await loadCluster(where?.path, where?.root);
  if (cluster.error) return { response: { workloads, error: cluster.error } };
  const build = <T>(value: T): T => (ctx.built ? (ctx.built(params.uri, value, params.kustomization) as T) : value);
  const own = ctx.builtWorkload ? ctx.builtWorkload(params.uri, chosen.value, params.kustomization) : { value: build(chosen.value) };
  if ('error' in own) return { response: { workloads, error: own.error } };
  const workload = own.value as Record<string, unknown>;
  const options: SimulateOptions = {
    objects: [...file.documents.map((d) => d.value).filter(isRecord).map((v) => (v === chosen.value ? workload : build(v))), ...(ctx.actingOn?.(params.uri, chosen, params.kustomization) ?? [])],
    workload: { kind: chosen.kind, name: nameOf(workload) ?? chosen.name },
    before: before && build(before),
    nodes: cluster.nodes,
    clusterSource: cluster.source,
    strategy: params.strategy,
    strategyParams: params.strategyParams,
    faults: params.faults,
    then: params.then,
    windowSeconds: params.windowSeconds,
    kubernetesVersion: ctx.release?.version,
    kubernetesVersionReason: ctx.release?.reason,
    refusals: ctx.refusals?.(chosen),
    // the view's runs are paged (pod-paging.ts): pods as changes from the first step on, whatever the run's size
    ...(params.podWindow !== undefined ? { snapshotMode: 'delta' as const } : {}),
  };
  return { options, workloads, bounds: rolloutBounds(workload, params.strategy) };
}

function nameOf(object: Record<string, unknown>): string | undefined {
  return isRecord(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : undefined;
}

/**
 * kdry.clusterFile (relative to the workspace folder), else `.kdry/cluster.yaml` there, else none
 * (clusterFileIn, which `kdry check` shares), in the folder that holds the document.
 */
export async function clusterPath(uri: string, ctx: Pick<SimulateContext, 'trusted' | 'folders' | 'clusterFile'>): Promise<{ path: string; root?: string } | undefined> {
  if (!ctx.trusted) return undefined;
  const docPath = uriToPath(uri);
  // By path segments: a file under /ws/app2 is not inside the folder /ws/app.
  const folder = ctx.folders.find((f) => docPath !== undefined && isBelow(docPath, f)) ?? ctx.folders[0] ?? (docPath ? dirname(docPath) : undefined);
  if (ctx.clusterFile && (isAbsolute(ctx.clusterFile) || !folder)) return { path: ctx.clusterFile };
  return folder ? clusterFileIn(folder, ctx.clusterFile) : undefined;
}
