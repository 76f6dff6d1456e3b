// The values SetDefaults_Deployment gives a Deployment's unset fields (pkg/apis/apps/v1/defaults.go):
// the API server's defaulting (defaults/workloads.ts) and the engine's Deployment controller read them.

export const DEPLOYMENT_DEFAULT_REPLICAS = 1;
export const DEPLOYMENT_DEFAULT_MAX_SURGE = '25%';
export const DEPLOYMENT_DEFAULT_MAX_UNAVAILABLE = '25%';
export const DEPLOYMENT_DEFAULT_REVISION_HISTORY_LIMIT = 10;
export const DEPLOYMENT_DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
