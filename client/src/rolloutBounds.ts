// maxSurge / maxUnavailable resolved for the timeline chart, with the Deployment controller's
// rounding (surge up, unavailable down) and ResolveFenceposts' rule that both cannot be 0.
import { getScaledValueFromIntOrPercent, type IntOrString } from '../../server/src/engine/intstr';
import type { RolloutBounds } from '../webview/messages';
import type { StrategyChoice } from '../../server/src/engine/types';

const DEFAULT_SURGE_OR_UNAVAILABLE = '25%';

export function rolloutBounds(workload: Record<string, unknown> | undefined, strategy: StrategyChoice | undefined): RolloutBounds | undefined {
  if (!workload || workload.kind !== 'Deployment') return undefined;
  if (strategy !== undefined && strategy !== 'manifest' && strategy !== 'rolling') return undefined;
  const spec = isRecord(workload.spec) ? workload.spec : {};
  const desired = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const deploymentStrategy = isRecord(spec.strategy) ? spec.strategy : {};
  if (strategy !== 'rolling' && deploymentStrategy.type === 'Recreate') return undefined;
  const rolling = isRecord(deploymentStrategy.rollingUpdate) ? deploymentStrategy.rollingUpdate : {};
  try {
    const maxSurge = getScaledValueFromIntOrPercent(asIntOrString(rolling.maxSurge), desired, true);
    let maxUnavailable = getScaledValueFromIntOrPercent(asIntOrString(rolling.maxUnavailable), desired, false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
    return { desired, maxSurge, maxUnavailable: Math.min(maxUnavailable, desired) };
  } catch {
    return undefined; // an invalid value: the language server reports it; the chart just omits the bounds
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asIntOrString(value: unknown): IntOrString {
  return typeof value === 'number' || typeof value === 'string' ? value : DEFAULT_SURGE_OR_UNAVAILABLE;
}
