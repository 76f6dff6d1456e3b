// The kdry/simulate request: pick a workload from the text, resolve the cluster and run the
// engine. Every failure comes back as `error`; nothing here throws to the client.
import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { chooseWorkload, findBeforeWorkload, simulate, SIMULATED_KINDS } from '../engine';
import { isRecord, parseManifest, type ManifestFile } from '../manifest';
import type { SimulateParams, SimulateResponse } from '../protocol/requests';
import { loadCluster } from './engine-adapter';
import { isBelow, uriToPath } from '../workspace';
import { rolloutBounds, workloadDocuments } from './workloads';

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

export async function handleSimulate(params: SimulateParams, ctx: SimulateContext): Promise<SimulateResponse> {
  try {
    return await run(params, ctx);
  } catch (err) {
    return { workloads: [], error: `kdry could not simulate: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function run(params: SimulateParams, ctx: SimulateContext): Promise<SimulateResponse> {
  const text = params.text ?? ctx.textOf(params.uri);
  if (text === undefined) return { workloads: [], error: `No text for ${params.uri}: open the file or pass its text.` };
  const file = ctx.fileOf(params.uri, text);
  const workloadDocs = workloadDocuments(file);
  const workloads = workloadDocs.map((d) => ({ kind: d.kind, name: d.name, offset: d.range[0] }));
  if (workloadDocs.length === 0) return { workloads, error: `No workload (${SIMULATED_KINDS.join(', ')}) with a name in this file.` };
  const { offset } = params;
  const atOffset = offset === undefined ? undefined : (d: (typeof workloadDocs)[number]) => offset >= d.range[0] && offset <= d.range[1];
  const chosen = chooseWorkload(workloadDocs, params.workload, atOffset);
  if (!chosen) return { workloads, error: `No ${params.workload!.kind} named ${params.workload!.name} in this file.` };
  const before = params.beforeText === undefined ? undefined : findBeforeWorkload(parseManifest(params.beforeText, params.uri).documents.map((d) => d.value), chosen);
  const where = await clusterPath(params.uri, ctx);
  const cluster = await loadCluster(where?.path, where?.root);
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

/**
 * kdry.clusterFile (relative to the workspace folder), else `.kdry/cluster.yaml` there, else none.
 * A file named relative to the folder, or found there, must stay inside it (`root`, real path):
 * the repository decides what `.kdry/cluster.yaml` is, and may make it a link to anywhere.
 */
export async function clusterPath(uri: string, ctx: SimulateContext): Promise<{ path: string; root?: string } | undefined> {
  if (!ctx.trusted) return undefined;
  const docPath = uriToPath(uri);
  // By path segments: a file under /ws/app2 is not inside the folder /ws/app.
  const folder = ctx.folders.find((f) => docPath !== undefined && isBelow(docPath, f)) ?? ctx.folders[0] ?? (docPath ? dirname(docPath) : undefined);
  if (ctx.clusterFile && (isAbsolute(ctx.clusterFile) || !folder)) return { path: ctx.clusterFile };
  if (!folder) return undefined;
  const root = await fs.realpath(folder).catch(() => folder);
  if (ctx.clusterFile) return { path: join(folder, ctx.clusterFile), root };
  const candidate = join(folder, DEFAULT_CLUSTER_FILE);
  // lstat: a link that points nowhere (or anywhere) is still the repository's cluster file, reported as such.
  return (await fs.lstat(candidate).then(() => true, () => false)) ? { path: candidate, root } : undefined;
}
