// Allowed values of the string fields the API server validates against a fixed set.
// Upstream OpenAPI marks these `+enum` Go types with "Possible enum values: - `"X"` ..." in the
// description, but the 1.29-1.35 files kdry ships carry no such lists (they say "One of Always,
// Never, IfNotPresent." in prose, or nothing). So the values are written down here, taken from the
// typed constants of k8s.io/api (core/v1, apps/v1, batch/v1, networking/v1, autoscaling/v2,
// policy/v1, storage/v1, rbac/v1, discovery/v1, admissionregistration/v1 types.go) and the API
// server's validation of the same fields (pkg/apis/*/validation). An entry applies to every
// bundled release whose definition has the field; the generator fails if no release has it.
// Keys: definition name without the `io.k8s.` prefix, then the property (arrays: the item values).
export const FIELD_ENUMS: Record<string, Record<string, string[]>> = {
  'api.core.v1.Container': {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
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
  'api.core.v1.PersistentVolumeSpec': {
    persistentVolumeReclaimPolicy: ['Recycle', 'Delete', 'Retain'],
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    volumeMode: ['Block', 'Filesystem'],
  },
  'api.core.v1.Taint': { effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  'api.core.v1.LimitRangeItem': { type: ['Pod', 'Container', 'PersistentVolumeClaim'] },
  'api.core.v1.EndpointPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'api.core.v1.ScopedResourceSelectorRequirement': { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  'api.networking.v1.HTTPIngressPath': { pathType: ['Exact', 'Prefix', 'ImplementationSpecific'] },
  'api.networking.v1.NetworkPolicySpec': { policyTypes: ['Ingress', 'Egress'] },
  'api.networking.v1.NetworkPolicyPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'api.networking.v1.IngressClassParametersReference': { scope: ['Cluster', 'Namespace'] },
  'api.discovery.v1.EndpointSlice': { addressType: ['IPv4', 'IPv6', 'FQDN'] },
  'api.discovery.v1.EndpointPort': { protocol: ['TCP', 'UDP', 'SCTP'] },
  'api.autoscaling.v2.MetricSpec': { type: ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'] },
  'api.autoscaling.v2.MetricTarget': { type: ['Utilization', 'Value', 'AverageValue'] },
  'api.autoscaling.v2.HPAScalingRules': { selectPolicy: ['Max', 'Min', 'Disabled'] },
  'api.autoscaling.v2.HPAScalingPolicy': { type: ['Pods', 'Percent'] },
  'api.policy.v1.PodDisruptionBudgetSpec': { unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'] },
  // ValidateStorageClass accepts only Delete and Retain (Recycle is for PersistentVolumes alone).
  'api.storage.v1.StorageClass': { reclaimPolicy: ['Delete', 'Retain'], volumeBindingMode: ['Immediate', 'WaitForFirstConsumer'] },
  // ValidateRoleBindingSubject / ValidateRoleBinding (rbac validation).
  'api.rbac.v1.Subject': { kind: ['ServiceAccount', 'User', 'Group'] },
  'api.rbac.v1.RoleRef': { kind: ['Role', 'ClusterRole'] },
  'api.admissionregistration.v1.ValidatingWebhook': { failurePolicy: ['Ignore', 'Fail'], matchPolicy: ['Exact', 'Equivalent'], sideEffects: ['None', 'NoneOnDryRun'] },
  'api.admissionregistration.v1.MutatingWebhook': {
    failurePolicy: ['Ignore', 'Fail'],
    matchPolicy: ['Exact', 'Equivalent'],
    sideEffects: ['None', 'NoneOnDryRun'],
    reinvocationPolicy: ['Never', 'IfNeeded'],
  },
  'api.admissionregistration.v1.RuleWithOperations': { operations: ['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'], scope: ['Cluster', 'Namespaced', '*'] },
};

/**
 * Allowed values that changed between releases: each entry holds from its release until the next.
 * - Container.restartPolicy: only "Always" (sidecar init containers) until 1.33; from 1.34 regular
 *   containers may say "Never" or "OnFailure" too, with restartPolicyRules (KEP-5307,
 *   ContainerRestartRules; validateContainerRestartPolicy in pkg/apis/core/validation).
 * - ServiceSpec.trafficDistribution: validateServiceSpec (pkg/apis/core/validation/validation.go)
 *   accepts "PreferClose", and "PreferSameZone" and "PreferSameNode" while the
 *   PreferSameTrafficDistribution gate is on: alpha (off) in 1.33, beta (on) in 1.34, GA in 1.35
 *   (KEP-3015). Anything else is "Unsupported value".
 */
export const FIELD_ENUMS_BY_RELEASE: Record<string, Record<string, [since: string, values: string[]][]>> = {
  'api.core.v1.Container': {
    restartPolicy: [
      ['1.0', ['Always']],
      ['1.34', ['Always', 'OnFailure', 'Never']],
    ],
  },
  'api.core.v1.ServiceSpec': {
    trafficDistribution: [
      ['1.0', ['PreferClose']],
      ['1.34', ['PreferClose', 'PreferSameZone', 'PreferSameNode']],
    ],
  },
};

/** The values of a FIELD_ENUMS_BY_RELEASE entry in `version`. */
export function enumInRelease(entries: [since: string, values: string[]][], version: string, compare: (a: string, b: string) => number): string[] {
  let values: string[] = [];
  for (const [since, list] of entries) if (compare(version, since) >= 0) values = list;
  return values;
}

/**
 * Values listed the way kube-openapi documents `+enum` types:
 * "Possible enum values:\n - `"Always"` means ...". Empty when the description has no such list.
 */
export function enumFromDescription(description: string | undefined): string[] {
  const at = description?.indexOf('Possible enum values:') ?? -1;
  if (!description || at < 0) return [];
  return [...description.slice(at).matchAll(/^\s*-\s*`"([^"]*)"`/gm)].map((m) => m[1]);
}
