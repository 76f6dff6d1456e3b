// Fields that work only when a feature gate is on, and the gate's stage and default per release.
// The API descriptions cannot be trusted for this (pod-level `resources` still says alpha in 1.35,
// where it is beta and on by default since 1.34), so the stages are copied from
// kubernetes/kubernetes pkg/features/kube_features.go (defaultVersionedKubernetesFeatureGates) as of
// release-1.35, the source of https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/.
// Only fields a manifest sets are listed; a gate that reached GA needs no note from then on.
import { compareVersions } from './release-version';

export type GateStage = 'alpha' | 'beta' | 'GA';

export interface FeatureGate {
  gate: string;
  /** [since release, stage, on by default] in release order. */
  stages: readonly [since: string, stage: GateStage, onByDefault: boolean][];
}

/** `definition.field` -> the gate that guards the field. */
export const GATED_FIELDS: Readonly<Record<string, FeatureGate>> = {
  'io.k8s.api.core.v1.Container.restartPolicyRules': { gate: 'ContainerRestartRules', stages: [['1.34', 'alpha', false], ['1.35', 'beta', true]] },
  'io.k8s.api.core.v1.PodSpec.resources': { gate: 'PodLevelResources', stages: [['1.32', 'alpha', false], ['1.34', 'beta', true]] },
  'io.k8s.api.core.v1.PodSpec.hostnameOverride': { gate: 'HostnameOverride', stages: [['1.34', 'alpha', false], ['1.35', 'beta', true]] },
  'io.k8s.api.core.v1.PodSpec.workloadRef': { gate: 'GenericWorkload', stages: [['1.35', 'alpha', false]] },
  'io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy.maxUnavailable': { gate: 'MaxUnavailableStatefulSet', stages: [['1.24', 'alpha', false], ['1.35', 'beta', true]] },
  'io.k8s.api.batch.v1.JobSpec.managedBy': { gate: 'JobManagedBy', stages: [['1.30', 'alpha', false], ['1.32', 'beta', true], ['1.35', 'GA', true]] },
  'io.k8s.api.batch.v1.JobSpec.successPolicy': { gate: 'JobSuccessPolicy', stages: [['1.30', 'alpha', false], ['1.31', 'beta', true], ['1.33', 'GA', true]] },
  'io.k8s.api.batch.v1.JobSpec.podReplacementPolicy': { gate: 'JobPodReplacementPolicy', stages: [['1.28', 'alpha', false], ['1.29', 'beta', true], ['1.34', 'GA', true]] },
  'io.k8s.api.core.v1.Volume.image': { gate: 'ImageVolume', stages: [['1.31', 'alpha', false], ['1.33', 'beta', false], ['1.35', 'beta', true]] },
  'io.k8s.api.core.v1.VolumeMount.recursiveReadOnly': { gate: 'RecursiveReadOnlyMounts', stages: [['1.30', 'alpha', false], ['1.31', 'beta', true], ['1.33', 'GA', true]] },
  'io.k8s.api.core.v1.Container.resizePolicy': { gate: 'InPlacePodVerticalScaling', stages: [['1.27', 'alpha', false], ['1.33', 'beta', true], ['1.35', 'GA', true]] },
  'io.k8s.api.core.v1.LifecycleHandler.sleep': { gate: 'PodLifecycleSleepAction', stages: [['1.29', 'alpha', false], ['1.30', 'beta', true], ['1.34', 'GA', true]] },
};

/** The gate's stage in `version`, or undefined before it existed or once it is GA. */
export function gateIn(gate: FeatureGate, version: string): { stage: GateStage; onByDefault: boolean } | undefined {
  let current: { stage: GateStage; onByDefault: boolean } | undefined;
  for (const [since, stage, onByDefault] of gate.stages) if (compareVersions(version, since) >= 0) current = { stage, onByDefault };
  return current?.stage === 'GA' ? undefined : current;
}
