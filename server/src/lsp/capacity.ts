// The kdry/capacity request: the workloads sharing the file's scope (its kustomization or chart,
// else its folder, as the simulation checks group them) placed together on the cluster in force,
// in the simulation runner's worker thread (engine/capacity.ts). Every failure comes back as
// `error`; nothing here throws to the client.
import { basename } from 'node:path';
import type { CancellationToken } from 'vscode-languageserver';
import { describeScope, workloadsInScopeOf } from '../simulation-checks';
import { loadCluster } from '../workspace/cluster-file';
import { uriToPath, type WorkspaceIndex } from '../workspace';
import type { CapacityParams, CapacityResponse } from '../protocol/requests';
import { clusterPath, type SimulateContext } from './simulate';
import { shownClusterFile } from './simulation-checks-runner';
import type { SimulationRunner } from './simulation-runner';

export interface CapacityContext extends Pick<SimulateContext, 'clusterFile' | 'folders' | 'trusted'> {
  workspace: WorkspaceIndex;
  /** The release in force for the file (lsp/kubernetes-version.ts). */
  release?: string;
}

export async function handleCapacity(params: CapacityParams, ctx: CapacityContext, runner: SimulationRunner, token?: CancellationToken): Promise<CapacityResponse> {
  try {
    const { scopes, workloads, refused: rejected } = workloadsInScopeOf(ctx.workspace, params.uri);
    const refused = rejected.map((r) => ({ kind: r.kind, name: r.name, file: fileName(r.uri), errors: r.errors }));
    if (workloads.length === 0) return { written: {}, ...(refused.length ? { refused } : {}) };
    const written = Object.fromEntries(workloads.map((w) => [w.key, fileName(w.uri)]));
    const where = await clusterPath(params.uri, ctx);
    const cluster = await loadCluster(where?.path, where?.root);
    if (cluster.error) return { written, error: cluster.error };
    const answer = await runner.capacity({ workloads: workloads.map((w) => ({ key: w.key, object: w.object })), nodes: cluster.nodes, kubernetesVersion: ctx.release }, token);
    if ('error' in answer) return { written, error: answer.error };
    if (!answer.capacity) return { written, error: 'This scope asks for more pods than kdry places (20,000).' };
    const scope = scopes.length === 1 ? describeScope(scopes[0], ctx.workspace) : `${scopes.length} scopes`;
    return { ...(refused.length ? { refused } : {}), report: answer.capacity, cluster: { source: where ? `the cluster in ${shownClusterFile(where.path, ctx.folders)}` : 'the embedded default cluster', nodes: cluster.nodes.length }, written, scope };
  } catch (err) {
    return { written: {}, error: `kdry could not place the scope: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function fileName(uri: string): string {
  const path = uriToPath(uri);
  return path ? basename(path) : uri;
}
