// What every rollout pattern shares: sub-Deployments derived from the manifest (same labels, so
// they sit behind the same Service), the Service to steer, pauses on the virtual clock, and the
// controller plumbing (status rows of every sub-Deployment, settled when the plan is done).
import { serviceSelectorMatches } from '../../k8s/labels';
import type { Controller, SimService, StatusRow, World } from '../types';
import { createDeploymentController, type DeploymentController } from '../controllers/deployment/controller';
import { computePodTemplateHash, stableStringify, TIMED_OUT_REASON } from '../controllers/deployment/util';
import { approximateWeightedCanaryStableReplicaCounts } from './argo-rollouts';
import { type Obj, isObj } from '../objects';

/** A copy of a Deployment manifest under another name with spec fields replaced. */
export function deriveDeployment(object: Obj, name: string, spec: Obj = {}): Obj {
  const meta = isObj(object.metadata) ? object.metadata : {};
  const baseSpec = isObj(object.spec) ? object.spec : {};
  return { ...object, kind: 'Deployment', metadata: { ...meta, name }, spec: { ...baseSpec, ...spec } };
}

/** `percent` of the workload's replicas, rounded up, at least one pod (a side version needs a pod to exist). */
export function shareOfReplicas(object: Obj, percent: number): number {
  return Math.max(1, Math.ceil((replicasOf(object) * percent) / 100));
}

export function replicasOf(object: Obj): number {
  const spec = isObj(object.spec) ? object.spec : {};
  return typeof spec.replicas === 'number' && Number.isInteger(spec.replicas) && spec.replicas >= 0 ? spec.replicas : 1;
}

export function templateOf(object: Obj): unknown {
  const spec = isObj(object.spec) ? object.spec : {};
  return spec.template ?? null;
}

/** A percentage parameter clamped to [0, 100]; `fallback` when it is not a finite number. */
export function percentOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : fallback;
}

/** A number of seconds, `fallback` when it is not a finite non-negative number. */
export function secondsOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** The revision (pod-template-hash) a manifest's pods get. */
export function podRevisionOf(object: Obj): string {
  return computePodTemplateHash(templateOf(object));
}

export function templateLabels(object: Obj): Record<string, string> {
  const template = templateOf(object);
  const meta = isObj(template) && isObj(template.metadata) ? template.metadata : {};
  return isObj(meta.labels) ? Object.fromEntries(Object.entries(meta.labels).map(([k, v]) => [k, String(v)])) : {};
}

/** The Service in front of the workload: the first whose selector picks the template's labels. */
export function findService(services: readonly SimService[], labels: Record<string, string>): SimService | undefined {
  return services.find((s) => serviceSelectorMatches(s.selector, labels));
}

/**
 * The canary/stable split of `total` replicas closest to `weight` percent, as Argo Rollouts sizes a
 * basic canary without surge: both at least 1 between 0 and 100% when there are 2+ replicas.
 */
export function weightedReplicas(total: number, weight: number): { canary: number; stable: number } {
  return approximateWeightedCanaryStableReplicaCounts(total, Math.min(100, Math.max(0, weight)), 0);
}

/**
 * Base of a pattern controller: it simulates `before` until update() hands it the new manifest,
 * then runs its plan step by step. Subclasses implement `advance` (one plan step per call at most).
 */
export abstract class PatternController implements Controller {
  abstract readonly kind: string;
  readonly stable: DeploymentController;
  protected readonly extra: DeploymentController[] = [];
  protected after?: Obj;
  protected done = false;
  /** The plan waits until this virtual time (a pause step). */
  protected pausedUntil?: number;
  protected service?: SimService;
  /** Set when the plan stopped on a step that timed out. */
  private aborted = false;
  private originalSelector?: Record<string, string>;

  constructor(
    readonly before: Obj,
    protected readonly services: readonly SimService[],
  ) {
    this.stable = createDeploymentController(before);
  }

  get name(): string {
    return this.stable.name;
  }

