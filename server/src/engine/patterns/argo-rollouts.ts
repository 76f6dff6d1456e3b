// Argo Rollouts (argoproj.io/v1alpha1 Rollout): the controller keeps a stable and a canary
// ReplicaSet itself. Without a traffic router, canary steps (setWeight, pause) size the two sets with
// CalculateReplicaCountsForBasicCanary (utils/replicaset/canary.go: the split closest to the weight,
// bounded by maxSurge/maxUnavailable) and traffic follows the endpoints. With `trafficRouting` the
// sets follow CalculateReplicaCountsForTrafficRoutedCanary (the canary sized by the weight or
// setCanaryScale beside a full stable set, or a shrinking one with dynamicStableScale); the router's
// split itself is not simulated (traffic still follows the endpoints). blueGreen runs the new set at full size
// behind previewService, switches activeService once it is available (autoPromotionEnabled), and
// scales the old set down after scaleDownDelaySeconds.
//
// Progress deadline (rollout/sync.go calculateRolloutConditions, utils/conditions RolloutProgressing
// and RolloutTimedOut): the update makes progress while updated, ready or available replicas grow,
// old ones go, the step index or the stable set or a blueGreen selector changes. With none for
// progressDeadlineSeconds (default 600) the Rollout reports Progressing=False/ProgressDeadlineExceeded
// (`ReplicaSet "web-6d8f5" has timed out progressing.`) and its phase is Degraded; a pause, analysis or
// experiment step (isIndefiniteStep) does not count against the deadline. With progressDeadlineAbort
// (evaluateProgressDeadlineAbort) the update is aborted: the set weight falls to 0
// (GetCurrentSetWeight), so the canary goes back to 0 and the stable set to full size; a blueGreen
// preview set goes after abortScaleDownDelaySeconds (default 30).
import type { LabelSelector } from '../../k8s/labels';
import type { Controller, OwnerRef, PodTemplate, StatusRow, World } from '../types';
import { nonNegativeInt, podTemplateOf, ReplicaSetController, selectorOf } from '../controllers/replicaset/controller';
import { POD_TEMPLATE_HASH_LABEL } from '../controllers/deployment/controller';
import { computePodTemplateHash, getAvailableReplicaCountForReplicaSets, getReplicaCountForReplicaSets, maxSurge, maxUnavailable, type DeploymentLike, type ReplicaSetLike } from '../controllers/deployment/util';
import { type Obj, isObj } from '../objects';

/** Argo's defaults (utils/defaults). */
const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
const DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS = 30;
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** An indefinite pause (`pause: {}`) waits for `kubectl argo rollouts promote`; the simulation promotes after this long. */
export const MANUAL_PROMOTION_SECONDS = 60;

export interface CanaryStep {
  setWeight?: number;
  /** Seconds; null = indefinite (manual promotion). */
  pause?: { duration: number | null };
  /** setCanaryScale (with a traffic router only: UseSetCanaryScale): a canary size apart from the weight. */
  setCanaryScale?: { replicas?: number; weight?: number; matchTrafficWeight?: boolean };
  /** A step the simulator does not model (analysis, experiment, ...). */
  other?: string;
}

