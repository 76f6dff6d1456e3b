// The timeline: one step per instant at which something changed, each with the events in kubectl's
// words, every pod (or, for large runs, the pods that changed), the status tables and the traffic.
// Also the run's summary, podsAtStep() to rebuild a full pod list from delta steps and nodesAtStep()
// to rebuild every node's usage (the steps carry only the nodes that changed).
import type { PodChange, PodSnapshot, SimPod, SimulationSummary, StatusRow, TimelineEvent, TimelineStep, TrafficShare } from './types';
import { EventDigest } from './digest';
import { podChange, podSnapshot, sameSnapshot } from './pod-snapshot';
import type { SimWorld } from './world';
import { NodeUsageTracker } from './node-usage';

/** Above this many pods a step lists only what changed (`podsDelta`), unless the caller asks for full lists. */
export const FULL_SNAPSHOT_POD_LIMIT = 1000;

export type SnapshotMode = 'auto' | 'full' | 'delta';

/**
 * Pods and available pods over time, one entry per change (the summary's sums need no more), kept
 * as plain number columns: a year of CronJob runs adds hundreds of thousands of entries.
 */
class Measures {
  readonly times: number[] = [];
  readonly pods: number[] = [];
  readonly available: number[] = [];
  lastTime = 0;

  get length(): number {
    return this.times.length;
  }

  add(time: number, pods: number, available: number): void {
    this.lastTime = time;
    const n = this.times.length;
    if (n > 0 && this.pods[n - 1] === pods && this.available[n - 1] === available) return;
    this.times.push(time);
    this.pods.push(pods);
    this.available.push(available);
  }
}

function nextPeriodStart(time: number, period: number): number {
  return period * (Math.floor(time / period) + 1);
}

/**
 * Records steps from the World. Pod snapshots are cached per pod and rebuilt only for pods the World
 * marked changed, so a step costs O(changed pods) in delta mode and one array of shared objects in
 * full mode.
 */
export class TimelineRecorder {
  readonly steps: TimelineStep[] = [];
  private readonly measures = new Measures();
  /** The last snapshot recorded of each live pod (keyed by the pod object: a removed pod's entry goes with it). */
  private readonly snapshots = new Map<SimPod, PodSnapshot>();
  private readonly nodeUsage: NodeUsageTracker;
  private lastStatus = '';
  private lastTraffic = '';
  /** The previous step's status and traffic: an unchanged table is shared, not copied, by the next step. */
  private sharedStatus: StatusRow[] = [];
  private sharedTraffic: TrafficShare[] = [];
  private folding?: { afterSeconds: number; afterSteps: number; period: number; digest: EventDigest; since?: number; nextStepAt?: number };

  constructor(
    private readonly world: SimWorld,
    private readonly mode: SnapshotMode = 'auto',
    /** Times in the timeline are relative to this virtual time (the rollout's start). */
    private origin = 0,
  ) {
    this.nodeUsage = new NodeUsageTracker(world.nodes);
  }

  /**
   * Coarse recording for long runs (a CronJob over weeks, or one firing every minute): once the
   * run is past `afterSeconds` or has `afterSteps` steps, the instants of each `period` (aligned to
   * the timeline's start) are folded into one step, recorded at the first instant of the next
   * period (and at the end of the run), whose events are the digest of the folded ones and whose
   * pods and status are as they are by then. The summary still measures every instant.
   */
  foldInstantsAfter(afterSeconds: number, afterSteps: number, period: number): void {
    this.folding = { afterSeconds, afterSteps, period, digest: new EventDigest() };
  }

  /** When folding started (seconds from the timeline's start), if it did. */
  get foldingSince(): number | undefined {
    return this.folding?.since;
  }

  /** True when this instant is folded into a later step (no status or pods to compute for it). */
  foldsInstant(force: boolean): boolean {
    const f = this.folding;
    if (!f || force || this.steps.length === 0) return false;
    const time = this.world.now - this.origin;
    if (f.nextStepAt === undefined) {
      if (time <= f.afterSeconds && this.steps.length < f.afterSteps) return false;
      f.since = time;
      f.nextStepAt = nextPeriodStart(time, f.period);
    }
    return time < f.nextStepAt;
  }

  /** Fold this instant: its events go to the digest; it still counts for the summary. */
  foldInstant(): void {
    const time = this.world.now - this.origin;
    this.folding?.digest.add(time, this.world.takeEvents());
    this.measure(time, this.world.pods());
  }

  /** Folded instants wait for a step: the run's end must record one. */
  hasFoldedInstants(): boolean {
    return this.folding !== undefined && !this.folding.digest.empty;
  }

  setOrigin(origin: number): void {
    this.origin = origin;
  }

  /** Drop what was observed so far (the warm-up before a rollout) and start from the current state. */
  resetBaseline(): void {
    this.world.takeDirty();
    this.world.takeEvents();
    this.snapshots.clear();
    const pods = this.world.pods();
    for (let i = 0; i < pods.length; i++) this.snapshots.set(pods[i], podSnapshot(this.world, pods[i]));
    // The node usage is counted afresh by the first step's record, which follows.
  }

