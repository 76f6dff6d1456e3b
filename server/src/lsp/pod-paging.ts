// kdry/simulate for the Dry-run view, bounded: a run that creates more pods than the view's window
// is sent with only the first `window` pods created in its steps (the per-pod timeline draws no more),
// counts of every pod per step (the pod summary, the rollout chart, the node columns, the Pending
// lane), and the rest on request (kdry/simulatePods: a page of the pods at a step, or on a node).
// A 100,000-replica rollout was 42 MB a run; it is now the window's changes plus the counts.
import { applyStep, podsAtStep } from '../engine/steps';
import type { PodSnapshot, SimulationResult, TimelineStep } from '../engine/result';
import type { PodPaging, RevisionPodCounts, SimulatePodsParams, SimulatePodsResponse, StepPodCounts } from '../protocol/requests';
import { MAX_POD_PAGE } from '../protocol/wire';

/** Names listed per Pending reason. */
const PENDING_NAMES = 5;

/**
 * `result` with its steps cut to the first `window` pods created, and the counts of every pod; the
 * result itself when it never creates more pods than that. Steps keep their format (full or
 * delta): a pod's changes are its own, so leaving other pods out keeps every fold exact.
 */
export function pagedResult(result: SimulationResult, window: number): { result: SimulationResult; paging: Omit<PodPaging, 'id'> } | undefined {
  // The view always sends its window, and most runs fit in it: a pass over names that stops at
  // window + 1 pods tells them apart before the counting, which a run sent whole would throw away.
  if (!createsMoreThan(result, window)) return undefined;
  // The counts number the pods in creation order (first listed): the window is read from it.
  const { created, ...counts } = countedPods(result);
  const inWindow = (name: string) => created.get(name)! < window;
  const steps = result.steps.map((step): TimelineStep =>
    step.podsDelta ? { ...step, pods: step.pods.filter((p) => inWindow(p.name)), removedPods: step.removedPods.filter(inWindow) } : { ...step, pods: step.pods.filter((p) => inWindow(p.name)) },
  );
  return { result: { ...result, steps }, paging: { window, pods: created.size, ...counts } };
}

function createsMoreThan(result: SimulationResult, window: number): boolean {
  const seen = new Set<string>();
  for (const step of result.steps) {
    for (const pod of step.pods) {
      seen.add(pod.name);
      if (seen.size > window) return true;
    }
  }
  return false;
}

/** What one pod adds to its step's counts. */
interface Contribution {
  revision: string;
  terminating: boolean;
  phase: string;
  ready: boolean;
  available: boolean;
  node?: string;
  /** Unbound and not terminating: its Pending lane. */
  pendingReason?: string;
}

function contributionOf(pod: PodSnapshot): Contribution {
  return {
    revision: pod.revision,
    terminating: pod.terminating,
    phase: pod.phase,
    ready: pod.ready,
    available: pod.available,
    node: pod.node,
    pendingReason: !pod.node && !pod.terminating ? (pod.reason ?? 'waiting for the scheduler') : undefined,
  };
}

function sameContribution(a: Contribution, b: Contribution): boolean {
  return a.revision === b.revision && a.terminating === b.terminating && a.phase === b.phase && a.ready === b.ready && a.available === b.available && a.node === b.node && a.pendingReason === b.pendingReason;
}

const NO_PODS: RevisionPodCounts = { total: 0, running: 0, pending: 0, terminating: 0, ready: 0, available: 0, live: 0, liveReady: 0, liveAvailable: 0 };

/**
 * Every step's counts over every pod, and the revisions in order of their first pod. Kept up to
 * date pod change by pod change (a pod's old contribution out, its new one in), so a step costs
 * what changed in it, not every pod again: 100,000 pods over 32 steps are not 3.2 million visits.
 */
export function podCounts(result: Pick<SimulationResult, 'steps'>): Pick<PodPaging, 'counts' | 'revisions'> {
  const { counts, revisions } = countedPods(result);
  return { counts, revisions };
}

