// Argo Rollouts (argoproj.io/v1alpha1 Rollout): the controller keeps a stable and a canary
// ReplicaSet itself. Without a traffic router, canary steps (setWeight, pause) size the two sets with
// CalculateReplicaCountsForBasicCanary (utils/replicaset/canary.go: the split closest to the weight,
// bounded by maxSurge/maxUnavailable) and traffic follows the endpoints. With `trafficRouting` the
// sets follow CalculateReplicaCountsForTrafficRoutedCanary (the canary sized by the weight or
// setCanaryScale beside a full stable set, or a shrinking one with dynamicStableScale), and the
// router sends the canary the step's weight (reconcileTrafficRouting; the view's traffic follows it,
// not the endpoints). Analysis and experiment steps run (argo-analysis.ts, argo-experiment.ts);
// a failed run aborts the update. blueGreen runs the new set at full size
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
import { serviceSelectorMatches, type LabelSelector } from '../../k8s/labels';
import type { Controller, OwnerRef, PodTemplate, StatusRow, TrafficRule, World } from '../types';
import { nonNegativeInt, podTemplateOf, ReplicaSetController, selectorOf } from '../controllers/replicaset/controller';
import { createDeploymentController, POD_TEMPLATE_HASH_LABEL, type DeploymentController } from '../controllers/deployment/controller';
import { computePodTemplateHash, getAvailableReplicaCountForReplicaSets, getReplicaCountForReplicaSets, maxSurge, maxUnavailable, type DeploymentLike, type ReplicaSetLike } from '../controllers/deployment/util';
import { type Obj, isObj } from '../objects';
import { parseArgoDuration } from './argo-duration';
import { analysisAbortMessage, analysisOutcome, analysisRunEvent, analysisTemplatesFrom, parseAnalysisRef, type AnalysisRef, type AnalysisRunState, type AnalysisTemplates } from './argo-analysis';
import { ArgoExperiment, parseExperimentStep, type ExperimentStep } from './argo-experiment';
import type { AnalysisFaultPhase, InconclusiveAction } from '../result';
import type { ReferencedWorkload, ScaleDownPolicy } from './argo-workload-ref';

/** Argo's defaults (utils/defaults). */
const DEFAULT_SCALE_DOWN_DELAY_SECONDS = 30;
const DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS = 30;
const DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
/** An indefinite pause (`pause: {}`) waits for `kubectl argo rollouts promote`; the simulation promotes after this long. */
export const MANUAL_PROMOTION_SECONDS = 60;

export interface CanaryStep {
  setWeight?: number;
  /** Seconds; null = indefinite (manual promotion); `text` as written, for CanaryStepString (`pause: 30s`). */
  pause?: { duration: number | null; text?: string };
  /** setCanaryScale (with a traffic router only: UseSetCanaryScale): a canary size apart from the weight. */
  setCanaryScale?: { replicas?: number; weight?: number; matchTrafficWeight?: boolean };
  /** An AnalysisRun of these templates; the step completes when it is Successful. */
  analysis?: AnalysisRef;
  /** An Experiment; the step completes when it is Successful. */
  experiment?: ExperimentStep;
  /**
   * setHeaderRoute / setMirrorRoute (a traffic router's managed routes): the router sends requests
   * that match to the canary, or a copy of `percent` of them; `rule` says which in words, and a
   * route without a match is removed. The step completes at once (completedCurrentCanaryStep).
   */
  route?: ManagedRoute;
  /**
   * A step plugin (Argo 1.8+, rollout/stepplugin.go): an external binary kdry cannot run; it is
   * assumed to succeed at once, as an AnalysisRun is without a fault.
   */
  plugin?: { name: string };
  /** A step of no kind Argo knows (CanaryStepString "invalid"): skipped. */
  other?: string;
}

export interface ManagedRoute {
  kind: 'setHeaderRoute' | 'setMirrorRoute';
  name: string;
  /** The match in words (`header X-Canary: yes`). */
  rule: string;
  /** No `match` at all: the step removes the route (an empty match list or empty matches do not). */
  remove: boolean;
  /** setMirrorRoute: the percentage of matching requests mirrored (default 100). */
  percent?: number;
}

/** A managed route step as Argo's types have it (v1alpha1 SetHeaderRoute, SetMirrorRoute). */
function parseManagedRoute(kind: ManagedRoute['kind'], value: Obj): ManagedRoute {
  const name = typeof value.name === 'string' ? value.name : '';
  const matches = (Array.isArray(value.match) ? value.match : []).filter(isObj);
  const words = matches.flatMap((m): string[] => {
    // HeaderRoutingMatch {headerName, headerValue: {exact|prefix|regex}}; a mirror's RouteMatch {method, path, headers}
    const stringMatch = (v: unknown) => (isObj(v) ? Object.entries(v).filter(([, x]) => typeof x === 'string').map(([how, x]) => (how === 'exact' ? String(x) : `${how} ${String(x)}`)).join(' ') : '');
    if (typeof m.headerName === 'string') return [`header ${m.headerName}: ${stringMatch(m.headerValue)}`];
    const parts: string[] = [];
    if (isObj(m.method)) parts.push(`method ${stringMatch(m.method)}`);
    if (isObj(m.path)) parts.push(`path ${stringMatch(m.path)}`);
    if (isObj(m.headers)) for (const [header, v] of Object.entries(m.headers)) parts.push(`header ${header}: ${stringMatch(v)}`);
    return parts.length > 0 ? [parts.join(', ')] : [];
  });
  const percent = typeof value.percentage === 'number' && Number.isInteger(value.percentage) ? Math.min(100, Math.max(0, value.percentage)) : 100;
  // the routers remove a managed route only when `match` is nil (istio.go, alb.go, apisix.go: Match == nil)
  const remove = value.match === undefined || value.match === null;
  return { kind, name, rule: words.length > 0 ? words.join(' or ') : '{}', remove, ...(kind === 'setMirrorRoute' ? { percent } : {}) };
}