  get key(): string {
    return `${this.kind}/${this.name}`;
  }

  /**
   * The Deployment this pattern runs beside the stable one, `<stable>-<suffix>`, from `after` with
   * `replicas`: created on first use (and reported with the pattern's pods), updated after that.
   */
  protected sideDeployment(existing: DeploymentController | undefined, after: Obj, suffix: string, replicas: number): DeploymentController {
    const spec = deriveDeployment(after, `${this.stable.name}-${suffix}`, { replicas });
    if (existing) {
      existing.update(spec);
      return existing;
    }
    const created = createDeploymentController(spec);
    this.extra.push(created);
    return created;
  }

  /** The object name pattern events are reported under, e.g. `canary/web`. */
  get objectName(): string {
    return `${this.kind.toLowerCase()}/${this.name}`;
  }

  /** Starts the plan towards `object`; handing over the same manifest again changes nothing. */
  update(object: Record<string, unknown>): void {
    if (this.after && stableStringify(this.after) === stableStringify(object)) return;
    this.after = object;
    this.done = false;
    this.aborted = false;
    this.restart();
  }

  /** Resets the plan's own progress for a new target. */
  protected abstract restart(): void;

  sync(world: World): boolean {
    let changed = false;
    for (const d of this.deployments()) changed = d.sync(world) || changed;
    if (!this.after || this.done) return changed;
    const stuck = this.deployments().find((d) => d.progressing?.reason === TIMED_OUT_REASON);
    if (stuck) {
      // A step that cannot finish stops the plan, as a person (or Argo's abort) would.
      world.event(this.objectName, `${this.kind} stopped: ${stuck.name} has timed out progressing`, 'Warning');
      this.abort(world);
      this.aborted = true;
      this.done = true;
      return true;
    }
    if (this.pausedUntil !== undefined) {
      if (world.now < this.pausedUntil) {
        world.requeueAt(this.key, this.pausedUntil);
        return changed;
      }
      this.pausedUntil = undefined;
    }
    if (!this.deployments().every((d) => d.settled(world))) return changed;
    return this.advance(world, this.after) || changed;
  }

  status(world: World): StatusRow[] {
    return this.deployments().flatMap((d) => d.status(world));
  }

  settled(world: World): boolean {
    return (!this.after || this.done) && this.deployments().every((d) => d.settled(world));
  }

  /** A stopped plan first, then each sub-Deployment's, e.g. `Progressing=False/ProgressDeadlineExceeded (web-canary)`. */
  conditions(world: World): string[] {
    const own = this.aborted ? [`Progressing=False/RolloutAborted (${this.objectName})`] : [];
    return [...own, ...this.deployments().flatMap((d) => d.conditions(world).map((c) => `${c} (${d.name})`))];
  }

  protected deployments(): DeploymentController[] {
    return [this.stable, ...this.extra];
  }

  /** Runs one step of the plan; called only when every sub-Deployment is settled and no pause runs. */
  protected abstract advance(world: World, after: Obj): boolean;

  /** Undo what a stopped plan left half-done; by default nothing (the Service keeps what it selects). */
  protected abort(world: World): void {}

  protected pause(world: World, seconds: number): void {
    if (seconds <= 0) return;
    this.pausedUntil = world.now + seconds;
    world.requeueAt(this.key, this.pausedUntil);
  }

  /** The Service in front of the stable pods (from the file, else as the World knows it). */
  protected frontService(world: World): SimService | undefined {
    this.service ??= findService(this.services.length > 0 ? this.services : world.services(), templateLabels(this.before));
    return this.service;
  }

  /** Point the Service at one revision only (its selector plus pod-template-hash), as Argo does. */
  protected pinService(world: World, revision: string): string | undefined {
    const service = this.frontService(world);
    if (!service) return undefined;
    this.originalSelector ??= { ...service.selector };
    world.setServiceSelector(service.name, { ...this.originalSelector, 'pod-template-hash': revision });
    return service.name;
  }
}