/** podCounts, and each pod's number in creation order (the order the steps first list them). */
function countedPods(result: Pick<SimulationResult, 'steps'>): Pick<PodPaging, 'counts' | 'revisions'> & { created: ReadonlyMap<string, number> } {
  const pods = new Map<string, PodSnapshot>();
  const created = new Map<string, number>();
  const contributions = new Map<string, Contribution>();
  const byRevision = new Map<string, RevisionPodCounts>();
  const perNode = new Map<string, number>();
  const pendingByReason = new Map<string, Set<string>>();
  const apply = (c: Contribution, name: string, sign: 1 | -1) => {
    const r = byRevision.get(c.revision) ?? { ...NO_PODS };
    byRevision.set(c.revision, r);
    r.total += sign;
    if (c.terminating) r.terminating += sign;
    else if (c.phase === 'Pending') r.pending += sign;
    else if (c.phase === 'Running') r.running += sign;
    if (c.ready) r.ready += sign;
    if (c.available) r.available += sign;
    if (!c.terminating) {
      r.live += sign;
      if (c.ready) r.liveReady += sign;
      if (c.available) r.liveAvailable += sign;
    }
    if (c.node !== undefined) perNode.set(c.node, (perNode.get(c.node) ?? 0) + sign);
    if (c.pendingReason !== undefined) {
      const lane = pendingByReason.get(c.pendingReason) ?? new Set<string>();
      pendingByReason.set(c.pendingReason, lane);
      if (sign > 0) lane.add(name);
      else lane.delete(name);
    }
  };
  const update = (name: string) => {
    const before = contributions.get(name);
    const pod = pods.get(name);
    const after = pod && contributionOf(pod);
    if (before && after && sameContribution(before, after)) return; // changed in what is not counted (restarts, ...)
    if (before) apply(before, name, -1);
    if (!after) {
      contributions.delete(name);
      return;
    }
    contributions.set(name, after);
    apply(after, name, 1);
  };
  const revisions = new Set<string>();
  let previousNodes = new Map<string, number>();
  const counts = result.steps.map((step, index): StepPodCounts => {
    const touched = step.podsDelta ? [...step.removedPods, ...step.pods.map((p) => p.name)] : [...contributions.keys(), ...step.pods.map((p) => p.name)];
    applyStep(pods, step);
    for (const pod of step.pods) {
      if (created.has(pod.name)) continue;
      created.set(pod.name, created.size);
      revisions.add(pods.get(pod.name)!.revision);
    }
    for (const name of touched) update(name);
    const nodes: Record<string, number> = {};
    const nowNodes = new Map([...perNode].filter(([, n]) => n > 0));
    for (const [node, count] of nowNodes) if (index === 0 || previousNodes.get(node) !== count) nodes[node] = count;
    for (const node of previousNodes.keys()) if (!nowNodes.has(node)) nodes[node] = 0;
    previousNodes = nowNodes;
    const pending = [...pendingByReason]
      .filter(([, lane]) => lane.size > 0)
      .map(([reason, lane]) => ({ reason, count: lane.size, names: firstCreated(lane, created, PENDING_NAMES) }));
    return { total: pods.size, byRevision: Object.fromEntries([...byRevision].filter(([, c]) => c.total > 0).map(([revision, c]) => [revision, { ...c }])), nodes, pending };
  });
  return { counts, revisions: [...revisions], created };
}

/** The `count` names of `lane` created first. */
function firstCreated(lane: ReadonlySet<string>, created: ReadonlyMap<string, number>, count: number): string[] {
  const first: string[] = [];
  for (const name of lane) {
    first.push(name);
    if (first.length > count) {
      first.sort((a, b) => created.get(a)! - created.get(b)!);
      first.pop();
    }
  }
  return first.sort((a, b) => created.get(a)! - created.get(b)!);
}
/**
 * The pods at the step a run's pages were last asked for: the view pages through one step (and on
 * to the next), so each page reads them from here, or folds on from here, instead of folding every
 * step since the run's last full one again.
 */
const folded = new WeakMap<SimulationResult, { step: number; byName: Map<string, PodSnapshot>; pods: PodSnapshot[] }>();

function podsAt(result: SimulationResult, step: number): PodSnapshot[] {
  const last = folded.get(result);
  if (last?.step === step) return last.pods;
  let byName: Map<string, PodSnapshot>;
  if (last && last.step < step) {
    byName = last.byName;
    for (let i = last.step + 1; i <= step; i++) applyStep(byName, result.steps[i]);
  } else byName = new Map(podsAtStep(result, step).map((p) => [p.name, p]));
  const pods = [...byName.values()];
  folded.set(result, { step, byName, pods });
  return pods;
}

/**
 * Folds the pods at the run's last step ahead of the view's request: the view shows the settled
 * outcome first and asks for its first page once it drew the answer, so the fold is done meanwhile.
 */
export function foldLastStep(result: SimulationResult): void {
  if (result.steps.length > 0) podsAt(result, result.steps.length - 1);
}

/** A page of the pods at a step of the whole run, in creation order (on one node when asked). */
export function podsPage(result: SimulationResult, params: Omit<SimulatePodsParams, 'id'>): SimulatePodsResponse {
  if (params.step >= result.steps.length) return { error: `The run has ${result.steps.length} steps; there is no step ${params.step + 1}.` };
  const all = podsAt(result, params.step);
  const pods = params.node === undefined ? all : all.filter((p) => p.node === params.node);
  return { pods: pods.slice(params.offset, params.offset + Math.min(params.limit, MAX_POD_PAGE)), total: pods.length };
}