/** A Go duration or a plain number of seconds (`30`, `30s`, `5m`, `1h`); undefined when unreadable. */
export function parseArgoDuration(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  let total = 0;
  let rest = value;
  while (rest.length > 0) {
    const m = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}

export function parseCanarySteps(steps: unknown): CanaryStep[] {
  if (!Array.isArray(steps)) return [];
  return steps.filter(isObj).map((s): CanaryStep => {
    if (typeof s.setWeight === 'number') return { setWeight: Math.min(100, Math.max(0, s.setWeight)) };
    if (isObj(s.pause)) return { pause: { duration: s.pause.duration === undefined ? null : (parseArgoDuration(s.pause.duration) ?? null) } };
    if (isObj(s.setCanaryScale)) {
      const scale = s.setCanaryScale;
      const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
      return { setCanaryScale: { replicas: count(scale.replicas), weight: count(scale.weight), matchTrafficWeight: scale.matchTrafficWeight === true } };
    }
    return { other: Object.keys(s)[0] ?? 'step' };
  });
}

/**
 * UseSetCanaryScale: the last setCanaryScale at or before the current step, unless it says
 * matchTrafficWeight; none once past the last step.
 */
function setCanaryScaleAt(steps: CanaryStep[], index: number): CanaryStep['setCanaryScale'] | undefined {
  if (index >= steps.length) return undefined;
  for (let i = index; i >= 0; i--) {
    const scale = steps[i].setCanaryScale;
    if (scale) return scale.matchTrafficWeight ? undefined : scale;
  }
  return undefined;
}

/** The sizes the canary arithmetic needs, with the sets' spec and available counts. */
export interface CanaryCountsInput {
  replicas: number;
  /** setWeight in percent (maxWeight 100). */
  weight: number;
  maxSurge: number | string;
  maxUnavailable: number | string;
  newRS?: ReplicaSetLike;
  stableRS?: ReplicaSetLike;
  otherRSs: ReplicaSetLike[];
}

const MAX_WEIGHT = 100;

/** floorCeilingTied: ceil and floor are equally far from the weight (the larger canary wins). */
function floorCeilingTied(weight: number, total: number): boolean {
  const x = (total * weight) / MAX_WEIGHT;
  return x - Math.trunc(x) === 0.5;
}

function weightDelta(weight: number, canary: number, total: number): number {
  return Math.abs((canary * MAX_WEIGHT) / total - weight);
}

/**
 * approximateWeightedCanaryStableReplicaCounts: the canary/stable split closest to `weight`,
 * considering ceil and floor of replicas*weight over replicas (and replicas+1 when surge is
 * allowed); a weight of 1-99 never yields 0 canary or 0 stable pods when 2+ pods are possible.
 */
export function approximateWeightedCanaryStableReplicaCounts(specReplicas: number, weight: number, maxSurgeCount: number): { canary: number; stable: number } {
  if (specReplicas === 0) return { canary: 0, stable: 0 };
  const ceil = Math.ceil((specReplicas * weight) / MAX_WEIGHT);
  const floor = Math.floor((specReplicas * weight) / MAX_WEIGHT);
  const tied = floorCeilingTied(weight, specReplicas);
  const zeroAllowed = weight === MAX_WEIGHT || weight === 0 || (specReplicas === 1 && maxSurgeCount === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < specReplicas || zeroAllowed) options.push({ canary: ceil, total: specReplicas });
  if (!tied && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: specReplicas });
  if (maxSurgeCount > 0) {
    options.push({ canary: ceil, total: specReplicas + 1 });
    if (!floorCeilingTied(weight, specReplicas + 1) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: specReplicas + 1 });
  }
  if (options.length === 0) return { canary: 0, stable: specReplicas };
  let best = options[0];
  for (const option of options.slice(1)) if (weightDelta(weight, option.canary, option.total) < weightDelta(weight, best.canary, best.total)) best = option;
  return { canary: best.canary, stable: best.total - best.canary };
}

/**
 * CalculateReplicaCountsForBasicCanary (no traffic router, no setCanaryScale): the new and
 * stable set sizes for this sync. Desired counts come from the closest approximation of the
 * weight; scale-up stays within replicas+maxSurge (stable first), scale-down keeps
 * replicas-maxUnavailable available, older sets first.
 */
export function calculateReplicaCountsForCanary(input: CanaryCountsInput): { newRSReplicaCount: number; stableRSReplicaCount: number } {
  const { replicas, newRS, otherRSs } = input;
  const d: DeploymentLike = { strategy: 'RollingUpdate', replicas, maxSurge: input.maxSurge, maxUnavailable: input.maxUnavailable };
  const surge = maxSurge(d);
  const scaleStable = !!input.stableRS && (!newRS || newRS.name !== input.stableRS.name);
  const stableRS = scaleStable ? input.stableRS : undefined;
  // Without a distinct stable set the rollout goes to 100% at once.
  const weight = scaleStable ? input.weight : MAX_WEIGHT;
  let { canary: desiredNew, stable: desiredStable } = approximateWeightedCanaryStableReplicaCounts(replicas, weight, surge);
  if (!stableRS) {
    desiredNew = replicas;
    desiredStable = 0;
  }
  let newCount = newRS?.replicas ?? 0;
  let stableCount = stableRS?.replicas ?? 0;
  const maxAllowed = replicas + surge;
  const allRSs = [...otherRSs, ...(newRS ? [newRS] : []), ...(stableRS ? [stableRS] : [])];
  let scaleUpCount = maxAllowed - getReplicaCountForReplicaSets(allRSs);
  if (stableRS && stableRS.replicas < desiredStable && scaleUpCount > 0) {
    if (stableRS.replicas + scaleUpCount < desiredStable) {
      stableCount = stableRS.replicas + scaleUpCount;
      scaleUpCount = 0;
    } else {
      stableCount = desiredStable;
      scaleUpCount -= desiredStable - stableRS.replicas;
    }
  }
  if (newRS && newRS.replicas < desiredNew && scaleUpCount > 0) newCount = Math.min(newRS.replicas + scaleUpCount, desiredNew);
  if (getReplicaCountForReplicaSets(otherRSs) > 0) return { newRSReplicaCount: newCount, stableRSReplicaCount: stableCount };

  const minAvailable = replicas - maxUnavailable(d);
  const isIncreasing = !newRS || desiredNew >= newRS.replicas;
  const replicasToScaleDown = replicasForScaleDown(newRS, !isIncreasing) + replicasForScaleDown(stableRS, isIncreasing);
  if (replicasToScaleDown <= minAvailable) return { newRSReplicaCount: newCount, stableRSReplicaCount: stableCount };
  const scaleDownCount = replicasToScaleDown - minAvailable;
  if (!isIncreasing) {
    newCount = scaleDownReplicaCount(newRS, desiredNew, scaleDownCount, newCount);
    [newCount, stableCount] = adjustReplicaWithinLimits(newRS, stableRS, newCount, stableCount, maxAllowed, minAvailable);
  } else if (stableRS) {
    stableCount = scaleDownReplicaCount(stableRS, desiredStable, scaleDownCount, stableCount);
    [stableCount, newCount] = adjustReplicaWithinLimits(stableRS, newRS, stableCount, newCount, maxAllowed, minAvailable);
  }
  return { newRSReplicaCount: newCount, stableRSReplicaCount: stableCount };
}

