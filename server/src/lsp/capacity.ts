// The kdry/capacity request: the workloads sharing the file's scope (its kustomization or chart,
// else its folder, as the simulation checks group them), or every workload of the workspace (as
// `kdry capacity` of the workspace folder places them), placed together on the cluster in force,
// in the simulation runner's worker thread (engine/capacity.ts). Every failure comes back as
// `error`; nothing here throws to the client.
import { basename, relative } from 'node:path';
import type { CancellationToken } from 'vscode-languageserver';
import { describeScope, workloadsInScopeOf, workloadsOfFiles, type ScopeWorkloads } from '../simulation-checks';
import { loadCluster, type ResolvedCluster } from '../workspace/cluster-file';
import { isBelow, uriToPath, type WorkspaceIndex } from '../workspace';
import type { CapacityParams, CapacityResponse } from '../protocol/requests';
import { clusterPath, type SimulateContext } from './simulate';
import { shownClusterFile } from './simulation-checks-runner';
import type { SimulationRunner } from './simulation-runner';

export interface CapacityContext extends Pick<SimulateContext, 'clusterFile' | 'folders' | 'trusted'> {
  workspace: WorkspaceIndex;
  /** The release in force for the file (lsp/kubernetes-version.ts). */
  release?: string;
}

/**
 * The whole workspace's answer, kept for the workspace revision, release, folders and cluster it
 * was placed for: each Dry-run refresh asks again, and nothing that changes it has changed when those have not.
 */
interface WorkspaceAnswer {
  workspace: WorkspaceIndex;
  revision: number;
  release?: string;
  folders: string;
  clusterPath?: string;
  cluster: ResolvedCluster;
  response: CapacityResponse;
}
let lastWorkspaceAnswer: WorkspaceAnswer | undefined;

export async function handleCapacity(params: CapacityParams, ctx: CapacityContext, runner: SimulationRunner, token?: CancellationToken): Promise<CapacityResponse> {
  try {
    // loadCluster answers the same object while the cluster file is unchanged (and for the embedded cluster)
    const where = await clusterPath(params.uri, ctx);
    // A file's scope reads the cluster only once it has a workload to place
    if (params.extent !== 'workspace') return await placeScope(params, ctx, runner, where, () => loadCluster(where?.path, where?.root), token);
    const cluster = await loadCluster(where?.path, where?.root);
    const key = { workspace: ctx.workspace, revision: ctx.workspace.revision, release: ctx.release, folders: ctx.folders.join('\n'), clusterPath: where?.path, cluster };
    const last = lastWorkspaceAnswer;
    if (last && (Object.keys(key) as (keyof typeof key)[]).every((k) => last[k] === key[k])) return last.response;
    const response = await placeScope(params, ctx, runner, where, async () => cluster, token);
    if (!response.error) lastWorkspaceAnswer = { ...key, response };
    return response;
  } catch (err) {
    return { written: {}, error: `kdry could not place the scope: ${err instanceof Error ? err.message : String(err)}` };
  }
}

type ClusterWhere = Awaited<ReturnType<typeof clusterPath>>;

/** Places the file's scope, or the whole workspace, in the runner's worker, on the cluster found `where`. */
async function placeScope(params: CapacityParams, ctx: CapacityContext, runner: SimulationRunner, where: ClusterWhere, readCluster: () => Promise<ResolvedCluster>, token?: CancellationToken): Promise<CapacityResponse> {
  const whole = params.extent === 'workspace';
  const { scopes, workloads, refused: rejected } = whole ? { scopes: [], ...workspaceWorkloads(ctx) } : workloadsInScopeOf(ctx.workspace, params.uri, ctx.release);
  // Across the workspace two folders may hold an api.yaml: the path below the folder tells them apart.
  const shown = (uri: string) => (whole ? shownPath(uri, ctx.folders) : fileName(uri));
  const refused = rejected.map((r) => ({ kind: r.kind, name: r.name, file: shown(r.uri), errors: r.errors }));
  const extent = whole ? ({ extent: 'workspace' } as const) : {};
  if (workloads.length === 0) return { written: {}, ...extent, ...(refused.length ? { refused } : {}) };
  const written = Object.fromEntries(workloads.map((w) => [w.key, shown(w.uri)]));
  const cluster = await readCluster();
  if (cluster.error) return { written, error: cluster.error };
  const answer = await runner.capacity({ workloads: workloads.map((w) => ({ key: w.key, object: w.object })), nodes: cluster.nodes, kubernetesVersion: ctx.release }, token);
  if ('error' in answer) return { written, error: answer.error };
  if (!answer.capacity) return { written, error: 'This scope asks for more pods than kdry places (20,000).' };
  const scope = whole ? 'the whole workspace' : scopes.length === 1 ? describeScope(scopes[0], ctx.workspace) : `${scopes.length} scopes`;
  return { ...extent, ...(refused.length ? { refused } : {}), report: answer.capacity, cluster: { source: where ? `the cluster in ${shownClusterFile(where.path, ctx.folders)}` : 'the embedded default cluster', nodes: cluster.nodes.length }, written, scope };
}

/**
 * Every workload of the files in the workspace folders (all files known, without folders), in
 * path order as `kdry capacity DIR` reads them; patches and chart templates left out.
 */
function workspaceWorkloads(ctx: CapacityContext): ScopeWorkloads {
  const inFolders = (uri: string) => {
    const path = uriToPath(uri);
    return ctx.folders.length === 0 || (path !== undefined && ctx.folders.some((f) => isBelow(path, f)));
  };
  return workloadsOfFiles(ctx.workspace, ctx.workspace.uris().filter(inFolders).sort(), ctx.release);
}

function shownPath(uri: string, folders: readonly string[]): string {
  const path = uriToPath(uri);
  const folder = path && folders.find((f) => isBelow(path, f));
  return path && folder ? relative(folder, path) : fileName(uri);
}

function fileName(uri: string): string {
  const path = uriToPath(uri);
  return path ? basename(path) : uri;
}
