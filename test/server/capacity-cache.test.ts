// lsp/capacity.ts keeps the whole workspace's answer for the workspace revision, release, folders and
// cluster: on the embedded default cluster (no cluster file) the second request is answered from it,
// without placing the workspace again in the worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifest } from '../../server/src/manifest';
import { WorkspaceIndex } from '../../server/src/workspace';
import { DEFAULT_CLUSTER } from '../../server/src/engine';
import { capacityOf } from '../../server/src/engine/capacity';
import { handleCapacity } from '../../server/src/lsp/capacity';
import type { SimulationRunner } from '../../server/src/lsp/simulation-runner';
import { container, deployment } from '../simulation-checks/manifests';

/** A runner placing in-process (as the worker does) and counting what it was asked to place. */
function countingRunner() {
  const asked: number[] = [];
  const runner = {
    capacity: async (input: Parameters<SimulationRunner['capacity']>[0]) => {
      asked.push(input.nodes.length);
      return { capacity: capacityOf(input.workloads, input.nodes, input.kubernetesVersion) ?? null };
    },
  } as unknown as SimulationRunner;
  return { runner, asked };
}

test('the whole workspace on the embedded cluster is placed once while nothing changed', async () => {
  const workspace = new WorkspaceIndex();
  const uri = 'file:///ws/app/api.yaml';
  workspace.set(parseManifest(deployment('api', container(''), '', 2), uri));
  // Untrusted: no cluster file is looked for, the embedded default cluster is in force.
  const ctx = { workspace, folders: [] as string[], trusted: false, clusterFile: '' };
  const { runner, asked } = countingRunner();
  const first = await handleCapacity({ uri, extent: 'workspace' }, ctx, runner);
  assert.equal(first.cluster?.source, 'the embedded default cluster', JSON.stringify(first));
  const second = await handleCapacity({ uri, extent: 'workspace' }, ctx, runner);
  assert.equal(second, first, 'the kept answer, not a new placement');
  assert.deepEqual(asked, [DEFAULT_CLUSTER.length]);
  // An edit (a new revision) is placed again.
  workspace.set(parseManifest(deployment('api', container(''), '', 3), uri));
  const edited = await handleCapacity({ uri, extent: 'workspace' }, ctx, runner);
  assert.notEqual(edited, first);
  assert.equal(asked.length, 2);
});
