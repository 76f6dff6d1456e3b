// Workloads of one scope that each fit on the cluster alone but not together: placed together by
// kube-scheduler, the ones placed later run out of cpu, memory or pod slots (the NodeResourcesFit
// filter's `Insufficient cpu`, noderesources/fit.go fitsRequest) and stay Pending.
import { podRequests } from '../engine';
import { valueAt } from '../manifest/pod-template';
import { blameReason, podSpecPath } from './blame';
import { mainReason, schedulerReasons } from './scheduler-reasons';
import type { ScopeNeighbour, SimulationRule } from './types';
import type { PendingVerdict, PlacedWorkload } from '../engine';
import type { Finding } from '../findings';
import type { ManifestDocument } from '../manifest';

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
    const selfRanked = together.placed.placed > 0 && (resource === undefined || requests(doc, resource));
    const competing = competitorsOf(together.members, resource, together.placed, selfRanked);
    if (competing.count === 0) return [];
    const none: PendingVerdict = { pending: 0, total: 0, message: '', podRequests: {}, largestNode: {}, untoleratedTaints: [] };
    const range = blameReason(file, doc, reason, none).range;
    const total = together.placed.placed + together.placed.pending;
    const finding: Finding = {
      ruleId: 'resource-crowding',
      range,
      message: `Placed together with ${describeCompetitors(competing)} in ${together.scope}, ${together.placed.pending} of ${total} pods stay Pending: ${together.placed.message} Alone, every pod of ${verdict.kind} ${verdict.name} fits.`,
    };
    return [finding];
  },
};

/** The workloads a finding names: a scope may hold hundreds, so the largest few, then how many more. */
const NAMED_COMPETITORS = 3;

/** The members that run pods asking for `resource` (any pod, for pod slots), most pods first, with their sum. */
interface Ranked {
  ranked: ScopeNeighbour[];
  pods: number;
}

/** Ranked once per scope and resource: each crowded workload of a scope of n then costs O(1), not O(n). */
const rankings = new WeakMap<readonly ScopeNeighbour[], Map<string, Ranked>>();

function rankedMembers(members: readonly ScopeNeighbour[], resource: string | undefined): Ranked {
  let byResource = rankings.get(members);
  if (!byResource) rankings.set(members, (byResource = new Map()));
  const key = resource ?? '';
  let ranked = byResource.get(key);
  if (!ranked) {
    const list = members.filter((m) => (m.placed?.placed ?? 0) > 0 && (resource === undefined || requests(m.doc, resource))).sort((a, b) => b.placed!.placed - a.placed!.placed);
    byResource.set(key, (ranked = { ranked: list, pods: list.reduce((n, m) => n + m.placed!.placed, 0) }));
  }
  return ranked;
}

/** The ranking without this workload itself (`selfRanked`: whether the ranking holds it): its largest few, how many in all and their pods. */
function competitorsOf(members: readonly ScopeNeighbour[], resource: string | undefined, self: PlacedWorkload, selfRanked: boolean): { named: ScopeNeighbour[]; count: number; pods: number } {
  const { ranked, pods } = rankedMembers(members, resource);
  const named: ScopeNeighbour[] = [];
  for (const m of ranked) {
    if (named.length === NAMED_COMPETITORS) break;
    if (m.placed !== self) named.push(m);
  }
  return { named, count: ranked.length - (selfRanked ? 1 : 0), pods: pods - (selfRanked ? self.placed : 0) };
}

/** Worked example: 5 competitors with 4, 3, 2, 2, 1 pods -> the first three named, "and 2 other workloads (3 pods)". */
function describeCompetitors({ named, count, pods }: { named: ScopeNeighbour[]; count: number; pods: number }): string {
  const rest = count - named.length;
  if (rest === 0) return named.map(describe).join(', ');
  const restPods = pods - named.reduce((n, m) => n + m.placed!.placed, 0);
  return `${named.map(describe).join(', ')} and ${rest} other workload${rest === 1 ? '' : 's'} (${restPods} pod${restPods === 1 ? '' : 's'})`;
}

function describe(other: ScopeNeighbour): string {
  return `${other.kind} ${other.name} (${other.file}, ${other.placed!.placed} pod${other.placed!.placed === 1 ? '' : 's'})`;
}

/** The workload's pods ask for some of `resource` (PodRequests of its pod template). */
function requests(doc: ManifestDocument, resource: string): boolean {
  const specPath = podSpecPath(doc);
  const spec = specPath ? valueAt(doc.value, specPath) : undefined;
  return (podRequests(spec)[resource] ?? 0) > 0;
}
