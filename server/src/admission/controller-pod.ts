// The pod a workload's controller sends to the API server, which admission judges like any create:
// pkg/controller/controller_utils.go GetPodFromTemplate (the template's labels, annotations and
// finalizers, generateName `<owner>-`, the controller's ownerReference, the template's spec) and
// RealPodControl.createPods (the workload's namespace), with what each controller adds:
// - ReplicaSet, ReplicationController: nothing more (replica_set.go manageReplicas);
// - Deployment: its ReplicaSet's, whose name and template carry the pod-template-hash, a hash of the
//   template as the cluster stores it (deployment/sync.go getNewReplicaSet): unknown here;
// - StatefulSet: stateful_set_utils.go newStatefulSetPod, the pod `<set>-0` (the first one it
//   creates) with the pod-name and pod-index labels, hostname and subdomain (initIdentity), and the
//   controller-revision-hash of its revision (unknown);
// - DaemonSet: daemon/util.CreatePodTemplate's controller-revision-hash (unknown);
// - Job: the template as the Job's PrepareForCreate leaves it (prepare-for-create.ts), plus for an
//   Indexed Job the completion index 0 (job/indexed_job_utils.go addCompletionIndexAnnotation, addCompletionIndexLabel);
// - CronJob: the pods of the Jobs it starts, named `<cronjob>-<scheduled minute>` (cronjob/utils.go getJobFromTemplate2): unknown.
// The request is the controller's (kube-controller-manager with --use-service-account-credentials,
// as kubeadm and the managed clusters run it: each controller its own service account in kube-system).
import { isRecord, type ManifestDocument } from '../manifest';
import type { UnknownField } from './prepare-for-create';

type Obj = Record<string, unknown>;

export interface ControllerPod {
  /** The pod as a document: its value, kind Pod, namespace the workload's; no name when generated. */
  doc: ManifestDocument;
  /** The service account the controller creates it as (request.userInfo.username). */
  username: string;
  /** Fields of the pod only the cluster knows. */
  unknown: UnknownField[];
}

/** The controller that creates the pods of each built-in workload kind, by apiVersion/kind. */
const CONTROLLERS: Record<string, string> = {
  'apps/v1/Deployment': 'replicaset-controller',
  'apps/v1/ReplicaSet': 'replicaset-controller',
  'v1/ReplicationController': 'replication-controller',
  'apps/v1/StatefulSet': 'statefulset-controller',
  'apps/v1/DaemonSet': 'daemon-set-controller',
  'batch/v1/Job': 'job-controller',
  'batch/v1/CronJob': 'job-controller',
};

/** batch.JobNameLabel, LegacyJobNameLabel; ControllerUidLabel, LegacyControllerUidLabel. */
const JOB_LABELS = ['batch.kubernetes.io/job-name', 'job-name', 'batch.kubernetes.io/controller-uid', 'controller-uid'];
/** batch.JobCompletionIndexAnnotation (also the label since PodIndexLabel). */
const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** apps.ControllerRevisionHashLabelKey, DefaultDeploymentUniqueLabelKey. */
const REVISION_HASH = 'controller-revision-hash';
const POD_TEMPLATE_HASH = 'pod-template-hash';

const memo = new WeakMap<object, ControllerPod | null>();

/** The pod `doc`'s controller creates, or undefined when `doc` is no built-in workload with a template. */
export function controllerPodOf(doc: ManifestDocument): ControllerPod | undefined {
  if (!isRecord(doc.value)) return undefined;
  let hit = memo.get(doc.value);
  if (hit === undefined) memo.set(doc.value, (hit = buildPod(doc, doc.value) ?? null));
  return hit ?? undefined;
}