export function parseCanarySteps(steps: unknown): CanaryStep[] {
  if (!Array.isArray(steps)) return [];
  return steps.filter(isObj).map((s): CanaryStep => {
    if (typeof s.setWeight === 'number') return { setWeight: Math.min(100, Math.max(0, s.setWeight)) };
    if (isObj(s.pause)) {
      const written = s.pause.duration;
      const text = typeof written === 'string' || typeof written === 'number' ? String(written) : undefined;
      return { pause: { duration: written === undefined ? null : (parseArgoDuration(written) ?? null), ...(text !== undefined ? { text } : {}) } };
    }
    if (isObj(s.setCanaryScale)) {
      const scale = s.setCanaryScale;
      const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
      return { setCanaryScale: { replicas: count(scale.replicas), weight: count(scale.weight), matchTrafficWeight: scale.matchTrafficWeight === true } };
    }
    const analysis = parseAnalysisRef(s.analysis);
    if (analysis) return { analysis };
    const experiment = parseExperimentStep(s.experiment);
    if (experiment) return { experiment };
    if (isObj(s.setHeaderRoute)) return { route: parseManagedRoute('setHeaderRoute', s.setHeaderRoute) };
    if (isObj(s.setMirrorRoute)) return { route: parseManagedRoute('setMirrorRoute', s.setMirrorRoute) };
    if (isObj(s.plugin)) return { plugin: { name: typeof s.plugin.name === 'string' ? s.plugin.name : '' } };
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
    trafficRouting?: {
      dynamicStableScale: boolean;
      minPodsPerReplicaSet?: number;
      scaleDownDelaySeconds: number;
      /** The router as `kubectl argo rollouts` would name it: `nginx (stableIngress web)`, `istio (virtualService web)`. */
      router: string;
      /**
       * GetAbortScaleDownDelaySecondsOrDefault: seconds before an aborted canary goes (default 30);
       * null for `abortScaleDownDelaySeconds: 0`, which leaves it up.
       */
      abortScaleDownDelaySeconds: number | null;
      /** HasExplicitAbortScaleDownDelay. */
      abortScaleDownDelayExplicit: boolean;
    };
    /** Services the controller points at the stable and the canary ReplicaSet (reconcileStableAndCanaryService). */
    stableService?: string;
    canaryService?: string;
    /** Background analysis (`canary.analysis`), from `startingStep` (0-based) on. */
    analysis?: AnalysisRef & { startingStep: number };
  };
  blueGreen?: {
    activeService?: string;
    previewService?: string;
    autoPromotionEnabled: boolean;
    autoPromotionSeconds: number;
    scaleDownDelaySeconds: number;
    /** null for `abortScaleDownDelaySeconds: 0`: the preview set is left up. */
    abortScaleDownDelaySeconds: number | null;
    previewReplicaCount?: number;
    prePromotionAnalysis?: AnalysisRef;
    postPromotionAnalysis?: AnalysisRef;
  };
}

/** The router named by its kind and the object it steers (trafficRouting's first router). */
function routerName(routing: Obj): string {
  const [kind] = Object.keys(routing).filter((k) => isObj(routing[k]) || Array.isArray(routing[k]));
  if (!kind) return 'traffic router';
  const config = isObj(routing[kind]) ? (routing[kind] as Obj) : {};
  const named = (key: string, value: unknown) => (typeof value === 'string' && value !== '' ? ` (${key} ${value})` : '');
  const virtualService = isObj(config.virtualService) ? config.virtualService.name : undefined;
  return kind + (named('stableIngress', config.stableIngress) || named('ingress', config.ingress) || named('virtualService', virtualService) || named('rootService', config.rootService) || named('trafficSplitName', config.trafficSplitName));
}

/** GetAbortScaleDownDelaySecondsOrDefault: the default 30, null for an explicit 0. */
function abortDelayOf(value: unknown): { seconds: number | null; explicit: boolean } {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) return { seconds: DEFAULT_ABORT_SCALE_DOWN_DELAY_SECONDS, explicit: false };
  return { seconds: value === 0 ? null : value, explicit: true };
}

type TrafficRouting = NonNullable<NonNullable<RolloutSpec['canary']>['trafficRouting']>;

