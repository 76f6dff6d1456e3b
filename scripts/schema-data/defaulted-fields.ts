// Fields the OpenAPI lists as required although the API server fills them in (defaulting runs
// before validation), so a manifest may leave them out. Keyed like enums.ts.
// - PodFailurePolicyOnPodConditionsPattern.status: SetDefaults_PodFailurePolicyOnPodConditionsPattern
//   sets "True" ("Defaults to True."); the Kubernetes docs' own podFailurePolicy example omits it.
export const REQUIRED_BUT_DEFAULTED: Record<string, string[]> = {
  'api.batch.v1.PodFailurePolicyOnPodConditionsPattern': ['status'],
};
