// pkg/apis/autoscaling/v2/defaults.go SetDefaults_HorizontalPodAutoscaler: minReplicas 1, a CPU
// target of 80% when no metric is written, and SetDefaults_HorizontalPodAutoscalerBehavior: a written
// behavior gets every unset scaling rule field (GenerateHPAScaleUpRules, GenerateHPAScaleDownRules).
import { isRecord } from '../manifest';
import { setDefault, type Obj } from './shapes';

/** autoscaling.DefaultCPUUtilization. */
const DEFAULT_CPU_UTILIZATION = 80;

const SCALE_UP = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] };
/** No stabilizationWindowSeconds: the controller's --horizontal-pod-autoscaler-downscale-stabilization decides. */
const SCALE_DOWN = { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] };

export function defaultHorizontalPodAutoscaler(obj: Obj): void {
  if (!isRecord(obj.spec)) obj.spec = {};
  const spec = obj.spec as Obj;
  setDefault(spec, 'minReplicas', 1);
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0) spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  if (!isRecord(spec.behavior)) return;
  spec.behavior.scaleUp = scalingRules(spec.behavior.scaleUp, SCALE_UP);
  spec.behavior.scaleDown = scalingRules(spec.behavior.scaleDown, SCALE_DOWN);
}

/** copyHPAScalingRules: the written fields over a fresh copy of the defaults. */
function scalingRules(written: unknown, defaults: Obj): Obj {
  const out = structuredClone(defaults);
  if (!isRecord(written)) return out;
  for (const key of ['selectPolicy', 'stabilizationWindowSeconds', 'policies', 'tolerance']) if (written[key] != null) out[key] = written[key];
  return out;
}
