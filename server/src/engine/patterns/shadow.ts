// Shadowing: the new version runs as `<name>-shadow` outside the Service's selector (the Service
// is pinned to the stable revision); a mirror sends it a copy of the requests whose responses are
// discarded, so the stable version keeps 100% of the real traffic.
import type { SimService, StrategyParams, World } from '../types';
import type { DeploymentController } from '../controllers/deployment/controller';
import { PatternController, percentOr, podRevisionOf, shareOfReplicas } from './common';
import type { Obj } from '../objects';

export const DEFAULT_SHADOW_PERCENT = 100;

export class ShadowController extends PatternController {
  readonly kind = 'Shadow';
  private shadow?: DeploymentController;
  private started = false;

  constructor(
    before: Obj,
    services: readonly SimService[],
    private readonly params: StrategyParams,
  ) {
    super(before, services);
  }

  protected restart(): void {
    this.started = false;
  }

  protected advance(world: World, after: Obj): boolean {
    if (this.started) {
      this.done = true;
      return true;
    }
    const percent = percentOr(this.params.shadowPercent, DEFAULT_SHADOW_PERCENT);
    // Capacity for the mirrored share of the load.
    this.shadow = this.sideDeployment(this.shadow, after, 'shadow', shareOfReplicas(after, percent));
    const revision = podRevisionOf(after);
    const service = this.pinService(world, podRevisionOf(this.before));
    if (service) world.setTrafficRule(service, { mirrorTo: { revision, percent } });
    world.event(
      this.objectName,
      service
        ? `Shadow: ${percent}% of requests to Service ${service} mirrored to ${this.shadow.name} (revision ${revision}); its responses are discarded and ${this.stable.name} keeps 100% of real traffic`
        : `Shadow: ${this.shadow.name} started, but no Service selects these pods: nothing to mirror`,
    );
    this.started = true;
    return true;
  }
}
