// Fields the OpenAPI lists as required although the API server accepts an object without them.
// Its generator marks every field without `omitempty` as required; the API server only refuses what
// its defaulting leaves empty and its validation then asks for. Keyed like enums.ts.
// - PodFailurePolicyOnPodConditionsPattern.status: SetDefaults_PodFailurePolicyOnPodConditionsPattern
//   sets "True" ("Defaults to True."); the Kubernetes docs' own podFailurePolicy example omits it.
// - RoleRef.apiGroup: rbac/v1 defaults.go SetDefaults_RoleBinding and SetDefaults_ClusterRoleBinding
//   set rbac.authorization.k8s.io when it is empty.
// - EndpointSlice.endpoints: discovery/validation validateEndpoints loops over the list; an empty or
//   absent one is accepted (a Service without ready pods has such slices).
// - LimitRangeSpec.limits: core/validation ValidateLimitRange loops over the list.
// - PriorityClass.value: scheduling/validation ValidatePriorityClass does not ask for it; absent is 0.
// - NetworkPolicySpec.podSelector (required in the 1.29 and 1.30 OpenAPI only): networking/validation
//   ValidateNetworkPolicySpec validates the selector it is given, and an absent one selects every pod.
export const REQUIRED_BUT_ACCEPTED_ABSENT: Record<string, string[]> = {
  'api.batch.v1.PodFailurePolicyOnPodConditionsPattern': ['status'],
  'api.rbac.v1.RoleRef': ['apiGroup'],
  'api.discovery.v1.EndpointSlice': ['endpoints'],
  'api.core.v1.LimitRangeSpec': ['limits'],
  'api.scheduling.v1.PriorityClass': ['value'],
  'api.networking.v1.NetworkPolicySpec': ['podSelector'],
};
