// Shadowing: the new version runs as `<name>-shadow` outside the Service's selector (the Service
// is pinned to the stable revision); a mirror sends it a copy of the requests whose responses are
// discarded, so the stable version keeps 100% of the real traffic.
import type { World } from '../types';
import { percentOr, podRevisionOf, shareOfReplicas } from './common';
import { OneStepPatternController } from './one-step';
import type { Obj } from '../objects';

export const DEFAULT_SHADOW_PERCENT = 100;

export class ShadowController extends OneStepPatternController {
  readonly kind = 'Shadow';

  protected start(world: World, after: Obj): void {
    const percent = percentOr(this.params.shadowPercent, DEFAULT_SHADOW_PERCENT);
    // Capacity for the mirrored share of the load.
    const shadow = (this.side = this.sideDeployment(this.side, after, 'shadow', shareOfReplicas(after, percent)));
    const revision = podRevisionOf(after);
    const service = this.pinService(world, podRevisionOf(this.before));
    if (service) world.setTrafficRule(service, { mirrorTo: { revision, percent } });
    world.event(
      this.objectName,
      service
        ? `Shadow: ${percent}% of requests to Service ${service} mirrored to ${shadow.name} (revision ${revision}); its responses are discarded and ${this.stable.name} keeps 100% of real traffic`
        : `Shadow: ${shadow.name} started, but no Service selects these pods: nothing to mirror`,
    );
  }
}