/** GetReplicasForScaleDown: spec replicas when availability may be ignored or is above spec, else available. */
function replicasForScaleDown(rs: ReplicaSetLike | undefined, ignoreAvailability: boolean): number {
  if (!rs) return 0;
  const available = rs.availableReplicas ?? 0;
  if (rs.replicas < available || ignoreAvailability) return rs.replicas;
  return available;
}

/** calculateScaleDownReplicaCount: the drained set goes down towards its desired count. */
function scaleDownReplicaCount(drainRS: ReplicaSetLike | undefined, desired: number, scaleDownCount: number, current: number): number {
  if (drainRS && drainRS.replicas > desired) return Math.max(desired, drainRS.replicas - scaleDownCount);
  return current;
}

/**
 * adjustReplicaWithinLimits: trims the other set back under replicas+maxSurge without breaking
 * minAvailable, then takes any remaining excess from the drained set.
 */
function adjustReplicaWithinLimits(drainRS: ReplicaSetLike | undefined, adjustRS: ReplicaSetLike | undefined, drainCount: number, adjustCount: number, maxAllowed: number, minAvailable: number): [number, number] {
  let overTheLimit = Math.max(0, adjustCount + drainCount - maxAllowed);
  let totalAvailable = drainRS ? Math.min(drainRS.availableReplicas ?? 0, drainCount) : 0;
  if (adjustRS) {
    const adjustAvailable = adjustRS.availableReplicas ?? 0;
    adjustCount -= overTheLimit;
    totalAvailable += Math.min(adjustAvailable, adjustCount);
    const extraAvailable = Math.max(0, adjustAvailable - adjustCount);
    const moreNeeded = Math.max(0, minAvailable - totalAvailable);
    adjustCount += Math.min(extraAvailable, moreNeeded);
    overTheLimit = Math.max(0, adjustCount + drainCount - maxAllowed);
    drainCount -= overTheLimit;
  }
  return [drainCount, adjustCount];
}

interface RolloutSpec {
  name: string;
  replicas: number;
  selector?: LabelSelector;
  template: PodTemplate;
  templateObject: unknown;
  minReadySeconds: number;
  progressDeadlineSeconds: number;
  progressDeadlineAbort: boolean;
  canary?: {
    steps: CanaryStep[];
    maxSurge: number | string;
    maxUnavailable: number | string;
    /**
     * `trafficRouting` is set (Istio, NGINX, ALB, SMI, ...): the router splits the traffic, so the
     * replicas follow CalculateReplicaCountsForTrafficRoutedCanary instead of the basic split.
     */
    trafficRouting?: { dynamicStableScale: boolean; minPodsPerReplicaSet?: number; scaleDownDelaySeconds: number };
  };
  blueGreen?: {
    activeService?: string;
    previewService?: string;
    autoPromotionEnabled: boolean;
    autoPromotionSeconds: number;
    scaleDownDelaySeconds: number;
    abortScaleDownDelaySeconds: number;
    previewReplicaCount?: number;
  };
}

