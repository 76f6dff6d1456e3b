// kdry/simulate for the Dry-run view, bounded, every run the same way: its steps with only the first
// `window` pods created (the per-pod timeline draws no more), counts of every pod per step (the pod
// summary, the rollout chart, the node columns, the Pending lane), and the rest on request
// (kdry/simulatePods: a page of the pods at a step, or on a node). A 100,000-replica rollout was
// 42 MB a run; it is now the window's changes plus the counts. The view's runs list pods as changes
// (simulate.ts asks the engine for delta steps): a 100-replica run listed every pod at every step.
import { applyStep, podsAtStep } from '../engine/steps';
import type { PodSnapshot, SimulationResult, TimelineStep } from '../engine/result';
import type { PodPaging, RevisionPodCounts, SimulatePodsParams, SimulatePodsResponse, StepPodCounts } from '../protocol/requests';
import { MAX_POD_PAGE } from '../protocol/wire';

/** Names listed per Pending reason. */
const PENDING_NAMES = 5;

/**
 * `result` with its steps cut to the first `window` pods created (all of them when it creates no
 * more), and the counts of every pod. Steps keep their format (full or delta): a pod's changes are
 * its own, so leaving other pods out keeps every fold exact.
 */
export function pagedResult(result: SimulationResult, window: number): { result: SimulationResult; paging: Omit<PodPaging, 'id'> } {
  // The counts number the pods in creation order (first listed): the window is read from it.
  const { created, ...counts } = countedPods(result);
  const paging = { window, pods: created.size, ...counts };
  if (created.size <= window) return { result, paging };
  const inWindow = (name: string) => created.get(name)! < window;
  const steps = result.steps.map((step): TimelineStep =>
    step.podsDelta ? { ...step, pods: step.pods.filter((p) => inWindow(p.name)), removedPods: step.removedPods.filter(inWindow) } : { ...step, pods: step.pods.filter((p) => inWindow(p.name)) },
  );
  return { result: { ...result, steps }, paging };
}

const NO_PODS: RevisionPodCounts = { total: 0, running: 0, pending: 0, terminating: 0, ready: 0, available: 0, live: 0, liveReady: 0, liveAvailable: 0 };
const UNSCHEDULED = 'waiting for the scheduler';

/** An unbound pod's Pending lane (the scheduler's reason); none for a bound or terminating pod. */
function pendingReason(pod: PodSnapshot): string | undefined {
  return !pod.node && !pod.terminating ? (pod.reason ?? UNSCHEDULED) : undefined;
}

/** Whether two snapshots of a pod count the same (they may differ in what is not counted: restarts, ...). */
function countsAlike(a: PodSnapshot, b: PodSnapshot): boolean {
  return a.revision === b.revision && a.terminating === b.terminating && a.phase === b.phase && a.ready === b.ready && a.available === b.available && a.node === b.node && pendingReason(a) === pendingReason(b);
}

/** The counts of the pods folded so far: a pod's snapshot counted in, or out, one at a time. */
class PodTally {
  readonly byRevision = new Map<string, RevisionPodCounts>();
  readonly perNode = new Map<string, number>();
  readonly pendingByReason = new Map<string, Set<string>>();
  /** The last revision counted: pods come in runs of one revision. */
  private revision = '';
  private revisionCounts: RevisionPodCounts | undefined;

  count(pod: PodSnapshot, sign: 1 | -1): void {
    let r = this.revisionCounts;
    if (!r || pod.revision !== this.revision) {
      r = this.byRevision.get(pod.revision) ?? { ...NO_PODS };
      this.byRevision.set(pod.revision, r);
      this.revision = pod.revision;
      this.revisionCounts = r;
    }
    r.total += sign;
    if (pod.terminating) r.terminating += sign;
    else if (pod.phase === 'Pending') r.pending += sign;
    else if (pod.phase === 'Running') r.running += sign;
    if (pod.ready) r.ready += sign;
    if (pod.available) r.available += sign;
    if (!pod.terminating) {
      r.live += sign;
      if (pod.ready) r.liveReady += sign;
      if (pod.available) r.liveAvailable += sign;
    }
    if (pod.node !== undefined) this.perNode.set(pod.node, (this.perNode.get(pod.node) ?? 0) + sign);
    const reason = pendingReason(pod);
    if (reason !== undefined) {
      let lane = this.pendingByReason.get(reason);
      if (!lane) this.pendingByReason.set(reason, (lane = new Set<string>()));
      if (sign > 0) lane.add(pod.name);
      else lane.delete(pod.name);
    }
  }
}

/**
 * Every step's counts over every pod, and the revisions in order of their first pod. Kept up to
 * date pod change by pod change (a pod's old snapshot counted out, its new one in), so a step costs
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
  const tally = new PodTally();
  const revisions = new Set<string>();
  let previousNodes = new Map<string, number>();
  const newPod = (name: string, pod: PodSnapshot) => {
    if (created.has(name)) return;
    created.set(name, created.size);
    revisions.add(pod.revision);
  };
  const counts = result.steps.map((step, index): StepPodCounts => {
    if (step.podsDelta) {
      for (const name of step.removedPods) {
        const gone = pods.get(name);
        if (gone) tally.count(gone, -1);
        pods.delete(name);
      }
      // a step lists a pod once (the recorder compares snapshots by name)
      const before = step.pods.map((p) => pods.get(p.name));
      applyStep(pods, step);
      for (let i = 0; i < step.pods.length; i++) {
        const name = step.pods[i].name;
        const now = pods.get(name)!;
        const was = before[i];
        if (!was) newPod(name, now);
        else if (countsAlike(was, now)) continue;
        else tally.count(was, -1);
        tally.count(now, 1);
      }
    } else {
      for (const was of pods.values()) tally.count(was, -1);
      applyStep(pods, step);
      for (const now of pods.values()) tally.count(now, 1);
      for (const pod of step.pods) newPod(pod.name, pod);
    }
    const nodes: Record<string, number> = {};
    const nowNodes = new Map([...tally.perNode].filter(([, n]) => n > 0));
    for (const [node, count] of nowNodes) if (index === 0 || previousNodes.get(node) !== count) nodes[node] = count;
    for (const node of previousNodes.keys()) if (!nowNodes.has(node)) nodes[node] = 0;
    previousNodes = nowNodes;
    const pending = [...tally.pendingByReason]
      .filter(([, lane]) => lane.size > 0)
      .map(([reason, lane]) => ({ reason, count: lane.size, names: firstCreated(lane, created, PENDING_NAMES) }));
    return { total: pods.size, byRevision: Object.fromEntries([...tally.byRevision].filter(([, c]) => c.total > 0).map(([revision, c]) => [revision, { ...c }])), nodes, pending };
  });
  return { counts, revisions: [...revisions], created };
}

/**
 * The `count` names of `lane` created first: one pass keeping them in order, each name looked up
 * once (a lane of 10,000 Pending pods was sorted again, by two lookups a comparison, for every name).
 */
function firstCreated(lane: ReadonlySet<string>, created: ReadonlyMap<string, number>, count: number): string[] {
  const names: string[] = [];
  const numbers: number[] = [];
  for (const name of lane) {
    const n = created.get(name)!;
    if (numbers.length === count && n >= numbers[count - 1]) continue;
    let at = numbers.length;
    while (at > 0 && numbers[at - 1] > n) at--;
    numbers.splice(at, 0, n);
    names.splice(at, 0, name);
    if (numbers.length > count) {
      numbers.pop();
      names.pop();
    }
  }
  return names;
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
