// Workloads of one scope that each fit on the cluster alone but not together: placed together by
// kube-scheduler, the ones placed later run out of cpu, memory or pod slots (the NodeResourcesFit
// filter's `Insufficient cpu`, noderesources/fit.go fitsRequest) and stay Pending.
import { podRequests } from '../engine';
import { valueAt } from '../manifest/pod-template';
import { blameReason, podSpecPath } from './blame';
import { mainReason, schedulerReasons } from './scheduler-reasons';
import type { ScopeNeighbour, SimulationRule } from './types';
import type { PendingVerdict } from '../engine';
import type { Finding } from '../findings';

export const resourceCrowding: SimulationRule = {
  id: 'resource-crowding',
  title: 'Workloads of one scope that each fit alone crowd each other out of the cluster when placed together.',
  severity: 'warning',
  kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'Pod'],
  description:
    "kdry places the long-running workloads of a scope (a kustomization or chart, else a folder) together on the cluster in force, as kube-scheduler would once all of them are applied: DaemonSet pods first, one per node they target, then the other workloads in file order. A workload whose pods all fit when it is alone, but stay `Pending` once the others have taken their cpu, memory or pod slots, gets this finding on the request the scheduler found short, with the scheduler's `FailedScheduling` message (`0/4 nodes are available: ... 3 Insufficient cpu.`) and the workloads it competes with. Which workload is left out depends on the order the pods reach the scheduler; the cluster lacks room for all of them either way.",
  remediation: 'Lower the requests to what the workloads really use, run fewer replicas, or give the cluster (the cluster file) more or larger nodes; `kdry capacity` shows the room left per node and zone.',
  findings({ file, doc, verdict, together }) {
    if (!together || together.placed.pending === 0 || verdict.pending || !together.placed.message) return [];
    const reason = mainReason(schedulerReasons(together.placed.message));
    if (!reason || (reason.cause.kind !== 'resource' && reason.cause.kind !== 'tooManyPods')) return [];
    const resource = reason.cause.kind === 'resource' ? reason.cause.resource : undefined;
    const competing = together.others.filter((other) => (other.placed?.placed ?? 0) > 0 && (resource === undefined || requests(other, resource)));
    if (competing.length === 0) return [];
    const none: PendingVerdict = { pending: 0, total: 0, message: '', podRequests: {}, largestNode: {}, untoleratedTaints: [] };
    const range = blameReason(file, doc, reason, none).range;
    const total = together.placed.placed + together.placed.pending;
    const finding: Finding = {
      ruleId: 'resource-crowding',
      range,
      message: `Placed together with ${competitors(competing)} in ${together.scope}, ${together.placed.pending} of ${total} pods stay Pending: ${together.placed.message} Alone, every pod of ${verdict.kind} ${verdict.name} fits.`,
    };
    return [finding];
  },
};

/** The workloads a finding names: a scope may hold hundreds, so the largest few, then how many more. */
const NAMED_COMPETITORS = 3;

/** Worked example: 5 neighbours with 4, 3, 2, 2, 1 pods -> the first three named, "and 2 other workloads (3 pods)". */
function competitors(competing: ScopeNeighbour[]): string {
  const largest = [...competing].sort((a, b) => b.placed!.placed - a.placed!.placed);
  const named = largest.slice(0, NAMED_COMPETITORS).map(describe);
  const rest = largest.slice(NAMED_COMPETITORS);
  if (rest.length === 0) return named.join(', ');
  const pods = rest.reduce((n, other) => n + other.placed!.placed, 0);
  return `${named.join(', ')} and ${rest.length} other workload${rest.length === 1 ? '' : 's'} (${pods} pod${pods === 1 ? '' : 's'})`;
}

function describe(other: ScopeNeighbour): string {
  return `${other.kind} ${other.name} (${other.file}, ${other.placed!.placed} pod${other.placed!.placed === 1 ? '' : 's'})`;
}

/** The neighbour's pods ask for some of `resource` (PodRequests of its pod template). */
function requests(other: ScopeNeighbour, resource: string): boolean {
  const specPath = podSpecPath(other.doc);
  const spec = specPath ? valueAt(other.doc.value, specPath) : undefined;
  return (podRequests(spec)[resource] ?? 0) > 0;
}
