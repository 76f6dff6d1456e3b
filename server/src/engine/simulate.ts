// simulate(): the engine's entry. Picks the workload, checks it, builds the World on the chosen
// cluster, creates the controller(s) and runs the main loop on the virtual clock: apply due events,
// sync every controller until quiescent, schedule pending pods, record a step when something
// changed, advance to the next event. Same input, same output; bad input gives problems, never a throw.
import { BarePodController } from './barepod';
import { DEFAULT_CLUSTER, DEFAULT_CLUSTER_SOURCE } from './cluster';
import { CRON_RUNS_LISTED, CronJobController, createCronJobController } from './controllers/cronjob';
import type { CronRun } from './result';
import { upcomingCronRuns } from './cron-runs';
import { createDaemonSetController } from './controllers/daemonset';
import { createJobController } from './controllers/job';
import { createReplicaSetController } from './controllers/replicaset/controller';
import { createStatefulSetController } from './controllers/statefulset';
import { createPatternControllers, resolveWorkloadRef, type ReferencedWorkload } from './patterns';
import { addPodRequests, holdsNodeResources, podRequestList, type PodRequestList } from './node-usage';
import { servicesFromObjects } from './services';
import { TimelineRecorder } from './timeline';
import type { Controller, NodeDetail, SimService, SimulateOptions, SimulationProblem, SimulationResult, SpecChange, StatusRow, StrategyChoice, StrategyParams } from './types';
import { isObj, type Obj } from './objects';
import { zeroRolloutBudgetRejection } from '../k8s/rolling-update-validation';
import { nameOf, selectWorkload, validateWorkload, type SimulatedKind } from './workload';
import { cachedKubeScheduler, type SchedulerBackend } from './scheduling';
import { PodLimitError, SimWorld } from './world';
import { applySpecChange, specChangeProblems } from './spec-change';
import { companionControllers } from './companions';
import { podAdmissionFrom } from './admission';
import { releaseBehaviour, type ReleaseBehaviour } from './release-behaviour';
import { compareVersions } from '../k8s/release-version';
import { FEATURE_GATES, gateStage } from '../k8s/feature-gates';

export const DEFAULT_MAX_STEPS = 5000;
/** One virtual day: long enough for any rollout, crash-loop give-up or Job; CronJobs use their window. */
export const DEFAULT_MAX_SECONDS = 86400;
export const DEFAULT_CRONJOB_WINDOW_SECONDS = 86400;
export const DEFAULT_START_TIME = '2025-01-01T00:00:00Z';
/**
 * A CronJob run is recorded step by step for its first day or its first 1,500 steps, whichever
 * ends first; after that each day (each hour in a window of a day or less) is one step
 * (TimelineRecorder.foldInstantsAfter): a year of a five-minute schedule is some 1,500 steps, not 200,000.
 */
export const FOLD_AFTER_SECONDS = 86400;
export const FOLD_AFTER_STEPS = 1500;
/**
 * Work bound: the pods alive summed over every instant simulated. A controller's sync looks at its
 * pods, so this is what a run costs (about 0.3 µs each at worst): the largest accepted rollout
 * (100,000 replicas) takes 1.2 million, a year of a five-minute CronJob 1.7 million. Jobs that pile
 * up tens of thousands of finished pods reach it in about ten seconds instead of running for minutes.
 */
export const MAX_POD_INSTANTS = 30_000_000;
/** Sync passes per instant before a controller that keeps reporting changes is cut off. */
const MAX_SYNC_PASSES = 50;
/** Loop turns at one instant before a controller that keeps requeueing itself for `now` is cut off. */
const MAX_TURNS_PER_INSTANT = 100;

export interface ControllerContext {
  world: SimWorld;
  startTime: string;
  strategy: StrategyChoice;
  strategyParams: StrategyParams;
  services: SimService[];
  /** The edited object when the run starts from `before` (patterns plan the rollout from both). */
  after?: Obj;
  /** What the target release changes (feature gate defaults). */
  release: ReleaseBehaviour;
  /** Every object of the workload's scope (a Rollout's AnalysisTemplates, its workloadRef's Deployment). */
  objects: readonly unknown[];
  /**
   * A workloadRef Rollout created beside its running Deployment: the warm-up runs the Deployment
   * alone, and the Rollout starts at t=0 (a migration).
   */
  migrating?: boolean;
  /** A Rollout's workloadRef and the workload it resolved to: the controller scales that one, not a lookup of its own. */
  workloadRef?: ReferencedWorkload;
}
/** Builds the controller(s) that simulate `object` (the starting version of the workload). */
export type ControllerFactory = (object: Obj, context: ControllerContext) => Controller | Controller[];

