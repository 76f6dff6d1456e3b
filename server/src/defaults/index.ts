// A built-in object as the API server holds it after decoding a manifest, before admission: the
// release's SetDefaults_ functions of the kinds kdry models (pkg/apis/<group>/<version>/defaults.go),
// then the OpenAPI defaults and serialised zero values (zero-values.ts), serialised as CEL reads it
// (serialised.ts). Never mutates its input.
import { kubernetesTarget } from '../schema/target';
import { defaultNamespace, defaultPersistentVolumeClaim, defaultPod, defaultReplicationController, defaultSecret, defaultService } from './core-objects';
import { defaultHorizontalPodAutoscaler } from './horizontal-pod-autoscaler';
import { defaultNetworkPolicy } from './network-policy';
import type { Obj } from './shapes';
import { defaultCronJob, defaultDaemonSet, defaultDeployment, defaultJob, defaultReplicaSet, defaultStatefulSet } from './workloads';
import { serialiseForCel } from './serialised';
import { fillSchemaDefaults } from '../k8s/schema-defaulting';
import { openApiNode } from './zero-values';

export { defaultNamespace } from './core-objects';

/** apiVersion/kind -> its SetDefaults_ functions. */
const DEFAULTERS: Record<string, (obj: Obj, release: string) => void> = {
  'apps/v1/Deployment': defaultDeployment,
  'apps/v1/StatefulSet': defaultStatefulSet,
  'apps/v1/DaemonSet': defaultDaemonSet,
  'apps/v1/ReplicaSet': defaultReplicaSet,
  'batch/v1/Job': defaultJob,
  'batch/v1/CronJob': defaultCronJob,
  'v1/Pod': defaultPod,
  'v1/Namespace': defaultNamespace,
  'v1/ReplicationController': defaultReplicationController,
  'v1/Service': defaultService,
  'v1/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  'v1/Secret': defaultSecret,
  'networking.k8s.io/v1/NetworkPolicy': defaultNetworkPolicy,
  'autoscaling/v2/HorizontalPodAutoscaler': defaultHorizontalPodAutoscaler,
};

/**
 * Kinds whose defaults are only their OpenAPI ones (no SetDefaults_ function in their group's
 * defaults.go; a ConfigMap's SetDefaults_ConfigMap only makes `data` an empty map, which omitempty leaves out).
 */
const SCHEMA_DEFAULTS_ONLY = new Set(['policy/v1/PodDisruptionBudget', 'networking.k8s.io/v1/Ingress', 'v1/ServiceAccount', 'v1/ConfigMap']);

/**
 * The defaulted copy of `value`, a built-in `apiVersion`/`kind` of `release`; undefined when kdry
 * does not model that kind's defaults (the caller then cannot tell a missing field from one the
 * API server would fill).
 */
export function withApiServerDefaults(value: Obj, apiVersion: string, kind: string, release: string): Obj | undefined {
  const key = `${apiVersion}/${kind}`;
  const defaulter = DEFAULTERS[key];
  if (!defaulter && !SCHEMA_DEFAULTS_ONLY.has(key)) return undefined;
  // The schemas of the bundled release that stands for `release` (1.36 is read with the newest
  // bundled one); the feature gates the defaulters read stay those of `release` itself.
  const catalog = kubernetesTarget(release)?.catalog;
  const schema = catalog?.kindSchema(key);
  if (!catalog || !schema) return undefined;
  const copy = deepCopy(value) as Obj;
  defaulter?.(copy, release);
  fillSchemaDefaults(copy, openApiNode(schema, catalog));
  serialiseForCel(copy, schema, catalog);
  return copy;
}

/** A manifest value's copy (plain objects, arrays and scalars): cheaper than structuredClone on parsed YAML. */
function deepCopy(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(deepCopy);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const copy = deepCopy((value as Record<string, unknown>)[key]);
    // A `__proto__` key written in YAML is data: assigning it would set the copy's prototype.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
}