  /**
   * Record a step if anything visible changed (or `force`); returns whether a step was added.
   * `controllerChanged` is true when a controller's sync changed something.
   */
  record(status: StatusRow[], traffic: TrafficShare[], controllerChanged: boolean, force = false): boolean {
    const world = this.world;
    const time = world.now - this.origin;
    let events = this.relativeEvents();
    const f = this.folding;
    if (f?.nextStepAt !== undefined) {
      if (!f.digest.empty) events = [...f.digest.take(time), ...events];
      f.nextStepAt = nextPeriodStart(time, f.period);
    }
    const { changed, removedPods } = world.takeDirty();
    const livePods = world.pods();
    const delta = this.steps.length > 0 && (this.mode === 'delta' || (this.mode === 'auto' && livePods.length > FULL_SNAPSHOT_POD_LIMIT));
    // A delta step's entries are made as the snapshots are compared; a full step lists every live pod below.
    const podChanges: PodChange[] = [];
    let changedPods = 0;
    for (let i = 0; i < changed.length; i++) {
      const pod = changed[i];
      const next = podSnapshot(world, pod);
      const prev = this.snapshots.get(pod);
      if (prev && sameSnapshot(prev, next)) continue;
      this.snapshots.set(pod, next);
      changedPods++;
      if (delta) podChanges.push(podChange(prev, next));
    }
    for (let i = 0; i < removedPods.length; i++) this.snapshots.delete(removedPods[i]);
    // The first step lists every node, counted from every pod (a warm-up may have left no dirt).
    if (this.steps.length === 0) this.nodeUsage.reset(livePods);
    else this.nodeUsage.observe(changed, removedPods);
    const nodes = this.nodeUsage.changes();
    const statusText = JSON.stringify(status);
    const trafficText = JSON.stringify(traffic);
    const statusChanged = statusText !== this.lastStatus;
    const trafficChanged = trafficText !== this.lastTraffic;
    const visible = force || events.length > 0 || changedPods > 0 || removedPods.length > 0 || nodes.length > 0 || controllerChanged || statusChanged || trafficChanged;
    this.lastStatus = statusText;
    this.lastTraffic = trafficText;
    if (statusChanged || this.steps.length === 0) this.sharedStatus = status;
    if (trafficChanged || this.steps.length === 0) this.sharedTraffic = traffic;
    if (!visible) return false;

    const fields = { index: this.steps.length, time, events };
    const pods: Pick<TimelineStep, 'pods' | 'podsDelta' | 'removedPods'> = delta
      ? { pods: podChanges, podsDelta: true, removedPods: removedPods.map((p) => p.name) }
      : { pods: livePods.map((p) => this.snapshots.get(p) ?? podSnapshot(world, p)) };
    const step = {
      ...fields,
      ...pods,
      ...(nodes.length > 0 ? { nodes } : {}),
      status: this.sharedStatus,
      traffic: this.sharedTraffic,
    } as TimelineStep;
    this.steps.push(step);
    this.nodeUsage.markReported(nodes);
    this.measure(step.time, livePods);
    return true;
  }

  private relativeEvents(): TimelineEvent[] {
    return this.world.takeEvents().map((e) => ({ ...e, time: e.time - this.origin }));
  }

  private measure(time: number, livePods: readonly SimPod[]): void {
    let available = 0;
    for (let i = 0; i < livePods.length; i++) if (this.world.isAvailable(livePods[i])) available++;
    this.measures.add(time, livePods.length, available);
  }

  /**
   * Summary over the recorded steps. Minimum available and downtime are counted from the step the
   * disruption can start: for a rollout, the first step with an available pod (the settled
   * `before`); otherwise the first step at which the workload reached its highest availability
   * (the pods coming up for the first time are not a disruption). Downtime only for workloads that
   * serve (not Jobs or CronJobs).
   */
  summary(completed: boolean, conditions: string[], serving: boolean, rollout: boolean): SimulationSummary {
    const m = this.measures;
    const peakPods = m.pods.reduce((max, n) => Math.max(max, n), 0);
    const peakAvailable = m.available.reduce((max, n) => Math.max(max, n), 0);
    const firstAvailable = m.available.findIndex((a) => (rollout ? a > 0 : a > 0 && a === peakAvailable));
    let minAvailable = 0;
    let downtimeSeconds = 0;
    if (firstAvailable >= 0) {
      minAvailable = Infinity;
      for (let i = firstAvailable; i < m.length; i++) {
        minAvailable = Math.min(minAvailable, m.available[i]);
        const until = i + 1 < m.length ? m.times[i + 1] : m.lastTime;
        if (serving && m.available[i] === 0) downtimeSeconds += until - m.times[i];
      }
    }
    return {
      durationSeconds: m.length > 0 ? m.lastTime : 0,
      peakPods,
      minAvailable,
      downtimeSeconds,
      completed,
      conditions,
    };
  }
}

export { applyStep, podsAtStep, nodesAtStep } from './steps';