/** Deployments and Rollouts go through the patterns factory: the manifest's strategy or the one chosen. */
function deploymentControllers(object: Obj, context: ControllerContext): Controller[] {
  return createPatternControllers(context.strategy, object, context.after ?? object, context.services, context.strategyParams, context.release, { objects: context.objects, migrating: context.migrating, workloadRef: context.workloadRef });
}

/** What the loop is built from; simulate() uses the real scheduler and controllers. */
export interface EngineParts {
  /** A fresh scheduler for each run. */
  scheduler: () => SchedulerBackend;
  factories: Partial<Record<SimulatedKind, ControllerFactory>>;
}

export const CONTROLLER_FACTORIES: Partial<Record<SimulatedKind, ControllerFactory>> = {
  Deployment: deploymentControllers,
  Rollout: deploymentControllers,
  ReplicaSet: (object) => createReplicaSetController(object),
  StatefulSet: (object, context) => createStatefulSetController(object, context.release),
  DaemonSet: (object) => createDaemonSetController(object),
  Job: (object, context) => createJobController(object, undefined, context.release),
  CronJob: (object, context) => createCronJobController(object, { startTime: context.startTime, release: context.release }),
  Pod: (object, context) => new BarePodController(object, context.world),
};

function emptyResult(options: SimulateOptions, problems: SimulationProblem[]): SimulationResult {
  const nodes = options.nodes ?? DEFAULT_CLUSTER;
  return {
    ...(options.workload ? { workload: { kind: options.workload.kind, name: options.workload.name } } : {}),
    cluster: { source: options.clusterSource ?? DEFAULT_CLUSTER_SOURCE, nodes: nodes.map((n) => n.name) },
    steps: [],
    summary: { durationSeconds: 0, peakPods: 0, minAvailable: 0, downtimeSeconds: 0, completed: false, conditions: [] },
    problems,
    notes: [],
  };
}

