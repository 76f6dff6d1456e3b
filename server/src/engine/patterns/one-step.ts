// A pattern of one step (A/B testing, shadowing): start the new version beside the stable one and
// route part of the traffic to it by a rule. The sync after that step ends the plan.
import type { SimService, StrategyParams, World } from '../types';
import type { DeploymentController } from '../controllers/deployment/controller';
import { PatternController } from './common';
import type { Obj } from '../objects';

export abstract class OneStepPatternController extends PatternController {
  /** The new version, running beside the stable one (`<name>-<suffix>`). */
  protected side?: DeploymentController;
  private started = false;

  constructor(
    before: Obj,
    services: readonly SimService[],
    protected readonly params: StrategyParams,
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
    this.start(world, after);
    this.started = true;
    return true;
  }

  /** Starts (or updates) `side` from `after` and sets the traffic rule that sends it its share. */
  protected abstract start(world: World, after: Obj): void;
}
