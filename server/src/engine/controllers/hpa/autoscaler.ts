// The HorizontalPodAutoscaler that targets the simulated workload, after
// pkg/controller/podautoscaler/horizontal.go (reconcileAutoscaler). kdry has no metrics, so of the
// controller's decisions only the bounds apply: a scale above maxReplicas or below minReplicas is
// brought back at the next sync (every 15 s, --horizontal-pod-autoscaler-sync-period) with the
// SuccessfulRescale event (`New size: 10; reason: Current number of replicas above
// Spec.MaxReplicas`); a target scaled to 0 is left alone (autoscaling is disabled then). Its row
// is `kubectl get hpa`'s: REFERENCE, TARGETS (`cpu: <unknown>/80%`: no metrics), MINPODS, MAXPODS,
// REPLICAS.
import type { Controller, StatusRow, World } from '../../types';
import { isObj, type Obj } from '../../objects';

/** --horizontal-pod-autoscaler-sync-period. */
export const HPA_SYNC_PERIOD_SECONDS = 15;

export interface Autoscaler {
  name: string;
  minReplicas: number;
  maxReplicas: number;
  /** kubectl's TARGETS column with no metric available. */
  targets: string;
}

/** The HorizontalPodAutoscaler among `objects` whose scaleTargetRef names the workload, if any. */
export function autoscalerFor(objects: readonly unknown[], workload: { kind: string; name: string }, namespace: string): Autoscaler | undefined {
  for (const o of objects) {
    if (!isObj(o) || o.kind !== 'HorizontalPodAutoscaler') continue;
    const meta: Obj = isObj(o.metadata) ? o.metadata : {};
    if ((typeof meta.namespace === 'string' ? meta.namespace : 'default') !== namespace) continue;
    const spec: Obj = isObj(o.spec) ? o.spec : {};
    const target: Obj = isObj(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
    if (target.kind !== workload.kind || target.name !== workload.name) continue;
    if (typeof spec.maxReplicas !== 'number' || !Number.isInteger(spec.maxReplicas) || spec.maxReplicas < 1) continue;
    const minReplicas = typeof spec.minReplicas === 'number' && Number.isInteger(spec.minReplicas) && spec.minReplicas >= 0 ? spec.minReplicas : 1;
    return { name: typeof meta.name === 'string' ? meta.name : 'hpa', minReplicas, maxReplicas: spec.maxReplicas, targets: targetsColumn(spec) };
  }
  return undefined;
}

// printers formatHPAMetrics with no current value: `cpu: <unknown>/80%` per metric; autoscaling/v2
// without metrics defaults to 80% CPU, as does v1 without targetCPUUtilizationPercentage.
function targetsColumn(spec: Obj): string {
  if (typeof spec.targetCPUUtilizationPercentage === 'number') return `cpu: <unknown>/${spec.targetCPUUtilizationPercentage}%`;
  const metrics = Array.isArray(spec.metrics) ? spec.metrics.filter(isObj) : [];
  if (metrics.length === 0) return 'cpu: <unknown>/80%';
  const parts = metrics.map((m) => {
    const source: Obj = isObj(m.resource) ? m.resource : isObj(m.containerResource) ? m.containerResource : isObj(m.pods) ? m.pods : isObj(m.object) ? m.object : isObj(m.external) ? m.external : {};
    const target: Obj = isObj(source.target) ? source.target : {};
    const name = typeof source.name === 'string' ? source.name : isObj(source.metric) && typeof source.metric.name === 'string' ? source.metric.name : String(m.type ?? 'metric');
    const goal = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : String(target.averageValue ?? target.value ?? '<unset>');
    return `${name}: <unknown>/${goal}`;
  });
  return parts.length > 2 ? `${parts.slice(0, 2).join(', ')} + ${parts.length - 2} more...` : parts.join(', ');
}

export class AutoscalerController implements Controller {
  readonly kind = 'HorizontalPodAutoscaler';
  readonly key: string;
  readonly name: string;
  private replicas: number;
  private pendingAt: number | undefined;
  private lastSyncAt: number | undefined;

  constructor(
    readonly hpa: Autoscaler,
    private readonly target: { kind: string; name: string },
    workload: Obj,
    /** Scales the workload (an edit of spec.replicas the controllers adopt). */
    private readonly scale: (replicas: number) => void,
  ) {
    this.name = hpa.name;
    this.key = `HorizontalPodAutoscaler/${hpa.name}`;
    this.replicas = replicasOf(workload);
  }

  update(object: Obj): void {
    this.replicas = replicasOf(object);
  }

  sync(world: World): boolean {
    const wanted = this.desired();
    if (wanted === undefined) {
      this.pendingAt = undefined;
      return false;
    }
    // The first reconcile happens when the HPA is created; then every sync period after it.
    const due = this.lastSyncAt === undefined ? world.now : this.lastSyncAt + HPA_SYNC_PERIOD_SECONDS * Math.max(1, Math.ceil((world.now - this.lastSyncAt) / HPA_SYNC_PERIOD_SECONDS));
    if (world.now < due) {
      if (this.pendingAt !== due) world.requeueAt(this.key, due);
      this.pendingAt = due;
      return false;
    }
    this.lastSyncAt = world.now;
    this.pendingAt = undefined;
    const reason = wanted.replicas > this.replicas ? 'Current number of replicas below Spec.MinReplicas' : 'Current number of replicas above Spec.MaxReplicas';
    world.event(`horizontalpodautoscaler.autoscaling/${this.hpa.name}`, `New size: ${wanted.replicas}; reason: ${reason}`);
    this.scale(wanted.replicas);
    return true;
  }

  // reconcileAutoscaler's bounds: 0 replicas disables autoscaling; else clamp into [min, max].
  private desired(): { replicas: number } | undefined {
    if (this.replicas === 0 && this.hpa.minReplicas !== 0) return undefined;
    if (this.replicas > this.hpa.maxReplicas) return { replicas: this.hpa.maxReplicas };
    if (this.replicas < this.hpa.minReplicas) return { replicas: this.hpa.minReplicas };
    return undefined;
  }

  status(): StatusRow[] {
    return [
      {
        object: `horizontalpodautoscaler.autoscaling/${this.hpa.name}`,
        columns: { REFERENCE: `${this.target.kind}/${this.target.name}`, TARGETS: this.hpa.targets, MINPODS: this.hpa.minReplicas, MAXPODS: this.hpa.maxReplicas, REPLICAS: this.replicas },
      },
    ];
  }

  settled(): boolean {
    return this.desired() === undefined;
  }

  notes(): string[] {
    return [
      `HorizontalPodAutoscaler ${this.hpa.name} keeps ${this.target.kind}/${this.target.name} between ${this.hpa.minReplicas} and ${this.hpa.maxReplicas} replicas; kdry has no metrics, so it only brings a count outside those bounds back within them`,
    ];
  }
}

function replicasOf(object: Obj): number {
  const spec = isObj(object.spec) ? object.spec : {};
  return typeof spec.replicas === 'number' && spec.replicas >= 0 ? spec.replicas : 1;
}
