// Workloads of one scope that each fit on the cluster alone but not together: placed together by
// kube-scheduler, the ones placed later run out of cpu, memory or pod slots (the NodeResourcesFit
// filter's `Insufficient cpu`, noderesources/fit.go fitsRequest) and stay Pending.
//
// Which workload's pods wait depends on the order they reach the scheduler, which the manifests do
// not fix (kdry places them in file order). So the finding does not go to the workload kdry happened
// to place last. The rule, independent of that order: for each resource the scope runs short of (a
// pod left Pending with `Insufficient <resource>`, or `Too many pods` for pod slots, by a workload
// that fits alone), the finding goes to the one workload, among those that fit alone and ask for
// that resource, that asks for the most of it in all (its pods times one pod's request, PodRequests;
// pod slots: its pods), ties broken by kind, name and file, never by document order. That is the
// workload whose request, lowered, gives the most room back.
//
// Worked example: api 3 x 3 cpu (9) and reports 3 x 2 cpu (6) on three 4-cpu workers. In file order
// api, reports: reports' pods stay Pending; reports, api: api's do. Either way api asks for the most
// cpu (9 of 15), so api gets the finding, on its cpu request.
import { podRequests } from '../engine';
import { valueAt } from '../manifest/pod-template';
import { blameReason, formatAmount, podSpecPath } from './blame';
import { mainReason, schedulerReasons, type SchedulerReason } from './scheduler-reasons';
import type { ScopeNeighbour, SimulationRule } from './types';
import type { PendingVerdict, PlacedWorkload } from '../engine';
import type { Finding } from '../findings';
import type { ManifestDocument } from '../manifest';

export const resourceCrowding: SimulationRule = {
  id: 'resource-crowding',
  title: 'Workloads of one scope that each fit alone crowd each other out of the cluster when placed together.',
  severity: 'warning',
  kinds: ['Deployment', 'ReplicaSet', 'StatefulSet', 'Pod', 'Rollout'],
  description:
    "kdry places the long-running workloads of a scope (a kustomization or chart, else a folder) together on the cluster in force, as kube-scheduler would once all of them are applied: DaemonSet pods first, one per node they target, then the other workloads. When pods of a workload that fits alone stay `Pending` because the others have taken the cpu, memory or pod slots (the scheduler's `FailedScheduling` message: `0/4 nodes are available: ... 3 Insufficient cpu.`), the cluster lacks room for the scope. Which workload's pods wait depends on the order they reach the scheduler, so kdry does not blame the one it happened to place last: the finding goes to the workload (of those that fit alone) that asks for the most of the short resource in all (its pods times one pod's request; ties by kind, name and file), on that request, naming the workloads it competes with. Reordering the files or documents does not move it.",
  remediation: 'Lower the requests to what the workloads really use, run fewer replicas, or give the cluster (the cluster file) more or larger nodes; `kdry capacity` shows the room left per node and zone.',
  findings({ file, doc, verdict, together }) {
    if (!together || verdict.pending) return [];
    const self = together.placed;
    const findings: Finding[] = [];
    for (const short of shortages(together.members)) {
      const blamed = blamedFor(together.members, short.resource);
      if (!blamed || blamed.member.placed !== self) continue;
      const competing = competitorsOf(together.members, short.resource, self);
      if (competing.count === 0) continue;
      const none: PendingVerdict = { pending: 0, total: 0, message: '', podRequests: {}, largestNode: {}, untoleratedTaints: [] };
      const range = blameReason(file, doc, short.reason, none).range;
      const what = short.resource === undefined ? 'pod slots' : short.resource;
      const amount = (n: number) => (short.resource === undefined ? `${n} pod${n === 1 ? '' : 's'}` : `${formatAmount(short.resource, n)} ${short.resource}`);
      findings.push({
        ruleId: 'resource-crowding',
        range,
        message: `Placed together with ${describeCompetitors(competing)} in ${together.scope}, the cluster lacks ${what}: ${short.pending} pod${short.pending === 1 ? '' : 's'} stay Pending: ${short.message} Which workload's pods wait depends on the order they reach the scheduler; ${verdict.kind} ${verdict.name} asks for the most ${what} of them (${amount(blamed.demand)} of ${amount(blamed.total)}), and alone every pod of it fits.`,
      });
    }
    return findings;
  },
};

/** A resource the scope runs short of: `undefined` for pod slots (`Too many pods`). */
interface Shortage {
  resource: string | undefined;
  reason: SchedulerReason;
  /** Pods left Pending for it, over the workloads that fit alone. */
  pending: number;
  /** The scheduler's message for the first of them (in the placement). */
  message: string;
}

/** Worked out once per scope: every crowded workload reads the same list. */
const shortagesOf = new WeakMap<readonly ScopeNeighbour[], Shortage[]>();

