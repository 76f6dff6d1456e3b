// IntOrString fields whose string form Kubernetes restricts (validation in
// pkg/apis/{apps,core}/validation): a percentage for rollout budgets, an IANA port name for ports.
export const INT_OR_PERCENT_FIELDS: Record<string, string[]> = {
  'api.apps.v1.RollingUpdateDeployment': ['maxSurge', 'maxUnavailable'],
  'api.apps.v1.RollingUpdateDaemonSet': ['maxSurge', 'maxUnavailable'],
  'api.apps.v1.RollingUpdateStatefulSetStrategy': ['maxUnavailable'],
};
export const INT_OR_PORT_NAME_FIELDS: Record<string, string[]> = {
  'api.core.v1.ServicePort': ['targetPort'],
  'api.core.v1.HTTPGetAction': ['port'],
  'api.core.v1.TCPSocketAction': ['port'],
};
