// RollingUpdate or Recreate chosen in the panel rather than in the manifest: the Deployment
// controller runs with its strategy type replaced, before and after the update alike.
import type { Controller, StatusRow, World } from '../types';
import { createDeploymentController, type DeploymentController } from '../controllers/deployment/controller';
import { type Obj, isObj } from '../objects';
import type { ReleaseBehaviour } from '../release-behaviour';

/** The manifest with spec.strategy.type set (rollingUpdate parameters dropped for Recreate, as the API requires). */
export function withStrategyType(object: Obj, type: 'RollingUpdate' | 'Recreate'): Obj {
  const spec = isObj(object.spec) ? object.spec : {};
  const strategy = isObj(spec.strategy) ? spec.strategy : {};
  const next: Obj = type === 'Recreate' ? { type } : { ...strategy, type };
  return { ...object, spec: { ...spec, strategy: next } };
}

export class StrategyOverrideController implements Controller {
  readonly kind = 'Deployment';
  private readonly inner: DeploymentController;

  constructor(
    before: Obj,
    private readonly type: 'RollingUpdate' | 'Recreate',
    release?: ReleaseBehaviour,
  ) {
    this.inner = createDeploymentController(withStrategyType(before, type), release);
  }

  get key(): string {
    return this.inner.key;
  }

  get name(): string {
    return this.inner.name;
  }

  sync(world: World): boolean {
    return this.inner.sync(world);
  }

  update(object: Record<string, unknown>): void {
    this.inner.update(withStrategyType(object, this.type));
  }

  status(world: World): StatusRow[] {
    return this.inner.status(world);
  }

  settled(world: World): boolean {
    return this.inner.settled(world);
  }

  conditions(world: World): string[] {
    return this.inner.conditions(world);
  }
}
