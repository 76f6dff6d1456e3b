// Kubernetes feature gates that change what a manifest does, with their stage and default per
// release, copied from kubernetes/kubernetes pkg/features/kube_features.go
// (defaultVersionedKubernetesFeatureGates) as of release-1.35, the source of
// https://kubernetes.io/docs/reference/command-line-tools-reference/feature-gates/. The schema's
// gated-field notes (schema/feature-gates.ts) and the engine's release behaviour
// (engine/release-behaviour.ts) both read this table.
import { compareVersions } from './release-version';

export type GateStage = 'alpha' | 'beta' | 'GA';

export interface FeatureGate {
  gate: string;
  /** [since release, stage, on by default] in release order. */
  stages: readonly [since: string, stage: GateStage, onByDefault: boolean][];
}

const gate = (name: string, stages: FeatureGate['stages']): FeatureGate => ({ gate: name, stages });

export const FEATURE_GATES = {
  ContainerRestartRules: gate('ContainerRestartRules', [['1.34', 'alpha', false], ['1.35', 'beta', true]]),
  PodLevelResources: gate('PodLevelResources', [['1.32', 'alpha', false], ['1.34', 'beta', true]]),
  HostnameOverride: gate('HostnameOverride', [['1.34', 'alpha', false], ['1.35', 'beta', true]]),
  GenericWorkload: gate('GenericWorkload', [['1.35', 'alpha', false]]),
  // Beta and on in 1.35.0-1.35.3 (kubernetes PR #133153), off again from 1.35.4 (#137926, the cherry-pick of
  // #137904: it broke Parallel pod management, #137409) and in 1.36, on from 1.37 (#139466). By minor
  // release, 1.35 is its current patches: off.
  MaxUnavailableStatefulSet: gate('MaxUnavailableStatefulSet', [['1.24', 'alpha', false], ['1.35', 'beta', false], ['1.37', 'beta', true]]),
  JobManagedBy: gate('JobManagedBy', [['1.30', 'alpha', false], ['1.32', 'beta', true], ['1.35', 'GA', true]]),
  JobSuccessPolicy: gate('JobSuccessPolicy', [['1.30', 'alpha', false], ['1.31', 'beta', true], ['1.33', 'GA', true]]),
  JobPodReplacementPolicy: gate('JobPodReplacementPolicy', [['1.28', 'alpha', false], ['1.29', 'beta', true], ['1.34', 'GA', true]]),
  JobBackoffLimitPerIndex: gate('JobBackoffLimitPerIndex', [['1.28', 'alpha', false], ['1.29', 'beta', true], ['1.33', 'GA', true]]),
  ImageVolume: gate('ImageVolume', [['1.31', 'alpha', false], ['1.33', 'beta', false], ['1.35', 'beta', true]]),
  RecursiveReadOnlyMounts: gate('RecursiveReadOnlyMounts', [['1.30', 'alpha', false], ['1.31', 'beta', true], ['1.33', 'GA', true]]),
  InPlacePodVerticalScaling: gate('InPlacePodVerticalScaling', [['1.27', 'alpha', false], ['1.33', 'beta', true], ['1.35', 'GA', true]]),
  PodLifecycleSleepAction: gate('PodLifecycleSleepAction', [['1.29', 'alpha', false], ['1.30', 'beta', true], ['1.34', 'GA', true]]),
  SidecarContainers: gate('SidecarContainers', [['1.28', 'alpha', false], ['1.29', 'beta', true], ['1.33', 'GA', true]]),
  UserNamespacesSupport: gate('UserNamespacesSupport', [['1.25', 'alpha', false], ['1.30', 'beta', false], ['1.33', 'beta', true]]),
  DynamicResourceAllocation: gate('DynamicResourceAllocation', [['1.26', 'alpha', false], ['1.32', 'beta', false], ['1.34', 'GA', true]]),
  ServiceTrafficDistribution: gate('ServiceTrafficDistribution', [['1.30', 'alpha', false], ['1.31', 'beta', true], ['1.33', 'GA', true]]),
  AppArmorFields: gate('AppArmorFields', [['1.30', 'beta', true], ['1.31', 'GA', true]]),
  DeploymentReplicaSetTerminatingReplicas: gate('DeploymentReplicaSetTerminatingReplicas', [['1.33', 'alpha', false], ['1.35', 'beta', true]]),
  // The API server's own (apiextensions-apiserver pkg/features/kube_features.go): optionalOldSelf and unchanged-value ratcheting of CRD validation.
  CRDValidationRatcheting: gate('CRDValidationRatcheting', [['1.28', 'alpha', false], ['1.30', 'beta', true], ['1.33', 'GA', true]]),
} as const satisfies Record<string, FeatureGate>;

/** The gate's stage in `version` and the release that stage began in; undefined before the gate existed. */
export function gateStage(gate: FeatureGate, version: string): { stage: GateStage; onByDefault: boolean; since: string } | undefined {
  let current: { stage: GateStage; onByDefault: boolean; since: string } | undefined;
  for (const [since, stage, onByDefault] of gate.stages) if (compareVersions(version, since) >= 0) current = { stage, onByDefault, since };
  return current;
}

/** On by default in `version` (a cluster that sets no --feature-gates). */
export function gateOnByDefault(gate: FeatureGate, version: string): boolean {
  return gateStage(gate, version)?.onByDefault ?? false;
}
