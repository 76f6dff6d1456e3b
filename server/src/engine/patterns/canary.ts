// Canary: a second Deployment (`<name>-canary`) with the new template behind the same Service.
// Without a weight plan it runs one canary replica next to the full stable set (traffic follows
// the endpoints, 1/(n+1)); with canaryWeights each step sizes canary and stable as Argo does
// without a traffic router (both rounded up) and sets the Service's traffic weights. After the
// last step (or a 100% step) the stable Deployment is updated to the new template (its own
// rolling update) and the canary is scaled to 0.
import type { SimService, StrategyParams, World } from '../types';
import type { DeploymentController } from '../controllers/deployment/controller';
import { deriveDeployment, PatternController, replicasOf, podRevisionOf, secondsOr, weightedReplicas } from './common';
import type { Obj } from '../objects';

export const DEFAULT_CANARY_PAUSE_SECONDS = 30;

type Stage = { kind: 'step'; index: number } | { kind: 'hold'; index: number } | { kind: 'promote' } | { kind: 'retire' } | { kind: 'finish' };

export class CanaryController extends PatternController {
  readonly kind = 'Canary';
  private canary?: DeploymentController;
  private stage: Stage = { kind: 'step', index: 0 };

  constructor(
    before: Obj,
    services: readonly SimService[],
    private readonly params: StrategyParams,
  ) {
    super(before, services);
  }

  protected restart(): void {
    this.stage = { kind: 'step', index: 0 };
  }

  /** Canary weights below 100, in order; [] = the single-replica canary. */
  private weights(): number[] {
    const weights = Array.isArray(this.params.canaryWeights) ? this.params.canaryWeights : [];
    return weights.filter((w) => typeof w === 'number' && Number.isFinite(w) && w > 0 && w < 100);
  }

  protected advance(world: World, after: Obj): boolean {
    const total = replicasOf(after);
    const stableRevision = podRevisionOf(this.before);
    const canaryRevision = podRevisionOf(after);
    const weights = this.weights();
    const steps = Math.max(weights.length, 1);
    const stage = this.stage;
    switch (stage.kind) {
      case 'step': {
        const canary = this.canaryDeployment(after);
        const weight = weights[stage.index];
        const split = weight === undefined ? { canary: 1, stable: total } : weightedReplicas(total, weight);
        canary.update(deriveDeployment(after, canary.name, { replicas: split.canary }));
        this.stable.update(deriveDeployment(this.before, this.stable.name, { replicas: split.stable }));
        const service = this.frontService(world);
        if (service && weight !== undefined && stableRevision !== canaryRevision) {
          world.setTrafficRule(service.name, { weights: { [stableRevision]: 100 - weight, [canaryRevision]: weight } });
        }
        const traffic = weight === undefined ? `traffic by endpoints (${split.canary} of ${split.canary + split.stable})` : `traffic ${weight}% to the canary`;
        world.event(this.objectName, `Canary step ${stage.index + 1}/${steps}: ${canary.name} ${split.canary} replica(s), ${this.stable.name} ${split.stable}; ${traffic}`);
        this.stage = { kind: 'hold', index: stage.index };
        return true;
      }
      case 'hold': {
        this.pause(world, secondsOr(this.params.canaryPauseSeconds, DEFAULT_CANARY_PAUSE_SECONDS));
        this.stage = stage.index + 1 < weights.length ? { kind: 'step', index: stage.index + 1 } : { kind: 'promote' };
        return false;
      }
      case 'promote': {
        const service = this.frontService(world);
        if (service) world.setTrafficRule(service.name, undefined);
        this.stable.update(deriveDeployment(after, this.stable.name, { replicas: total }));
        world.event(this.objectName, `Canary promoted: ${this.stable.name} rolls out the new template to ${total} replica(s)`);
        this.stage = { kind: 'retire' };
        return true;
      }
      case 'retire': {
        const canary = this.canaryDeployment(after);
        canary.update(deriveDeployment(after, canary.name, { replicas: 0 }));
        world.event(this.objectName, `Canary ${canary.name} scaled to 0: ${this.stable.name} serves every request`);
        this.stage = { kind: 'finish' };
        return true;
      }
      case 'finish':
        this.done = true;
        return true;
    }
  }

  /** Traffic back to stable and the canary scaled to 0, as Argo does on abort. */
  protected abort(world: World): void {
    const service = this.frontService(world);
    if (service) world.setTrafficRule(service.name, undefined);
    if (this.canary && this.after) this.canary.update(deriveDeployment(this.after, this.canary.name, { replicas: 0 }));
    this.stable.update(deriveDeployment(this.before, this.stable.name, { replicas: replicasOf(this.before) }));
  }

  private canaryDeployment(after: Obj): DeploymentController {
    this.canary ??= this.sideDeployment(undefined, after, 'canary', 0);
    return this.canary;
  }
}
