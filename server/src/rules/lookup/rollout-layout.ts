// Where each workload kind reads its rollout settings, and the defaults the API server fills in
// when they are absent (pkg/apis/apps/v1/defaults.go).
export interface RolloutLayout {
  /** `strategy` (Deployment) or `updateStrategy` (StatefulSet, DaemonSet). */
  strategyField: 'strategy' | 'updateStrategy';
  /** Fields of the rollingUpdate block. */
  params: string[];
  types: string[];
  defaults: string;
  /** Fields of the workload's spec, which do not belong inside the strategy block. */
  specFields: string[];
}

export const ROLLOUT_LAYOUTS: Record<string, RolloutLayout> = {
  Deployment: {
    strategyField: 'strategy',
    params: ['maxSurge', 'maxUnavailable'],
    types: ['RollingUpdate', 'Recreate'],
    defaults: 'type RollingUpdate with maxSurge 25% and maxUnavailable 25%',
    specFields: ['replicas', 'selector', 'template', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'],
  },
  StatefulSet: {
    strategyField: 'updateStrategy',
    params: ['partition', 'maxUnavailable'],
    types: ['RollingUpdate', 'OnDelete'],
    defaults: 'type RollingUpdate with partition 0 (one pod at a time)',
    specFields: [
      'replicas',
      'selector',
      'template',
      'volumeClaimTemplates',
      'serviceName',
      'podManagementPolicy',
      'revisionHistoryLimit',
      'minReadySeconds',
      'persistentVolumeClaimRetentionPolicy',
      'ordinals',
    ],
  },
  DaemonSet: {
    strategyField: 'updateStrategy',
    params: ['maxSurge', 'maxUnavailable'],
    types: ['RollingUpdate', 'OnDelete'],
    defaults: 'type RollingUpdate with maxUnavailable 1 and maxSurge 0',
    specFields: ['selector', 'template', 'minReadySeconds', 'revisionHistoryLimit'],
  },
};
