// What acts on the workload beside its own controller during a run: the PodDisruptionBudgets that
// select its pods (the disruption controller's statuses, which the eviction API reads), the
// HorizontalPodAutoscaler that targets it (its bounds), and `kubectl drain` of a node (the
// drain fault). Each joins the run as one more controller of the loop.
import { AutoscalerController, autoscalerFor } from './controllers/hpa/autoscaler';
import { budgetSelects, budgetsFromObjects } from './controllers/disruption/budget';
import { DisruptionController } from './controllers/disruption/controller';
import { DrainController, type DrainWorld } from './controllers/disruption/drain';
import { isObj, stringMap, type Obj } from './objects';
import type { Controller, Faults } from './types';

/** Kinds an HPA can scale (they have a scale subresource the engine simulates). */
const SCALABLE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'Rollout']);

export interface CompanionContext {
  objects: readonly unknown[];
  /** The workload as the run starts (after any warm-up). */
  workload: Obj;
  kind: string;
  name: string;
  namespace: string;
  world: DrainWorld;
  faults: Faults;
  /** Virtual time the recorded timeline starts: drain times count from it. */
  origin: number;
  /** Scales the workload (the HPA's rescale). */
  scale: (replicas: number) => void;
  /** True once the workload's own controllers report settled (a drain without a time waits for it). */
  workloadSettled: () => boolean;
}

/** The labels of the pods the workload creates. */
function podLabels(object: Obj, kind: string): Record<string, string> {
  const spec: Obj = isObj(object.spec) ? object.spec : {};
  if (kind === 'Pod') return stringMap(isObj(object.metadata) ? object.metadata.labels : undefined);
  const holder = kind === 'CronJob' ? (isObj(spec.jobTemplate) && isObj(spec.jobTemplate.spec) ? spec.jobTemplate.spec : {}) : spec;
  const template: Obj = isObj(holder.template) ? holder.template : {};
  return stringMap(isObj(template.metadata) ? template.metadata.labels : undefined);
}

export function companionControllers(context: CompanionContext): Controller[] {
  const { objects, workload, kind, name, namespace, world, faults } = context;
  const out: Controller[] = [];
  const labels = podLabels(workload, kind);
  const budgets = budgetsFromObjects(objects, namespace).filter((b) => budgetSelects(b, labels));
  const disruption = budgets.length > 0 ? new DisruptionController(budgets, workload) : undefined;
  if (disruption) out.push(disruption);
  const hpa = SCALABLE_KINDS.has(kind) ? autoscalerFor(objects, { kind, name }, namespace) : undefined;
  if (hpa) out.push(new AutoscalerController(hpa, { kind, name }, workload, context.scale));
  for (const drain of faults.drain ?? []) {
    const at = typeof drain.at === 'number' && Number.isFinite(drain.at) ? context.origin + Math.max(0, drain.at) : undefined;
    out.push(new DrainController(world, drain.node, at, disruption, context.workloadSettled));
  }
  return out;
}
