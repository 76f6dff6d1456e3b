// `kdry capacity [DIR]`: every long-running workload found placed together on the cluster in force
// (engine/capacity.ts), as text or JSON. Exit 1 when some pod fits on no node.
import { parseManifest } from '../manifest';
import { capacityOf, MAX_PLACED_PODS } from '../engine';
import { WorkspaceIndex } from '../workspace';
import { isKustomization } from '../workspace/kustomize';
import { workloadsOfFiles } from '../simulation-checks';
import { kustomizationsAround, readInputs } from './inputs';
import { clusterFileInForce, shownPath, simulationCluster } from './cluster-in-force';
import { loadCluster } from '../workspace/cluster-file';
import { reportInputProblems, type CheckIo } from './check-command';
import { crdSourcesOf, readCrdSources } from './crd-sources';
import { formatCapacityText, type CapacityOutput } from './format/capacity-text';
import { stringifyJson } from './format/escape';
import { releaseForCommand, type LoadedSettings } from './config';
import type { Command } from './args';

export async function runCapacity(cmd: Extract<Command, { name: 'capacity' }>, loaded: LoadedSettings, io: CheckIo): Promise<number> {
  const { files, skipped, problems } = await readInputs(cmd.inputs, io.cwd, io.stdin);
  reportInputProblems(problems, io);
  for (const s of skipped) io.err(`kdry: ${s.path}: not read (${s.reason})\n`);
  if (files.length === 0 && problems.length > 0) return 2;
  const where = await clusterFileInForce(cmd.cluster, loaded, io.cwd);
  const resolved = await loadCluster(where?.path, where?.root);
  const cluster = simulationCluster(where, resolved);
  if ('error' in cluster) {
    reportInputProblems([{ path: cluster.shown, message: cluster.error }], io);
    return 2;
  }

  // Kustomizations beside and above the files say which files are patches (not objects of their own).
  const workspace = new WorkspaceIndex();
  for (const k of [...files.filter((f) => isKustomization(f.path)), ...(await kustomizationsAround(files, io.cwd))]) workspace.set(parseManifest(k.text, k.uri));
  for (const f of files) if (!workspace.get(f.uri)) workspace.set(parseManifest(f.text, f.uri));
  // The config's `crds:` judge a custom workload (an Argo Rollout) as kdry check's do; one its schema rejects is not placed.
  const crds = await readCrdSources(await crdSourcesOf([], loaded, io.cwd), io.cwd);
  reportInputProblems(crds.problems, io);
  problems.push(...crds.problems);
  for (const f of crds.files) if (!workspace.get(f.uri)) workspace.set(f.manifest);
  // Placed as the API server of the release in force stores the pods (kdry check's order); a custom
  // workload judged by its schema with that release's CEL settings.
  const release = await releaseForCommand(cmd.kubernetesVersion, loaded, loaded.source && shownPath(loaded.source, io.cwd), async () => where && { shown: where.shown, cluster: resolved });
  const pathOf = new Map(files.map((f) => [f.uri, f.path]));
  const found = workloadsOfFiles(workspace, files.map((f) => f.uri), release.version);
  const workloads = found.workloads.map((w) => ({ key: `${pathOf.get(w.uri)}#${w.doc.index}`, object: w.object, file: pathOf.get(w.uri)!, document: w.doc.index }));
  const report = capacityOf(workloads, cluster.nodes, release.version);
  if (!report) {
    io.err(`kdry: the workloads found ask for more than ${MAX_PLACED_PODS.toLocaleString('en-US')} pods; kdry does not place that many.\n`);
    return 2;
  }
  const output: CapacityOutput = {
    cluster: { source: cluster.source, nodes: cluster.nodeCount },
    kubernetes: { version: release.version, reason: release.reason },
    written: Object.fromEntries(workloads.map((w) => [w.key, { file: w.file, document: w.document }])),
    refused: found.refused.map((r) => ({ kind: r.kind, name: r.name, file: pathOf.get(r.uri)!, document: r.doc.index, errors: r.errors })),
    ...report,
  };
  io.out(cmd.format === 'json' ? stringifyJson(output) : formatCapacityText(output, io.color));
  if (problems.length > 0) return 2;
  return report.workloads.some((w) => w.pending > 0) ? 1 : 0;
}
