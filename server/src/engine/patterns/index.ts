// Rollout patterns on top of the Deployment controller, and Argo Rollouts.
//
//   createPatternControllers(strategy, before, after, services, params): Controller[]
//
// `strategy` is the StrategyChoice of the panel or CLI; `before` the workload as it was (a
// Deployment, or an argoproj.io/v1alpha1 Rollout), `after` the edited one; `services` the file's
// Services (the one whose selector picks the template's labels is steered); `params` the weights,
// rule and percentages of StrategyParams. The controllers simulate `before` first, exactly like a
// plain Deployment controller: once that baseline is settled the caller hands over `after` with
// update(after), and the pattern runs its plan (handing over the same manifest twice is harmless).
// `objects` is the workload's scope (a Rollout's AnalysisTemplates).
// Without `before`, `after` is the baseline. A Rollout (in `after` or `before`) always runs as
// Argo would, whatever `strategy` says. Bad input never throws: missing fields take API defaults.
import type { Controller, SimService, StrategyChoice, StrategyParams } from '../types';
import type { ReleaseBehaviour } from '../release-behaviour';
import { createDeploymentController } from '../controllers/deployment/controller';
import { ABTestController } from './ab';
import { createRolloutController } from './argo-rollouts';
import type { ReferencedWorkload } from './argo-workload-ref';
import { BlueGreenController } from './bluegreen';
import { CanaryController } from './canary';
import { isObj } from '../objects';
import { ShadowController } from './shadow';
import { StrategyOverrideController } from './strategy';

export { PatternController, deriveDeployment, weightedReplicas } from './common';
export * from './canary';
export * from './bluegreen';
export * from './ab';
export * from './shadow';
export * from './strategy';
export * from './argo-rollouts';
export * from './argo-duration';
export * from './argo-analysis';
export * from './argo-experiment';
export * from './argo-workload-ref';

export function createPatternControllers(
  strategy: StrategyChoice,
  before: unknown,
  after: unknown,
  services: readonly SimService[] = [],
  params: StrategyParams = {},
  release?: ReleaseBehaviour,
  /**
   * The workload's scope: a Rollout's AnalysisTemplates and its workloadRef's Deployment are looked
   * up there; `migrating`: the Rollout is created only at update() (its Deployment runs before);
   * `workloadRef`: the workload its workloadRef resolved to.
   */
  scope: { objects: readonly unknown[]; migrating?: boolean; workloadRef?: ReferencedWorkload } = { objects: [] },
): Controller[] {
  const baseline = isObj(before) ? before : isObj(after) ? after : { kind: 'Deployment', metadata: { name: 'deployment' }, spec: {} };
  if (baseline.kind === 'Rollout' || (isObj(after) && after.kind === 'Rollout')) return [createRolloutController(baseline, scope.objects, scope.migrating === true, scope.workloadRef)];
  switch (strategy) {
    case 'canary':
      return [new CanaryController(baseline, services, params)];
    case 'bluegreen':
      return [new BlueGreenController(baseline, services)];
    case 'ab':
      return [new ABTestController(baseline, services, params)];
    case 'shadow':
      return [new ShadowController(baseline, services, params)];
    case 'rolling':
      return [new StrategyOverrideController(baseline, 'RollingUpdate', release)];
    case 'recreate':
      return [new StrategyOverrideController(baseline, 'Recreate', release)];
    default:
      return [createDeploymentController(baseline, release)];
  }
}