function buildPod(doc: ManifestDocument, value: Obj): ControllerPod | undefined {
  const controller = CONTROLLERS[`${doc.apiVersion}/${doc.kind}`];
  const spec = isRecord(value.spec) ? value.spec : undefined;
  const jobSpec = doc.kind === 'CronJob' ? record(record(spec?.jobTemplate)?.spec) : spec;
  const template = record(jobSpec?.template);
  if (!controller || !template) return undefined;
  const name = doc.name ?? '';
  const meta = record(template.metadata) ?? {};
  const labels: Record<string, unknown> = { ...(record(meta.labels) ?? {}) };
  const annotations: Record<string, unknown> = { ...(record(meta.annotations) ?? {}) };
  const unknown: UnknownField[] = [];
  const unknownLabel = (key: string, why: string) => {
    if (!(key in labels)) unknown.push({ path: ['metadata', 'labels', key], reason: `it reads the pod's label ${key}, ${why}` });
  };
  const owner: Obj = { apiVersion: doc.apiVersion, kind: doc.kind, name, controller: true, blockOwnerDeletion: true };
  const metadata: Obj = { generateName: `${name}-`, namespace: doc.namespace };
  const podSpec: Obj = { ...(record(template.spec) ?? {}) };
  const generatedOwner = (kind: string, apiVersion: string, why: string) => {
    owner.apiVersion = apiVersion;
    owner.kind = kind;
    delete owner.name;
    delete metadata.generateName;
    unknown.push({ path: ['metadata', 'generateName'], reason: `it reads the pod's generateName, the name of its ${kind} and a dash: ${why}` });
    unknown.push({ path: ['metadata', 'name'], reason: 'it reads object.metadata.name, which the API server generates from generateName' });
    unknown.push({ path: ['metadata', 'ownerReferences', 0, 'name'], reason: `it reads the name of the pod's ${kind}: ${why}` });
  };
  switch (doc.kind) {
    case 'Deployment':
      unknownLabel(POD_TEMPLATE_HASH, 'a hash of the template as the cluster stores it');
      generatedOwner('ReplicaSet', 'apps/v1', `the Deployment's name and the ${POD_TEMPLATE_HASH}`);
      break;
    case 'StatefulSet':
      delete metadata.generateName;
      metadata.name = `${name}-0`;
      labels['statefulset.kubernetes.io/pod-name'] = `${name}-0`;
      labels['apps.kubernetes.io/pod-index'] = '0';
      unknownLabel(REVISION_HASH, "the hash of the StatefulSet's revision");
      podSpec.hostname = `${name}-0`;
      if (typeof spec?.serviceName === 'string' && spec.serviceName) podSpec.subdomain = spec.serviceName;
      break;
    case 'DaemonSet':
      unknownLabel(REVISION_HASH, "the hash of the DaemonSet's revision");
      break;
    case 'Job':
    case 'CronJob':
      if (jobSpec?.manualSelector !== true) {
        const generated = doc.kind === 'CronJob' ? 'which carries the name the CronJob gives each Job' : undefined;
        for (const key of JOB_LABELS) {
          if (key.endsWith('job-name') && !generated && name) labels[key] ??= name;
          else unknownLabel(key, generated && key.endsWith('job-name') ? generated : "which carries the Job's uid");
        }
      }
      if (jobSpec?.completionMode === 'Indexed') {
        annotations[COMPLETION_INDEX] = '0';
        labels[COMPLETION_INDEX] = '0';
      }
      if (doc.kind === 'CronJob') generatedOwner('Job', 'batch/v1', 'the CronJob names each Job after its scheduled time');
      break;
  }
  unknown.push({ path: ['metadata', 'ownerReferences', 0, 'uid'], reason: "it reads the uid of the pod's owner, which the API server generates" });
  if (Object.keys(labels).length > 0 || unknown.some((f) => f.path[1] === 'labels')) metadata.labels = labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (Array.isArray(meta.finalizers) && meta.finalizers.length > 0) metadata.finalizers = meta.finalizers;
  metadata.ownerReferences = [owner];
  if (metadata.namespace === undefined) delete metadata.namespace;
  const pod: Obj = { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec };
  const podDoc = Object.create(doc, {
    value: { value: pod },
    apiVersion: { value: 'v1' },
    kind: { value: 'Pod' },
    name: { value: typeof metadata.name === 'string' ? metadata.name : undefined },
    namespace: { value: doc.namespace },
  }) as ManifestDocument;
  return { doc: podDoc, username: `system:serviceaccount:kube-system:${controller}`, unknown };
}

function record(v: unknown): Obj | undefined {
  return isRecord(v) ? v : undefined;
}
