// The kdry/simulate request: pick a workload from the text, resolve the cluster and run the
// engine. Every failure comes back as `error`; nothing here throws to the client.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { simulate } from '../engine';
import { isRecord, parseManifest, type ManifestFile } from '../manifest';
import type { SimulateParams, SimulateResponse } from '../protocol';
import { loadCluster } from './engine-adapter';
import { uriToPath } from '../workspace';
import { rolloutBounds, workloadDocuments, type WorkloadDocument } from './workloads';

export const DEFAULT_CLUSTER_FILE = join('.kdry', 'cluster.yaml');

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
}

export function handleSimulate(params: SimulateParams, ctx: SimulateContext): SimulateResponse {
  try {
    return run(params, ctx);
  } catch (err) {
    return { workloads: [], error: `kdry could not simulate: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function run(params: SimulateParams, ctx: SimulateContext): SimulateResponse {
  const text = params.text ?? ctx.textOf(params.uri);
  if (text === undefined) return { workloads: [], error: `No text for ${params.uri}: open the file or pass its text.` };
  const file = ctx.fileOf(params.uri, text);
  const workloadDocs = workloadDocuments(file);
  const workloads = workloadDocs.map((d) => ({ kind: d.kind, name: d.name, offset: d.range[0] }));
  if (workloadDocs.length === 0) return { workloads, error: 'No workload (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob) with a name in this file.' };
  const chosen = pick(workloadDocs, params);
  if (!chosen) return { workloads, error: `No ${params.workload!.kind} named ${params.workload!.name} in this file.` };
  let before: unknown;
  if (params.beforeText !== undefined) {
    before = parseManifest(params.beforeText, params.uri).documents.find((d) => d.kind === chosen.kind && d.name === chosen.name)?.value;
  }
  const cluster = loadCluster(clusterPath(params.uri, ctx));
  if (cluster.error) return { workloads, error: cluster.error };
  const result = simulate({
    objects: file.documents.map((d) => d.value).filter(isRecord),
    workload: { kind: chosen.kind, name: chosen.name },
    before,
    nodes: cluster.nodes,
    clusterSource: cluster.source,
    strategy: params.strategy,
    strategyParams: params.strategyParams,
    faults: params.faults,
    windowSeconds: params.windowSeconds,
  });
  const bounds = rolloutBounds(chosen.value, params.strategy);
  return bounds ? { result, workloads, bounds } : { result, workloads };
}

function pick(docs: WorkloadDocument[], params: SimulateParams): WorkloadDocument | undefined {
  if (params.workload) return docs.find((d) => d.kind === params.workload!.kind && d.name === params.workload!.name);
  if (params.offset !== undefined) {
    const at = docs.find((d) => params.offset! >= d.range[0] && params.offset! <= d.range[1]);
    if (at) return at;
  }
  return docs[0];
}

/** kdry.clusterFile (relative to the workspace folder), else `.kdry/cluster.yaml` there, else none. */
export function clusterPath(uri: string, ctx: SimulateContext): string | undefined {
  if (!ctx.trusted) return undefined;
  const docPath = uriToPath(uri);
  const folder = ctx.folders.find((f) => docPath?.startsWith(f)) ?? ctx.folders[0] ?? (docPath ? dirname(docPath) : undefined);
  if (ctx.clusterFile) return isAbsolute(ctx.clusterFile) || !folder ? ctx.clusterFile : join(folder, ctx.clusterFile);
  if (!folder) return undefined;
  const candidate = join(folder, DEFAULT_CLUSTER_FILE);
  return existsSync(candidate) ? candidate : undefined;
}
