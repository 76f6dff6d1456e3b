// What the target Kubernetes release changes in what the engine simulates: the defaults of the
// feature gates the controllers check (k8s/feature-gates.ts, from kube_features.go) and code that
// arrived in a release. A release newer than the table knows behaves as the newest it knows.
//
//   StatefulSet rollingUpdate.maxUnavailable   MaxUnavailableStatefulSet, on by default from 1.37
//                                              (on in 1.35.0-1.35.3, turned off again from 1.35.4
//                                              and in 1.36); when off, one pod at a time whatever it says
//   Job spec.managedBy                          JobManagedBy, on from 1.32: another controller's
//                                              Job is left alone by the built-in one
//   Job podReplacementPolicy: Failed            JobPodReplacementPolicy, on from 1.29
//   Job successPolicy                           JobSuccessPolicy, on from 1.31
//   Job backoffLimitPerIndex                    JobBackoffLimitPerIndex, on from 1.29
//   FailureTarget / SuccessCriteriaMet first    delayTerminalCondition(), job_controller.go from 1.31
//                                              (JobManagedBy or JobPodReplacementPolicy on)
//   init container restartPolicy: Always        SidecarContainers, on from 1.29: before, the API server
//                                              drops it (pkg/api/pod/util.go dropDisabledFields) and the
//                                              sidecar is an ordinary init container (world/disabled-fields.ts)
//   Deployment/ReplicaSet terminatingReplicas   DeploymentReplicaSetTerminatingReplicas, on from 1.35:
//                                              status counts the pods still terminating
//   pod-level spec.resources                    PodLevelResources, on from 1.34: the scheduler counts
//                                              the pod's own requests (scheduler/requests.ts); before,
//                                              the API server drops the field (world/disabled-fields.ts)
//   container restartPolicy, restartPolicyRules ContainerRestartRules, on from 1.35: the kubelet restarts
//                                              a container per its exit code (world/kubelet.ts); before,
//                                              the API server drops them (world/disabled-fields.ts)

import { FEATURE_GATES, gateOnByDefault } from '../k8s/feature-gates';
import { compareVersions, releaseOf } from '../k8s/release-version';

/** The release the engine simulates when none is given (the default of kdry.kubernetesVersion). */
export const DEFAULT_ENGINE_RELEASE = '1.35';

export interface ReleaseBehaviour {
  release: string;
  statefulSetMaxUnavailable: boolean;
  jobManagedBy: boolean;
  jobPodReplacementPolicy: boolean;
  jobSuccessPolicy: boolean;
  jobBackoffLimitPerIndex: boolean;
  jobDelayTerminalCondition: boolean;
  sidecarContainers: boolean;
  deploymentTerminatingReplicas: boolean;
  containerRestartRules: boolean;
}

export function releaseBehaviour(version?: string): ReleaseBehaviour {
  const release = (version !== undefined ? releaseOf(version) : undefined) ?? DEFAULT_ENGINE_RELEASE;
  const on = (gate: keyof typeof FEATURE_GATES) => gateOnByDefault(FEATURE_GATES[gate], release);
  return {
    release,
    statefulSetMaxUnavailable: on('MaxUnavailableStatefulSet'),
    jobManagedBy: on('JobManagedBy'),
    jobPodReplacementPolicy: on('JobPodReplacementPolicy'),
    jobSuccessPolicy: on('JobSuccessPolicy'),
    jobBackoffLimitPerIndex: on('JobBackoffLimitPerIndex'),
    jobDelayTerminalCondition: compareVersions(release, '1.31') >= 0 && (on('JobManagedBy') || on('JobPodReplacementPolicy')),
    sidecarContainers: on('SidecarContainers'),
    deploymentTerminatingReplicas: on('DeploymentReplicaSetTerminatingReplicas'),
    containerRestartRules: on('ContainerRestartRules'),
  };
}
