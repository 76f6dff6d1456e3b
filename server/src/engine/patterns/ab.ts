// A/B testing: version B runs as `<name>-b` next to A; an Ingress-style rule routes the requests
// that match it (a header or user attribute, as stated) to B and the rest to A. The engine models
// the rule as a traffic split with the rule named, since it has no real requests.
import type { SimService, StrategyParams, World } from '../types';
import type { DeploymentController } from '../controllers/deployment/controller';
import { PatternController, percentOr, podRevisionOf, shareOfReplicas } from './common';
import type { Obj } from '../objects';

export const DEFAULT_AB_RULE = 'header X-Group: beta';
export const DEFAULT_AB_SHARE = 50;

export class ABTestController extends PatternController {
  readonly kind = 'AB';
  private versionB?: DeploymentController;
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
    const rule = typeof this.params.abRule === 'string' && this.params.abRule.trim() !== '' ? this.params.abRule.trim() : DEFAULT_AB_RULE;
    const share = percentOr(this.params.abShare, DEFAULT_AB_SHARE);
    // B is sized for the share of requests it catches.
    this.versionB = this.sideDeployment(this.versionB, after, 'b', shareOfReplicas(after, share));
    const revision = podRevisionOf(after);
    const service = this.frontService(world);
    if (service) world.setTrafficRule(service.name, { match: { rule, revision, share } });
    world.event(this.objectName, `A/B: requests matching ${rule} (${share}%) go to ${this.versionB.name} (revision ${revision}); the rest stay on ${this.stable.name}`);
    this.started = true;
    return true;
  }
}
