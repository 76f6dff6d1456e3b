// Fields that work only when a feature gate is on, and the gate's stage and default per release.
// The API descriptions cannot be trusted for this (pod-level `resources` still says alpha in 1.35,
// where it is beta and on by default since 1.34), so the stages are copied from
// kubernetes/kubernetes pkg/features/kube_features.go (defaultVersionedKubernetesFeatureGates) as of
// release-1.35, the source of https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/.
// Only fields a manifest sets are listed; a gate that reached GA needs no note from then on.
import { FEATURE_GATES, type FeatureGate, type GateStage } from '../k8s/feature-gates';

export type { FeatureGate, GateStage };

/** What a gate does to one use of a field. */
export interface GatedUse {
  gate: FeatureGate;
  /** What dropping the field does when the gate is off, beyond "it has no effect". */
  whenOff?: string;
  /**
   * The API server's answer in a release before the gate existed, where the bundled schema still
   * has the field (a release older than the data, or a definition shared with another use).
   */
  beforeGate?: (field: string, release: string) => string;
}

/**
 * A field whose gate depends on where it is and what it says. A container's `restartPolicy` is
 * two features: `Always` on an init container makes it a sidecar (SidecarContainers; without it
 * pkg/api/pod/util.go dropDisabledFields drops the field from init containers), anything else is a
 * container restart rule (ContainerRestartRules; dropContainerRestartRules drops it from regular
 * containers and from init containers with another value; before 1.34 validation.go
 * validateContainers refuses it on a regular container).
 */
export interface ContextualGate {
  use(list: string | undefined, value: unknown): GatedUse | undefined;
}

const containerRestartPolicy: ContextualGate = {
  use(list, value) {
    if (list === 'initContainers' && value === 'Always') {
      return {
        gate: FEATURE_GATES.SidecarContainers,
        whenOff:
          'the API server drops the field, and the sidecar runs as an ordinary init container: the pod\'s other containers start only once it exits, so one that keeps running keeps the pod in Init (kubectl shows Init:0/1)',
        beforeGate: (field, release) => `${field} is not in Kubernetes ${release} (sidecar containers arrived in 1.28). kubectl apply fails with: strict decoding error: unknown field "${field}".`,
      };
    }
    // Another value on a regular container before 1.34 already fails the allowed values (Always only).
    if (list === 'containers' && value === 'Always') {
      return {
        gate: FEATURE_GATES.ContainerRestartRules,
        beforeGate: (field, release) => `${field} is not allowed on a regular container in Kubernetes ${release} (container restart rules arrived in 1.34). The API server rejects the object: ${field}: Forbidden: may not be set for non-init containers.`,
      };
    }
    return { gate: FEATURE_GATES.ContainerRestartRules };
  },
};

/** `definition.field` -> the gate that guards the field (stages in k8s/feature-gates.ts). */
export const GATED_FIELDS: Readonly<Record<string, FeatureGate | ContextualGate>> = {
  'io.k8s.api.core.v1.Container.restartPolicy': containerRestartPolicy,
  'io.k8s.api.core.v1.Container.restartPolicyRules': FEATURE_GATES.ContainerRestartRules,
  'io.k8s.api.core.v1.PodSpec.resources': FEATURE_GATES.PodLevelResources,
  'io.k8s.api.core.v1.PodSpec.hostnameOverride': FEATURE_GATES.HostnameOverride,
  'io.k8s.api.core.v1.PodSpec.workloadRef': FEATURE_GATES.GenericWorkload,
  'io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy.maxUnavailable': FEATURE_GATES.MaxUnavailableStatefulSet,
  'io.k8s.api.batch.v1.JobSpec.managedBy': FEATURE_GATES.JobManagedBy,
  'io.k8s.api.batch.v1.JobSpec.successPolicy': FEATURE_GATES.JobSuccessPolicy,
  'io.k8s.api.batch.v1.JobSpec.podReplacementPolicy': FEATURE_GATES.JobPodReplacementPolicy,
  'io.k8s.api.batch.v1.JobSpec.backoffLimitPerIndex': FEATURE_GATES.JobBackoffLimitPerIndex,
  'io.k8s.api.batch.v1.JobSpec.maxFailedIndexes': FEATURE_GATES.JobBackoffLimitPerIndex,
  'io.k8s.api.core.v1.Volume.image': FEATURE_GATES.ImageVolume,
  'io.k8s.api.core.v1.VolumeMount.recursiveReadOnly': FEATURE_GATES.RecursiveReadOnlyMounts,
  'io.k8s.api.core.v1.Container.resizePolicy': FEATURE_GATES.InPlacePodVerticalScaling,
  'io.k8s.api.core.v1.LifecycleHandler.sleep': FEATURE_GATES.PodLifecycleSleepAction,
  // pkg/api/pod/util.go dropDisabledFields: "If the feature is disabled and not in use, drop the hostUsers field".
  'io.k8s.api.core.v1.PodSpec.hostUsers': {
    use: () => ({
      gate: FEATURE_GATES.UserNamespacesSupport,
      whenOff: 'the API server drops the field and the pod runs in the host\'s user namespace: its root is the node\'s root',
    }),
  },
  // dropDisabledDynamicResourceAllocationFields (pkg/api/pod/util.go); the service strategy's dropServiceDisabledFields for trafficDistribution.
  'io.k8s.api.core.v1.PodSpec.resourceClaims': FEATURE_GATES.DynamicResourceAllocation,
  'io.k8s.api.core.v1.ResourceRequirements.claims': FEATURE_GATES.DynamicResourceAllocation,
  'io.k8s.api.core.v1.ServiceSpec.trafficDistribution': FEATURE_GATES.ServiceTrafficDistribution,
};

/** The gate of `definition.field` as used here: in the `list` of containers it sits in, with this value. */
export function gatedUse(key: string, list: string | undefined, value: unknown): GatedUse | undefined {
  const entry = GATED_FIELDS[key];
  if (!entry) return undefined;
  return 'use' in entry ? entry.use(list, value) : { gate: entry };
}