function positive(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function minReadySecondsOf(object: Obj): number {
  const spec = isObj(object.spec) ? object.spec : {};
  return typeof spec.minReadySeconds === 'number' && spec.minReadySeconds > 0 ? spec.minReadySeconds : 0;
}

function namespaceOf(object: Obj): string {
  return isObj(object.metadata) && typeof object.metadata.namespace === 'string' ? object.metadata.namespace : 'default';
}

/** Sum of requests of the pods bound to each node that still hold resources. */
function nodeDetails(world: SimWorld): NodeDetail[] {
  const requested = new Map<string, Record<string, number>>();
  // Pods of one template share its spec object: its requests are read once.
  const requestsOfSpec = new Map<object, PodRequestList>();
  for (const pod of world.pods()) {
    if (!holdsNodeResources(pod)) continue;
    let sum = requested.get(pod.nodeName!);
    if (!sum) requested.set(pod.nodeName!, (sum = {}));
    let requests = requestsOfSpec.get(pod.spec);
    if (!requests) requestsOfSpec.set(pod.spec, (requests = podRequestList(pod.spec)));
    addPodRequests(sum, requests);
  }
  return world.nodes.map((n) => ({
    name: n.name,
    allocatable: { ...n.allocatable },
    requested: requested.get(n.name) ?? {},
    ready: n.ready,
    unschedulable: n.unschedulable,
    taints: n.taints.map((t) => ({ ...t })),
    labels: { ...n.labels },
  }));
}

/** The loop over one World and its controllers. */
class Simulation {
  readonly problems: SimulationProblem[] = [];
  readonly notes: string[] = [];
  private controllers: Controller[] = [];
  private readonly failed = new Set<string>();
  /** Set when a controller hit the World's pod bound: the run ends there. */
  podLimit?: PodLimitError;
  /** Pods alive summed over the instants simulated so far (see MAX_POD_INSTANTS). */
  podInstants = 0;
  private readonly runaway = new Set<string>();
  /** The edits queued as `specChange` clock events. */
  private changes: readonly SpecChange[] = [];
  /** The workload as last edited (by `then`, or by its HorizontalPodAutoscaler). */
  current: Obj = {};
  /** The workload's own controllers, without the companions (budgets, autoscaler, drains). */
  private own: Controller[] = [];
  /** SimulateOptions.stillWanted (askStillWanted). */
  stillWanted?: () => boolean;

  constructor(
    readonly world: SimWorld,
    readonly recorder: TimelineRecorder,
  ) {}

  /** Queue the edits at their times after `origin`; each one edits the object as last edited. */
  scheduleChanges(changes: readonly SpecChange[], origin: number): void {
    this.changes = changes;
    changes.forEach((c, i) => this.world.queue.push(origin + c.at, 'specChange', String(i)));
  }

  private applyChange(index: number): void {
    this.notes.push(this.edit(this.changes[index]));
  }

  /** The workload edited (a scale or an image) and adopted by every controller; what it did in words. */
  edit(change: SpecChange): string {
    const { object, description } = applySpecChange(this.current, change);
    this.current = object;
    this.world.minReadySeconds = minReadySecondsOf(object);
    this.update(object);
    return description;
  }

  setControllers(controllers: Controller[]): void {
    this.controllers = controllers;
    this.own = controllers;
  }

  /** Companions join the loop after the workload's controllers (companions.ts). */
  addCompanions(controllers: Controller[]): void {
    this.controllers = [...this.controllers, ...controllers];
  }

  /** The workload's own controllers settled (a drain without a time waits for it). */
  workloadSettled(): boolean {
    return this.own.every((c) => this.controllers.includes(c) && c.settled(this.world));
  }

  /** Sync every controller until none changes anything (bounded). */
  syncAll(): boolean {
    let any = false;
    for (let pass = 0; pass < MAX_SYNC_PASSES; pass++) {
      let changed = false;
      for (const c of this.controllers) {
        try {
          if (c.sync(this.world)) changed = true;
        } catch (e) {
          this.fail(c, e);
        }
      }
      if (!changed) return any;
      any = true;
    }
    const keys = this.controllers.map((c) => c.key).join(', ');
    if (!this.runaway.has(keys)) {
      this.runaway.add(keys);
      this.notes.push(`${keys} still reported changes after ${MAX_SYNC_PASSES} sync passes at one instant; the engine moved on`);
    }
    return any;
  }

  /**
   * One instant: sync until quiescent, then a scheduling pass. Binding a pod changes nothing a
   * controller acts on (it waits for Running/Ready, which come later as clock events), so the
   * controllers are not synced again at the same instant.
   */
  settleInstant(): boolean {
    this.askStillWanted();
    const changed = this.syncAll();
    this.askStillWanted();
    return this.world.schedulePending() || changed;
  }

  /** SimulateOptions.stillWanted, asked before the controllers' and the scheduler's work of an instant. */
  private askStillWanted(): void {
    if (this.stillWanted?.() === false) throw new Error('the run was stopped: no longer wanted');
  }

  record(changed: boolean, force = false): boolean {
    if (this.recorder.foldsInstant(force)) {
      this.recorder.foldInstant();
      return false;
    }
    return this.recorder.record(this.status(), this.world.traffic(), changed, force);
  }

  status(): StatusRow[] {
    const rows: StatusRow[] = [];
    for (const c of this.controllers) {
      try {
        rows.push(...c.status(this.world));
      } catch (e) {
        this.fail(c, e);
      }
    }
    return rows;
  }

  settled(): boolean {
    return this.controllers.every((c) => {
      try {
        return c.settled(this.world);
      } catch (e) {
        this.fail(c, e);
        return false;
      }
    });
  }

  conditions(): string[] {
    const out: string[] = [];
    for (const c of this.controllers) {
      try {
        out.push(...(c.conditions?.(this.world) ?? []));
      } catch (e) {
        this.fail(c, e);
      }
    }
    return out;
  }

  /** The CronJob controller of the run, if it is one. */
  cronJob(): CronJobController | undefined {
    return this.controllers.find((c): c is CronJobController => c instanceof CronJobController);
  }

  controllerNotes(): string[] {
    const out: string[] = [];
    for (const c of this.controllers) {
      try {
        out.push(...(c.notes?.(this.world) ?? []));
      } catch (e) {
        this.fail(c, e);
      }
    }
    return out;
  }

  update(object: Obj): void {
    for (const c of this.controllers) {
      try {
        c.update(object);
      } catch (e) {
        this.fail(c, e);
      }
    }
  }

  /**
   * Advance event by event until nothing can change any more (no foreground event is queued) or
   * a bound is reached. `recording` false runs the warm-up from `before` without keeping steps.
   */
  run(bounds: { maxSteps: number; untilTime: number; recording: boolean }): 'quiescent' | 'maxSteps' | 'maxSeconds' | 'runaway' | 'podLimit' | 'work' {
    const queue = this.world.queue;
    let lastTime = this.world.now;
    let turnsAtInstant = 0;
    for (;;) {
      if (this.podLimit) return 'podLimit';
      if (!queue.hasForeground()) return 'quiescent';
      if (bounds.recording && this.recorder.steps.length >= bounds.maxSteps) return 'maxSteps';
      const next = queue.peekTime() as number;
      if (next > bounds.untilTime) return 'maxSeconds';
      turnsAtInstant = next === lastTime ? turnsAtInstant + 1 : 0;
      if (turnsAtInstant > MAX_TURNS_PER_INSTANT) return 'runaway';
      lastTime = next;
      this.world.now = next;
      const due = queue.popDue(next);
      for (let i = 0; i < due.length; i++) {
        const event = due[i];
        if (event.kind === 'specChange') this.applyChange(Number(event.subject));
        else this.world.apply(event);
      }
      const changed = this.settleInstant();
      if (bounds.recording) this.record(changed);
      this.podInstants += this.world.podCount;
      if (this.podInstants > MAX_POD_INSTANTS) return 'work';
    }
  }

  private fail(c: Controller, e: unknown): void {
    if (e instanceof PodLimitError) {
      // Not the controller's fault: the run stops here (run() sees the flag), every controller kept.
      this.podLimit = e;
      return;
    }
    this.controllers = this.controllers.filter((x) => x !== c);
    if (this.failed.has(c.key)) return;
    this.failed.add(c.key);
    this.problems.push({ path: '', message: `${c.key}: the controller failed and was stopped: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** Conditions that mean the object gave up: Progressing=False/ProgressDeadlineExceeded, Failed=True/BackoffLimitExceeded. */
const FAILURE_CONDITION = /^(Progressing=False\/|Failed=True\/|ReplicaFailure=True\/)/;

const SIMPLIFICATIONS =
  'timing model: a bound pod runs after 2 s (image pull and start), is Ready after its readinessProbe (initialDelaySeconds + periodSeconds) or 1 s, counted from its startupProbe\'s pass and after its sidecars\' start, ' +
  'and takes min(terminationGracePeriodSeconds, 3 s) to terminate; no kubelet, network or API latency';

/** The workload chosen and checked: what a run is built from. */
interface RunPlan {
  kind: SimulatedKind;
  workload: { kind: SimulatedKind; name: string };
  /** The file's version of the workload. */
  after: Obj;
  /** The earlier version a rollout starts from. */
  before?: Obj;
  /** A Rollout's workloadRef and the workload resolveWorkloadRef found for it (the file's version). */
  workloadRef?: ReferencedWorkload;
  /** The same for the earlier version, which the controller is built from when there is one. */
  beforeWorkloadRef?: ReferencedWorkload;
  factory: ControllerFactory;
  strategy: StrategyChoice;
}

/** How far a run may go. */
interface RunBounds {
  maxSteps: number;
  maxSeconds: number;
  /** A CronJob's folded steps cover a day each in a run longer than a day, else an hour. */
  foldPeriod: number;
}

/** Phase 1: choose the workload and check it, the earlier version and the strategy; problems end the run. */
function planRun(options: SimulateOptions, parts: EngineParts, objects: unknown[]): RunPlan | SimulationResult {
  const selected = selectWorkload(objects, options.workload);
  if (!selected.object) return emptyResult(options, [selected.problem as SimulationProblem]);
  const kind = selected.object.kind as SimulatedKind;
  const workload = { kind, name: nameOf(selected.object) ?? '' };
  const problems: SimulationProblem[] = [];
  // A Rollout's workloadRef: the template comes from the referenced workload (argo-workload-ref.ts)
  // and, for each version, the workload it names (the controller scales the one of the version it is built from).
  const workloadRefs: { after?: ReferencedWorkload; before?: ReferencedWorkload } = {};
  const resolve = (object: Obj, path: '' | 'before'): Obj => {
    const resolved = kind === 'Rollout' ? resolveWorkloadRef(object, objects) : undefined;
    if (!resolved) return object;
    if ('problem' in resolved) {
      problems.push({ path: path ? `${path}.spec.workloadRef` : 'spec.workloadRef', message: resolved.problem });
      return object;
    }
    workloadRefs[path === '' ? 'after' : 'before'] = { ref: resolved.ref, workload: resolved.workload };
    return resolved.rollout;
  };
  const after = resolve(selected.object, '');
  if (problems.length === 0) problems.push(...validateWorkload(after));
  let before: Obj | undefined;
  if (options.before !== undefined && options.before !== null) {
    if (!isObj(options.before) || options.before.kind !== kind) {
      problems.push({ path: 'before', message: `the earlier version is not a ${kind}: nothing to roll out from` });
    } else {
      before = resolve(options.before, 'before');
      for (const p of validateWorkload(before)) problems.push({ path: p.path ? `before.${p.path}` : 'before', message: p.message });
    }
  }
  // The API server would not store these: nothing to simulate. The message names the field, in
  // the same words as `kdry check`.
  for (const [object, path] of [[after, ''], [before, 'before']] as const) {
    const rejection = object && zeroRolloutBudgetRejection(object);
    if (rejection) problems.push({ path, message: `the API server rejects this ${kind}: ${rejection.message}` });
  }
  problems.push(...(options.refusals ?? []));
  problems.push(...specChangeProblems(kind, Array.isArray(options.then) ? options.then : []));
  const factory = parts.factories[kind];
  if (!factory) problems.push({ path: 'kind', message: `simulating a ${kind} is not supported by this build` });
  const strategy: StrategyChoice = options.strategy ?? 'manifest';
  if (strategy !== 'manifest' && kind !== 'Deployment' && kind !== 'Rollout') {
    problems.push({ path: 'spec.strategy', message: `strategy "${strategy}" applies to Deployments; a ${kind} is simulated with its own update strategy` });
  }
  if (problems.length > 0 || !factory) return { ...emptyResult({ ...options, workload }, problems) };
  const { after: workloadRef, before: beforeWorkloadRef } = workloadRefs;
  return { kind, workload, after, ...(before ? { before } : {}), ...(workloadRef ? { workloadRef } : {}), ...(beforeWorkloadRef ? { beforeWorkloadRef } : {}), factory, strategy };
}

/**
 * Phase 2 bounds. A CronJob runs for its window (default a day); anything else until it settles
 * or a virtual day passes.
 */
function boundsOf(options: SimulateOptions, kind: SimulatedKind): RunBounds {
  const window = positive(options.windowSeconds, DEFAULT_CRONJOB_WINDOW_SECONDS);
  const maxSeconds = positive(options.maxSeconds, kind === 'CronJob' ? window : DEFAULT_MAX_SECONDS);
  return { maxSteps: Math.floor(positive(options.maxSteps, DEFAULT_MAX_STEPS)), maxSeconds, foldPeriod: maxSeconds > FOLD_AFTER_SECONDS ? 86400 : 3600 };
}

/**
 * Phase 3a: the earlier version runs unrecorded until it settles, then the timeline starts (t=0)
 * with a step showing it settled, and the controllers adopt the file's version: the rollout.
 */
function warmUpThenUpdate(sim: Simulation, plan: RunPlan & { before: Obj }, build: (object: Obj) => Controller[], bounds: RunBounds, notes: string[]): void {
  const { world, recorder } = sim;
  world.minReadySeconds = minReadySecondsOf(plan.before);
  sim.setControllers(build(plan.before));
  sim.settleInstant();
  const warmUp = sim.run({ maxSteps: bounds.maxSteps, untilTime: bounds.maxSeconds, recording: false });
  if (!sim.settled()) notes.push(`the earlier version had not settled when the rollout started (${warmUp === 'quiescent' ? 'it cannot progress further' : 'bound reached'})`);
  recorder.setOrigin(world.now);
  recorder.resetBaseline();
  world.markRolloutStart();
  world.scheduleNodeFaults(world.now);
  sim.record(false, true);
  world.minReadySeconds = minReadySecondsOf(plan.after);
  sim.update(plan.after);
}

/** Phase 3b: the file's version is created from nothing at t=0. */
function startAsWritten(sim: Simulation, plan: RunPlan, build: (object: Obj) => Controller[], notes: string[]): void {
  // A bare Pod cannot be rolled out, and a CronJob edit only changes the Jobs it creates next:
  // both run as written (a CronJob never settles, so a warm-up would only double the window).
  if (plan.before && plan.kind === 'Pod') notes.push('a bare Pod is not rolled out: its spec is immutable; simulated as written');
  if (plan.before && plan.kind === 'CronJob') notes.push('a CronJob change applies to the Jobs it creates next: simulated as written');
  sim.world.minReadySeconds = minReadySecondsOf(plan.after);
  sim.world.markRolloutStart();
  sim.world.scheduleNodeFaults(0);
  sim.setControllers(build(plan.after));
}

type Ending = ReturnType<Simulation['run']>;

/** Phase 5: what the way the run ended means, as problems (it did not finish) or notes. */
/** Why the pods wait at Init on a release without sidecar containers (world/disabled-fields.ts). */
function sidecarNote(container: string, release: string): string {
  const why =
    compareVersions(release, '1.28') < 0
      ? `Kubernetes ${release} has no sidecar containers (they arrived in 1.28): kubectl apply refuses restartPolicy on an init container, and a client that drops unknown fields leaves`
      : `on Kubernetes ${release} the SidecarContainers feature gate is off by default (alpha; on from 1.29): the API server drops restartPolicy: Always from init containers (pkg/api/pod/util.go dropDisabledFields), leaving`;
  return `${why} init container "${container}" an ordinary init container that must exit before the app containers start; kdry assumes a sidecar keeps running, so the pods stay at Init`;
}

/** docs/simulation.md: kdry has no DeviceClasses, ResourceSlices or claim allocation. */
const CLAIMS_NOT_ALLOCATED =
  "the pods' spec.resourceClaims (dynamic resource allocation) are not simulated: kdry allocates no devices and places the pods as if they claimed none; on a cluster the scheduler's DynamicResources plugin keeps a pod Pending until each claim can be allocated on its node";

/** A field the release's API server drops because its feature gate is off by default (pkg/api/pod/util.go dropDisabledFields). */
function droppedFieldNote(field: string, gate: string, release: string): string {
  const state = gateStage(FEATURE_GATES[gate as keyof typeof FEATURE_GATES], release);
  const why = state ? `the ${gate} feature gate is off by default (${state.stage})` : `Kubernetes ${release} predates the ${gate} feature gate`;
  return `on Kubernetes ${release} ${why}: the API server drops ${field} from the pods (pkg/api/pod/util.go dropDisabledFields), so kdry simulates them without`;
}

function reportEnding(sim: Simulation, ending: Ending, kind: SimulatedKind, bounds: RunBounds, settled: boolean, elapsed: number, notes: string[]): void {
  const { maxSteps, maxSeconds } = bounds;
  if (ending === 'maxSteps') sim.problems.push({ path: '', message: `stopped after ${maxSteps} steps (maxSteps) before the ${kind} settled` });
  if (ending === 'maxSeconds') {
    if (kind === 'CronJob') notes.push(`ran the schedule for ${maxSeconds} s of virtual time`);
    else if (settled) notes.push(`stopped after ${maxSeconds} s of virtual time (maxSeconds); the ${kind} had settled`);
    else sim.problems.push({ path: '', message: `stopped after ${maxSeconds} s of virtual time (maxSeconds) before the ${kind} settled` });
  }
  if (ending === 'podLimit' || sim.podLimit) sim.problems.push({ path: '', message: `${(sim.podLimit as PodLimitError).message}: stopped at t=${elapsed} s` });
  if (ending === 'work') {
    sim.problems.push({ path: '', message: `stopped at t=${elapsed} s: the run reached the simulator's work bound (${MAX_POD_INSTANTS.toLocaleString('en-US')} pods alive, summed over its instants)` });
  }
  if (ending === 'runaway') sim.problems.push({ path: '', message: `a controller kept requeueing itself at t=${elapsed} s without progress; stopped` });
  if (ending === 'quiescent' && !settled) notes.push(`the ${kind} cannot make further progress: nothing left that would change what the controllers see`);
}

/**
 * Run the simulation with the given scheduler and controller factories, in phases: plan (choose
 * and check), build the World and controllers, start (warm-up and rollout, or as written), run
 * the recorded timeline, report how it ended.
 */
export function runSimulation(options: SimulateOptions, parts: EngineParts): SimulationResult {
  const objects = Array.isArray(options.objects) ? options.objects : [];
  const plan = planRun(options, parts, objects);
  if (!('factory' in plan)) return plan;
  const { kind, after } = plan;
  // A workloadRef Rollout without an earlier version migrates from its referenced Deployment, which
  // is already running: warm up with the Deployment alone, then create the Rollout.
  const migrating = kind === 'Rollout' && plan.before === undefined && plan.workloadRef?.ref.kind === 'Deployment';
  const before = migrating ? after : plan.before;
  const rollsOut = before !== undefined && kind !== 'Pod' && kind !== 'CronJob';
  // The controller is built from the earlier version when it rolls out from one: the workload its
  // workloadRef names is that version's (a migration starts from the file's version).
  const workloadRef = rollsOut && plan.before !== undefined ? plan.beforeWorkloadRef : plan.workloadRef;

  // Phase 2: the World on the chosen cluster, its recorder and the loop.
  const services = servicesFromObjects(objects, namespaceOf(after));
  const release = releaseBehaviour(typeof options.kubernetesVersion === 'string' ? options.kubernetesVersion : undefined);
  const world = new SimWorld({ nodes: options.nodes ?? DEFAULT_CLUSTER, services, faults: options.faults, namespace: namespaceOf(after), scheduler: parts.scheduler(), admission: podAdmissionFrom(objects, namespaceOf(after), release), release });
  const recorder = new TimelineRecorder(world, options.snapshotMode ?? 'auto');
  const sim = new Simulation(world, recorder);
  sim.stillWanted = options.stillWanted;
  const context: ControllerContext = {
    world,
    startTime: options.startTime ?? DEFAULT_START_TIME,
    strategy: plan.strategy,
    strategyParams: options.strategyParams ?? {},
    services,
    ...(before ? { after } : {}),
    release,
    objects,
    ...(migrating ? { migrating } : {}),
    ...(workloadRef ? { workloadRef } : {}),
  };
  const build = (object: Obj): Controller[] => [plan.factory(object, context)].flat();
  const bounds = boundsOf(options, kind);
  const notes: string[] = [SIMPLIFICATIONS];
  if (kind === 'CronJob') recorder.foldInstantsAfter(FOLD_AFTER_SECONDS, FOLD_AFTER_STEPS, bounds.foldPeriod);

  // Phase 3: start.
  if (before && rollsOut) warmUpThenUpdate(sim, { ...plan, before }, build, bounds, notes);
  else startAsWritten(sim, plan, build, notes);
  if (migrating) {
    const ref = plan.workloadRef?.ref;
    notes.push(`the Rollout is created beside Deployment ${ref?.name}, which was running settled (workloadRef, scaleDown: ${ref?.scaleDown})`);
  }

  // Phase 4: the recorded timeline, with what acts on the workload beside its controllers.
  const origin = world.now;
  sim.current = after;
  sim.addCompanions(
    companionControllers({
      objects,
      workload: after,
      kind,
      name: plan.workload.name,
      namespace: namespaceOf(after),
      world,
      faults: world.faults,
      origin,
      scale: (replicas) => void sim.edit({ at: world.now - origin, replicas }),
      workloadSettled: () => sim.workloadSettled(),
    }),
  );
  if (Array.isArray(options.then) && options.then.length > 0) sim.scheduleChanges(options.then, origin);
  const changed = sim.settleInstant();
  sim.record(changed, recorder.steps.length === 0);
  const ending = sim.run({ maxSteps: bounds.maxSteps, untilTime: origin + bounds.maxSeconds, recording: true });
  if (recorder.hasFoldedInstants()) sim.record(false, true);
  if (recorder.foldingSince !== undefined) {
    notes.push(
      `recorded step by step until t=${recorder.foldingSince} s, then one step per ${bounds.foldPeriod === 86400 ? 'day' : 'hour'} whose events count what happened in it (grouped by message, names left out)`,
    );
  }

  // Phase 5: how it ended.
  const settled = sim.settled();
  const conditions = sim.conditions();
  // A controller may settle in failure (deadline exceeded, Job failed): that is not completion.
  const failed = conditions.some((c) => FAILURE_CONDITION.test(c));
  reportEnding(sim, ending, kind, bounds, settled, world.now - origin, notes);
  if (world.heldAtInit) notes.push(sidecarNote(world.heldAtInit, release.release));
  for (const [field, gate] of world.droppedFields) notes.push(droppedFieldNote(field, gate, release.release));
  if (world.claimsNotAllocated) notes.push(CLAIMS_NOT_ALLOCATED);

  return {
    workload: plan.workload,
    cluster: { source: options.clusterSource ?? (options.nodes ? 'custom nodes' : DEFAULT_CLUSTER_SOURCE), nodes: world.nodes.map((n) => n.name), nodeDetails: nodeDetails(world) },
    kubernetes: { version: context.release.release, ...(options.kubernetesVersionReason ? { reason: options.kubernetesVersionReason } : {}) },
    steps: recorder.steps,
    summary: recorder.summary(settled && !failed && (ending === 'quiescent' || ending === 'maxSeconds'), conditions, kind !== 'Job' && kind !== 'CronJob', rollsOut),
    problems: sim.problems,
    ...(kind === 'CronJob' ? { cronRuns: cronRunsOf(after, context.startTime, sim.cronJob(), world.now) } : {}),
    notes: [...notes, ...sim.controllerNotes(), ...sim.notes],
  };
}

/**
 * The CronJob's runs: the Jobs it created in the simulated window (so Forbid's skipped activations
 * are absent and a late start is listed when it happened), then, when fewer than CRON_RUNS_LISTED
 * and no Job is left running, the schedule's activations after the window.
 */
function cronRunsOf(cronJob: Obj, startTime: string, controller: CronJobController | undefined, endSeconds: number): CronRun[] {
  const spec = isObj(cronJob.spec) ? cronJob.spec : {};
  const name = nameOf(cronJob) ?? '';
  if (!controller) return upcomingCronRuns(name, spec.schedule, spec.timeZone, startTime, CRON_RUNS_LISTED);
  const runs = [...controller.runs];
  if (runs.length < CRON_RUNS_LISTED && !controller.hasUnfinishedJob()) {
    const end = new Date(new Date(startTime).getTime() + endSeconds * 1000).toISOString();
    runs.push(...upcomingCronRuns(name, spec.schedule, spec.timeZone, startTime, CRON_RUNS_LISTED - runs.length, end));
  }
  return runs;
}

export const DEFAULT_ENGINE_PARTS: EngineParts = { scheduler: cachedKubeScheduler, factories: CONTROLLER_FACTORIES };

/**
 * Simulate what the controllers and the scheduler do with a workload: a deterministic timeline of
 * steps and a summary. Never throws: what cannot be simulated is reported in `problems`.
 */
export function simulate(options: SimulateOptions): SimulationResult {
  try {
    return runSimulation(options ?? { objects: [] }, DEFAULT_ENGINE_PARTS);
  } catch (e) {
    return emptyResult(options ?? { objects: [] }, [{ path: '', message: `the simulation failed: ${e instanceof Error ? e.message : String(e)}` }]);
  }
}
