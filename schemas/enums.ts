// Allowed values of the string fields the API server validates against a fixed set.
// Upstream OpenAPI marks these `+enum` Go types with "Possible enum values: - `"X"` ..." in the
// description, but the 1.33 files kdry ships carry no such lists (they say "One of Always, Never,
// IfNotPresent." in prose, or nothing). So the values are written down here, taken from the typed
// constants of k8s.io/api release-1.33 (core/v1, apps/v1, batch/v1 types.go) and the API server's
// validation of the same fields. The generator fails if a field named here no longer exists.
// Keys: definition name without the `io.k8s.` prefix, then the property (arrays: the item values).
export const FIELD_ENUMS: Record<string, Record<string, string[]>> = {
  'api.core.v1.Container': {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
    restartPolicy: ['Always'],
  },
  'api.core.v1.EphemeralContainer': {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  'api.core.v1.ContainerPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'api.core.v1.ServicePort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'api.core.v1.ContainerResizePolicy': { restartPolicy: ['NotRequired', 'RestartContainer'], resourceName: ['cpu', 'memory'] },
  'api.core.v1.PodSpec': {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    preemptionPolicy: ['PreemptLowerPriority', 'Never'],
  },
  'api.core.v1.Toleration': { operator: ['Exists', 'Equal'], effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  'api.core.v1.NodeSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
  'apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  'api.core.v1.TopologySpreadConstraint': {
    whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'],
    nodeAffinityPolicy: ['Honor', 'Ignore'],
    nodeTaintsPolicy: ['Honor', 'Ignore'],
  },
  'api.core.v1.PodSecurityContext': {
    fsGroupChangePolicy: ['OnRootMismatch', 'Always'],
    seLinuxChangePolicy: ['MountOption', 'Recursive'],
    supplementalGroupsPolicy: ['Merge', 'Strict'],
  },
  'api.core.v1.SeccompProfile': { type: ['RuntimeDefault', 'Unconfined', 'Localhost'] },
  'api.core.v1.AppArmorProfile': { type: ['RuntimeDefault', 'Unconfined', 'Localhost'] },
  'api.core.v1.SecurityContext': { procMount: ['Default', 'Unmasked'] },
  'api.core.v1.HTTPGetAction': { scheme: ['HTTP', 'HTTPS'] },
  'api.core.v1.HostPathVolumeSource': { type: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'] },
  'api.core.v1.PersistentVolumeClaimSpec': {
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    volumeMode: ['Block', 'Filesystem'],
  },
  'api.core.v1.VolumeMount': { mountPropagation: ['None', 'HostToContainer', 'Bidirectional'], recursiveReadOnly: ['Disabled', 'IfPossible', 'Enabled'] },
  'api.core.v1.ServiceSpec': {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    sessionAffinity: ['ClientIP', 'None'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
    ipFamilies: ['IPv4', 'IPv6'],
  },
  'api.core.v1.PodOS': { name: ['linux', 'windows'] },
  'api.core.v1.ImageVolumeSource': { pullPolicy: ['Always', 'IfNotPresent', 'Never'] },
  'api.apps.v1.DeploymentStrategy': { type: ['Recreate', 'RollingUpdate'] },
  'api.apps.v1.DaemonSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'api.apps.v1.StatefulSetUpdateStrategy': { type: ['RollingUpdate', 'OnDelete'] },
  'api.apps.v1.StatefulSetSpec': { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  'api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy': { whenDeleted: ['Retain', 'Delete'], whenScaled: ['Retain', 'Delete'] },
  'api.batch.v1.JobSpec': { completionMode: ['NonIndexed', 'Indexed'], podReplacementPolicy: ['TerminatingOrFailed', 'Failed'] },
  'api.batch.v1.PodFailurePolicyRule': { action: ['FailJob', 'FailIndex', 'Ignore', 'Count'] },
  'api.batch.v1.PodFailurePolicyOnExitCodesRequirement': { operator: ['In', 'NotIn'] },
  'api.batch.v1.PodFailurePolicyOnPodConditionsPattern': { status: ['True', 'False', 'Unknown'] },
  'api.batch.v1.CronJobSpec': { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
};

/**
 * Values listed the way kube-openapi documents `+enum` types:
 * "Possible enum values:\n - `"Always"` means ...". Empty when the description has no such list.
 */
export function enumFromDescription(description: string | undefined): string[] {
  const at = description?.indexOf('Possible enum values:') ?? -1;
  if (!description || at < 0) return [];
  return [...description.slice(at).matchAll(/^\s*-\s*`"([^"]*)"`/gm)].map((m) => m[1]);
}