/** The setWeight of the last step before `index` that has one (reconcileTrafficRouting while a step's sets are not ready), else 0. */
function previousSetWeight(steps: CanaryStep[], index: number): number {
  for (let i = index - 1; i >= 0; i--) if (steps[i].setWeight !== undefined) return steps[i].setWeight as number;
  return 0;
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
      abortScaleDownDelaySeconds: abortDelayOf(bg.abortScaleDownDelaySeconds).seconds,
      previewReplicaCount: typeof bg.previewReplicaCount === 'number' ? nonNegativeInt(bg.previewReplicaCount, 0) : undefined,
      prePromotionAnalysis: parseAnalysisRef(bg.prePromotionAnalysis),
      postPromotionAnalysis: parseAnalysisRef(bg.postPromotionAnalysis),
    };
  } else {
    const canary = isObj(strategy.canary) ? strategy.canary : {};
    result.canary = { steps: parseCanarySteps(canary.steps), maxSurge: intOrPercent(canary.maxSurge, '25%'), maxUnavailable: intOrPercent(canary.maxUnavailable, '25%') };
    if (isObj(canary.trafficRouting)) {
      const min = typeof canary.minPodsPerReplicaSet === 'number' && Number.isInteger(canary.minPodsPerReplicaSet) && canary.minPodsPerReplicaSet > 0 ? canary.minPodsPerReplicaSet : undefined;
      const abortDelay = abortDelayOf(canary.abortScaleDownDelaySeconds);
      result.canary.trafficRouting = {
        dynamicStableScale: canary.dynamicStableScale === true,
        ...(min !== undefined ? { minPodsPerReplicaSet: min } : {}),
        scaleDownDelaySeconds: nonNegativeInt(canary.scaleDownDelaySeconds, DEFAULT_SCALE_DOWN_DELAY_SECONDS),
        router: routerName(canary.trafficRouting),
        abortScaleDownDelaySeconds: abortDelay.seconds,
        abortScaleDownDelayExplicit: abortDelay.explicit,
      };
    }
    if (typeof canary.stableService === 'string' && canary.stableService !== '') result.canary.stableService = canary.stableService;
    if (typeof canary.canaryService === 'string' && canary.canaryService !== '') result.canary.canaryService = canary.canaryService;
    const background = parseAnalysisRef(canary.analysis);
    if (background) result.canary.analysis = { ...background, startingStep: isObj(canary.analysis) ? nonNegativeInt(canary.analysis.startingStep, 0) : 0 };
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

/** v1alpha1.PauseReason. */
type PauseReason = 'CanaryPauseStep' | 'BlueGreenPause' | 'InconclusiveAnalysis' | 'InconclusiveExperiment';

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
  /** The pauses kdry promoted itself (a person's `kubectl argo rollouts promote`), when it did: said in the notes, not the events. */
  private readonly promotions: string[] = [];
  /** `--fail analysis...,inconclusive,promote|abort`: what the person does at the Inconclusive pause, and when. */
  private decision?: { at: number; action: InconclusiveAction; reason: string };
  /** Steps kdry could not run (a step plugin, an unknown step), said in the notes: Argo records no event of kdry's assumption. */
  private readonly unrun = new Set<string>();
  /** The person acted once already (a second Inconclusive pause waits); what they did, for the notes. */
  private readonly decided: string[] = [];
  /**
   * A promote left status.controllerPause set with no pause condition: for the rest of this sync a
   * pause step counts as promoted (CompletedCanaryPauseStep); the status written after it has
   * controllerPause false again (CalculatePauseConditions sets it only with a condition).
   */
  private promotedThisSync = false;
  /** blueGreen: when the old set may be scaled down after the switch. */
  private scaleDownAt?: number;
  private previewPointedAt?: string;
  /** blueGreen: the active Service was switched to this hash, and post-promotion analysis runs. */
  private switchedTo?: string;
  private changed = false;
  /** The last time the update made progress (RolloutProgressing), and what it looked like then. */
  private lastProgressAt?: number;
  private lastSnapshot?: ProgressSnapshot;
  /** Progressing=False/ProgressDeadlineExceeded. */
  private timedOut = false;
  /** status.abort (progressDeadlineAbort), and when a blueGreen preview set goes. */
  private aborted = false;
  private abortScaleDownAt?: number;
  /**
   * status.pauseConditions in the order they were added (pauseContext.AddPauseCondition): a canary
   * pause step or the blueGreen pause until it ends or kdry promotes it; an Inconclusive AnalysisRun
   * or Experiment until `kubectl argo rollouts promote` or `abort`, which kdry does not simulate.
   */
  private pauseConditions: PauseReason[] = [];
  /** A pause ended (checkPausedConditions left Paused=False/RolloutPaused, which stays). */
  private resumed = false;
  /** A new revision cleared the pause conditions (resetRolloutStatus): the next sync says the resume. */
  private clearedByUpdate = false;
  /** The router's managed routes set by setHeaderRoute / setMirrorRoute steps, by name (removed on promotion and abort). */
  private routes = new Map<string, ManagedRoute>();
  /** Traffic router: the canary weight the router sends (status.canary.weights), behind the desired one. */
  private routedWeight = 0;
  /** The router's weight as the status had it when this sync began (rollout.Status.Canary.Weights). */
  private statusWeight?: number;
  /** The router has set a weight (status.canary.weights is not nil). */
  private weightsSet = false;
  /** The hash each Service was last pointed at (status.blueGreen.activeSelector / previewSelector). */
  private pointed = new Map<string, string>();
  /** The AnalysisRuns of this update (status.canary.currentStepAnalysisRunStatus and friends). */
  private runs: AnalysisRunState[] = [];
  /** The experiment of the current step, and ended ones whose sets are still going. */
  private experiment?: ArgoExperiment;
  private pastExperiments: ArgoExperiment[] = [];
  private readonly analysisTemplates: AnalysisTemplates;
  /** A migration: the Rollout is not created yet (its workloadRef Deployment runs alone). */
  private dormant: boolean;
  /** The workloadRef Deployment, run beside the Rollout and scaled as `scaleDown` says. */
  private referenced?: { policy: ScaleDownPolicy; object: Obj; controller: DeploymentController; scale?: number };
  private collisionCount?: number;

  /**
   * `objects`: the Rollout's scope, where its AnalysisTemplates are looked up; `migrating`: the
   * Rollout does not exist until update() (its Deployment runs); `workloadRef`: the workload
   * resolveWorkloadRef took the template from (a Deployment is scaled as `scaleDown` says).
   */
  constructor(object: Obj, objects: readonly unknown[] = [], migrating = false, workloadRef?: ReferencedWorkload) {
    this.spec = parseRolloutSpec(object);
    this.key = `Rollout/${this.spec.name}`;
    this.uid = `rollout-${this.spec.name}`;
    this.analysisTemplates = analysisTemplatesFrom(objects);
    this.dormant = migrating;
    const ref = workloadRef?.ref;
    const deployment = ref?.kind === 'Deployment' ? workloadRef?.workload : undefined;
    if (ref && deployment) {
      this.referenced = { policy: ref.scaleDown, object: deployment, controller: createDeploymentController(deployment) };
      // two sets named <name>-<hash> would collide: the create fails and Argo retries with status.collisionCount 1
      if (deployment.metadata && (deployment.metadata as Obj).name === this.spec.name) this.collisionCount = 1;
    }
  }

  get name(): string {
    return this.spec.name;
  }

  get objectName(): string {
    return `rollout.argoproj.io/${this.spec.name}`;
  }

  private get hash(): string {
    return computePodTemplateHash(this.spec.templateObject, this.collisionCount);
  }

  update(object: Record<string, unknown>): void {
    this.dormant = false;
    const next = parseRolloutSpec(object);
    if (computePodTemplateHash(next.templateObject, this.collisionCount) !== this.hash) {
      this.currentStepIndex = 0;
      this.pausedUntil = undefined;
      this.scaleDownAt = undefined;
      // resetRolloutStatus: a new update starts without abort, and its deadline from now
      this.aborted = false;
      this.abortScaleDownAt = undefined;
      if (this.pauseConditions.length > 0) this.clearedByUpdate = true;
      this.pauseConditions = [];
      this.routes.clear();
      this.timedOut = false;
      this.lastProgressAt = undefined;
      this.lastSnapshot = undefined;
      this.runs = [];
      this.endExperiment();
    }
    this.spec = { ...next, name: this.spec.name };
  }

  sync(world: World): boolean {
    this.changed = false;
    if (this.referenced) this.changed = this.referenced.controller.sync(world) || this.changed;
    if (this.dormant) return this.changed;
    if (this.clearedByUpdate) this.resume(world);
    this.observe(world);
    const newRS = this.newReplicaSet(world);
    this.actOnInconclusivePause(world, newRS);
    if (this.stableHash === undefined) {
      // First revision: no steps, it becomes stable at full size (shouldFullPromote "Initial deploy":
      // promoteStable puts the step index past the last step).
      this.stableHash = newRS.hash;
      this.currentStepIndex = this.spec.canary?.steps.length ?? 0;
    }
    if (this.spec.blueGreen) this.syncBlueGreen(world, newRS);
    else this.syncCanary(world, newRS);
    for (const rs of this.replicaSets) this.changed = rs.controller.sync(world) || this.changed;
    for (const ex of this.experiments()) this.changed = ex.sync(world, this.key) || this.changed;
    this.scaleReferencedDeployment(world, newRS);
    this.observe(world);
    this.checkProgress(world, newRS);
    this.promotedThisSync = false;
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
    // paused (checkPausedConditions: Progressing Unknown/RolloutPaused), no deadline runs: nothing to wake up for
    if (this.stableHash === this.hash || this.aborted || this.pauseReason) return;
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
    this.abort(world, newRS, timeout);
  }

  /**
   * pauseContext.AddAbort, then calculateRolloutConditions' RolloutAborted condition and Warning
   * (`Rollout aborted update to revision 2: <why>`). The set weight falls to 0; a canary's step
   * index goes back to 0 (syncRolloutStatusCanary); analyses and experiments are cancelled
   * (reconcileAnalysisRuns, reconcileExperiments). A blueGreen preview set, or a traffic-routed
   * canary, goes abortScaleDownDelaySeconds later (shouldDelayScaleDownOnAbort).
   */
  private abort(world: World, newRS: RolloutReplicaSet, message?: string): void {
    if (this.aborted) return;
    // conditions.RolloutAbortedMessage, with the pause context's abort message when the controller aborted
    world.event(this.objectName, `Rollout aborted update to revision ${newRS.revision}${message ? `: ${message}` : ''}`, 'Warning');
    this.aborted = true;
    this.pausedUntil = undefined;
    // the abort clears status.pauseConditions; sendStateChangeEvents does not call that a resume
    this.pauseConditions = [];
    if (this.spec.canary && this.spec.canary.steps.length > 0) this.currentStepIndex = 0;
    for (const run of this.runs) if (run.phase === 'Running') run.phase = 'Failed';
    this.endExperiment();
    const delay = this.spec.blueGreen?.abortScaleDownDelaySeconds;
    if (this.spec.blueGreen && delay !== null && delay !== undefined) this.abortScaleDownAt = world.now + delay;
    this.changed = true;
    world.requeueAt(this.key, this.abortScaleDownAt ?? world.now);
  }

  /**
   * workloadRef scaleDown (rollout/replicaset.go reconcileNewReplicaSet, rollout/sync.go): only while
   * the Rollout's first revision is the new one. progressively: to replicas - ready while it comes
   * up, 0 once Healthy; onsuccess: 0 once Healthy; never: left alone (scaleDeployment).
   */
  private scaleReferencedDeployment(world: World, newRS: RolloutReplicaSet): void {
    const ref = this.referenced;
    if (!ref || ref.policy === 'never' || newRS.revision !== 1) return;
    const healthy = this.phase(world) === 'Healthy';
    let target: number | undefined;
    if (healthy) target = 0;
    else if (ref.policy === 'progressively') {
      const ready = this.replicaSets.reduce((n, rs) => n + rs.readyReplicas, 0);
      if (ready > 0) target = Math.max(0, this.spec.replicas - ready);
    }
    if (target === undefined || target === ref.scale) return;
    ref.scale = target;
    const spec = isObj(ref.object.spec) ? ref.object.spec : {};
    ref.controller.update({ ...ref.object, spec: { ...spec, replicas: target } });
    this.changed = ref.controller.sync(world) || true;
  }

  /** The experiment of the current step ends (cancelled, or done); its sets go after its delay. */
  private endExperiment(): void {
    if (!this.experiment) return;
    this.experiment.cancel();
    this.pastExperiments.push(this.experiment);
    this.experiment = undefined;
  }

  private experiments(): ArgoExperiment[] {
    return this.experiment ? [...this.pastExperiments, this.experiment] : this.pastExperiments;
  }

  /** isIndefiniteStep: at a pause, analysis or experiment step, or a blueGreen pause. */
  private indefiniteStep(world: World): boolean {
    if (this.spec.blueGreen) return this.pausedUntil !== undefined && world.now < this.pausedUntil;
    const step = this.spec.canary?.steps[this.currentStepIndex];
    return !!step && (step.pause !== undefined || step.analysis !== undefined || step.experiment !== undefined);
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
    if (this.pauseConditions.length > 0 || (this.pausedUntil !== undefined && world.now < this.pausedUntil)) return 'Paused';
    const newRS = this.replicaSets.find((rs) => rs.hash === this.hash);
    const updated = newRS?.statusReplicas ?? 0;
    const total = this.replicaSets.reduce((n, rs) => n + (rs.statusReplicas ?? 0), 0);
    if (updated < this.spec.replicas || (newRS?.availableReplicas ?? 0) < updated || total > updated || this.stableHash !== this.hash) return 'Progressing';
    return 'Healthy';
  }

  status(world: World): StatusRow[] {
    if (this.dormant) return this.referenced?.controller.status(world) ?? [];
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
          // `kubectl argo rollouts get rollout`'s ActualWeight (info/rollout_info.go)
          'ACTUAL-WEIGHT': this.spec.blueGreen ? '-' : this.actualWeight(steps, newRS),
          DESIRED: this.spec.replicas,
          CURRENT: this.replicaSets.reduce((n, rs) => n + (rs.statusReplicas ?? 0), 0),
          'UP-TO-DATE': newRS?.statusReplicas ?? 0,
          AVAILABLE: getAvailableReplicaCountForReplicaSets(this.replicaSets),
        },
      },
    ];
    for (const rs of this.replicaSets) rows.push({ object: rs.controller.objectName, columns: { DESIRED: rs.replicas, CURRENT: rs.statusReplicas ?? 0, READY: rs.readyReplicas } });
    for (const ex of this.experiments()) rows.push(...ex.status(world));
    if (this.referenced) rows.push(...this.referenced.controller.status(world));
    return rows;
  }

  /**
   * ActualWeight: 100 without a current step; with a traffic router the weight it sends the canary
   * (status.canary.weights); without one the canary's share of the available pods.
   */
  private actualWeight(steps: CanaryStep[], newRS: RolloutReplicaSet | undefined): number {
    if (this.currentStepIndex >= steps.length) return 100;
    const available = getAvailableReplicaCountForReplicaSets(this.replicaSets);
    if (available === 0) return 0;
    if (this.spec.canary?.trafficRouting) return this.weightsSet ? this.routedWeight : this.currentWeight(steps);
    const canary = newRS && newRS.hash !== this.stableHash ? newRS.availableReplicas ?? 0 : 0;
    return Math.floor((canary * 100) / available);
  }

  settled(world: World): boolean {
    if (this.dormant) return this.referenced?.controller.settled(world) ?? true;
    this.observe(world, false);
    if (this.stableHash !== this.hash || this.pausedUntil !== undefined || this.scaleDownAt !== undefined) return false;
    if (!this.experiments().every((ex) => ex.ended && ex.sets.every((rs) => rs.settled(world)))) return false;
    if (this.referenced && !this.referenced.controller.settled(world)) return false;
    return this.replicaSets.every((rs) => rs.statusReplicas === rs.replicas && rs.controller.counts.terminating === 0 && (rs.hash !== this.hash || rs.availableReplicas === this.spec.replicas));
  }

  conditions(): string[] {
    if (this.aborted) return ['Progressing=False/RolloutAborted'];
    // checkPausedConditions (rollout/sync.go): a paused update (a pause condition: an inconclusive run,
    // a canary pause step or the BlueGreenPause until it ends or is promoted) has Progressing Unknown,
    // and Paused True; once resumed, Paused False stays
    if (this.pauseConditions.length > 0) return ['Progressing=Unknown/RolloutPaused', 'Paused=True/RolloutPaused'];
    const paused = this.resumed ? ['Paused=False/RolloutPaused'] : [];
    if (this.timedOut) return ['Progressing=False/ProgressDeadlineExceeded', ...paused];
    return [this.stableHash === this.hash ? 'Progressing=True/RolloutCompleted' : `Progressing=True/RolloutStep${this.currentStepIndex}`, ...paused];
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
    else if (!this.haltProgress) {
      this.scaleDownAt = undefined;
      for (const rs of others) this.scale(world, rs, 0);
    }
    // rolloutCanary's order: services, traffic routing, experiments, analysis runs, replica sets, pause
    this.statusWeight = this.weightsSet ? this.routedWeight : undefined;
    this.reconcileStableAndCanaryService(world, canary, newRS, stableRS);
    if (canary.trafficRouting && stableRS) this.reconcileTrafficRouting(world, canary.steps, canary.trafficRouting, newRS, stableRS, others);
    this.reconcileExperiment(world, canary.steps, newRS, stableRS);
    this.reconcileCanaryAnalysisRuns(world, canary, newRS, stableRS);
    if (canary.trafficRouting && stableRS && stableRS !== newRS) {
      this.syncTrafficRoutedCanary(world, canary.steps, canary.trafficRouting, newRS, stableRS, others);
      return;
    }
    if (!stableRS || stableRS === newRS) {
      this.scale(world, newRS, this.spec.replicas);
      return;
    }
    const input = () => ({ replicas: this.spec.replicas, weight: this.currentWeight(canary.steps), maxSurge: canary.maxSurge, maxUnavailable: canary.maxUnavailable, newRS, stableRS, otherRSs: others });
    // haltProgress: no scaling while an inconclusive analysis holds the update; the step may still complete
    if (!this.haltProgress) {
      const counts = calculateReplicaCountsForCanary(input());
      this.scale(world, newRS, counts.newRSReplicaCount);
      this.scale(world, stableRS, counts.stableRSReplicaCount);
    }
    // At the step's goal when recomputing from the new sizes asks for no further change.
    if (this.aborted || !this.atDesiredCounts(newRS, stableRS, calculateReplicaCountsForCanary(input()), others)) return;
    this.stepForward(world, canary.steps, newRS);
  }

  /**
   * reconcileStableAndCanaryService (rollout/service.go): `stableService` selects the stable set's
   * pods, `canaryService` the canary's (the stable's again once a basic canary is aborted); a
   * Service is switched only once the set has an available pod (ensureSVCTargets).
   */
  private reconcileStableAndCanaryService(world: World, canary: NonNullable<RolloutSpec['canary']>, newRS: RolloutReplicaSet, stableRS: RolloutReplicaSet | undefined): void {
    if (!stableRS) return;
    const ensure = (service: string | undefined, rs: RolloutReplicaSet) => {
      if (service && (rs.availableReplicas ?? 0) > 0) this.pointService(world, service, rs.hash);
    };
    ensure(canary.stableService, stableRS);
    ensure(canary.canaryService, this.aborted && !canary.trafficRouting ? stableRS : newRS);
  }

  /**
   * reconcileTrafficRouting (rollout/trafficrouting.go): the weight the router sends the canary.
   * Fully promoted or aborted: 0 (the managed routes are removed); no canary pod available yet: 0;
   * on a step: the step's setWeight once the sets are at its counts, else the previous setWeight;
   * past the last step: 100. The weight moves only when the stable set has the pods for its share
   * (checkReplicasAvailable), and each change is recorded (TrafficWeightUpdated, `Traffic weight
   * updated from 25 to 50`). The Service in front of the stable pods carries the split, so the
   * view's traffic follows the weight, not the endpoints.
   */
  private reconcileTrafficRouting(world: World, steps: CanaryStep[], routing: TrafficRouting, newRS: RolloutReplicaSet, stableRS: RolloutReplicaSet, others: RolloutReplicaSet[]): void {
    const replicas = this.spec.replicas;
    let desired = 0;
    const promoted = stableRS === newRS;
    if (promoted) desired = 0;
    else if (this.aborted) {
      // calculateDesiredWeightOnAbortOrStableRollback: without dynamicStableScale, 0 at once; with it,
      // the weight steps down through the setWeights (GetDesiredCanaryWeight), never below what the
      // stable set cannot yet serve, and never up again
      if (routing.dynamicStableScale && replicas > 0) {
        const stepDown = this.abortStepDownWeight(steps, routing, newRS, stableRS);
        const stableWeight = Math.floor((100 * (stableRS.availableReplicas ?? 0)) / replicas);
        const expected = Math.max(0, 100 - stableWeight);
        if (!this.weightsSet) desired = Math.max(expected, stepDown);
        else if (stepDown <= 0) desired = Math.min(expected, this.routedWeight);
        else if (stableWeight < 100 - stepDown) desired = this.routedWeight; // the stable set is still scaling up
        else desired = Math.min(stepDown, this.routedWeight);
      }
    } else if (newRS.availableReplicas === 0) desired = 0;
    else {
      // AtDesiredReplicaCountsForCanary first, also past the last step (where the canary is sized for 100)
      const counts = this.trafficRoutedCounts(steps, routing, newRS, stableRS);
      const atDesired = newRS.replicas === counts.canary && newRS.availableReplicas === counts.canary && stableRS.replicas === counts.stable && stableRS.availableReplicas === counts.stable && getAvailableReplicaCountForReplicaSets(others) === 0;
      const index = Math.min(this.currentStepIndex, steps.length);
      desired = !atDesired ? previousSetWeight(steps, index) : index < steps.length ? this.currentWeight(steps) : 100;
    }
    // checkReplicasAvailable: the stable set must have the pods for the stable share
    if ((stableRS.availableReplicas ?? 0) < Math.floor(((100 - desired) * replicas) / 100)) return;
    if (!this.weightsSet || desired !== this.routedWeight) {
      world.event(this.objectName, `Traffic weight updated ${this.weightsSet ? `from ${this.routedWeight} to ${desired}` : `to ${desired}`}`);
      this.routedWeight = desired;
      this.weightsSet = true;
      this.changed = true;
    }
    // RemoveManagedRoutes once fully promoted, when aborted or without a canary pod available:
    // setHeaderRoute / setMirrorRoute's routes go; fully promoted, the Services' endpoints carry the traffic again
    if (promoted || this.aborted || newRS.availableReplicas === 0) this.routes.clear();
    const front = this.routerService(world);
    if (front) world.setTrafficRule(front, promoted ? undefined : { weights: { [stableRS.hash]: 100 - desired, [newRS.hash]: desired }, router: routing.router, ...this.routeRules(newRS) });
  }

  /**
   * GetDesiredCanaryWeight once aborted with dynamicStableScale (utils/replicaset/canary.go): the
   * stable set returns to full size through the setWeight steps in reverse, not at once, so a late
   * abort does not surge. The canary still needs the pods the stable set lacks (or has, unless
   * abortScaleDownDelaySeconds is explicit); the weight is the last setWeight whose pods are fewer.
   *
   * Worked example: 10 replicas, setWeights 20, 50, 80, aborted at 80 with 2 stable pods available
   * and 8 canary: 8 canary pods needed; 80% is 8 pods (not fewer), 50% is 5: weight 50, so the
   * stable set is sized for 50% (5 pods), not 10. With 5 stable and 5 canary pods available: 50%
   * is 5 (not fewer), 20% is 2: weight 20. With 8 stable and 2 canary: 20% is 2, not fewer: weight 0.
   */
  private abortStepDownWeight(steps: CanaryStep[], routing: TrafficRouting, newRS: RolloutReplicaSet, stableRS: RolloutReplicaSet): number {
    const replicas = this.spec.replicas;
    const expected = replicas - (stableRS.availableReplicas ?? 0);
    const canaryReplicas = routing.abortScaleDownDelayExplicit ? expected : Math.max(expected, newRS.availableReplicas ?? 0);
    for (let i = steps.length - 1; i >= 0; i--) {
      const weight = steps[i].setWeight;
      if (weight !== undefined && Math.ceil((weight * replicas) / 100) < canaryReplicas) return weight;
    }
    return 0;
  }

  /** The managed routes as the view's traffic rule has them: header matches to the canary, and every named mirror route (all are active). */
  private routeRules(newRS: RolloutReplicaSet): Pick<TrafficRule, 'mirrorRoutes' | 'headerRoutes'> {
    const routes = [...this.routes.values()];
    const mirrors = routes.filter((r) => r.kind === 'setMirrorRoute').map((r) => ({ name: r.name, rule: r.rule, revision: newRS.hash, percent: r.percent ?? 100 }));
    const headers = routes.filter((r) => r.kind === 'setHeaderRoute').map((r) => ({ name: r.name, rule: r.rule, revision: newRS.hash }));
    return { ...(headers.length > 0 ? { headerRoutes: headers } : {}), ...(mirrors.length > 0 ? { mirrorRoutes: mirrors } : {}) };
  }

  /** The Service the router's split is shown on: `stableService`, else the Service that selects the pods. */
  private routerService(world: World): string | undefined {
    const named = this.spec.canary?.stableService;
    if (named) return named;
    return world.services().find((s) => serviceSelectorMatches(s.selector, this.spec.template.labels))?.name;
  }

  /** CalculateReplicaCountsForTrafficRoutedCanary for the current step (see syncTrafficRoutedCanary). */
  private trafficRoutedCounts(steps: CanaryStep[], routing: TrafficRouting, newRS: RolloutReplicaSet, stableRS: RolloutReplicaSet): { canary: number; stable: number } {
    const replicas = this.spec.replicas;
    // GetCanaryReplicasOrWeight: aborted with dynamicStableScale, the step-down weight; else GetCurrentSetWeight (0 once aborted)
    const weight = this.aborted && routing.dynamicStableScale ? this.abortStepDownWeight(steps, routing, newRS, stableRS) : this.currentWeight(steps);
    const toReplicas = (w: number) => Math.ceil((w * replicas) / 100);
    // CheckMinPodsPerReplicaSet: never fewer than minPodsPerReplicaSet (capped at replicas), except 0
    const atLeast = (n: number) => (n === 0 || routing.minPodsPerReplicaSet === undefined ? n : Math.max(n, Math.min(routing.minPodsPerReplicaSet, replicas)));
    // UseSetCanaryScale (utils/replicaset/canary.go): not once aborted, unless abortScaleDownDelaySeconds: 0;
    // then it looks back from the step index the abort left, 0 (syncRolloutStatusCanary), not from the aborted step
    const scale = this.aborted && routing.abortScaleDownDelaySeconds !== null ? undefined : setCanaryScaleAt(steps, this.currentStepIndex);
    let canary = scale?.replicas !== undefined ? scale.replicas : atLeast(toReplicas(scale?.weight ?? weight));
    // dynamic stable scaling keeps the stable set sized for the larger of the desired and the actual
    // stable weight, as the status had it before this reconcile (reconcileCanaryStableReplicaSet)
    const routedStable = this.statusWeight === undefined ? undefined : 100 - this.statusWeight;
    const stable = routing.dynamicStableScale ? atLeast(Math.max(toReplicas(100 - weight), routedStable === undefined ? 0 : toReplicas(routedStable))) : replicas;
    // aborting with dynamic stable scaling: the canary keeps the pods its traffic still needs
    if (routing.dynamicStableScale && this.aborted && this.statusWeight !== undefined) canary = atLeast(Math.max(canary, toReplicas(this.statusWeight)));
    return { canary, stable };
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
   *
   * Aborted (reconcileNewReplicaSet, shouldDelayScaleDownOnAbort): the canary stays as it is until
   * the stable set is fully available, then goes abortScaleDownDelaySeconds later (default 30);
   * `abortScaleDownDelaySeconds: 0` leaves a setCanaryScale canary up; with dynamicStableScale and
   * no explicit delay the canary shrinks as the traffic returns to stable.
   */
  private syncTrafficRoutedCanary(world: World, steps: CanaryStep[], routing: TrafficRouting, newRS: RolloutReplicaSet, stableRS: RolloutReplicaSet, others: RolloutReplicaSet[]): void {
    const counts = this.trafficRoutedCounts(steps, routing, newRS, stableRS);
    // haltProgress (reconcileCanaryReplicaSets): no scaling while an inconclusive analysis holds the update
    const halted = this.haltProgress;
    // reconcileCanaryStableReplicaSet runs before reconcileNewReplicaSet
    if (!halted) this.scale(world, stableRS, counts.stable);
    const delayOnAbort = this.aborted && routing.abortScaleDownDelaySeconds !== null && !(routing.dynamicStableScale && !routing.abortScaleDownDelayExplicit);
    if (delayOnAbort) {
      if (this.abortScaleDownAt === undefined) {
        // the deadline is set only once the stable set can serve everything
        if ((stableRS.availableReplicas ?? 0) >= this.spec.replicas) {
          this.abortScaleDownAt = world.now + (routing.abortScaleDownDelaySeconds as number);
          world.requeueAt(this.key, this.abortScaleDownAt);
          this.changed = true;
        }
        return;
      }
      if (world.now < this.abortScaleDownAt) {
        world.requeueAt(this.key, this.abortScaleDownAt);
        return;
      }
      this.scale(world, newRS, 0);
      return;
    }
    if (!halted) this.scale(world, newRS, counts.canary);
    if (this.aborted) return;
    const done = newRS.replicas === counts.canary && newRS.availableReplicas === counts.canary && stableRS.replicas === counts.stable && stableRS.availableReplicas === counts.stable && getAvailableReplicaCountForReplicaSets(others) === 0;
    if (!done) return;
    const completing = this.currentStepIndex >= steps.length;
    this.stepForward(world, steps, newRS);
    if (completing) {
      // scaleDownOldReplicaSetsForCanary: with dynamicStableScale the old stable goes at once
      this.scaleDownAt = world.now + (routing.dynamicStableScale ? 0 : routing.scaleDownDelaySeconds);
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

  /** newAnalysisRunFromRollout's name: `<rollout>-<pod hash>-<revision>[-<infix>]`. */
  private analysisRunName(newRS: RolloutReplicaSet, infix?: string): string {
    return [this.spec.name, newRS.hash, String(newRS.revision), ...(infix !== undefined ? [infix] : [])].join('-');
  }

  /**
   * How a run ends under `--fail analysis[:step=N][,inconclusive]`: every run, or only the runs of
   * canary step N (1-based), Failed or Inconclusive; undefined when it is not faulted.
   */
  private analysisFault(world: World, stepIndex?: number): AnalysisFaultPhase | undefined {
    const fault = world.faults.analysis;
    if (!fault || (fault.step !== undefined && fault.step !== (stepIndex ?? -1) + 1)) return undefined;
    return fault.phase ?? 'Failed';
  }

  /** The Inconclusive pause condition, if one holds the update. */
  private get pauseReason(): 'InconclusiveAnalysis' | 'InconclusiveExperiment' | undefined {
    return this.pauseConditions.find((r): r is 'InconclusiveAnalysis' | 'InconclusiveExperiment' => r === 'InconclusiveAnalysis' || r === 'InconclusiveExperiment');
  }

  /**
   * haltProgress (rollout/context.go): an InconclusiveAnalysis pause condition stops the canary and
   * stable ReplicaSets' scaling (reconcileCanaryReplicaSets) and the blueGreen pause and Service
   * switches; steps still complete (a pause step still ends, a route step is still set). An
   * InconclusiveExperiment halts nothing: its step just never completes.
   */
  private get haltProgress(): boolean {
    return this.pauseConditions.includes('InconclusiveAnalysis');
  }

  /**
   * AddPauseCondition for an Inconclusive run or experiment (reconcileStepBasedAnalysisRun,
   * reconcileBackgroundAnalysisRun, setPauseOrAbortForBlueGreen, reconcileExperiments).
   */
  private pauseFor(world: World, reason: NonNullable<RolloutController['pauseReason']>): void {
    if (this.pauseReason || this.aborted) return;
    this.addPause(world, reason);
    const action = world.faults.analysis?.then;
    if (action && this.decided.length === 0 && !this.decision) {
      this.decision = { at: world.now + MANUAL_PROMOTION_SECONDS, action, reason };
      world.requeueAt(this.key, this.decision.at);
    }
  }

  /**
   * CalculatePauseConditions + sendStateChangeEvents (rollout/sync.go): `Rollout is paused (reason)`
   * (RolloutPaused) only when the Rollout goes from no pause condition to one.
   */
  private addPause(world: World, reason: PauseReason): void {
    if (this.pauseConditions.includes(reason)) return;
    if (this.pauseConditions.length === 0) world.event(this.objectName, `Rollout is paused (${reason})`);
    this.pauseConditions.push(reason);
    this.changed = true;
  }

  /**
   * RemovePauseCondition: once the last pause condition goes (not by an abort), sendStateChangeEvents
   * records `Rollout is resumed` (RolloutResumed) and checkPausedConditions leaves Paused=False.
   * `byPerson`: `kubectl argo rollouts promote` cleared status.pauseConditions itself (cmd/promote
   * getPatches); the controller's previous status already has none, so it records no event.
   */
  private removePause(world: World, reason: PauseReason, byPerson = false): void {
    if (!this.pauseConditions.includes(reason)) return;
    this.pauseConditions = this.pauseConditions.filter((r) => r !== reason);
    if (this.pauseConditions.length === 0 && byPerson) this.resumed = true;
    else if (this.pauseConditions.length === 0) this.resume(world);
    this.changed = true;
  }

  /** sendStateChangeEvents: the pause conditions went, not by an abort (a new revision's resetRolloutStatus clears them too). */
  private resume(world: World): void {
    world.event(this.objectName, 'Rollout is resumed');
    this.resumed = true;
    this.clearedByUpdate = false;
    this.changed = true;
  }

  notes(): string[] {
    const notes = this.promotions.map((gate) => `Rollout "${this.spec.name}" waited for promotion at ${gate}: kdry simulated \`kubectl argo rollouts promote\` after ${MANUAL_PROMOTION_SECONDS}s`);
    notes.push(...this.decided.map((d) => `${d} (--fail analysis...,promote|abort); Argo records no event for the command itself`));
    notes.push(...[...this.unrun].map((u) => `Rollout "${this.spec.name}" ${u}`));
    if (!this.pauseReason) return notes;
    if (this.decided.length > 0) return [...notes, `Rollout "${this.spec.name}" is paused (${this.pauseReason}) again: Argo waits for another \`kubectl argo rollouts promote\` or \`abort\`; kdry simulated only the first`];
    const stepped = this.spec.canary ? ' (a step analysis then counts as passed and the next step runs)' : '';
    return [...notes, `Rollout "${this.spec.name}" is paused (${this.pauseReason}): Argo waits for \`kubectl argo rollouts promote\`${stepped} or \`kubectl argo rollouts abort\`; to simulate one, add promote or abort to --fail analysis...,inconclusive (the Dry-run view: analysis runs "are inconclusive, then promoted" or "then aborted")`];
  }

  /**
   * Starts a run (its Running event), or moves a running one to its end when its time has come. A
   * current run that is already Inconclusive pauses the Rollout again once a promote cleared the
   * pause without superseding it (reconcileBackgroundAnalysisRun / reconcileStepBasedAnalysisRun:
   * `case AnalysisPhaseInconclusive: AddPauseCondition`); pauseFor is a no-op while a pause holds.
   */
  private advanceRun(world: World, run: AnalysisRunState, newRS: RolloutReplicaSet): void {
    if (run.phase === 'Inconclusive') this.pauseFor(world, 'InconclusiveAnalysis');
    if (run.phase !== 'Running' || run.outcome.phase === 'Running') return;
    const endsAt = run.startedAt + run.outcome.after;
    if (world.now < endsAt) {
      world.requeueAt(this.key, endsAt);
      return;
    }
    run.phase = run.outcome.phase;
    const event = analysisRunEvent(run, 'Running');
    world.event(this.objectName, event.message, event.type);
    this.changed = true;
    if (run.phase === 'Failed') this.abort(world, newRS, analysisAbortMessage(run));
    if (run.phase === 'Inconclusive') this.pauseFor(world, 'InconclusiveAnalysis');
  }

  private startRun(world: World, run: Omit<AnalysisRunState, 'phase' | 'startedAt'>): AnalysisRunState {
    // CreateWithCollisionCounter: the run a promote superseded keeps its name; the new one is `<name>.1`
    const before = this.runs.filter((r) => r.superseded && (r.name === run.name || r.name.startsWith(`${run.name}.`))).length;
    const started: AnalysisRunState = { ...run, name: before > 0 ? `${run.name}.${before}` : run.name, startedAt: world.now, phase: 'Running' };
    this.runs.push(started);
    // emitAnalysisRunStatusChanges: a run replacing one the status still names (another name) gets no event until its phase changes
    if (before === 0) {
      const event = analysisRunEvent(started, 'NoPreviousStatus');
      world.event(this.objectName, event.message, event.type);
    }
    this.changed = true;
    return started;
  }

  /** The run of that name (or the `.N` run that replaced it after a promote) that is not superseded. */
  private currentRun(name: string): AnalysisRunState | undefined {
    return this.runs.find((r) => !r.superseded && (r.name === name || r.name.startsWith(`${name}.`)));
  }

  /**
   * `--fail analysis...,inconclusive,promote|abort`: MANUAL_PROMOTION_SECONDS after the Rollout
   * paused for an Inconclusive run, the person's command (once). `kubectl argo rollouts abort`
   * sets status.abort: the controller aborts (`Rollout aborted update to revision 2`, no reason).
   * `kubectl argo rollouts promote` (cmd/promote/promote.go getPatches) clears
   * status.pauseConditions; when the current canary step's run is the Inconclusive one it also
   * clears controllerPause and moves past the step (the run stays Inconclusive). Otherwise
   * controllerPause stays, so the controller creates another run in place of the Inconclusive one
   * (rollout/analysis.go needsNewAnalysisRun), which measures the same metrics. The patch is the
   * person's: sendStateChangeEvents compares the patched status with its own and records no
   * `Rollout is resumed`; an Inconclusive experiment is paused again at once (reconcileExperiments).
   */
  private actOnInconclusivePause(world: World, newRS: RolloutReplicaSet): void {
    const decision = this.decision;
    if (!decision) return;
    if (!this.pauseReason || this.aborted) {
      this.decision = undefined;
      return;
    }
    if (world.now < decision.at) {
      world.requeueAt(this.key, decision.at);
      return;
    }
    this.decision = undefined;
    this.decided.push(`kdry simulated \`kubectl argo rollouts ${decision.action} ${this.spec.name}\` ${MANUAL_PROMOTION_SECONDS}s after the Rollout paused (${decision.reason})`);
    this.changed = true;
    if (decision.action === 'abort') {
      this.abort(world, newRS);
      return;
    }
    const steps = this.spec.canary?.steps ?? [];
    const stepRun = steps[this.currentStepIndex]?.analysis ? this.currentRun(this.analysisRunName(newRS, String(this.currentStepIndex))) : undefined;
    if (stepRun?.phase === 'Inconclusive') {
      if (this.currentStepIndex < steps.length) this.currentStepIndex++;
    } else {
      for (const run of this.runs) if (run.phase === 'Inconclusive') run.superseded = true;
      this.promotedThisSync = true;
    }
    this.pauseConditions = [];
    this.pausedUntil = undefined;
    this.resumed = true;
  }

  /**
   * reconcileAnalysisRuns for a canary (rollout/analysis.go): none on the first revision, once
   * fully promoted or aborted; the step's run when the current step is an analysis
   * (reconcileStepBasedAnalysisRun); the background run from `startingStep` on
   * (reconcileBackgroundAnalysisRun). A run that fails aborts the update.
   */
  private reconcileCanaryAnalysisRuns(world: World, canary: NonNullable<RolloutSpec['canary']>, newRS: RolloutReplicaSet, stableRS: RolloutReplicaSet | undefined): void {
    if (this.aborted || !stableRS || stableRS === newRS) return;
    const index = this.currentStepIndex;
    const step = canary.steps[index];
    if (step?.analysis) {
      const name = this.analysisRunName(newRS, String(index));
      const run = this.currentRun(name) ?? this.startRun(world, { name, type: 'Step', outcome: analysisOutcome(step.analysis, this.analysisTemplates, this.analysisFault(world, index)) });
      this.advanceRun(world, run, newRS);
    }
    if (this.aborted || !canary.analysis || index < canary.analysis.startingStep) return;
    const name = this.analysisRunName(newRS);
    const background = this.currentRun(name) ?? this.startRun(world, { name, type: 'Background', outcome: analysisOutcome(canary.analysis, this.analysisTemplates, this.analysisFault(world)) });
    this.advanceRun(world, background, newRS);
  }

  /**
   * reconcileExperiments (rollout/experiment.go): at an experiment step the Rollout creates the
   * Experiment (`Created Experiment 'demo-6d8f5-2-1'`, GetExperimentFromTemplate's name); a failed
   * one aborts the update (`Experiment analysis phase is error/failed: ...`).
   */
  private reconcileExperiment(world: World, steps: CanaryStep[], newRS: RolloutReplicaSet, stableRS: RolloutReplicaSet | undefined): void {
    if (this.aborted || !stableRS || stableRS === newRS) return;
    const index = this.currentStepIndex;
    const step = steps[index]?.experiment;
    if (!step) {
      this.endExperiment();
      return;
    }
    const name = this.analysisRunName(newRS, String(index));
    if (this.experiment?.name !== name) {
      this.endExperiment();
      const source = (rs: RolloutReplicaSet) => ({ template: rs.controller.spec.template, selector: rs.controller.spec.selector, minReadySeconds: rs.controller.spec.minReadySeconds });
      this.experiment = new ArgoExperiment(name, step, { canary: source(newRS), stable: source(stableRS) }, `experiment-${name}`, this.key, this.analysisFault(world, index), this.analysisTemplates);
      world.event(this.objectName, `Created Experiment '${name}'`);
      this.changed = true;
    }
    if (this.experiment.phase === 'Inconclusive') this.pauseFor(world, 'InconclusiveExperiment');
    if (this.experiment.phase === 'Failed') this.abort(world, newRS, `Experiment analysis phase is error/failed${this.experiment.message ? `: ${this.experiment.message}` : ''}`);
  }

  private stepForward(world: World, steps: CanaryStep[], newRS: RolloutReplicaSet): void {
    if (this.currentStepIndex >= steps.length) {
      this.stableHash = newRS.hash;
      world.event(this.objectName, `Rollout completed update to revision ${newRS.revision} (${newRS.hash}): Completed all ${steps.length} canary steps`);
      this.changed = true;
      return;
    }
    const step = steps[this.currentStepIndex];
    // RolloutStepCompletedMessage with CanaryStepString
    const completed = (what: string) => world.event(this.objectName, `Rollout step ${this.currentStepIndex + 1}/${steps.length} completed (${what})`);
    if (step.pause) {
      const manual = step.pause.duration === null;
      // reconcileCanaryPause adds the CanaryPauseStep condition only while status.controllerPause is
      // false; with an inconclusive pause holding it is true, and CompletedCanaryPauseStep reads the
      // missing condition as a promote: the step completes at once
      const heldInconclusive = this.pausedUntil === undefined && (this.pauseReason !== undefined || this.promotedThisSync);
      if (this.pausedUntil === undefined && !heldInconclusive) {
        this.pausedUntil = world.now + (manual ? MANUAL_PROMOTION_SECONDS : step.pause.duration ?? 0);
        this.addPause(world, 'CanaryPauseStep');
        this.changed = true;
      }
      if (this.pausedUntil !== undefined && world.now < this.pausedUntil) {
        world.requeueAt(this.key, this.pausedUntil);
        return;
      }
      const promotedByPerson = this.pausedUntil !== undefined && manual && this.pauseConditions.includes('CanaryPauseStep');
      if (promotedByPerson) this.promotions.push(`step ${this.currentStepIndex + 1}/${steps.length} (pause)`);
      this.pausedUntil = undefined;
      completed(step.pause.text !== undefined ? `pause: ${step.pause.text}` : 'pause');
      this.removePause(world, 'CanaryPauseStep', promotedByPerson);
    } else if (step.setWeight !== undefined) {
      completed(`setWeight: ${step.setWeight}`);
    } else if (step.setCanaryScale) {
      // without a traffic router the step changes nothing (UseSetCanaryScale)
      const scale = step.setCanaryScale;
      completed(`setCanaryScale{${scale.weight !== undefined ? `weight: ${scale.weight}` : scale.matchTrafficWeight ? 'matchTrafficWeight: true' : `replicas: ${scale.replicas ?? 0}`}}`);
    } else if (step.analysis) {
      // completedCurrentCanaryStep: the step's AnalysisRun completed Successful
      const run = this.currentRun(this.analysisRunName(newRS, String(this.currentStepIndex)));
      if (run?.phase !== 'Successful') return;
      completed('analysis');
    } else if (step.experiment) {
      if (this.experiment?.phase !== 'Successful') return;
      completed('experiment');
      this.endExperiment();
    } else if (step.route) {
      // reconcileTrafficRouting sets the route (SetHeaderRoute, SetMirrorRoute), then the step is complete;
      // without a router nothing routes (validation asks for trafficRouting.managedRoutes)
      if (this.spec.canary?.trafficRouting) {
        if (step.route.remove) this.routes.delete(step.route.name);
        else this.routes.set(step.route.name, step.route);
      }
      completed(`${step.route.kind}: ${step.route.name}`);
    } else if (step.plugin) {
      // stepPluginContext.reconcile runs the plugin; recordPhase records no event for a Successful
      // run ("the controller will record the RolloutStepCompleted"): that is all a person sees
      this.unrun.add(`step ${this.currentStepIndex + 1}/${steps.length} (plugin: ${step.plugin.name}): kdry cannot run a step plugin and assumed its Run succeeded at once`);
      completed(`plugin: ${step.plugin.name}`);
    } else {
      // no event: Argo has none for a step it does not know (its validation refuses one)
      this.unrun.add(`step ${this.currentStepIndex + 1}/${steps.length} (${step.other}) is no canary step Argo knows: kdry skipped it`);
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
      // the active Service (back) on the stable set; the preview set goes after
      // abortScaleDownDelaySeconds, or stays with `abortScaleDownDelaySeconds: 0`
      this.switchedTo = undefined;
      this.pointService(world, bg.activeService, activeRS.hash);
      if (bg.abortScaleDownDelaySeconds === null) return;
      if (this.abortScaleDownAt !== undefined && world.now < this.abortScaleDownAt) world.requeueAt(this.key, this.abortScaleDownAt);
      else this.scale(world, newRS, 0);
      return;
    }
    if (this.switchedTo === newRS.hash && bg.postPromotionAnalysis) {
      // reconcilePostPromotionAnalysisRun: the active Service is on the new set; it becomes the
      // stable one once the run succeeds, and a failure aborts (the active Service goes back)
      this.pointService(world, bg.activeService, newRS.hash);
      const name = this.analysisRunName(newRS, 'post');
      const run = this.currentRun(name) ?? this.startRun(world, { name, type: 'PostPromotion', outcome: analysisOutcome(bg.postPromotionAnalysis, this.analysisTemplates, this.analysisFault(world)) });
      this.advanceRun(world, run, newRS);
      if (this.aborted || run.phase !== 'Successful') return;
      this.switchedTo = undefined;
      this.markStable(world, newRS, bg.scaleDownDelaySeconds);
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
    // reconcilePrePromotionAnalysisRun: once the preview set is saturated; the switch waits for it
    let pre: AnalysisRunState | undefined;
    if (bg.prePromotionAnalysis) {
      const name = this.analysisRunName(newRS, 'pre');
      pre = this.currentRun(name) ?? this.startRun(world, { name, type: 'PrePromotion', outcome: analysisOutcome(bg.prePromotionAnalysis, this.analysisTemplates, this.analysisFault(world)) });
      this.advanceRun(world, pre, newRS);
      if (this.aborted) return;
    }
    // reconcileBlueGreenPause and reconcileActiveService skip while an inconclusive analysis holds (haltProgress)
    if (this.haltProgress) return;
    // reconcileBlueGreenPause: "not ready for pause: prePromotionAnalysis incomplete" until the run
    // is Successful (completedPrePromotionAnalysis, rollout/pause.go), and reconcileActiveService
    // switches only then: the pause, and autoPromotionSeconds, start from the run's success
    if (pre && pre.phase !== 'Successful') return;
    if (this.pausedUntil === undefined) {
      const seconds = bg.autoPromotionEnabled ? bg.autoPromotionSeconds : MANUAL_PROMOTION_SECONDS;
      this.pausedUntil = world.now + seconds;
      // needsBlueGreenControllerPause: the controller adds the BlueGreenPause condition
      if (!bg.autoPromotionEnabled || bg.autoPromotionSeconds > 0) this.addPause(world, 'BlueGreenPause');
      this.changed = true;
    }
    if (world.now < this.pausedUntil) {
      world.requeueAt(this.key, this.pausedUntil);
      return;
    }
    // CompletedBlueGreenPause: the pause condition goes (kdry promotes a manual one itself)
    const promotedByPerson = this.pauseConditions.includes('BlueGreenPause') && !bg.autoPromotionEnabled;
    if (promotedByPerson) this.promotions.push('the BlueGreenPause (autoPromotionEnabled: false)');
    this.removePause(world, 'BlueGreenPause', promotedByPerson);
    // Promotion needs the full size behind the active Service.
    if (newRS.replicas < this.spec.replicas) {
      this.scale(world, newRS, this.spec.replicas);
      return;
    }
    this.pausedUntil = undefined;
    this.pointService(world, bg.activeService, newRS.hash);
    this.changed = true;
    if (bg.postPromotionAnalysis) {
      this.switchedTo = newRS.hash;
      world.requeueAt(this.key, world.now);
      return;
    }
    this.markStable(world, newRS, bg.scaleDownDelaySeconds);
  }

  /** The switched set is the stable one; the old set goes scaleDownDelaySeconds later. */
  private markStable(world: World, newRS: RolloutReplicaSet, scaleDownDelaySeconds: number): void {
    this.stableHash = newRS.hash;
    this.scaleDownAt = world.now + scaleDownDelaySeconds;
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

  /**
   * switchServiceSelector (rollout/service.go), the one place every Service switch goes through
   * (reconcilePreviewService, reconcileActiveService, ensureSVCTargets): SwitchService names the
   * selector's old and new hash ('' when it had none), only when the selector changes.
   */
  private pointService(world: World, service: string | undefined, hash: string): void {
    if (!service) return;
    this.pointed.set(service, hash);
    const current = world.services().find((s) => s.name === service);
    const before = current?.selector[POD_TEMPLATE_HASH_LABEL];
    if (!current || before === hash) return;
    world.setServiceSelector(service, { ...current.selector, [POD_TEMPLATE_HASH_LABEL]: hash });
    world.event(this.objectName, `Switched selector for service '${service}' from '${before ?? ''}' to '${hash}'`);
    this.changed = true;
  }
}

export function createRolloutController(object: Obj, objects: readonly unknown[] = [], migrating = false, workloadRef?: ReferencedWorkload): RolloutController {
  return new RolloutController(object, objects, migrating, workloadRef);
}
