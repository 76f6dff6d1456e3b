// The kinds kdry ships schemas for, the OpenAPI component each one starts from, and its file name.
export interface KindSchemaFile {
  /** `apiVersion/kind`, e.g. `apps/v1/Deployment` (the key schemaAt takes). */
  kindKey: string;
  apiVersion: string;
  kind: string;
  /** The component schema of the kind in the OpenAPI files. */
  component: string;
  /** File under schemas/k8s-1.33/. */
  file: string;
}

const kind = (apiVersion: string, kindName: string, component: string): KindSchemaFile => ({
  kindKey: `${apiVersion}/${kindName}`,
  apiVersion,
  kind: kindName,
  component,
  file: `${apiVersion.replace('/', '-')}-${kindName.toLowerCase()}.json`,
});

export const KIND_SCHEMA_FILES: readonly KindSchemaFile[] = [
  kind('apps/v1', 'Deployment', 'io.k8s.api.apps.v1.Deployment'),
  kind('apps/v1', 'ReplicaSet', 'io.k8s.api.apps.v1.ReplicaSet'),
  kind('apps/v1', 'StatefulSet', 'io.k8s.api.apps.v1.StatefulSet'),
  kind('apps/v1', 'DaemonSet', 'io.k8s.api.apps.v1.DaemonSet'),
  kind('batch/v1', 'Job', 'io.k8s.api.batch.v1.Job'),
  kind('batch/v1', 'CronJob', 'io.k8s.api.batch.v1.CronJob'),
  kind('v1', 'Pod', 'io.k8s.api.core.v1.Pod'),
  kind('v1', 'Service', 'io.k8s.api.core.v1.Service'),
];

export const SCHEMA_DIR_NAME = 'k8s-1.33';
