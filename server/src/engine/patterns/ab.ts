// A/B testing: version B runs as `<name>-b` next to A; an Ingress-style rule routes the requests
// that match it (a header or user attribute, as stated) to B and the rest to A. The engine models
// the rule as a traffic split with the rule named, since it has no real requests.
import type { World } from '../types';
import { percentOr, podRevisionOf, shareOfReplicas } from './common';
import { OneStepPatternController } from './one-step';
import type { Obj } from '../objects';

export const DEFAULT_AB_RULE = 'header X-Group: beta';
export const DEFAULT_AB_SHARE = 50;

export class ABTestController extends OneStepPatternController {
  readonly kind = 'AB';

  protected start(world: World, after: Obj): void {
    const rule = typeof this.params.abRule === 'string' && this.params.abRule.trim() !== '' ? this.params.abRule.trim() : DEFAULT_AB_RULE;
    const share = percentOr(this.params.abShare, DEFAULT_AB_SHARE);
    // B is sized for the share of requests it catches.
    const versionB = (this.side = this.sideDeployment(this.side, after, 'b', shareOfReplicas(after, share)));
    const revision = podRevisionOf(after);
    const service = this.frontService(world);
    if (service) world.setTrafficRule(service.name, { match: { rule, revision, share } });
    world.event(this.objectName, `A/B: requests matching ${rule} (${share}%) go to ${versionB.name} (revision ${revision}); the rest stay on ${this.stable.name}`);
  }
}
