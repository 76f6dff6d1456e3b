// Fields that work only when a feature gate is on, and the gate's stage and default per release.
// The API descriptions cannot be trusted for this (pod-level `resources` still says alpha in 1.35,
// where it is beta and on by default since 1.34), so the stages are copied from
// kubernetes/kubernetes pkg/features/kube_features.go (defaultVersionedKubernetesFeatureGates) as of
// release-1.35, the source of https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/.
// Only fields a manifest sets are listed; a gate that reached GA needs no note from then on.
import { FEATURE_GATES, gateStage, type FeatureGate, type GateStage } from '../k8s/feature-gates';

export type { FeatureGate, GateStage };

/** `definition.field` -> the gate that guards the field (stages in k8s/feature-gates.ts). */
export const GATED_FIELDS: Readonly<Record<string, FeatureGate>> = {
  'io.k8s.api.core.v1.Container.restartPolicyRules': FEATURE_GATES.ContainerRestartRules,
  'io.k8s.api.core.v1.PodSpec.resources': FEATURE_GATES.PodLevelResources,
  'io.k8s.api.core.v1.PodSpec.hostnameOverride': FEATURE_GATES.HostnameOverride,
  'io.k8s.api.core.v1.PodSpec.workloadRef': FEATURE_GATES.GenericWorkload,
  'io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy.maxUnavailable': FEATURE_GATES.MaxUnavailableStatefulSet,
  'io.k8s.api.batch.v1.JobSpec.managedBy': FEATURE_GATES.JobManagedBy,
  'io.k8s.api.batch.v1.JobSpec.successPolicy': FEATURE_GATES.JobSuccessPolicy,
  'io.k8s.api.batch.v1.JobSpec.podReplacementPolicy': FEATURE_GATES.JobPodReplacementPolicy,
  'io.k8s.api.core.v1.Volume.image': FEATURE_GATES.ImageVolume,
  'io.k8s.api.core.v1.VolumeMount.recursiveReadOnly': FEATURE_GATES.RecursiveReadOnlyMounts,
  'io.k8s.api.core.v1.Container.resizePolicy': FEATURE_GATES.InPlacePodVerticalScaling,
  'io.k8s.api.core.v1.LifecycleHandler.sleep': FEATURE_GATES.PodLifecycleSleepAction,
};

/** The gate's stage in `version`, or undefined before it existed or once it is GA. */
export function gateIn(gate: FeatureGate, version: string): { stage: GateStage; onByDefault: boolean } | undefined {
  const current = gateStage(gate, version);
  return current?.stage === 'GA' ? undefined : current;
}