/** The resources the scope runs short of, each with its Pending pods; only workloads that fit alone count (the others are unschedulable-replicas'). */
function shortages(members: readonly ScopeNeighbour[]): Shortage[] {
  let found = shortagesOf.get(members);
  if (found) return found;
  const byResource = new Map<string, Shortage>();
  for (const m of members) {
    const placed = m.placed;
    if (!placed || placed.pending === 0 || !placed.message || m.verdict?.pending) continue;
    const reason = mainReason(schedulerReasons(placed.message));
    if (!reason || (reason.cause.kind !== 'resource' && reason.cause.kind !== 'tooManyPods')) continue;
    const resource = reason.cause.kind === 'resource' ? reason.cause.resource : undefined;
    const key = resource ?? '';
    const known = byResource.get(key);
    if (known) known.pending += placed.pending;
    else byResource.set(key, { resource, reason, pending: placed.pending, message: placed.message });
  }
  found = [...byResource.values()];
  shortagesOf.set(members, found);
  return found;
}

/** What one workload asks of `resource` in all: its pods times one pod's request; pod slots: its pods. */
function demandOf(m: ScopeNeighbour, resource: string | undefined): number {
  const pods = (m.placed?.placed ?? 0) + (m.placed?.pending ?? 0);
  return resource === undefined ? pods : pods * requested(m.doc, resource);
}

/** Kind, name, file: never the document index, which reordering moves. */
function compareMembers(a: ScopeNeighbour, b: ScopeNeighbour): number {
  const key = (m: ScopeNeighbour) => [m.kind, m.name, m.uri ?? m.file];
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

const blamedOf = new WeakMap<readonly ScopeNeighbour[], Map<string, { member: ScopeNeighbour; demand: number; total: number } | undefined>>();

/** The workload the finding goes to for `resource` (see the header), with its demand and the scope's total. */
function blamedFor(members: readonly ScopeNeighbour[], resource: string | undefined): { member: ScopeNeighbour; demand: number; total: number } | undefined {
  let byResource = blamedOf.get(members);
  if (!byResource) blamedOf.set(members, (byResource = new Map()));
  const key = resource ?? '';
  if (byResource.has(key)) return byResource.get(key);
  let best: { member: ScopeNeighbour; demand: number } | undefined;
  let total = 0;
  for (const m of members) {
    const demand = demandOf(m, resource);
    if (demand <= 0) continue;
    total += demand;
    if (m.verdict?.pending) continue;
    if (!best || demand > best.demand || (demand === best.demand && compareMembers(m, best.member) < 0)) best = { member: m, demand };
  }
  const blamed = best && { ...best, total };
  byResource.set(key, blamed);
  return blamed;
}

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
    const list = members.filter((m) => podsOf(m) > 0 && (resource === undefined || requested(m.doc, resource) > 0)).sort((a, b) => podsOf(b) - podsOf(a) || compareMembers(a, b));
    byResource.set(key, (ranked = { ranked: list, pods: list.reduce((n, m) => n + podsOf(m), 0) }));
  }
  return ranked;
}

/** The pods a workload wants, placed or Pending: the same whatever order placed them. */
function podsOf(m: ScopeNeighbour): number {
  return (m.placed?.placed ?? 0) + (m.placed?.pending ?? 0);
}

/** The ranking without this workload itself: its largest few, how many in all and their pods. */
function competitorsOf(members: readonly ScopeNeighbour[], resource: string | undefined, self: PlacedWorkload): { named: ScopeNeighbour[]; count: number; pods: number } {
  const { ranked, pods } = rankedMembers(members, resource);
  const named: ScopeNeighbour[] = [];
  let selfPods = 0;
  for (const m of ranked) {
    if (m.placed === self) selfPods = podsOf(m);
    else if (named.length < NAMED_COMPETITORS) named.push(m);
  }
  const selfRanked = ranked.some((m) => m.placed === self);
  return { named, count: ranked.length - (selfRanked ? 1 : 0), pods: pods - selfPods };
}

/** Worked example: 5 competitors with 4, 3, 2, 2, 1 pods -> the first three named, "and 2 other workloads (3 pods)". */
function describeCompetitors({ named, count, pods }: { named: ScopeNeighbour[]; count: number; pods: number }): string {
  const rest = count - named.length;
  if (rest === 0) return named.map(describe).join(', ');
  const restPods = pods - named.reduce((n, m) => n + podsOf(m), 0);
  return `${named.map(describe).join(', ')} and ${rest} other workload${rest === 1 ? '' : 's'} (${restPods} pod${restPods === 1 ? '' : 's'})`;
}

function describe(other: ScopeNeighbour): string {
  const pods = podsOf(other);
  return `${other.kind} ${other.name} (${other.file}, ${pods} pod${pods === 1 ? '' : 's'})`;
}

/** One pod's requests per workload document: a scope is ranked and blamed per resource, each asking every member. */
const requestsOf = new WeakMap<ManifestDocument, ReturnType<typeof podRequests>>();

/** What one pod of the workload asks of `resource` (PodRequests of its pod template); 0 when nothing. */
function requested(doc: ManifestDocument, resource: string): number {
  let requests = requestsOf.get(doc);
  if (!requests) {
    const specPath = podSpecPath(doc);
    requestsOf.set(doc, (requests = podRequests(specPath ? valueAt(doc.value, specPath) : undefined)));
  }
  return requests[resource] ?? 0;
}