/** maxSurge/maxUnavailable as Argo reads them: an int, "N%", or a digit string; else the default. */
function intOrPercent(value: unknown, fallback: number | string): number | string {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^\d+%$/.test(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return fallback;
}

export function parseRolloutSpec(object: Obj): RolloutSpec {
  const meta = isObj(object.metadata) ? object.metadata : {};
  const spec = isObj(object.spec) ? object.spec : {};
  const strategy = isObj(spec.strategy) ? spec.strategy : {};
  const result: RolloutSpec = {
    name: typeof meta.name === 'string' && meta.name !== '' ? meta.name : 'rollout',
    replicas: nonNegativeInt(spec.replicas, 1),
    selector: selectorOf(spec.selector),
    template: podTemplateOf(spec.template),
    templateObject: spec.template ?? null,
    minReadySeconds: nonNegativeInt(spec.minReadySeconds, 0),
    progressDeadlineSeconds: nonNegativeInt(spec.progressDeadlineSeconds, DEFAULT_PROGRESS_DEADLINE_SECONDS) || DEFAULT_PROGRESS_DEADLINE_SECONDS,
    progressDeadlineAbort: spec.progressDeadlineAbort === true,
  };
  if (isObj(strategy.blueGreen)) {
    const bg = strategy.blueGreen;
    result.blueGreen = {
      activeService: typeof bg.activeService === 'string' ? bg.activeService : undefined,
      previewService: typeof bg.previewService === 'string' ? bg.previewService : undefined,
      autoPromotionEnabled: bg.autoPromotionEnabled !== false,
      autoPromotionSeconds: nonNegativeInt(bg.autoPromotionSeconds, 0),
      scaleDownDelaySeconds: nonNegativeInt(bg.scaleDownDelaySeconds, DEFAULT_SCALE_DOWN_DELAY_SECONDS),
      abortScaleDownDelaySeconds: nonNegativeInt(bg.abortScaleDownDelaySeconds, DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS),
      previewReplicaCount: typeof bg.previewReplicaCount === 'number' ? nonNegativeInt(bg.previewReplicaCount, 0) : undefined,
    };
  } else {
    const canary = isObj(strategy.canary) ? strategy.canary : {};
    result.canary = { steps: parseCanarySteps(canary.steps), maxSurge: intOrPercent(canary.maxSurge, '25%'), maxUnavailable: intOrPercent(canary.maxUnavailable, '25%') };
    if (isObj(canary.trafficRouting)) {
      const min = typeof canary.minPodsPerReplicaSet === 'number' && Number.isInteger(canary.minPodsPerReplicaSet) && canary.minPodsPerReplicaSet > 0 ? canary.minPodsPerReplicaSet : undefined;
      result.canary.trafficRouting = { dynamicStableScale: canary.dynamicStableScale === true, ...(min !== undefined ? { minPodsPerReplicaSet: min } : {}), scaleDownDelaySeconds: nonNegativeInt(canary.scaleDownDelaySeconds, DEFAULT_SCALE_DOWN_DELAY_SECONDS) };
    }
  }
  return result;
}

/** What RolloutProgressing compares between two syncs. */
interface ProgressSnapshot {
  updated: number;
  old: number;
  ready: number;
  available: number;
  step: number;
  stable?: string;
  active?: string;
  preview?: string;
}

function progressed(before: ProgressSnapshot, now: ProgressSnapshot): boolean {
  return now.updated !== before.updated || now.old < before.old || now.ready > before.ready || now.available > before.available || now.step !== before.step || now.stable !== before.stable || now.active !== before.active || now.preview !== before.preview;
}

/** `kubectl argo rollouts` STATUS (CalculateRolloutPhase). */
export type RolloutPhase = 'Healthy' | 'Progressing' | 'Paused' | 'Degraded';

interface RolloutReplicaSet extends ReplicaSetLike {
  uid: string;
  hash: string;
  revision: number;
  readyReplicas: number;
  controller: ReplicaSetController;
}

export class RolloutController implements Controller {
  readonly kind = 'Rollout';
  readonly key: string;
  readonly uid: string;
  spec: RolloutSpec;
  readonly replicaSets: RolloutReplicaSet[] = [];
  private stableHash?: string;
  private currentStepIndex = 0;
  private pausedUntil?: number;
  /** blueGreen: when the old set may be scaled down after the switch. */
  private scaleDownAt?: number;
  private previewPointedAt?: string;
  private changed = false;
  /** The last time the update made progress (RolloutProgressing), and what it looked like then. */
  private lastProgressAt?: number;
  private lastSnapshot?: ProgressSnapshot;
  /** Progressing=False/ProgressDeadlineExceeded. */
  private timedOut = false;
  /** status.abort (progressDeadlineAbort), and when a blueGreen preview set goes. */
  private aborted = false;
  private abortScaleDownAt?: number;
  /** Traffic router: the canary weight the router sends (status.canary.weights), behind the desired one. */
  private routedWeight = 0;
  /** The hash each Service was last pointed at (status.blueGreen.activeSelector / previewSelector). */
  private pointed = new Map<string, string>();

  constructor(object: Obj) {
    this.spec = parseRolloutSpec(object);
    this.key = `Rollout/${this.spec.name}`;
    this.uid = `rollout-${this.spec.name}`;
  }

  get name(): string {
    return this.spec.name;
  }

  get objectName(): string {
    return `rollout.argoproj.io/${this.spec.name}`;
  }

  private get hash(): string {
    return computePodTemplateHash(this.spec.templateObject);
  }

  update(object: Record<string, unknown>): void {
    const next = parseRolloutSpec(object);
    if (computePodTemplateHash(next.templateObject) !== this.hash) {
      this.currentStepIndex = 0;
      this.pausedUntil = undefined;
      this.scaleDownAt = undefined;
      // resetRolloutStatus: a new update starts without abort, and its deadline from now
      this.aborted = false;
      this.abortScaleDownAt = undefined;
      this.timedOut = false;
      this.lastProgressAt = undefined;
      this.lastSnapshot = undefined;
      this.routedWeight = 0;
    }
    this.spec = { ...next, name: this.spec.name };
  }

  sync(world: World): boolean {
    this.changed = false;
    this.observe(world);
    const newRS = this.newReplicaSet(world);
    if (this.stableHash === undefined) {
      // First revision: no steps, it becomes stable at full size.
      this.stableHash = newRS.hash;
    }
    if (this.spec.blueGreen) this.syncBlueGreen(world, newRS);
    else this.syncCanary(world, newRS);
    for (const rs of this.replicaSets) this.changed = rs.controller.sync(world) || this.changed;
    this.observe(world);
    this.checkProgress(world, newRS);
    return this.changed;
  }

  /**
   * calculateRolloutConditions for an update in flight: progress restarts the deadline; a pause
   * (isIndefiniteStep) holds it; past it, ProgressDeadlineExceeded, and with progressDeadlineAbort
   * the abort (evaluateProgressDeadlineAbort, whose Warning the controller records with the
   * RolloutAborted condition's message).
   */
  private checkProgress(world: World, newRS: RolloutReplicaSet): void {
    const snapshot = this.snapshot(newRS);
    const previous = this.lastSnapshot;
    this.lastSnapshot = snapshot;
    if (this.stableHash === this.hash || this.aborted) return;
    if (this.lastProgressAt === undefined || this.indefiniteStep(world) || (previous && progressed(previous, snapshot))) {
      this.lastProgressAt = world.now;
      this.timedOut = false;
    }
    const deadline = this.lastProgressAt + this.spec.progressDeadlineSeconds;
    // RolloutTimedOut: lastUpdateTime + deadline before now; requeueStuckRollout comes back a second after it
    if (world.now <= deadline) {
      world.requeueAt(this.key, deadline + 1);
      return;
    }
    if (!this.timedOut) {
      this.timedOut = true;
      this.changed = true;
    }
    if (!this.spec.progressDeadlineAbort) return;
    const timeout = `ReplicaSet ${JSON.stringify(newRS.name)} has timed out progressing.`;
    world.event(this.objectName, timeout, 'Warning');
    world.event(this.objectName, `Rollout aborted update to revision ${newRS.revision}: ${timeout}`, 'Warning');
    this.aborted = true;
    this.pausedUntil = undefined;
    if (this.spec.blueGreen) this.abortScaleDownAt = world.now + this.spec.blueGreen.abortScaleDownDelaySeconds;
    this.changed = true;
    world.requeueAt(this.key, this.abortScaleDownAt ?? world.now);
  }

  /** isIndefiniteStep: at a pause, analysis or experiment step, or a blueGreen pause. */
  private indefiniteStep(world: World): boolean {
    if (this.spec.blueGreen) return this.pausedUntil !== undefined && world.now < this.pausedUntil;
    const step = this.spec.canary?.steps[this.currentStepIndex];
    return !!step && (step.pause !== undefined || step.other === 'analysis' || step.other === 'experiment');
  }

  private snapshot(newRS: RolloutReplicaSet): ProgressSnapshot {
    const total = this.replicaSets.reduce((n, rs) => n + (rs.statusReplicas ?? 0), 0);
    const bg = this.spec.blueGreen;
    return {
      updated: newRS.statusReplicas ?? 0,
      old: total - (newRS.statusReplicas ?? 0),
      ready: this.replicaSets.reduce((n, rs) => n + rs.readyReplicas, 0),
      available: getAvailableReplicaCountForReplicaSets(this.replicaSets),
      step: this.currentStepIndex,
      stable: this.stableHash,
      active: bg?.activeService !== undefined ? this.pointed.get(bg.activeService) : undefined,
      preview: bg?.previewService !== undefined ? this.pointed.get(bg.previewService) : undefined,
    };
  }

  /** CalculateRolloutPhase, for the STATUS column of `kubectl argo rollouts list rollouts`. */
  phase(world: World): RolloutPhase {
    if (this.aborted || this.timedOut) return 'Degraded';
    if (this.pausedUntil !== undefined && world.now < this.pausedUntil) return 'Paused';
    const newRS = this.replicaSets.find((rs) => rs.hash === this.hash);
    const updated = newRS?.statusReplicas ?? 0;
    const total = this.replicaSets.reduce((n, rs) => n + (rs.statusReplicas ?? 0), 0);
    if (updated < this.spec.replicas || (newRS?.availableReplicas ?? 0) < updated || total > updated || this.stableHash !== this.hash) return 'Progressing';
    return 'Healthy';
  }

  status(world: World): StatusRow[] {
    this.observe(world, false);
    const newRS = this.replicaSets.find((rs) => rs.hash === this.hash);
    const steps = this.spec.canary?.steps ?? [];
    const rows: StatusRow[] = [
      {
        object: this.objectName,
        columns: {
          // `kubectl argo rollouts list rollouts` (cmd/list/rollloutinfo.go newRolloutInfo)
          STRATEGY: this.spec.blueGreen ? 'BlueGreen' : 'Canary',
          STATUS: this.phase(world),
          STEP: steps.length > 0 ? `${Math.min(this.currentStepIndex, steps.length)}/${steps.length}` : '-',
          'SET-WEIGHT': this.spec.blueGreen ? '-' : this.currentWeight(steps),
          DESIRED: this.spec.replicas,
          CURRENT: this.replicaSets.reduce((n, rs) => n + (rs.statusReplicas ?? 0), 0),
          'UP-TO-DATE': newRS?.statusReplicas ?? 0,
          AVAILABLE: getAvailableReplicaCountForReplicaSets(this.replicaSets),
        },
      },
    ];
    for (const rs of this.replicaSets) rows.push({ object: rs.controller.objectName, columns: { DESIRED: rs.replicas, CURRENT: rs.statusReplicas ?? 0, READY: rs.readyReplicas } });
    return rows;
  }

  settled(world: World): boolean {
    this.observe(world, false);
    if (this.stableHash !== this.hash || this.pausedUntil !== undefined || this.scaleDownAt !== undefined) return false;
    return this.replicaSets.every((rs) => rs.statusReplicas === rs.replicas && rs.controller.counts.terminating === 0 && (rs.hash !== this.hash || rs.availableReplicas === this.spec.replicas));
  }

  conditions(): string[] {
    if (this.aborted) return ['Progressing=False/RolloutAborted'];
    if (this.timedOut) return ['Progressing=False/ProgressDeadlineExceeded'];
    return this.stableHash === this.hash ? ['Progressing=True/RolloutCompleted'] : [`Progressing=True/RolloutStep${this.currentStepIndex}`];
  }

  /** Recounts every set; `fresh` false reuses a recount made at this instant (reads between syncs). */
  private observe(world: World, fresh = true): void {
    for (const rs of this.replicaSets) {
      const counts = fresh ? rs.controller.observe(world) : rs.controller.current(world);
      rs.statusReplicas = counts.replicas;
      rs.readyReplicas = counts.readyReplicas;
      rs.availableReplicas = counts.availableReplicas;
    }
  }

  private newReplicaSet(world: World): RolloutReplicaSet {
    const hash = this.hash;
    const existing = this.replicaSets.find((rs) => rs.hash === hash);
    if (existing) return existing;
    const name = `${this.spec.name}-${hash}`;
    const uid = `replicaset-${name}-${this.replicaSets.length}`;
    const owner: OwnerRef = { kind: 'Rollout', name: this.spec.name, uid: this.uid };
    const template: PodTemplate = { ...this.spec.template, labels: { ...this.spec.template.labels, [POD_TEMPLATE_HASH_LABEL]: hash } };
    const selector: LabelSelector = { ...(this.spec.selector ?? {}), matchLabels: { ...(this.spec.selector?.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
    const controller = new ReplicaSetController({ name, replicas: 0, selector, template, minReadySeconds: this.spec.minReadySeconds, revision: hash }, { owner, uid, requeueKey: this.key });
    const revision = Math.max(0, ...this.replicaSets.map((rs) => rs.revision)) + 1;
    const rs: RolloutReplicaSet = { name, uid, hash, revision, replicas: 0, statusReplicas: 0, availableReplicas: 0, readyReplicas: 0, createdAt: world.now, controller };
    this.replicaSets.push(rs);
    this.changed = true;
    return rs;
  }

  /** Argo's ScalingReplicaSet event words. */
  private scale(world: World, rs: RolloutReplicaSet, replicas: number): void {
    if (rs.replicas === replicas) return;
    world.event(this.objectName, `Scaled ${replicas > rs.replicas ? 'up' : 'down'} ReplicaSet ${rs.name} (revision ${rs.revision}) from ${rs.replicas} to ${replicas}`);
    rs.replicas = replicas;
    rs.controller.setReplicas(replicas);
    this.changed = true;
  }

  /** GetCurrentSetWeight: 0 once aborted; the last setWeight at or before the current step; 100 past the last step. */
  private currentWeight(steps: CanaryStep[]): number {
    if (this.aborted) return 0;
    if (this.currentStepIndex >= steps.length) return 100;
    for (let i = this.currentStepIndex; i >= 0; i--) if (steps[i].setWeight !== undefined) return steps[i].setWeight as number;
    return 0;
  }

  private syncCanary(world: World, newRS: RolloutReplicaSet): void {
    const canary = this.spec.canary ?? { steps: [], maxSurge: '25%', maxUnavailable: '25%' };
    const stableRS = this.replicaSets.find((rs) => rs.hash === this.stableHash);
    const others = this.replicaSets.filter((rs) => rs !== newRS && rs !== stableRS);
    // With a traffic router the old stable set stays up scaleDownDelaySeconds after the promotion
    // (the router may still send it traffic), then goes.
    if (this.scaleDownAt !== undefined && world.now < this.scaleDownAt) world.requeueAt(this.key, this.scaleDownAt);
    else {
      this.scaleDownAt = undefined;
      for (const rs of others) this.scale(world, rs, 0);
    }
    if (canary.trafficRouting && stableRS && stableRS !== newRS) {
      this.syncTrafficRoutedCanary(world, canary.steps, canary.trafficRouting, newRS, stableRS, others);
      return;
    }
    if (!stableRS || stableRS === newRS) {
      this.scale(world, newRS, this.spec.replicas);
      return;
    }
    const input = () => ({ replicas: this.spec.replicas, weight: this.currentWeight(canary.steps), maxSurge: canary.maxSurge, maxUnavailable: canary.maxUnavailable, newRS, stableRS, otherRSs: others });
    const counts = calculateReplicaCountsForCanary(input());
    this.scale(world, newRS, counts.newRSReplicaCount);
    this.scale(world, stableRS, counts.stableRSReplicaCount);
    // At the step's goal when recomputing from the new sizes asks for no further change.
    if (this.aborted || !this.atDesiredCounts(newRS, stableRS, calculateReplicaCountsForCanary(input()), others)) return;
    this.stepForward(world, canary.steps, newRS);
  }

  /**
   * CalculateReplicaCountsForTrafficRoutedCanary (utils/replicaset/canary.go): the canary runs
   * ceil(weight x replicas / 100) pods (setCanaryScale's replicas or weight when a step set one;
   * minPodsPerReplicaSet at least), and the stable set stays at full size, or, with
   * dynamicStableScale, at ceil((100 - weight) x replicas / 100). A step is done when both sets are
   * at their counts and all of their pods available (AtDesiredReplicaCountsForCanary).
   *
   * Worked example: 10 replicas, setWeight 25, no dynamicStableScale -> 3 canary pods beside the 10
   * stable ones (13 pods: the cluster needs room for them all), where the basic canary runs 3 and 8.
   */
  private syncTrafficRoutedCanary(world: World, steps: CanaryStep[], routing: NonNullable<NonNullable<RolloutSpec['canary']>['trafficRouting']>, newRS: RolloutReplicaSet, stableRS: RolloutReplicaSet, others: RolloutReplicaSet[]): void {
    const replicas = this.spec.replicas;
    const weight = this.currentWeight(steps);
    const toReplicas = (w: number) => Math.ceil((w * replicas) / 100);
    // CheckMinPodsPerReplicaSet: never fewer than minPodsPerReplicaSet (capped at replicas), except 0
    const atLeast = (n: number) => (n === 0 || routing.minPodsPerReplicaSet === undefined ? n : Math.max(n, Math.min(routing.minPodsPerReplicaSet, replicas)));
    const scale = this.aborted ? undefined : setCanaryScaleAt(steps, this.currentStepIndex);
    const canaryCount = scale?.replicas !== undefined ? scale.replicas : atLeast(toReplicas(scale?.weight ?? weight));
    // The router shifts the weight once the canary can take it (reconcileTrafficRouting); dynamic
    // stable scaling keeps the stable set sized for the larger of the desired and the actual stable weight.
    if (newRS.replicas === canaryCount && newRS.availableReplicas === canaryCount) this.routedWeight = weight;
    const stableCount = routing.dynamicStableScale ? atLeast(Math.max(toReplicas(100 - weight), toReplicas(100 - this.routedWeight))) : replicas;
    // reconcileCanaryStableReplicaSet runs before reconcileNewReplicaSet
    this.scale(world, stableRS, stableCount);
    this.scale(world, newRS, canaryCount);
    if (this.aborted) return;
    const done = newRS.replicas === canaryCount && newRS.availableReplicas === canaryCount && stableRS.replicas === stableCount && stableRS.availableReplicas === stableCount && getAvailableReplicaCountForReplicaSets(others) === 0;
    if (!done) return;
    const completing = this.currentStepIndex >= steps.length;
    this.stepForward(world, steps, newRS);
    if (completing) {
      this.scaleDownAt = world.now + routing.scaleDownDelaySeconds;
      world.requeueAt(this.key, this.scaleDownAt);
    }
  }

  /**
   * AtDesiredReplicaCountsForCanary (basic canary): the new set at this sync's count and all of it
   * available, the stable set at its count and all of it created, older sets without available pods.
   */
  private atDesiredCounts(newRS: RolloutReplicaSet, stableRS: RolloutReplicaSet, counts: { newRSReplicaCount: number; stableRSReplicaCount: number }, others: RolloutReplicaSet[]): boolean {
    return (
      newRS.replicas === counts.newRSReplicaCount &&
      newRS.availableReplicas === counts.newRSReplicaCount &&
      stableRS.replicas === counts.stableRSReplicaCount &&
      stableRS.statusReplicas === counts.stableRSReplicaCount &&
      getAvailableReplicaCountForReplicaSets(others) === 0
    );
  }

  private stepForward(world: World, steps: CanaryStep[], newRS: RolloutReplicaSet): void {
    if (this.currentStepIndex >= steps.length) {
      this.stableHash = newRS.hash;
      world.event(this.objectName, `Rollout completed update to revision ${newRS.revision} (${newRS.hash}): Completed all ${steps.length} canary steps`);
      this.changed = true;
      return;
    }
    const step = steps[this.currentStepIndex];
    const label = `Rollout step ${this.currentStepIndex + 1}/${steps.length}`;
    if (step.pause) {
      if (this.pausedUntil === undefined) {
        const manual = step.pause.duration === null;
        const seconds = manual ? MANUAL_PROMOTION_SECONDS : step.pause.duration ?? 0;
        this.pausedUntil = world.now + seconds;
        world.event(
          this.objectName,
          manual ? `Rollout is paused (CanaryPauseStep): waiting for promotion; simulated \`kubectl argo rollouts promote\` after ${seconds}s` : `Rollout is paused (CanaryPauseStep) for ${seconds}s`,
        );
        this.changed = true;
      }
      if (world.now < this.pausedUntil) {
        world.requeueAt(this.key, this.pausedUntil);
        return;
      }
      this.pausedUntil = undefined;
      world.event(this.objectName, `${label} completed (pause)`);
    } else if (step.setWeight !== undefined) {
      world.event(this.objectName, `${label} completed (setWeight: ${step.setWeight})`);
    } else if (step.setCanaryScale) {
      // CanaryStepString; without a traffic router the step changes nothing (UseSetCanaryScale)
      const scale = step.setCanaryScale;
      const text = scale.weight !== undefined ? `weight: ${scale.weight}` : scale.matchTrafficWeight ? 'matchTrafficWeight: true' : `replicas: ${scale.replicas ?? 0}`;
      world.event(this.objectName, `${label} completed (setCanaryScale{${text}})`);
    } else {
      world.event(this.objectName, `${label} (${step.other}) is not simulated: skipped`, 'Warning');
    }
    this.currentStepIndex++;
    this.changed = true;
  }

  private syncBlueGreen(world: World, newRS: RolloutReplicaSet): void {
    const bg = this.spec.blueGreen;
    if (!bg) return;
    const activeRS = this.replicaSets.find((rs) => rs.hash === this.stableHash);
    if (!activeRS || activeRS === newRS) {
      this.scale(world, newRS, this.spec.replicas);
      this.pointService(world, bg.activeService, newRS.hash);
      this.pointService(world, bg.previewService, newRS.hash);
      this.retireOld(world, newRS);
      return;
    }
    if (this.aborted) {
      // the active Service stays on the stable set; the preview set goes after abortScaleDownDelaySeconds
      this.pointService(world, bg.activeService, activeRS.hash);
      if (this.abortScaleDownAt !== undefined && world.now < this.abortScaleDownAt) world.requeueAt(this.key, this.abortScaleDownAt);
      else this.scale(world, newRS, 0);
      return;
    }
    // The new set runs behind the preview Service; the active one keeps the stable set.
    const previewSize = bg.previewReplicaCount ?? this.spec.replicas;
    this.scale(world, newRS, Math.max(newRS.replicas, previewSize));
    this.pointService(world, bg.activeService, activeRS.hash);
    if (this.previewPointedAt !== newRS.hash) {
      this.pointService(world, bg.previewService, newRS.hash);
      this.previewPointedAt = newRS.hash;
    }
    if (newRS.availableReplicas !== newRS.replicas) return;
    if (this.pausedUntil === undefined) {
      const seconds = bg.autoPromotionEnabled ? bg.autoPromotionSeconds : MANUAL_PROMOTION_SECONDS;
      this.pausedUntil = world.now + seconds;
      if (!bg.autoPromotionEnabled) world.event(this.objectName, `Rollout is paused (BlueGreenPause): autoPromotionEnabled is false; simulated \`kubectl argo rollouts promote\` after ${seconds}s`);
      this.changed = true;
    }
    if (world.now < this.pausedUntil) {
      world.requeueAt(this.key, this.pausedUntil);
      return;
    }
    // Promotion needs the full size behind the active Service.
    if (newRS.replicas < this.spec.replicas) {
      this.scale(world, newRS, this.spec.replicas);
      return;
    }
    this.pausedUntil = undefined;
    this.stableHash = newRS.hash;
    this.pointService(world, bg.activeService, newRS.hash);
    this.scaleDownAt = world.now + bg.scaleDownDelaySeconds;
    world.event(this.objectName, `Switched active Service ${bg.activeService ?? '(none)'} to revision ${newRS.revision} (${newRS.hash}); old ReplicaSet scaled down in ${bg.scaleDownDelaySeconds}s`);
    this.changed = true;
    world.requeueAt(this.key, this.scaleDownAt);
  }

  /** Old sets go to 0 once the scale-down delay after the switch has passed. */
  private retireOld(world: World, stable: RolloutReplicaSet): void {
    if (this.scaleDownAt !== undefined && world.now < this.scaleDownAt) {
      world.requeueAt(this.key, this.scaleDownAt);
      return;
    }
    this.scaleDownAt = undefined;
    for (const rs of this.replicaSets) if (rs !== stable) this.scale(world, rs, 0);
  }

  private pointService(world: World, service: string | undefined, hash: string): void {
    if (!service) return;
    this.pointed.set(service, hash);
    const current = world.services().find((s) => s.name === service);
    if (!current || current.selector[POD_TEMPLATE_HASH_LABEL] === hash) return;
    world.setServiceSelector(service, { ...current.selector, [POD_TEMPLATE_HASH_LABEL]: hash });
    this.changed = true;
  }
}

export function createRolloutController(object: Obj): RolloutController {
  return new RolloutController(object);
}
