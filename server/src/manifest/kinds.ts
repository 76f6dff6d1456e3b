// The Kubernetes kinds kdry understands, keyed `apiVersion/kind`.
export interface KindInfo {
  apiVersion: string;
  kind: string;
  /** Has spec.template and spec.selector (a pod controller). */
  podController: boolean;
}

export const KNOWN_KINDS: readonly KindInfo[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', podController: true },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', podController: true },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', podController: true },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', podController: true },
  { apiVersion: 'batch/v1', kind: 'Job', podController: true },
  { apiVersion: 'batch/v1', kind: 'CronJob', podController: false },
  { apiVersion: 'v1', kind: 'Pod', podController: false },
  { apiVersion: 'v1', kind: 'Service', podController: false },
];

export function knownKind(apiVersion: string | undefined, kind: string | undefined): KindInfo | undefined {
  return KNOWN_KINDS.find((k) => k.apiVersion === apiVersion && k.kind === kind);
}
